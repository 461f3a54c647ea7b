// The page's side of the classifier worker: starts it, forwards load progress, backend changes and
// timings, and turns classify requests into promises. Callers check `busy` so the page never waits on it.
//
// A worker can die after start-up (an uncaught error such as a wasm abort, or a message that cannot be
// read). Browsers then answer nothing more, so waiting would stall live classification silently: every
// pending request is rejected with a ClassifierStoppedError and a new worker is started. After
// MAX_RESTARTS crashes with no result in between, the client gives up and says so.
import { errorText } from '../errorText';
import { CLASSIFIER_MODELS, ORT_WASM, servedUrl } from '../servedFiles';
import { readLastAdapter, rememberAdapter } from './lastAdapter';
import type { Backend, FromWorker, InitRequest, ModelChoice, ModelTier, ModelUrls, ReadyMessage } from './protocol';
import { isFromWorker, workerName } from './protocol';

export const MAX_RESTARTS = 3;

export interface ClassifierEvents {
  onProgress?(stage: 'download' | 'compile', file: string, loaded: number, total: number | null): void;
  onBackendChange?(backend: Backend, reason: string): void;
  /** A batch was classified, taking `ms` in the worker. */
  onResult?(ms: number, backend: Backend): void;
  /** The worker stopped after start-up; `restarting` is false once the restarts are used up. */
  onStopped?(reason: string, restarting: boolean): void;
  /** A restarted worker has its model loaded again. */
  onRestarted?(): void;
  /** A worker has its model loaded: the first, a restarted one, or one started by `setChoice`. */
  onLoaded?(ready: ReadyMessage): void;
}

export class ClassifierLoadError extends Error {
  constructor(
    readonly file: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ClassifierLoadError';
  }
}

/** The worker stopped while the request was pending (or for good); the request got no answer. */
export class ClassifierStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClassifierStoppedError';
  }
}

interface Pending {
  resolve(probs: Float32Array): void;
  reject(e: Error): void;
}

export class ClassifierClient {
  private worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** The current worker's model load; requests made before it ends are sent once it has. */
  private loading: Promise<ReadyMessage>;
  private loaded = false;
  private everLoaded = false;
  /** Crashes since the last result: bounds restarts of a worker that dies on every request. */
  private crashes = 0;
  private stopped: ClassifierStoppedError | null = null;
  private current: ReadyMessage['model'] | null = null;
  private firstReady!: Promise<ReadyMessage>;
  private settleFirst!: { resolve(m: ReadyMessage): void; reject(e: Error): void };

  /**
   * The first load of any worker: resolves with the model's description, or rejects with a
   * ClassifierLoadError (until `setChoice` starts over). Every later load is reported by `onLoaded`.
   */
  get ready(): Promise<ReadyMessage> {
    return this.firstReady;
  }

  constructor(
    private readonly events: ClassifierEvents = {},
    private readonly options: { preferWebGpu?: boolean; choice?: ModelChoice } = {},
  ) {
    this.resetReady();
    [this.worker, this.loading] = this.start();
  }

  private resetReady(): void {
    this.firstReady = new Promise<ReadyMessage>((resolve, reject) => (this.settleFirst = { resolve, reject }));
    // A first load that fails is reported through `ready` and the load error; never as unhandled.
    this.firstReady.catch(() => undefined);
  }

  /**
   * The model of the worker now loaded, null while none is. A result resolved by `classify` always comes
   * from it: answers of a replaced worker are dropped.
   */
  get model(): ReadyMessage['model'] | null {
    return this.loaded ? this.current : null;
  }

  /** True while a batch is in flight or no worker is ready: the live loop then skips classifying. */
  get busy(): boolean {
    return this.pending.size > 0 || !this.loaded;
  }

