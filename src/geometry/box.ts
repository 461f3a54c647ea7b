// Box geometry shared by detection, tracking and cropping.
/** Axis-aligned box in pixels, top-left origin. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A box with the detector's confidence (0..1): what face detection returns and tracking consumes. */
export interface ScoredBox extends Box {
  score: number;
}

/** Area of the overlap of two boxes (0 when apart). */
export function intersectionArea(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return ix * iy;
}

export function iou(a: Box, b: Box): number {
  const inter = intersectionArea(a, b);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export function centreDistance(a: Box, b: Box): number {
  return Math.hypot(a.x + a.w / 2 - (b.x + b.w / 2), a.y + a.h / 2 - (b.y + b.h / 2));
}
