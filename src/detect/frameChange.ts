/**
 * How much part of a video frame changed since an earlier frame, from a coarse luminance grid of each (a few
 * hundred cells): the live detector keeps each rotating tile's boxes until the tile runs again, and a tile whose
 * picture has changed since (a face moved on, the scene cut) must not keep showing boxes of what was there.
 */
import type { Box } from '../geometry/box';

/** The grid's width in cells; its height follows the frame's aspect (640×480: 32×24 cells of 20 px). */
export const GRID_COLUMNS = 32;

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
 * Mean absolute luma difference (0–255) between two grids of the same frame size over the cells that `region`
 * (frame pixels) covers; Infinity when the grids do not match (a camera switch).
 */
export function regionChange(before: LumaGrid, after: LumaGrid, region: Box, width: number, height: number): number {
  if (before.columns !== after.columns || before.rows !== after.rows) return Infinity;
  const { columns, rows } = after;
  const c0 = Math.max(0, Math.floor((region.x / width) * columns));
  const c1 = Math.min(columns, Math.ceil(((region.x + region.w) / width) * columns));
  const r0 = Math.max(0, Math.floor((region.y / height) * rows));
  const r1 = Math.min(rows, Math.ceil(((region.y + region.h) / height) * rows));
  let sum = 0;
  let n = 0;
  for (let r = r0; r < r1; r++) {
    for (let c = c0; c < c1; c++) {
      const i = r * columns + c;
      sum += Math.abs(after.luma[i]! - before.luma[i]!);
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}
