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
    expect(gridRows(640, 480)).toBe(48);
    expect(gridRows(1280, 720)).toBe(36);
    expect(gridRows(480, 640)).toBe(85);
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

  it('finds a region that moved by up to maxShift cells, not one that went', () => {
    // A bright 2 x 2 "face" on a dark 8 x 8 grid (frame 80 x 80 px, 10 px cells) moves one cell right and one down.
    const face = (col: number, row: number) => {
      const g = flat(8, 8, 20);
      for (const [c, r] of [
        [col, row],
        [col + 1, row],
        [col, row + 1],
        [col + 1, row + 1],
      ])
        g.luma[r! * 8 + c!] = 200;
      return g;
    };
    const before = face(2, 2);
    const box = { x: 20, y: 20, w: 20, h: 20 };
    expect(regionChange(before, face(3, 3), box, 80, 80)).toBe(135);
    expect(regionChange(before, face(3, 3), box, 80, 80, 1)).toBe(0);
    // Two cells away is beyond a shift of 1, within a shift of 2.
    expect(regionChange(before, face(4, 2), box, 80, 80, 1)).toBe(90);
    expect(regionChange(before, face(4, 2), box, 80, 80, 2)).toBe(0);
    // Gone: no shift brings it back.
    expect(regionChange(before, flat(8, 8, 20), box, 80, 80, 2)).toBe(180);
    // At the grid's edge, only the shifts that stay on the grid are tried.
    const corner = { x: 0, y: 0, w: 20, h: 20 };
    expect(regionChange(face(0, 0), face(1, 0), corner, 80, 80, 1)).toBe(0);
  });

  it('calls grids of different frame shapes wholly changed', () => {
    expect(regionChange(flat(4, 2, 0), flat(4, 3, 0), { x: 0, y: 0, w: 10, h: 10 }, 400, 200)).toBe(Infinity);
  });
});
