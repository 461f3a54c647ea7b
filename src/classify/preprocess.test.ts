import { describe, expect, it } from 'vitest';
import { rgbaToNchw } from './preprocess';

describe('rgbaToNchw', () => {
  it('splits RGBA into R, G and B planes scaled to [0, 1], dropping alpha', () => {
    // Two 2x2 crops; pixel i of crop n has R = 10n + i, G = 100 + i, B = 255, A = 7.
    const size = 2;
    const rgba = new Uint8Array(2 * size * size * 4);
    for (let n = 0; n < 2; n++) {
      for (let i = 0; i < 4; i++) rgba.set([10 * n + i, 100 + i, 255, 7], (n * 4 + i) * 4);
    }
    const t = rgbaToNchw(rgba, size, 2);
    expect(t.length).toBe(2 * 3 * 4);
    const at = (n: number, c: number, i: number) => t[n * 12 + c * 4 + i]!;
    expect(at(0, 0, 3)).toBeCloseTo(3 / 255);
    expect(at(1, 0, 2)).toBeCloseTo(12 / 255);
    expect(at(1, 1, 1)).toBeCloseTo(101 / 255);
    expect(at(0, 2, 0)).toBe(1);
    expect(Math.max(...t)).toBeLessThanOrEqual(1);
    expect(t.includes(7 / 255)).toBe(false);
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => rgbaToNchw(new Uint8Array(10), 2, 1)).toThrow(RangeError);
  });
});
