// The client's side of a worker crash, with a scripted Worker in place of the browser's (node has none):
// pending requests are rejected, the worker is replaced, restarts are bounded. The real worker dying in
// a browser mid-run is covered by tests/e2e/faults-live.test.mjs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClassifierClient, ClassifierLoadError, ClassifierStoppedError, MAX_RESTARTS } from './classifierClient';
import { initFromWorkerName, type AdapterFound, type FromWorker, type ToWorker } from './protocol';

class ScriptedWorker {
  static all: ScriptedWorker[] = [];
  onmessage: ((e: MessageEvent<unknown>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  readonly received: ToWorker[] = [];
  terminated = false;
  constructor(_url: URL, options: { name?: string } = {}) {
    ScriptedWorker.all.push(this);
    // The client puts its init request in the worker's name.
    const init = initFromWorkerName(options.name ?? '');
    if (init) this.received.push(init);
  }
  postMessage(msg: ToWorker): void {
    this.received.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(msg: FromWorker): void {
    this.onmessage?.({ data: msg } as MessageEvent<unknown>);
  }
  ready(adapter: AdapterFound | null = 'none'): void {
    this.reply({
      type: 'ready',
      backend: 'wasm',
      fallbackReason: null,
      model: { id: 'm', version: '1', inputSize: 2, tier: 'fast' },
      modelReason: 'chosen in settings',
      threads: 1,
      adapter,
    });
  }
  crash(message = 'RuntimeError: Aborted()'): void {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
  classifyIds(): number[] {
    return this.received.flatMap((m) => (m.type === 'classify' ? [m.id] : []));
  }
}

const latest = () => ScriptedWorker.all.at(-1)!;
const crops = () => new ArrayBuffer(2 * 2 * 4);
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  ScriptedWorker.all = [];
  vi.stubGlobal('Worker', ScriptedWorker);
  vi.stubGlobal('document', { baseURI: 'http://app.test/' });
  vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
  const stored = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, v),
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ClassifierClient after the worker dies', () => {
  it('rejects every pending request, restarts the worker, and classifies again once it is ready', async () => {
    const events = { onStopped: vi.fn(), onRestarted: vi.fn() };
    const client = new ClassifierClient(events);
    latest().ready();
    await client.ready;
    const a = client.classify(crops(), 2, 1);
    const b = client.classify(crops(), 2, 1);
    await tick();
    expect(latest().classifyIds()).toHaveLength(2);
    expect(client.busy).toBe(true);

    const first = latest();
    first.crash();
    await expect(a).rejects.toBeInstanceOf(ClassifierStoppedError);
    await expect(b).rejects.toThrow(/Aborted/);
    expect(first.terminated).toBe(true);
    expect(ScriptedWorker.all).toHaveLength(2);
    expect(events.onStopped).toHaveBeenCalledWith(expect.stringMatching(/stopped/), true);
    // Nothing is sent to the new worker before its model is loaded; the live loop sees `busy`.
    expect(client.busy).toBe(true);
    const c = client.classify(crops(), 2, 1);
    await tick();
    expect(latest().classifyIds()).toEqual([]);
    latest().ready();
    await tick();
    expect(events.onRestarted).toHaveBeenCalledOnce();
    const [id] = latest().classifyIds();
    expect(id).toBeDefined();
    latest().reply({ type: 'result', id: id!, probs: new Float32Array([1, 0, 0]), ms: 5, backend: 'wasm' });
    await expect(c).resolves.toEqual(new Float32Array([1, 0, 0]));
    expect(client.busy).toBe(false);
    // A late message of the dead worker changes nothing.
    first.reply({ type: 'backend', backend: 'webgpu', reason: 'stale' });
  });

  it('treats an unreadable message like a crash', async () => {
    const client = new ClassifierClient();
    latest().ready();
    await client.ready;
    const a = client.classify(crops(), 2, 1);
    latest().onmessageerror?.();
    await expect(a).rejects.toBeInstanceOf(ClassifierStoppedError);
    expect(ScriptedWorker.all).toHaveLength(2);
  });

  it(`gives up after ${MAX_RESTARTS} restarts without a result, and says so`, async () => {
    const onStopped = vi.fn();
    const client = new ClassifierClient({ onStopped });
    latest().ready();
    await client.ready;
    for (let i = 0; i < MAX_RESTARTS; i++) {
      latest().crash();
      latest().ready();
      await tick();
    }
    expect(ScriptedWorker.all).toHaveLength(1 + MAX_RESTARTS);
    latest().crash();
    expect(ScriptedWorker.all).toHaveLength(1 + MAX_RESTARTS);
    expect(onStopped).toHaveBeenLastCalledWith(
      expect.stringMatching(/stopped 4 times in a row .* not restarted/),
      false,
    );
    await expect(client.classify(crops(), 2, 1)).rejects.toThrow(/not restarted/);
    expect(client.busy).toBe(true);
  });

  it('counts only crashes in a row: a result in between resets the count', async () => {
    const client = new ClassifierClient();
    latest().ready();
    await client.ready;
    for (let i = 0; i < MAX_RESTARTS * 2; i++) {
      latest().crash();
      latest().ready();
      await tick();
      const p = client.classify(crops(), 2, 1);
      await tick();
      latest().reply({
        type: 'result',
        id: latest().classifyIds()[0]!,
        probs: new Float32Array(3),
        ms: 1,
        backend: 'wasm',
      });
      await p;
    }
    expect(ScriptedWorker.all).toHaveLength(1 + MAX_RESTARTS * 2);
  });

  it('reports a worker that never starts as a load error, without restarting it', async () => {
    const client = new ClassifierClient();
    latest().crash('404');
    await expect(client.ready).rejects.toBeInstanceOf(ClassifierLoadError);
    expect(ScriptedWorker.all).toHaveLength(1);
    await expect(client.classify(crops(), 2, 1)).rejects.toThrow(/did not load/);
  });
});

describe('ClassifierClient model choice', () => {
  it('asks the worker for the chosen tier, with both tiers served from the page origin', () => {
    new ClassifierClient({}, { choice: 'fast' });
    const init = latest().received[0];
    expect(init).toMatchObject({
      type: 'init',
      choice: 'fast',
      models: {
        accurate: { modelUrl: 'http://app.test/models/mask_vgg16_224.int8.onnx' },
        fast: {
          modelUrl: 'http://app.test/models/mask_mnv3s_224.int8.onnx',
          sidecarUrl: 'http://app.test/models/mask_mnv3s_224.int8.json',
        },
      },
    });
    new ClassifierClient();
    expect(latest().received[0]).toMatchObject({ choice: 'auto' });
  });

  it('setChoice replaces the worker, rejects what was in flight, and reports the new model', async () => {
    const onLoaded = vi.fn();
    const client = new ClassifierClient({ onLoaded }, { choice: 'fast' });
    latest().ready();
    await client.ready;
    expect(onLoaded).toHaveBeenCalledOnce();
    const pending = client.classify(crops(), 2, 1);
    await tick();
    const first = latest();
    expect(client.model).toMatchObject({ id: 'm', tier: 'fast' });
    const switched = client.setChoice('accurate');
    await expect(pending).rejects.toBeInstanceOf(ClassifierStoppedError);
    expect(client.model).toBeNull();
    expect(first.terminated).toBe(true);
    expect(latest()).not.toBe(first);
    expect(latest().received[0]).toMatchObject({ type: 'init', choice: 'accurate' });
    expect(client.busy).toBe(true);
    latest().reply({
      type: 'ready',
      backend: 'wasm',
      fallbackReason: null,
      model: { id: 'vgg', version: '2', inputSize: 2, tier: 'accurate' },
      modelReason: 'chosen in settings',
      threads: 1,
      adapter: 'none',
    });
    await expect(switched).resolves.toMatchObject({ model: { id: 'vgg', tier: 'accurate' } });
    expect(onLoaded).toHaveBeenLastCalledWith(expect.objectContaining({ modelReason: 'chosen in settings' }));
    expect(client.model).toMatchObject({ id: 'vgg', version: '2' });
    expect(client.busy).toBe(false);
  });

  it('setChoice after a failed first load starts over', async () => {
    const client = new ClassifierClient({}, { choice: 'accurate' });
    latest().reply({ type: 'error', stage: 'load', file: 'm.onnx', message: 'HTTP 404', requestId: null });
    await expect(client.ready).rejects.toBeInstanceOf(ClassifierLoadError);
    await expect(client.classify(crops(), 2, 1)).rejects.toBeInstanceOf(ClassifierStoppedError);
    const switched = client.setChoice('fast');
    latest().ready();
    await expect(switched).resolves.toMatchObject({ type: 'ready' });
    await expect(client.ready).resolves.toMatchObject({ type: 'ready' });
  });
});

describe('ClassifierClient start-up', () => {
  it('gives the worker its init request at once, and the next worker what this start found of WebGPU', async () => {
    const first = new ClassifierClient({}, { choice: 'fast' });
    const init = latest().received[0];
    expect(init).toMatchObject({ type: 'init', choice: 'fast', preferWebGpu: true, numThreads: 2 });
    expect(init).not.toHaveProperty('lastAdapter');
    latest().ready('none');
    await first.ready;
    new ClassifierClient({}, { choice: 'fast' });
    expect(latest().received[0]).toMatchObject({ type: 'init', lastAdapter: 'none' });
    latest().ready('found');
    await tick();
    new ClassifierClient();
    expect(latest().received[0]).toMatchObject({ lastAdapter: 'found' });
    // A start that asked for no adapter (WebGPU off in settings) leaves what the last one found.
    latest().ready(null);
    await tick();
    new ClassifierClient();
    expect(latest().received[0]).toMatchObject({ lastAdapter: 'found' });
  });
});
