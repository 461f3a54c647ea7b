// The worker's WebGPU → WASM recovery, with ONNX Runtime and the model loader replaced by fakes: a real
// WebGPU device loss cannot be provoked cheaply in CI (SwiftShader runs VGG16 in minutes), so the switch
// logic is tested here and the status line's reaction in tests/e2e (see tests/e2e/FAULTS.md).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { workerName, type FromWorker, type InitRequest } from '../src/classify/protocol';
import { initRequest } from '../tests/helpers/initRequest';

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
// What the session module was asked, in order; and what the adapter request answers (null: an adapter).
const calls: string[] = [];
let adapterAnswer: Promise<string | null> = Promise.resolve(null);

vi.mock('./session', () => ({
  configureWasm: (paths: { wasm: string }) => (calls.push(`configure ${paths.wasm}`), 2),
  startWasmRuntime: async () => (calls.push('start runtime'), null),
  webGpuUnavailableReason: () => (calls.push('ask adapter'), adapterAnswer),
  createSession: async (_model: Uint8Array, noGpu: string | null) =>
    noGpu === null ? fakeSession('webgpu', null) : fakeSession('wasm', noGpu),
  createWasmSession: async (_model: Uint8Array, _threads: number, reason: string) => fakeSession('wasm', reason),
  inputTensor: (data: Float32Array) => data,
}));

const posted: FromWorker[] = [];
let onmessage: (e: { data: unknown }) => void;

const INIT = initRequest();

/** Loads the worker module; its init request comes in its name (as ClassifierClient sends it), else by message. */
async function loadWorker(init: InitRequest, via: 'name' | 'message') {
  posted.length = 0;
  sessions.length = 0;
  calls.length = 0;
  vi.resetModules();
  const scope = {
    name: via === 'name' ? workerName(init) : '',
    postMessage: (msg: FromWorker) => posted.push(msg),
    onmessage: null as unknown,
  };
  vi.stubGlobal('self', scope);
  await import('./classifier.worker');
  onmessage = scope.onmessage as typeof onmessage;
  if (via === 'message') onmessage({ data: init });
}

async function startWorker() {
  adapterAnswer = Promise.resolve(null);
  await loadWorker(INIT, 'message');
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

describe('classifier worker: start-up', () => {
  const ready = () => posted.find((m) => m.type === 'ready');

  it('starts from the init request in its name, with no message', async () => {
    adapterAnswer = Promise.resolve(null);
    await loadWorker(INIT, 'name');
    await vi.waitFor(() => expect(ready()).toMatchObject({ backend: 'webgpu', adapter: 'found' }));
    expect(calls).toEqual(['ask adapter', 'configure jsep.wasm', 'start runtime']);
  });

  it('after a start that found no adapter, starts the plain WASM runtime before the adapter answers', async () => {
    let answer!: (reason: string | null) => void;
    adapterAnswer = new Promise((r) => (answer = r));
    await loadWorker({ ...INIT, choice: 'auto', lastAdapter: 'none' }, 'name');
    await vi.waitFor(() => expect(calls).toEqual(['configure plain.wasm', 'start runtime', 'ask adapter']));
    expect(ready()).toBeUndefined();
    answer('no WebGPU adapter');
    await vi.waitFor(() => expect(ready()).toBeDefined());
    expect(ready()).toMatchObject({
      backend: 'wasm',
      fallbackReason: 'no WebGPU adapter',
      model: { tier: 'fast' },
      modelReason: 'auto: no WebGPU adapter',
      adapter: 'none',
    });
  });

  it('an adapter found after such a start: WASM now, said why, and reported found for the next start', async () => {
    adapterAnswer = Promise.resolve(null);
    await loadWorker({ ...INIT, lastAdapter: 'none' }, 'name');
    await vi.waitFor(() => expect(ready()).toBeDefined());
    expect(calls).toEqual(['configure plain.wasm', 'start runtime', 'ask adapter']);
    expect(ready()).toMatchObject({
      backend: 'wasm',
      fallbackReason: 'a WebGPU adapter was found after start-up; it is used from the next start',
      adapter: 'found',
    });
  });

  it('WebGPU off in settings: no adapter request at all', async () => {
    await loadWorker({ ...INIT, preferWebGpu: false }, 'name');
    await vi.waitFor(() => expect(ready()).toBeDefined());
    expect(calls).toEqual(['configure plain.wasm', 'start runtime']);
    expect(ready()).toMatchObject({ backend: 'wasm', fallbackReason: 'WebGPU turned off in settings', adapter: null });
  });
});
