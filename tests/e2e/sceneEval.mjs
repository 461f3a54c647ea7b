// Photo-mode accuracy against annotated scenes: upload each photo to the running app, read the results
// list (data-box / data-label), match faces to annotations greedily by IoU, and count, for annotated
// faces of at least `minSide` px, how many were found and how many of those were classified right.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFaces } from './harness.mjs';

export const MIN_SIDE = 40;
export const MIN_IOU = 0.4;

export function loadScenes(dir) {
  return JSON.parse(readFileSync(join(dir, 'annotations.json'), 'utf8')).images.map((im) => ({ ...im, path: join(dir, im.file) }));
}

export function iou(a, b) {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy one-to-one matching by IoU; returns per annotated object the matched face or null. */
export function matchFaces(objects, faces, minIou = MIN_IOU) {
  const pairs = [];
  objects.forEach((o, i) => faces.forEach((f, j) => pairs.push({ i, j, v: iou(o.bbox, f.box) })));
  pairs.sort((a, b) => b.v - a.v);
  const used = new Set();
  const matched = objects.map(() => null);
  for (const p of pairs) {
    if (p.v < minIou) break;
    if (matched[p.i] || used.has(p.j)) continue;
    matched[p.i] = faces[p.j];
    used.add(p.j);
  }
  return matched;
}

/** Runs photo mode on every scene (the page must be on the Photos screen with models loaded). */
export async function evaluateScenes(page, scenes, { onImage } = {}) {
  const totals = { faces: 0, found: 0, correctClass: 0, falsePositives: 0, images: 0, perClass: {} };
  for (const scene of scenes) {
    await page.locator('[data-testid="photo-input"]').setInputFiles(scene.path);
    const card = page.locator(`[data-testid="photo-result"][data-name="${scene.file}"]`).first();
    await card.locator(':scope[data-status="done"], :scope[data-status="error"]').waitFor({ timeout: 120_000 });
    if ((await card.getAttribute('data-status')) === 'error') throw new Error(`${scene.file}: ${await card.innerText()}`);
    const faces = await readFaces(card);
    const matched = matchFaces(scene.objects, faces);
    const matchedAll = new Set(matched.filter(Boolean));
    totals.falsePositives += faces.filter((f) => !matchedAll.has(f)).length;
    totals.images++;
    scene.objects.forEach((o, i) => {
      if (Math.min(o.bbox[2], o.bbox[3]) < MIN_SIDE) return;
      const c = (totals.perClass[o.class] ??= { faces: 0, found: 0, correctClass: 0 });
      totals.faces++;
      c.faces++;
      const f = matched[i];
      if (!f) return;
      totals.found++;
      c.found++;
      if (f.label === o.class) {
        totals.correctClass++;
        c.correctClass++;
      }
    });
    onImage?.(scene.file, faces, matched);
    await page.getByRole('button', { name: 'Clear results' }).click();
  }
  return {
    ...totals,
    recall: totals.faces ? totals.found / totals.faces : 0,
    accuracy: totals.found ? totals.correctClass / totals.found : 0,
  };
}

export function formatEvaluation(r) {
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const lines = [
    `faces >= ${MIN_SIDE} px: ${r.faces} in ${r.images} photos`,
    `found (IoU >= ${MIN_IOU}): ${r.found}/${r.faces} = ${pct(r.recall)}`,
    `classified right among found: ${r.correctClass}/${r.found} = ${pct(r.accuracy)}`,
    `unmatched detections (false positives or boxes off by IoU): ${r.falsePositives} (${(r.falsePositives / Math.max(1, r.images)).toFixed(2)} per photo)`,
  ];
  for (const [k, c] of Object.entries(r.perClass)) {
    lines.push(`  ${k}: found ${c.found}/${c.faces}, right ${c.correctClass}/${c.found}`);
  }
  return lines.join('\n');
}
