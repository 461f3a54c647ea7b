// The one message protocol between the main thread and the classifier worker. Both sides import it.
import { CLASS_NAMES, type MaskClass } from './classes';
import { isModelChoice, type ModelChoice, type ModelTier } from './modelChoice';

export type { ModelChoice, ModelTier } from './modelChoice';

export type Backend = 'webgpu' | 'wasm';

/** Model description read from the sidecar JSON that training/export.py writes beside the model. */
export interface ModelSidecar {
  id: string;
  version: string;
  file: string;
  sha256: string;
  bytes: number;
  input: { name: string; shape: [null, 3, number, number]; layout: 'NCHW'; range: [number, number] };
  output: { name: string; softmax: boolean };
  classes: MaskClass[];
  /** Which of the deployed classifiers this is (absent in sidecars older than the fast tier). */
  tier?: ModelTier;
}

/** Absolute URLs: the worker's own URL is not the page's, so relative ones would resolve wrongly. */
export interface ModelUrls {
  modelUrl: string;
  sidecarUrl: string;
}

export interface InitRequest {
  type: 'init';
  /** Both tiers' files; the worker downloads only what `choice` (and, in auto, the warm-up) needs. */
  models: Record<ModelTier, ModelUrls>;
  choice: ModelChoice;
  /** ORT's wasm builds (src/servedFiles.ts ORT_WASM): the worker loads the one its backend needs. */
  wasmPaths: Record<'webgpu' | 'wasm', { mjs: string; wasm: string }>;
  preferWebGpu: boolean;
  numThreads: number;
  /**
   * What the previous start found when it asked for a WebGPU adapter (the page remembers it; absent: not
   * known). After 'none' the worker starts the plain WASM runtime while it asks again, instead of after.
   */
  lastAdapter?: AdapterFound;
}

/** Whether a start's WebGPU adapter request found one. */
export type AdapterFound = 'found' | 'none';

/** A batch of face crops, RGBA bytes of size x size each, back to back (transferred, not copied). */
export interface ClassifyRequest {
  type: 'classify';
  id: number;
  size: number;
  count: number;
  rgba: ArrayBuffer;
}

export type ToWorker = InitRequest | ClassifyRequest;

export interface ProgressMessage {
  type: 'progress';
  stage: 'download' | 'compile';
  file: string;
  loaded: number;
  total: number | null;
}

export interface ReadyMessage {
  type: 'ready';
  backend: Backend;
  /** Why WebGPU was not used, when it was preferred. */
  fallbackReason: string | null;
  model: { id: string; version: string; inputSize: number; tier: ModelTier };
  /** Why this model: chosen in settings, or what auto measured or lacked (e.g. `auto: no WebGPU adapter`). */
  modelReason: string;
  threads: number;
  /** What this start's adapter request found; null when it asked for none (WebGPU turned off in settings). */
  adapter: AdapterFound | null;
}

export interface ResultMessage {
  type: 'result';
  id: number;
  /** count x 3 probabilities in CLASS_NAMES order. */
  probs: Float32Array;
  ms: number;
  backend: Backend;
}

export interface ErrorMessage {
  type: 'error';
  stage: 'load' | 'classify';
  /** The file at fault, when one is (a missing or corrupt model). */
  file: string | null;
  message: string;
  requestId: number | null;
}

/** The backend changed at run time (e.g. the WebGPU device was lost and the worker moved to WASM). */
export interface BackendChangedMessage {
  type: 'backend';
  backend: Backend;
  reason: string;
}

export type FromWorker = ProgressMessage | ReadyMessage | ResultMessage | ErrorMessage | BackendChangedMessage;

export function isFromWorker(value: unknown): value is FromWorker {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'progress' || t === 'ready' || t === 'result' || t === 'error' || t === 'backend';
}

export function isToWorker(value: unknown): value is ToWorker {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type === 'init')
    return (
      isModelChoice(v.choice) &&
      isUrls(v.models, 'accurate') &&
      isUrls(v.models, 'fast') &&
      (v.lastAdapter === undefined || v.lastAdapter === 'found' || v.lastAdapter === 'none')
    );
  if (v.type === 'classify') {
    const { id, size, count, rgba } = v;
    return (
      typeof id === 'number' &&
      typeof size === 'number' &&
      typeof count === 'number' &&
      rgba instanceof ArrayBuffer &&
      rgba.byteLength === size * size * 4 * count
    );
  }
  return false;
}

const WORKER_NAME = 'maskgate-classifier ';

/**
 * The worker's name, which carries its init request. A message posted to a worker that is still starting is
 * forwarded by a main-thread task, and at start-up the main thread is busy compiling MediaPipe's wasm: the
 * init request arrived 150–200 ms after the worker's script had run (warm start, 2026-11-30). The name is
 * there as soon as the script runs.
 */
export function workerName(init: InitRequest): string {
  return WORKER_NAME + JSON.stringify(init);
}

/** The init request in a worker's name (workerName), or null when it carries none. */
export function initFromWorkerName(name: string): InitRequest | null {
  if (!name.startsWith(WORKER_NAME)) return null;
  try {
    const value: unknown = JSON.parse(name.slice(WORKER_NAME.length));
    return isToWorker(value) && value.type === 'init' ? value : null;
  } catch {
    return null;
  }
}

function isUrls(models: unknown, tier: ModelTier): boolean {
  if (typeof models !== 'object' || models === null) return false;
  const m = (models as Record<string, unknown>)[tier];
  if (typeof m !== 'object' || m === null) return false;
  const u = m as Record<string, unknown>;
  return typeof u.modelUrl === 'string' && typeof u.sidecarUrl === 'string';
}

/** Checks a parsed sidecar JSON; returns an error message or null. */
export function validateSidecar(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'sidecar is not a JSON object';
  const s = value as Partial<ModelSidecar>;
  if (typeof s.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(s.sha256)) return 'sidecar has no valid sha256';
  if (typeof s.id !== 'string' || typeof s.version !== 'string') return 'sidecar has no model id/version';
  const shape = s.input?.shape;
  if (
    !Array.isArray(shape) ||
    shape.length !== 4 ||
    shape[1] !== 3 ||
    typeof shape[2] !== 'number' ||
    shape[2] !== shape[3]
  ) {
    return 'sidecar input shape must be [N, 3, S, S]';
  }
  if (s.input?.layout !== 'NCHW') return 'sidecar input layout must be NCHW';
  if (typeof s.input.name !== 'string' || typeof s.output?.name !== 'string') return 'sidecar lacks tensor names';
  const classes = s.classes;
  if (!Array.isArray(classes) || classes.join(',') !== CLASS_NAMES.join(',')) {
    return `sidecar classes must be ${CLASS_NAMES.join(', ')} in that order`;
  }
  return null;
}
