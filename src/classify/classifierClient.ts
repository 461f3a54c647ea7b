// The page's side of the classifier worker: starts it, forwards load progress and backend changes,
// and turns classify requests into promises. Callers check `busy` so the page never waits on it.
import type { Backend, FromWorker, ReadyMessage, ToWorker } from './protocol';
import { isFromWorker } from './protocol';
import { CLASSIFIER_MODEL, ORT_WASM } from '../servedFiles';

export interface ClassifierEvents {
  onProgress?(stage: 'download' | 'compile', file: string, loaded: number, total: number | null): void;
  onBackendChange?(backend: Backend, reason: string): void;
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

interface Pending {
  resolve(probs: Float32Array): void;
  reject(e: Error): void;
}

export class ClassifierClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  readonly ready: Promise<ReadyMessage>;
  backend: Backend | null = null;
  lastMs = 0;

  constructor(events: ClassifierEvents = {}, options: { preferWebGpu?: boolean } = {}) {
    this.worker = new Worker(new URL('../../workers/classifier.worker.ts', import.meta.url), { type: 'module' });
    this.ready = new Promise<ReadyMessage>((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<unknown>) => {
        const msg = e.data;
        if (isFromWorker(msg)) this.handle(msg, events, resolve, reject);
      };
      this.worker.onerror = (e) => reject(new ClassifierLoadError(null, `classifier worker failed to start: ${e.message}`));
    });
    const base = document.baseURI;
    const abs = (p: string) => new URL(p, base).href;
    this.send({
      type: 'init',
      modelUrl: abs(CLASSIFIER_MODEL.model),
      sidecarUrl: abs(CLASSIFIER_MODEL.sidecar),
      wasmPaths: { mjs: abs(ORT_WASM.mjs), wasm: abs(ORT_WASM.wasm) },
      preferWebGpu: options.preferWebGpu ?? true,
      numThreads: Math.min(4, navigator.hardwareConcurrency || 1),
    });
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Classifies `count` RGBA crops (size x size each, back to back); resolves with count x 3 probabilities. */
  classify(rgba: ArrayBuffer, size: number, count: number): Promise<Float32Array> {
    const id = this.nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'classify', id, size, count, rgba }, [rgba]);
    });
  }

  private send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private handle(
    msg: FromWorker,
    events: ClassifierEvents,
    resolveReady: (m: ReadyMessage) => void,
    rejectReady: (e: Error) => void,
  ): void {
    switch (msg.type) {
      case 'progress':
        events.onProgress?.(msg.stage, msg.file, msg.loaded, msg.total);
        break;
      case 'ready':
        this.backend = msg.backend;
        resolveReady(msg);
        break;
      case 'backend':
        this.backend = msg.backend;
        events.onBackendChange?.(msg.backend, msg.reason);
        break;
      case 'result': {
        this.lastMs = msg.ms;
        this.backend = msg.backend;
        this.pending.get(msg.id)?.resolve(msg.probs);
        this.pending.delete(msg.id);
        break;
      }
      case 'error':
        if (msg.stage === 'load') {
          rejectReady(new ClassifierLoadError(msg.file, msg.message));
        } else if (msg.requestId !== null) {
          this.pending.get(msg.requestId)?.reject(new Error(msg.message));
          this.pending.delete(msg.requestId);
        }
        break;
    }
  }
}
