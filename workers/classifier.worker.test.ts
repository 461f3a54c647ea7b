// The worker's WebGPU → WASM recovery, with ONNX Runtime and the model loader replaced by fakes: a real
// WebGPU device loss cannot be provoked cheaply in CI (SwiftShader runs VGG16 in minutes), so the switch
// logic is tested here and the status line's reaction in tests/e2e (see tests/e2e/FAULTS.md).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker } from '../src/classify/protocol';

interface FakeSession {
  backend: 'webgpu' | 'wasm';
  run: ReturnType<typeof vi.fn>;
  loseDevice: (reason: string) => void;
}

const sessions: FakeSession[] = [];

function fakeSession(backend: 'webgpu' | 'wasm', fallbackReason: string | null) {
  let loseDevice = (_: string) => {};
  const lost = new Promise<string>((resolve) => (loseDevice = resolve));
  const run = vi.fn(async () => ({ probs: { data: new Float32Array([0.8, 0.1, 0.1]) } }));
  sessions.push({ backend, run, loseDevice });
  return { session: { run }, backend, fallbackReason, threads: 2, lost };
}

vi.mock('./modelLoader', () => ({
  ModelLoadError: class extends Error {},
  fileName: (url: string) => url.slice(url.lastIndexOf('/') + 1),
  loadSidecar: async () => ({
    id: 'm',
    version: '1',
    file: 'm.onnx',
    sha256: 'a'.repeat(64),
    input: { name: 'input', shape: [null, 3, 2, 2] },
    output: { name: 'probs' },
  }),
  loadModelBytes: async () => new Uint8Array(4),
}));
vi.mock('./session', () => ({
  configureWasm: () => 2,
  startWasmRuntime: async () => null,
  webGpuUnavailableReason: async () => null,
  createSession: async () => fakeSession('webgpu', null),
  createWasmSession: async (_model: Uint8Array, _threads: number, reason: string) => fakeSession('wasm', reason),
  inputTensor: (data: Float32Array) => data,
}));

const posted: FromWorker[] = [];
let onmessage: (e: { data: unknown }) => void;

async function startWorker() {
  posted.length = 0;
  sessions.length = 0;
  vi.resetModules();
  const scope = { postMessage: (msg: FromWorker) => posted.push(msg), onmessage: null as unknown };
  vi.stubGlobal('self', scope);
  await import('./classifier.worker');
  onmessage = scope.onmessage as typeof onmessage;
  onmessage({
    data: {
      type: 'init',
      models: {
        accurate: { modelUrl: 'http://x/m.onnx', sidecarUrl: 'http://x/m.json' },
        fast: { modelUrl: 'http://x/f.onnx', sidecarUrl: 'http://x/f.json' },
      },
      choice: 'accurate',
      wasmPaths: { webgpu: { mjs: '', wasm: '' }, wasm: { mjs: '', wasm: '' } },
      preferWebGpu: true,
      numThreads: 2,
    },
  });
  await vi.waitFor(() => expect(posted.some((m) => m.type === 'ready')).toBe(true));
}

const classify = (id: number) =>
  onmessage({ data: { type: 'classify', id, size: 2, count: 1, rgba: new ArrayBuffer(16) } });

describe('classifier worker: WebGPU device loss', () => {
  beforeEach(startWorker);

  it('switches to WASM when the device is lost, says so once, and keeps classifying', async () => {
    expect(posted.find((m) => m.type === 'ready')).toMatchObject({ backend: 'webgpu' });
    sessions[0]!.loseDevice('WebGPU device lost: GPU process crashed');
    await vi.waitFor(() => expect(posted.filter((m) => m.type === 'backend')).toHaveLength(1));
    expect(posted.find((m) => m.type === 'backend')).toEqual({
      type: 'backend',
      backend: 'wasm',
      reason: 'WebGPU device lost: GPU process crashed',
    });
    classify(1);
    await vi.waitFor(() => expect(posted.some((m) => m.type === 'result')).toBe(true));
    expect(posted.find((m) => m.type === 'result')).toMatchObject({ id: 1, backend: 'wasm' });
    // Once, for the warm-up before 'ready'; never for the request after the loss.
    expect(sessions[0]!.run).toHaveBeenCalledTimes(1);
  });

  it('retries a failed WebGPU run on WASM: the request still gets its result', async () => {
    sessions[0]!.run.mockRejectedValueOnce(new Error('Device is lost'));
    classify(7);
    await vi.waitFor(() => expect(posted.some((m) => m.type === 'result')).toBe(true));
    expect(posted.find((m) => m.type === 'backend')).toMatchObject({
      backend: 'wasm',
      reason: 'WebGPU run failed: Device is lost',
    });
    expect(posted.find((m) => m.type === 'result')).toMatchObject({ id: 7, backend: 'wasm' });
    expect(posted.some((m) => m.type === 'error')).toBe(false);
  });
});
