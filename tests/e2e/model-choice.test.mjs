// The classifier choice (issue 11, item 1): with no WebGPU adapter (headless Chromium here) auto picks the
// fast tier, says why on the status line, labels faces, and the logged event names that model; choosing
// Accurate in the footer loads the VGG16, the status line says so, and the choice survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCameraClip } from '../../scripts/make-camera-clip.mjs';
import { LIVE_WAIT_MS, waitForModels, watchPage, withBuildAndBrowser } from './harness.mjs';

const sidecar = (f) => JSON.parse(readFileSync(`models/${f}`, 'utf8'));
const FAST = sidecar('mask_mnv3s_224.int8.json');
const ACCURATE = sidecar('mask_vgg16_224.int8.json');
const SHOTS = process.env.MASKGATE_E2E_SHOTS ?? null;

const env = withBuildAndBrowser(() => {
  const clip = join(mkdtempSync(join(tmpdir(), 'maskgate-')), 'entrance.y4m');
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
  return { camera: clip };
});

const modelText = (page) => page.getByTestId('classifier-model').innerText();

test('model choice: auto takes the fast tier without WebGPU, labels and logs with it; Accurate loads the VGG16', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(env.server.url);
  await waitForModels(page);

  assert.equal(await page.getByTestId('classifier-select').inputValue(), 'auto');
  const auto = await modelText(page);
  assert.match(auto, new RegExp(`^${FAST.id} v${FAST.version.replace(/\./g, '\\.')} \\(auto: .*WebGPU.*\\)$`), auto);

  await page.getByTestId('start-camera').click();
  await page
    .locator('[data-testid="live-screen"] li[data-label]:not([data-label=""])')
    .first()
    .waitFor({ timeout: LIVE_WAIT_MS });
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'model-choice-auto.png'), fullPage: true });
  // Stopping the camera ends the face's track: its event is logged at once.
  await page.getByTestId('stop-camera').click();
  await page.getByTestId('nav-history').click();
  const item = page.locator('[data-testid="history-list"] [role="listitem"]').first();
  await item.waitFor({ timeout: LIVE_WAIT_MS });
  assert.equal(await item.getAttribute('data-model'), `${FAST.id} v${FAST.version}`);
  assert.match(await item.innerText(), new RegExp(`${FAST.id} v${FAST.version.replace(/\./g, '\\.')}`));

  await page.getByTestId('nav-live').click();
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
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
  await context.close();
});
