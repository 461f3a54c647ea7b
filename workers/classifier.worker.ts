/// <reference lib="webworker" />
// The classifier worker: owns the ONNX session so inference never blocks the page. It speaks only the
// protocol in src/classify/protocol.ts.
import {
  isToWorker,
  type ClassifyRequest,
  type FromWorker,
  type InitRequest,
  type ModelSidecar,
} from '../src/classify/protocol';
import { rgbaToNchw } from '../src/classify/preprocess';
import { loadModelBytes, loadSidecar, ModelLoadError } from './modelLoader';
import { configureWasm, createSession, createWasmSession, inputTensor, type BackendSession } from './session';
import { errorText } from '../src/errorText';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: FromWorker, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

let current: BackendSession | null = null;
let sidecar: ModelSidecar | null = null;
let modelBytes: Uint8Array | null = null;
// Requests run one at a time: a WebGPU-to-WASM switch must not race a run on the old session.
let queue: Promise<void> = Promise.resolve();

async function init(req: InitRequest): Promise<void> {
  try {
    sidecar = await loadSidecar(req.sidecarUrl);
    const file = sidecar.file;
    modelBytes = await loadModelBytes(req.modelUrl, sidecar.sha256, (loaded, total) =>
      post({ type: 'progress', stage: 'download', file, loaded, total }),
    );
    post({ type: 'progress', stage: 'compile', file, loaded: 0, total: null });
    const threads = configureWasm(req.wasmPaths, req.numThreads);
    current = await createSession(modelBytes, req.preferWebGpu, threads);
    watchDeviceLoss(current);
    post({
      type: 'ready',
      backend: current.backend,
      fallbackReason: current.fallbackReason,
      model: { id: sidecar.id, version: sidecar.version, inputSize: sidecar.input.shape[2] },
      threads: current.threads,
    });
  } catch (e) {
    const file = e instanceof ModelLoadError ? e.file : (sidecar?.file ?? null);
    const message = errorText(e);
    post({ type: 'error', stage: 'load', file, message, requestId: null });
  }
}

function watchDeviceLoss(s: BackendSession): void {
  void s.lost.then((reason) => {
    if (current !== s) return;
    queue = queue.then(() => switchToWasm(reason));
  });
}

async function switchToWasm(reason: string): Promise<void> {
  if (!modelBytes || current?.backend === 'wasm') return;
  const threads = current?.threads ?? 1;
  current = await createWasmSession(modelBytes, threads, reason);
  post({ type: 'backend', backend: 'wasm', reason });
}

async function run(req: ClassifyRequest): Promise<Float32Array> {
  if (!current || !sidecar) throw new Error('classifier is not loaded');
  const input = inputTensor(rgbaToNchw(new Uint8Array(req.rgba), req.size, req.count), req.count, req.size);
  const out = await current.session.run({ [sidecar.input.name]: input });
  const probs = out[sidecar.output.name];
  if (!probs) throw new Error(`model has no output named ${sidecar.output.name}`);
  return new Float32Array(probs.data as Float32Array);
}

async function classify(req: ClassifyRequest): Promise<void> {
  const t0 = performance.now();
  try {
    let probs: Float32Array;
    try {
      probs = await run(req);
    } catch (e) {
      // A failing WebGPU run (e.g. device lost mid-frame) is retried once on WASM.
      if (current?.backend !== 'webgpu') throw e;
      await switchToWasm(`WebGPU run failed: ${errorText(e)}`);
      probs = await run(req);
    }
    post({ type: 'result', id: req.id, probs, ms: performance.now() - t0, backend: current!.backend }, [probs.buffer]);
  } catch (e) {
    post({ type: 'error', stage: 'classify', file: null, message: errorText(e), requestId: req.id });
  }
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const msg = event.data;
  if (!isToWorker(msg)) {
    post({
      type: 'error',
      stage: 'classify',
      file: null,
      message: 'malformed message to classifier worker',
      requestId: null,
    });
    return;
  }
  queue = queue.then(() => (msg.type === 'init' ? init(msg) : classify(msg)));
};
