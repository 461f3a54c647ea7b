// Crop geometry, identical to the training crops (see models/MODEL_CARD.md): the face box squared on
// its longer side, plus 15 % of that side as margin on each side, clipped to the image.

import type { Box } from '../geometry/box';

export const CROP_MARGIN = 0.15;

export function faceCropRect(box: Box, imageWidth: number, imageHeight: number, margin = CROP_MARGIN): Box {
  const side = Math.max(box.w, box.h);
  const padded = side * (1 + 2 * margin);
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const x0 = Math.max(0, Math.round(cx - padded / 2));
  const y0 = Math.max(0, Math.round(cy - padded / 2));
  const x1 = Math.min(imageWidth, Math.round(cx + padded / 2));
  const y1 = Math.min(imageHeight, Math.round(cy + padded / 2));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}
