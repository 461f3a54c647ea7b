// Messages between the bench page and its classifier worker.
export interface ClassifierJob {
  modelUrl: string;
  wasmPaths: { mjs: string; wasm: string };
  backend: 'wasm' | 'webgpu';
  threads: number;
  batches: number[];
  /** Untimed runs per batch size: at least `warmup`, and until `warmupMs` has passed (wasm tier-up, below). */
  warmup: number;
  warmupMs: number;
  runs: number;
  /** Stop adding runs to a batch size once this much time has passed. */
  capMs: number;
  /** The worker is stopped after this long, mid-run if need be, and the runs so far are kept. */
  timeoutMs: number;
}

export interface ClassifierResult {
  backend: 'wasm' | 'webgpu';
  threads: number;
  fallbackReason: string | null;
  fetchMs: number;
  createMs: number;
  /** `firstMs`: the batch size's first run, the cost a cold start pays. */
  batches: { batch: number; firstMs: number | null; times: number[] }[];
  timedOut: boolean;
}

export type FromClassifierWorker = { done: boolean; result: ClassifierResult } | { error: string };

export interface DetectJob {
  model: 'short' | 'full';
  /** A photo (data URL) drawn into a 640x480 canvas, panned a little each frame. */
  photo: string;
  warmup: number;
  frames: number;
}

export interface DetectResult {
  model: 'short' | 'full';
  createMs: number;
  times: number[];
  faces: number[];
}
