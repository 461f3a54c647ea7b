#!/usr/bin/env node
// Runs the photo-mode check of the e2e suite on a whole folder of annotated scenes (default
// ../shared/data/scenes) against the production build, and prints recall and class accuracy.
//   npm run build && node scripts/eval-scenes.mjs [scenesDir] [--detector short|full] [--verbose]
import { parseArgs } from 'node:util';
import { launchBrowser, serveBuild, waitForModels } from '../tests/e2e/harness.mjs';
import { evaluateScenes, formatEvaluation, loadScenes } from '../tests/e2e/sceneEval.mjs';

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
  const result = await evaluateScenes(page, loadScenes(dir), {
    onImage: values.verbose
      ? (file, faces, matched) =>
          console.log(
            file,
            JSON.stringify(faces.map((f) => [f.label, f.score.toFixed(2), f.box.join(',')])),
            matched.map((m) => m?.label ?? '-').join(' '),
          )
      : undefined,
  });
  console.log(`photo mode on ${dir} (detector: ${values.detector})\n${formatEvaluation(result)}`);
} finally {
  await browser.close();
  await server.close();
}
