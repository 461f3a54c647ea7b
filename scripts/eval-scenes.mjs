#!/usr/bin/env node
// Runs the photo-mode check of the e2e suite on a whole folder of annotated scenes (default
// ../shared/data/scenes) against the production build, and prints recall and class accuracy.
//   npm run build && node scripts/eval-scenes.mjs [scenesDir] [--detector short|full] [--verbose]
import { parseArgs } from 'node:util';
import { launchBrowser, serveBuild, waitForModels } from '../tests/e2e/harness.mjs';
import { evaluateScenes, formatEvaluation, loadScenes, MIN_SIDE } from '../tests/e2e/sceneEval.mjs';

// Faces found (and classified right) per size bucket of the annotated box's shorter side.
const BUCKETS = [
  [40, 60],
  [60, 100],
  [100, 200],
  [200, Infinity],
];
const buckets = BUCKETS.map(([a, b]) => ({
  name: b === Infinity ? `>=${a} px` : `${a}-${b - 1} px`,
  a,
  b,
  faces: 0,
  found: 0,
  right: 0,
}));
let photoMs = 0;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { detector: { type: 'string', default: 'short' }, verbose: { type: 'boolean', default: false } },
});
const dir = positionals[0] ?? '../shared/data/scenes';
const server = await serveBuild();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await waitForModels(page);
  await page.getByTestId('detector-select').selectOption(values.detector);
  await waitForModels(page);
  await page.getByTestId('nav-photo').click();
  const scenes = loadScenes(dir);
  const byFile = new Map(scenes.map((s) => [s.file, s]));
  const t0 = performance.now();
  const result = await evaluateScenes(page, scenes, {
    onImage: (file, faces, matched) => {
      byFile.get(file).objects.forEach((o, i) => {
        const side = Math.min(o.bbox[2], o.bbox[3]);
        const b = buckets.find((k) => side >= Math.max(k.a, MIN_SIDE) && side < k.b);
        if (!b) return;
        b.faces++;
        if (matched[i]) (b.found++, (b.right += matched[i].label === o.class ? 1 : 0));
      });
      if (values.verbose)
        console.log(
          file,
          JSON.stringify(faces.map((f) => [f.label, f.score.toFixed(2), f.box.map(Math.round).join(',')])),
          matched.map((m) => m?.label ?? '-').join(' '),
        );
    },
  });
  photoMs = (performance.now() - t0) / scenes.length;
  console.log(`photo mode on ${dir} (detector: ${values.detector})\n${formatEvaluation(result)}`);
  for (const b of buckets)
    console.log(
      `  ${b.name}: found ${b.found}/${b.faces}${b.faces ? ` = ${((100 * b.found) / b.faces).toFixed(1)} %` : ''}, right ${b.right}/${b.found}`,
    );
  console.log(`  ${photoMs.toFixed(0)} ms per photo end to end (upload, detection, classification, shared CPU)`);
} finally {
  await browser.close();
  await server.close();
}
