// Photo-mode accuracy against annotated scenes: upload each photo to the running app, read the results
// list (data-box / data-label), match faces to annotations greedily by IoU, and count, for annotated
// faces of at least `minSide` px, how many were found and how many of those were classified right.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchBoxes } from '../helpers/faceMatch.mjs';
import { readFaces } from './harness.mjs';

export { iou } from '../helpers/faceMatch.mjs';

export const MIN_SIDE = 40;
export const MIN_IOU = 0.4;

export function loadScenes(dir) {
  return JSON.parse(readFileSync(join(dir, 'annotations.json'), 'utf8')).images.map((im) => ({
    ...im,
    path: join(dir, im.file),
  }));
}

/** Greedy one-to-one matching by IoU; returns per annotated object the matched face or null. */
export function matchFaces(objects, faces, minIou = MIN_IOU) {
  const byObject = matchBoxes(
    objects.map((o) => o.bbox),
    faces.map((f) => f.box),
    { minIou },
  );
  return byObject.map((j) => (j >= 0 ? faces[j] : null));
}

/** Runs photo mode on every scene (the page must be on the Photos screen with models loaded). */
export async function evaluateScenes(page, scenes, { onImage } = {}) {
  const totals = { faces: 0, found: 0, correctClass: 0, falsePositives: 0, images: 0, perClass: {} };
  for (const scene of scenes) {
    await page.locator('[data-testid="photo-input"]').setInputFiles(scene.path);
    const card = page.locator(`[data-testid="photo-result"][data-name="${scene.file}"]`).first();
    await card.locator(':scope[data-status="done"], :scope[data-status="error"]').waitFor({ timeout: 120_000 });
    if ((await card.getAttribute('data-status')) === 'error')
      throw new Error(`${scene.file}: ${await card.innerText()}`);
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
