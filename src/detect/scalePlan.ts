/**
 * Which regions of a frame the face model runs on, chosen from the frame size and the model's input size so
 * that every face from `minFace` px up to the whole frame is seen, in at least one region, at a face-to-region
 * ratio the model handles.
 *
 * A region of side S is scaled to the model's square input, so a face of f px fills 1/k of it with k = S / f.
 * tests/detect-eval/probe.mjs measures recall against k: short range (128 px input) finds >= 92 % of faces
 * for k in 1.5..4 and 87 % at k = 5, then falls off (16 px in the input, k = 8: 27 %); full range (192 px) is
 * flatter and lower, 82-88 % for k in 3..8.
 *
 * Levels: tiles of S0 = minFace * kMax, then S0 * factor, S0 * factor^2, ... and finally the whole frame
 * (letterboxed). Each level's tiles overlap by S / kMin (kMin = kMax / factor), so every face of that level's
 * band [S / kMax, S / kMin] lies whole inside some tile; larger faces belong to a coarser level.
 */
import type { Box } from '../geometry/box';

export interface ScalePlanParams {
  /** Smallest face (px, source image) the plan must cover. */
  minFace: number;
  /** Largest region-to-face ratio used (the finest tiles are minFace * kMax). */
  kMax: number;
  /** Ratio between the tile sides of consecutive levels (>= 1.2). */
  factor: number;
  /** If the plan needs more regions than this, minFace is raised until it fits. */
  maxRegions: number;
}

export interface PlannedRegion extends Box {
  /** 0 = finest tiles; the whole frame has the highest level. */
  level: number;
  /** True when the region is the whole frame. */
  whole: boolean;
}

/** Evenly spread starts of windows of `side` over `length`, consecutive windows overlapping by >= `overlapPx`. */
export function windowStarts(length: number, side: number, overlapPx: number): number[] {
  if (side >= length) return [0];
  const stride = Math.max(1, side - overlapPx);
  const count = Math.ceil((length - side) / stride) + 1;
  return Array.from({ length: count }, (_, i) => (i * (length - side)) / (count - 1));
}

function planFor(width: number, height: number, minFace: number, kMax: number, factor: number): PlannedRegion[] {
  const longSide = Math.max(width, height);
  const shortSide = Math.min(width, height);
  const kMin = kMax / factor;
  const out: PlannedRegion[] = [];
  let level = 0;
  // A tile level only pays while its side is clearly below the whole frame's.
  for (let side = minFace * kMax; side * Math.sqrt(factor) < longSide; side *= factor, level++) {
    const s = Math.min(side, shortSide);
    const overlap = side / kMin;
    for (const y of windowStarts(height, s, overlap)) {
      for (const x of windowStarts(width, s, overlap)) out.push({ x, y, w: s, h: s, level, whole: false });
    }
  }
  out.push({ x: 0, y: 0, w: width, h: height, level, whole: true });
  return out;
}

/** The regions to run for a frame of width x height (tiles first, whole frame last). */
export function scalePlan(width: number, height: number, p: ScalePlanParams): PlannedRegion[] {
  if (!(p.kMax > 0) || !(p.factor >= 1.2) || !(p.minFace > 0))
    throw new Error(`invalid scale plan ${JSON.stringify(p)}`);
  let minFace = p.minFace;
  for (;;) {
    const plan = planFor(width, height, minFace, p.kMax, p.factor);
    if (plan.length <= Math.max(1, p.maxRegions)) return plan;
    minFace *= 1.19;
  }
}
