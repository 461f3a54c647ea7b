// Creates the ONNX Runtime session on the best backend: WebGPU when an adapter exists, WASM otherwise
// (SIMD always; threads only when the page is cross-origin isolated, as SharedArrayBuffer requires).
import * as ort from 'onnxruntime-web';
import type { Backend } from '../src/classify/protocol';
import { errorText } from '../src/errorText';

// The deployed model stores int8 weights behind DequantizeLinear. Turning off ORT's QDQ handling lets
// constant folding turn them into float weights once, at session creation, instead of on every run
// (measured in onnxruntime-node: 401 → 332 ms per face on 2 threads, the fp32 model's speed).
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  graphOptimizationLevel: 'all',
  extra: { 'session.disable_quant_qdq': '1' },
};

export interface BackendSession {
  session: ort.InferenceSession;
  backend: Backend;
  fallbackReason: string | null;
  threads: number;
  /** Resolves with a reason when the WebGPU device is lost (never for WASM). */
  lost: Promise<string>;
}

interface GpuLike {
  requestAdapter(): Promise<object | null>;
}

/** Why WebGPU cannot be used here, or null when an adapter exists. */
export async function webGpuUnavailableReason(): Promise<string | null> {
  const gpu = (self.navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return 'this browser has no WebGPU';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? null : 'no WebGPU adapter';
  } catch (e) {
    return `WebGPU adapter request failed: ${String(e)}`;
  }
}

export function configureWasm(paths: { mjs: string; wasm: string }, requestedThreads: number): number {
  const threads = self.crossOriginIsolated ? Math.max(1, requestedThreads) : 1;
  ort.env.wasm.wasmPaths = paths;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  ort.env.logLevel = 'error';
  return threads;
}

// A one-node ONNX graph (Identity on float[1], opset 13, written by onnx.helper; 78 bytes). A session made from
// it has onnxruntime fetch, compile and start its wasm (14–28 MB) while the real model downloads, instead of
// after it: the two ran one after the other before (worker resource timing, 2026-11-30: model 0.4 s, then
// wasm 0.8 s, then the session).
const RUNTIME_STARTER =
  'CAgSCG1hc2tnYXRlOjoKEAoBeBIBeSIISWRlbnRpdHkSBHdhcm1aDwoBeBIKCggIARIECgIIAWIPCgF5EgoKCAgBEgQKAggBQgQKABAN';

/**
 * Starts onnxruntime's wasm runtime now (after configureWasm). Resolves with null once it runs, or with the
 * error that stopped it; never rejects. Await it before creating a session: onnxruntime refuses a second
 * start while one is under way (its WebGPU backend starts the same wasm).
 */
export function startWasmRuntime(): Promise<unknown> {
  const model = Uint8Array.from(atob(RUNTIME_STARTER), (c) => c.charCodeAt(0));
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'] }).then(
    (s) => s.release().then(() => null),
    (e: unknown) => e ?? new Error('onnxruntime did not start'),
  );
}

/** A WASM session; `fallbackReason` says why WebGPU is not used (null when it was never asked for). */
export async function createWasmSession(
  model: Uint8Array,
  threads: number,
  fallbackReason: string | null,
): Promise<BackendSession> {
  const session = await ort.InferenceSession.create(model, { ...SESSION_OPTIONS, executionProviders: ['wasm'] });
  return { session, backend: 'wasm', fallbackReason, threads, lost: new Promise<string>(() => {}) };
}

/** A session on WebGPU, or on WASM when `noGpu` says why WebGPU cannot be used (or the WebGPU session fails). */
export async function createSession(model: Uint8Array, noGpu: string | null, threads: number): Promise<BackendSession> {
  if (noGpu !== null) return createWasmSession(model, threads, noGpu);
  try {
    const session = await ort.InferenceSession.create(model, { ...SESSION_OPTIONS, executionProviders: ['webgpu'] });
    const device = (await ort.env.webgpu.device) as unknown as { lost: Promise<{ message: string }> };
    const lost = device.lost.then((info) => `WebGPU device lost${info.message ? `: ${info.message}` : ''}`);
    return { session, backend: 'webgpu', fallbackReason: null, threads, lost };
  } catch (e) {
    return createWasmSession(model, threads, `WebGPU session failed: ${errorText(e)}`);
  }
}

export function inputTensor(data: Float32Array, count: number, size: number): ort.Tensor {
  return new ort.Tensor('float32', data, [count, 3, size, size]);
}
