import { describe, expect, it } from 'vitest';
import { gridRows, lumaGrid, regionChange, type LumaGrid } from './frameChange';

/** A grid of `columns` x `rows` cells, all of luma `value`. */
const flat = (columns: number, rows: number, value: number): LumaGrid => ({
  columns,
  rows,
  luma: new Uint8Array(columns * rows).fill(value),
});

describe('frame change grid', () => {
  it('keeps the frame aspect in its rows', () => {
    expect(gridRows(640, 480)).toBe(24);
    expect(gridRows(1280, 720)).toBe(18);
    expect(gridRows(480, 640)).toBe(43);
  });

  it('reads Rec. 601 luma from RGBA pixels', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 200, 200, 200, 255]);
    expect([...lumaGrid(rgba, 2, 2).luma]).toEqual([76, 150, 29, 200]);
  });

  it('measures the change inside a region only', () => {
    const before = flat(4, 2, 100);
    const after = flat(4, 2, 100);
    // The right half of a 400 x 200 frame darkens by 40.
    for (const i of [2, 3, 6, 7]) after.luma[i] = 60;
    expect(regionChange(before, after, { x: 0, y: 0, w: 200, h: 200 }, 400, 200)).toBe(0);
    expect(regionChange(before, after, { x: 200, y: 0, w: 200, h: 200 }, 400, 200)).toBe(40);
    // Half its cells changed.
    expect(regionChange(before, after, { x: 100, y: 0, w: 200, h: 100 }, 400, 200)).toBe(20);
    // A region partly outside the frame counts only the cells inside it.
    expect(regionChange(before, after, { x: 300, y: -50, w: 200, h: 500 }, 400, 200)).toBe(40);
  });

  it('calls grids of different frame shapes wholly changed', () => {
    expect(regionChange(flat(4, 2, 0), flat(4, 3, 0), { x: 0, y: 0, w: 10, h: 10 }, 400, 200)).toBe(Infinity);
  });
});
