import { describe, expect, it } from 'vitest';
import { iou as boxIou } from '../../src/geometry/box';
import { iou, matchBoxes, xywh } from './faceMatch.mjs';

describe('eval face matching', () => {
  it('computes the same IoU as the app', () => {
    const a = { x: 10, y: 20, w: 40, h: 50 };
    const b = { x: 30, y: 10, w: 60, h: 45 };
    expect(iou(xywh(a), xywh(b))).toBeCloseTo(boxIou(a, b), 12);
    expect(iou([0, 0, 10, 10], [20, 20, 5, 5])).toBe(0);
  });

  it('matches one to one, best overlap first, above the IoU floor', () => {
    const truth = [
      [0, 0, 10, 10],
      [100, 100, 10, 10],
      [200, 0, 10, 10],
    ];
    const found = [
      [1, 0, 10, 10],
      [0, 1, 10, 10],
      [102, 100, 10, 10],
    ];
    expect(matchBoxes(truth, found)).toEqual([0, 2, -1]);
    expect(matchBoxes(truth, found, { minIou: 0.9 })).toEqual([-1, -1, -1]);
  });

  it('in score order, a higher-scored box takes the annotation first', () => {
    const truth = [[0, 0, 10, 10]];
    const found = [
      [0, 0, 10, 10],
      [1, 0, 10, 10],
    ];
    expect(matchBoxes(truth, found, { order: 'iou' })).toEqual([0]);
    expect(matchBoxes(truth, found, { order: 'score', scores: [0.5, 0.9] })).toEqual([1]);
  });
});
