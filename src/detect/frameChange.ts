/**
 * Whether the picture under part of a video frame is still what it was in an earlier frame, from a coarse luma
 * grid of each: the live detector keeps each rotating tile's boxes until the tile runs again, and a box whose face
 * has gone since (walked out, the scene cut) must not stay on screen and become a person of its own. A face that
 * only moved a little is still there: the comparison takes the best of small shifts.
 */
import type { Box } from '../geometry/box';

/** The grid's width in cells; its height follows the frame's aspect (640×480: 64×48 cells of 10 px). */
export const GRID_COLUMNS = 64;

export interface LumaGrid {
  columns: number;
  rows: number;
  /** Rec. 601 luma per cell, row by row. */
  luma: Uint8Array;
}

export function gridRows(width: number, height: number): number {
  return Math.max(1, Math.round((GRID_COLUMNS * height) / width));
}

/** The grid of RGBA pixels `columns` x `rows` (the frame drawn down to one pixel per cell). */
export function lumaGrid(rgba: Uint8ClampedArray, columns: number, rows: number): LumaGrid {
  const luma = new Uint8Array(columns * rows);
  for (let i = 0; i < luma.length; i++) {
    const o = i * 4;
    luma[i] = Math.round(0.299 * rgba[o]! + 0.587 * rgba[o + 1]! + 0.114 * rgba[o + 2]!);
  }
  return { columns, rows, luma };
}

/**
 * Mean absolute luma difference (0–255) between the cells that `region` (frame pixels) covers in `before` and the
 * same cells shifted by up to `maxShift` cells each way in `after`, for the best shift; Infinity when the grids do
 * not match (a camera switch).
 */
export function regionChange(
  before: LumaGrid,
  after: LumaGrid,
  region: Box,
  width: number,
  height: number,
  maxShift = 0,
): number {
  if (before.columns !== after.columns || before.rows !== after.rows) return Infinity;
  const { columns, rows } = after;
  const c0 = Math.max(0, Math.floor((region.x / width) * columns));
  const c1 = Math.min(columns, Math.ceil(((region.x + region.w) / width) * columns));
  const r0 = Math.max(0, Math.floor((region.y / height) * rows));
  const r1 = Math.min(rows, Math.ceil(((region.y + region.h) / height) * rows));
  if (c1 <= c0 || r1 <= r0) return 0;
  let best = Infinity;
  for (let dy = -maxShift; dy <= maxShift; dy++) {
    for (let dx = -maxShift; dx <= maxShift; dx++) {
      // A shift that would move the region off the grid is not tried.
      if (c0 + dx < 0 || c1 + dx > columns || r0 + dy < 0 || r1 + dy > rows) continue;
      let sum = 0;
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++)
          sum += Math.abs(after.luma[(r + dy) * columns + c + dx]! - before.luma[r * columns + c]!);
      }
      best = Math.min(best, sum / ((r1 - r0) * (c1 - c0)));
    }
  }
  return best;
}
