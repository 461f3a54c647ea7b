import { describe, expect, it } from 'vitest';
import { iou } from '../geometry/box';
import { faceCropRect } from './crop';

describe('faceCropRect', () => {
  it('squares the box on its longer side and adds 15 % of that side on each side', () => {
    // 40 wide, 60 tall, centred at (120, 130): side 60, padded to 78.
    expect(faceCropRect({ x: 100, y: 100, w: 40, h: 60 }, 640, 480)).toEqual({ x: 81, y: 91, w: 78, h: 78 });
  });

  it('clips to the image instead of padding, like the training crops', () => {
    const r = faceCropRect({ x: 0, y: 5, w: 50, h: 50 }, 640, 480);
    expect(r.x).toBe(0);
    expect(r.y).toBe(0);
    expect(r.w).toBe(Math.round(25 + 32.5));
    expect(r.h).toBe(Math.round(30 + 32.5));
  });

  it('never leaves the image, even for a box partly outside it', () => {
    const r = faceCropRect({ x: 600, y: 450, w: 80, h: 80 }, 640, 480);
    expect(r.x + r.w).toBeLessThanOrEqual(640);
    expect(r.y + r.h).toBeLessThanOrEqual(480);
    expect(r.w).toBeGreaterThan(0);
  });

  it('uses the given margin', () => {
    expect(faceCropRect({ x: 100, y: 100, w: 100, h: 100 }, 1000, 1000, 0)).toEqual({ x: 100, y: 100, w: 100, h: 100 });
  });
});

describe('iou', () => {
  it('is 1 for the same box, 0 for disjoint boxes, and symmetric', () => {
    const a = { x: 0, y: 0, w: 10, h: 10 };
    expect(iou(a, a)).toBe(1);
    expect(iou(a, { x: 20, y: 0, w: 10, h: 10 })).toBe(0);
    const b = { x: 5, y: 0, w: 10, h: 10 };
    expect(iou(a, b)).toBeCloseTo(50 / 150);
    expect(iou(b, a)).toBe(iou(a, b));
  });
});
