// Which classifier a device runs: the accurate VGG16 when WebGPU runs it fast enough, the fast
// MobileNetV3-small otherwise, unless the user chose one in settings. Pure: the worker measures, this
// decides, so the rule is tested without a GPU.

/** The two deployed classifiers (the keys of CLASSIFIER_MODELS in src/servedFiles.ts). */
export type ModelTier = 'accurate' | 'fast';
/** The user's setting: `auto` lets the device's measured speed decide. */
export type ModelChoice = 'auto' | ModelTier;

export const MODEL_CHOICES: readonly ModelChoice[] = ['auto', 'accurate', 'fast'];

export function isModelChoice(value: unknown): value is ModelChoice {
  return value === 'auto' || value === 'accurate' || value === 'fast';
}

/**
 * The accurate model is kept only if its median WebGPU run on one face takes at most this long. A person
 * is at the door for 2–3 s and should see a label within 500 ms of appearing; a new face may wait behind
 * the batch in flight, and a batch holds up to 6 faces, so one face must cost well under 500 / (6 + 1)
 * ≈ 70 ms. 50 ms leaves room for cropping, messaging and a slower frame. The VGG16 in WASM takes 523 ms
 * per face (2 threads), an order of magnitude over; the fast tier 5.1 ms alone, 4.6 ms per face in a
 * batch of 4, once V8 has optimised it (its first run ~200 ms; `npm run bench`, 2026-11-30T22:38).
 */
export const ACCURATE_MAX_MS_PER_FACE = 50;
/** Timed warm-up runs (after one untimed run, which compiles the shaders). */
export const WARMUP_RUNS = 3;
/**
 * The untimed first run (shader compilation included) may take this long; longer, and the GPU is not
 * worth timing further (SwiftShader, a software WebGPU, takes ~90 s for the VGG16's first run).
 */
export const FIRST_RUN_MAX_MS = 5000;

/** Whether the warm-up can stop: the first run was far too slow, or the median is already settled. */
export function probeDone(firstRunMs: number, runMs: readonly number[]): boolean {
  if (!(firstRunMs <= FIRST_RUN_MAX_MS)) return true;
  const over = runMs.filter((ms) => !(ms <= ACCURATE_MAX_MS_PER_FACE)).length;
  const majority = Math.floor(WARMUP_RUNS / 2) + 1;
  return runMs.length >= WARMUP_RUNS || over >= majority || runMs.length - over >= majority;
}

/** What the worker must do first: load a tier outright, or time the accurate one on WebGPU. */
export type ModelPlan = { kind: 'load'; tier: ModelTier; reason: string } | { kind: 'probe-accurate' };

/**
 * @param webGpuUnavailable why WebGPU cannot be used (no adapter, turned off in settings), or null when
 *   an adapter exists.
 */
export function planModel(choice: ModelChoice, webGpuUnavailable: string | null): ModelPlan {
  if (choice === 'accurate') return { kind: 'load', tier: 'accurate', reason: 'chosen in settings' };
  if (choice === 'fast') return { kind: 'load', tier: 'fast', reason: 'chosen in settings' };
  if (webGpuUnavailable !== null) return { kind: 'load', tier: 'fast', reason: `auto: ${webGpuUnavailable}` };
  return { kind: 'probe-accurate' };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The tier auto mode keeps after timing the accurate model on WebGPU (ms per run, batch of one). */
export function decideAfterProbe(runMs: readonly number[], firstRunMs = 0): { tier: ModelTier; reason: string } {
  if (!(firstRunMs <= FIRST_RUN_MAX_MS)) {
    return {
      tier: 'fast',
      reason: `auto: accurate model too slow (first WebGPU run ${(firstRunMs / 1000).toFixed(0)} s, limit ${FIRST_RUN_MAX_MS / 1000} s)`,
    };
  }
  const m = median(runMs);
  const measured = `${Number.isFinite(m) ? m.toFixed(0) : '?'} ms per face on WebGPU`;
  if (Number.isFinite(m) && m <= ACCURATE_MAX_MS_PER_FACE) {
    return { tier: 'accurate', reason: `auto: accurate model at ${measured}` };
  }
  return { tier: 'fast', reason: `auto: accurate model too slow (${measured}, limit ${ACCURATE_MAX_MS_PER_FACE})` };
}
