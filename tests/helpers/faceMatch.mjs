// Box overlap and one-to-one matching of found faces to annotated ones, shared by the three evaluations:
// photo mode in e2e (tests/e2e/sceneEval.mjs, used by scripts/eval-scenes.mjs) and the detection
// strategies (tests/detect-eval/run.mjs). Boxes are [x, y, w, h] in image pixels.

/** Intersection over union of two [x, y, w, h] boxes. */
export function iou(a, b) {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/** [x, y, w, h] of a {x, y, w, h} box. */
export const xywh = (b) => [b.x, b.y, b.w, b.h];

/**
 * Greedy one-to-one matching; returns, per annotated box, the index of its found box or -1.
 * - `order: 'iou'`: the pairs of highest IoU first (photo mode);
 * - `order: 'score'`: found boxes by descending `scores`, each taking the free annotation it overlaps
 *   most (detection eval, as MediaPipe's evaluation does).
 * A pair counts only when its IoU is at least `minIou`.
 */
export function matchBoxes(truth, found, { minIou = 0.4, order = 'iou', scores = [] } = {}) {
  const byTruth = truth.map(() => -1);
  if (order === 'score') {
    const byScore = found.map((_, j) => j).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
    for (const j of byScore) {
      let best = -1;
      let bestIou = minIou;
      truth.forEach((t, i) => {
        const v = iou(found[j], t);
        if (byTruth[i] < 0 && v >= bestIou) [best, bestIou] = [i, v];
      });
      if (best >= 0) byTruth[best] = j;
    }
    return byTruth;
  }
  const pairs = [];
  truth.forEach((t, i) => found.forEach((f, j) => pairs.push({ i, j, v: iou(t, f) })));
  pairs.sort((a, b) => b.v - a.v);
  const used = new Set();
  for (const p of pairs) {
    if (p.v < minIou) break;
    if (byTruth[p.i] >= 0 || used.has(p.j)) continue;
    byTruth[p.i] = p.j;
    used.add(p.j);
  }
  return byTruth;
}
