// Where each face's label goes on a photo or the live overlay. Labels all drawn above their boxes ran into each
// other in a crowd ("Incorrect 96%" half hidden by its neighbour's label on a 6-face Kaggle photo at 412 px), so
// each label takes the first of a few spots around its box that no label already placed overlaps.
import { intersectionArea, type Box } from '../../geometry/box';

/** A label's rectangle on the canvas. */
export type Rect = Box;

/**
 * Label rectangles for `boxes` (same order), each `sizes[i]` big and on the canvas. Spots, in order: above the
 * box (left-aligned, then right-aligned), below it, inside its top edge. The first spot that overlaps no placed
 * label and needs no move to stay on the canvas wins; failing that, the one with the least overlap. Placed in the
 * boxes' order, so earlier faces keep the usual spot.
 */
export function placeLabels(
  boxes: readonly Rect[],
  sizes: readonly { w: number; h: number }[],
  canvas: { width: number; height: number },
): Rect[] {
  const placed: Rect[] = [];
  boxes.forEach((box, i) => {
    const { w, h } = sizes[i] ?? { w: 0, h: 0 };
    const xs = [box.x, box.x + box.w - w];
    const ys = [box.y - h, box.y + box.h, box.y];
    let best: Rect | null = null;
    let bestCost = Infinity;
    for (const [x, y] of ys.flatMap((y) => xs.map((x) => [x, y] as const))) {
      const spot = {
        x: Math.max(0, Math.min(x, canvas.width - w)),
        y: Math.max(0, Math.min(y, canvas.height - h)),
        w,
        h,
      };
      // Overlap costs more than a move that keeps the label on the canvas (a box at its top edge).
      const cost = placed.reduce((sum, p) => sum + intersectionArea(p, spot), 0) * 2 + (spot.y !== y ? 1 : 0);
      if (cost < bestCost) [best, bestCost] = [spot, cost];
      if (cost === 0) break;
    }
    placed.push(best ?? { x: box.x, y: box.y, w, h });
  });
  return placed;
}