  /** Classifies `count` RGBA crops (size x size each, back to back); resolves with count x 3 probabilities. */
  classify(rgba: ArrayBuffer, size: number, count: number): Promise<Float32Array> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A request made while a restarted worker loads waits for it; a crash meanwhile rejects it.
      this.loading.then(
        () => {
          if (this.pending.has(id)) this.worker.postMessage({ type: 'classify', id, size, count, rgba }, [rgba]);
        },
        () => undefined,
      );
    });
  }

  /**
   * Switches to another model choice: the current worker is replaced by one that loads it (requests in
   * flight are rejected with a ClassifierStoppedError). Resolves when the new model is ready; a failure
   * to load it counts as a crash, so it is retried like one.
   */
  setChoice(choice: ModelChoice): Promise<ReadyMessage> {
    this.options.choice = choice;
    // The user's choice is a fresh start: earlier failures (e.g. a model that did not load) are forgotten.
    if (this.stopped && !this.everLoaded) this.resetReady();
    this.stopped = null;
    this.crashes = 0;
    this.worker.terminate();
    this.rejectPending(new ClassifierStoppedError('Classification stopped: the model is being changed.'));
    // From here a load failure is retried like a crash, and `ready` settles with the new worker's load.
    this.everLoaded = true;
    [this.worker, this.loading] = this.start();
    return this.loading;
  }

  private start(): [Worker, Promise<ReadyMessage>] {
    this.loaded = false;
    const worker = new Worker(new URL('../../workers/classifier.worker.ts', import.meta.url), {
      type: 'module',
      name: workerName(this.initRequest()),
    });
    const loading = new Promise<ReadyMessage>((resolve, reject) => {
      // Events of a worker already replaced are ignored: it was terminated and its requests rejected.
      worker.onmessage = (e: MessageEvent<unknown>) => {
        if (worker === this.worker && isFromWorker(e.data)) this.handle(e.data, resolve, reject);
      };
      worker.onerror = (e: ErrorEvent) => {
        // Handled here, so the browser need not report it as an uncaught error too.
        e.preventDefault();
        if (worker !== this.worker) return;
        const what = e.message || 'an error without a message';
        if (this.everLoaded) this.crashed(`the classifier worker stopped (${what})`);
        else this.failedToStart(new ClassifierLoadError(null, `classifier worker failed to start: ${what}`), reject);
      };
      worker.onmessageerror = () => {
        if (worker !== this.worker) return;
        const why = 'the classifier worker sent a message that could not be read';
        if (this.everLoaded) this.crashed(why);
        else this.failedToStart(new ClassifierLoadError(null, why), reject);
      };
    });
    loading.then(
      (ready) => {
        if (worker !== this.worker) return;
        rememberAdapter(ready.adapter);
        this.loaded = true;
        this.current = ready.model;
        if (this.everLoaded) this.events.onRestarted?.();
        this.everLoaded = true;
        this.settleFirst.resolve(ready);
        this.events.onLoaded?.(ready);
      },
      (e: unknown) => {
        // The first load failed: nothing will ever be classified.
        if (worker !== this.worker || this.everLoaded) return;
        this.settleFirst.reject(e instanceof Error ? e : new Error(errorText(e)));
        this.stopped = new ClassifierStoppedError(`The mask classifier did not load: ${errorText(e)}`);
        this.rejectPending(this.stopped);
      },
    );
    return [worker, loading];
  }

  private initRequest(): InitRequest {
    const base = document.baseURI;
    const abs = (p: string) => servedUrl(p, base);
    const lastAdapter = readLastAdapter();
    return {
      type: 'init',
      models: Object.fromEntries(
        Object.entries(CLASSIFIER_MODELS).map(([tier, m]) => [
          tier,
          { modelUrl: abs(m.model), sidecarUrl: abs(m.sidecar) },
        ]),
      ) as Record<ModelTier, ModelUrls>,
      choice: this.options.choice ?? 'auto',
      wasmPaths: {
        webgpu: { mjs: abs(ORT_WASM.webgpu.mjs), wasm: abs(ORT_WASM.webgpu.wasm) },
        wasm: { mjs: abs(ORT_WASM.wasm.mjs), wasm: abs(ORT_WASM.wasm.wasm) },
      },
      preferWebGpu: this.options.preferWebGpu ?? true,
      // Every core, the fast tier too. One thread would halve the worker's CPU in the live loop (6 faces, 40 s,
      // twice: 13 % of a core against 26–32 %) and shorten its longest main-thread tasks (50 / 56 ms against 64 /
      // 63), but a warm start to the first label took 2.9 / 2.7 s instead of 1.8 / 1.7 s: with one thread the
      // worker's own thread streams, compiles and lazily compiles the wasm (2026-11-30, 2 cores).
      numThreads: Math.min(4, navigator.hardwareConcurrency || 1),
      ...(lastAdapter ? { lastAdapter } : {}),
    };
  }

  private rejectPending(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }

  /** The first worker never loaded its model: reported as a load failure, not restarted. */
  private failedToStart(e: ClassifierLoadError, rejectLoad: (e: Error) => void): void {
    this.worker.terminate();
    rejectLoad(e);
  }

  /** The worker died after start-up: settle what it owed, then replace it while restarts are left. */
  private crashed(reason: string): void {
    this.worker.terminate();
    this.loaded = false;
    this.rejectPending(new ClassifierStoppedError(`Classification stopped: ${reason}.`));
    this.crashes++;
    if (this.crashes > MAX_RESTARTS) {
      this.stopped = new ClassifierStoppedError(
        `The mask classifier stopped ${this.crashes} times in a row (${reason}) and was not restarted again.`,
      );
      this.events.onStopped?.(this.stopped.message, false);
      return;
    }
    this.events.onStopped?.(reason, true);
    [this.worker, this.loading] = this.start();
  }

  private handle(msg: FromWorker, resolveLoad: (m: ReadyMessage) => void, rejectLoad: (e: Error) => void): void {
    switch (msg.type) {
      case 'progress':
        this.events.onProgress?.(msg.stage, msg.file, msg.loaded, msg.total);
        break;
      case 'ready':
        resolveLoad(msg);
        break;
      case 'backend':
        this.events.onBackendChange?.(msg.backend, msg.reason);
        break;
      case 'result': {
        this.crashes = 0;
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg.probs);
        this.events.onResult?.(msg.ms, msg.backend);
        break;
      }
      case 'error':
        if (msg.stage === 'load') {
          // A restarted worker that cannot load the model again counts as one more crash.
          if (this.everLoaded) this.crashed(`the model could not be loaded again: ${msg.message}`);
          else rejectLoad(new ClassifierLoadError(msg.file, msg.message));
        } else if (msg.requestId !== null) {
          const p = this.pending.get(msg.requestId);
          this.pending.delete(msg.requestId);
          p?.reject(new Error(msg.message));
        }
        break;
    }
  }
}
