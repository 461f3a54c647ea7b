import { describe, expect, it } from 'vitest';
import { placeLabels, type Rect } from './labelPlacement';

const canvas = { width: 600, height: 320 };
const size = { w: 90, h: 20 };
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const apart = (labels: Rect[]) => {
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) expect(overlap(labels[i]!, labels[j]!), `${i} and ${j}`).toBe(false);
};

describe('placeLabels', () => {
  it('puts a lone label above its box', () => {
    expect(placeLabels([{ x: 100, y: 100, w: 60, h: 60 }], [size], canvas)).toEqual([{ x: 100, y: 80, w: 90, h: 20 }]);
  });

  it('moves a label below its box when the box touches the top edge', () => {
    expect(placeLabels([{ x: 100, y: 5, w: 60, h: 60 }], [size], canvas)[0]).toEqual({ x: 100, y: 65, w: 90, h: 20 });
  });

  it('keeps labels of neighbouring faces in a crowd apart', () => {
    // Faces side by side, as in the crowd of a 6-face Kaggle photo at 600 px.
    const boxes = [
      { x: 340, y: 66, w: 40, h: 45 },
      { x: 375, y: 65, w: 31, h: 31 },
      { x: 434, y: 65, w: 43, h: 43 },
      { x: 475, y: 76, w: 59, h: 59 },
      { x: 300, y: 70, w: 35, h: 35 },
    ];
    const labels = placeLabels(
      boxes,
      boxes.map(() => size),
      canvas,
    );
    apart(labels);
    expect(labels[0]).toEqual({ x: 340, y: 46, w: 90, h: 20 });
  });

  it('a row of faces at the top edge: labels below or inside, still apart and on the canvas', () => {
    const boxes = [0, 1, 2, 3].map((i) => ({ x: 50 + i * 70, y: 2, w: 60, h: 60 }));
    const labels = placeLabels(
      boxes,
      boxes.map(() => size),
      canvas,
    );
    apart(labels);
    for (const l of labels) expect(l.y).toBeGreaterThanOrEqual(0);
  });

  it('stays on the canvas at its right edge', () => {
    expect(placeLabels([{ x: 580, y: 100, w: 20, h: 20 }], [size], canvas)[0]!.x).toBe(510);
  });
});
