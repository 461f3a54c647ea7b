// The classifier choice (issue 11, item 1): with no WebGPU adapter (headless Chromium here) auto picks the
// fast tier, says why on the status line, labels faces, and the logged event names that model; choosing
// Accurate in the footer loads the VGG16, the status line says so, and the choice survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCameraClip } from '../../scripts/make-camera-clip.mjs';
import { waitForLogged } from './faults-kit.mjs';
import { LIVE_WAIT_MS, tempDir, waitForModels, watchPage, withBuildAndBrowser } from './harness.mjs';

const sidecar = (f) => JSON.parse(readFileSync(`models/${f}`, 'utf8'));
const FAST = sidecar('mask_mnv3s_224.int8.json');
const ACCURATE = sidecar('mask_vgg16_224.int8.json');
const SHOTS = process.env.MASKGATE_E2E_SHOTS ?? null;

const env = withBuildAndBrowser(() => {
  const clip = join(tempDir('maskgate-'), 'entrance.y4m');
  makeCameraClip({
    out: clip,
    photos: ['tests/fixtures/scenes/maksssksksss63.jpg'],
    width: 640,
    height: 480,
    fps: 15,
    seconds: 3,
    pan: 0.12,
    gap: 1.5,
  });
  // V8's default tiers: this file runs the VGG16 in WASM, which Liftoff alone (CI's MASKGATE_E2E_JS_FLAGS)
  // made too slow to label a face in its 3 s in view (CI, 2026-11-30: no label in 120 s).
  return { camera: clip, jsFlags: null };
});

const modelText = (page) => page.getByTestId('classifier-model').innerText();

/**
 * Starts the camera, waits for a labelled face and for the log to hold `logged` events, then stops it. Stopping
 * at the first label logged nothing when it came within the track's first 3 frames (the tracker's minFrames: one
 * run of four under load, 2026-12-01); the face is logged once settled (3 s in view) or gone.
 */
async function labelOneFace(page, logged, shot) {
  await page.getByTestId('start-camera').click();
  await page
    .locator('[data-testid="live-screen"] li[data-label]:not([data-label=""])')
    .first()
    .waitFor({ timeout: LIVE_WAIT_MS });
  if (SHOTS && shot) await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  await waitForLogged(page, logged);
  await page.getByTestId('stop-camera').click();
}

/** Waits for `n` logged events and returns the model each names (newest first); returns to Live. */
async function historyModels(page, n) {
  await page.getByTestId('nav-history').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="history-list"] tbody tr').length >= n, n, {
    timeout: LIVE_WAIT_MS,
  });
  const items = page.locator('[data-testid="history-list"] tbody tr');
  const models = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-model')));
  // The list shows it in words too.
  assert.match(await items.first().innerText(), new RegExp(models[0].replace(/\./g, '\\.')));
  await page.getByTestId('nav-live').click();
  return models;
}

test('model choice: auto takes the fast tier without WebGPU, labels and logs with it; Accurate loads the VGG16', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(env.server.url);
  await waitForModels(page);

  assert.equal(await page.getByTestId('classifier-select').inputValue(), 'auto');
  const auto = await modelText(page);
  assert.match(auto, new RegExp(`^${FAST.id} v${FAST.version.replace(/\./g, '\\.')} \\(auto: .*WebGPU.*\\)$`), auto);

  await labelOneFace(page, 1, 'model-choice-auto.png');
  const fastEvents = await historyModels(page, 1);
  assert.deepEqual(new Set(fastEvents), new Set([`${FAST.id} v${FAST.version}`]));

  await page.getByTestId('classifier-select').selectOption('accurate');
  const expected = `${ACCURATE.id} v${ACCURATE.version} (chosen in settings)`;
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="classifier-model"]')?.textContent === text,
    expected,
    { timeout: LIVE_WAIT_MS },
  );
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'model-choice-accurate.png'), fullPage: true });

  // The choice is kept, like the detector's.
  await page.reload();
  await waitForModels(page);
  assert.equal(await page.getByTestId('classifier-select').inputValue(), 'accurate');
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="classifier-model"]')?.textContent === text,
    expected,
    { timeout: LIVE_WAIT_MS },
  );
  // A face labelled now is logged with the VGG16's name; the earlier event keeps the fast tier's.
  await labelOneFace(page, fastEvents.length + 1, null);
  const all = await historyModels(page, fastEvents.length + 1);
  assert.equal(all[0], `${ACCURATE.id} v${ACCURATE.version}`);
  assert.deepEqual(all.slice(-fastEvents.length), fastEvents);
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
  await context.close();
});
