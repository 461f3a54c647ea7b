// (a) Photo mode on the committed CC0 scene photos: recall and class accuracy against the annotations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { waitForModels, watchPage, withBuildAndBrowser } from './harness.mjs';
import { evaluateScenes, formatEvaluation, loadScenes } from './sceneEval.mjs';

const env = withBuildAndBrowser();

/**
 * One page on the Photos screen for the whole file, opened by the first test: each test leaves it with no
 * results. A fresh page per test loaded the app and the photo detectors again (~9 s of CPU each on 2 cores).
 */
let opened = null;
function photoScreen() {
  opened ??= (async () => {
    const page = await env.browser.newPage();
    const problems = watchPage(page);
    await page.goto(env.server.url);
    await waitForModels(page);
    await page.getByTestId('nav-photo').click();
    return { page, problems };
  })();
  return opened;
}

/** Photo mode over a committed scene folder; returns the evaluation and the page's problems. */
async function evaluateFolder(dir) {
  const { page, problems } = await photoScreen();
  const result = await evaluateScenes(page, loadScenes(dir));
  console.log(`photo mode on ${dir}:\n${formatEvaluation(result)}`);
  return { result, problems };
}

test('photo mode finds >= 70 % of faces >= 40 px and classifies >= 85 % of those right', async () => {
  const { result, problems } = await evaluateFolder('tests/fixtures/scenes');
  assert.ok(result.faces >= 18, `expected the fixture set to hold >= 18 faces of >= 40 px, got ${result.faces}`);
  assert.ok(result.recall >= 0.7, `recall ${result.recall} below 0.70`);
  assert.ok(result.accuracy >= 0.85, `class accuracy ${result.accuracy} below 0.85`);
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
});

test('photo mode finds small masked faces (40-70 px) that the fixed-tile detector missed', async () => {
  // tests/fixtures/scenes-small: 6 CC0 Kaggle photos, 13 faces >= 40 px, each photo with a face that the detector
  // before the scale pyramid (whole frame + 2x2 tiles, min score 0.6) missed. The pyramid found 13/13 and classified
  // 13/13 right (scripts/eval-scenes.mjs tests/fixtures/scenes-small); the old detector finds at most 7/13.
  const { result, problems } = await evaluateFolder('tests/fixtures/scenes-small');
  assert.equal(result.faces, 13);
  assert.ok(result.recall >= 0.9, `recall ${result.recall} below 0.90`);
  assert.ok(result.accuracy >= 0.9, `class accuracy ${result.accuracy} below 0.90`);
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
});

test("photo mode's fine-tuned detector finds faces MediaPipe's weights missed, with fewer stray boxes", async () => {
  // tests/fixtures/scenes-tuned: 4 CC0 Kaggle photos the fine-tune never trained on, 10 faces >= 40 px. Photo mode
  // with MediaPipe's short-range weights (the same settings) found 8/10 and left 5 unmatched boxes; with the
  // fine-tuned weights it finds 10/10, classifies 10/10 right and leaves 1 (see its SOURCES.md).
  const { result, problems } = await evaluateFolder('tests/fixtures/scenes-tuned');
  assert.equal(result.faces, 10);
  assert.equal(result.found, 10, `found ${result.found}/10`);
  assert.ok(result.falsePositives <= 1, `${result.falsePositives} unmatched boxes, expected <= 1`);
  assert.ok(result.accuracy >= 0.9, `class accuracy ${result.accuracy} below 0.90`);
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
});

test('several photos at once each get an annotated result, downloadable as PNG', async () => {
  const { page, problems } = await photoScreen();
  const files = ['maksssksksss63.jpg', 'maksssksksss398.jpg'].map((f) => `tests/fixtures/scenes/${f}`);
  await page.getByTestId('photo-input').setInputFiles(files);
  await page.locator('[data-testid="photo-result"][data-status="done"]').nth(1).waitFor({ timeout: 120_000 });
  const card = page.locator('[data-testid="photo-result"][data-name="maksssksksss63.jpg"]');
  const item = card.getByRole('listitem').first();
  assert.equal(await item.getAttribute('data-label'), 'correct');
  assert.match(await item.innerText(), /Mask worn correctly, \d+ % confidence/);
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByTestId('download-png').click()]);
  assert.equal(download.suggestedFilename(), 'maksssksksss63-maskgate.png');
  const png = readFileSync(await download.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // The PNG is the photo at its own size, with the boxes drawn on it.
  assert.equal(png.readUInt32BE(16), 400);
  assert.equal(png.readUInt32BE(20), 226);
  await page.getByRole('button', { name: 'Clear results' }).click();
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
});
