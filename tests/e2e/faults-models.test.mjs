// Fault suite, model files and network (see FAULTS.md): a model that 404s, is truncated or fails its
// sha256 is refused with a message naming the file while the history still opens; a network drop during
// the first visit ends in a retry, not a blank page, and the retried install then starts offline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser, serveBuild, waitForModels, watchPage } from './harness.mjs';

// The model this machine's headless Chromium loads by default: no WebGPU adapter, so auto picks the fast tier.
const ONNX = 'mask_mnv3s_224.int8.onnx';
const SIDECAR = 'mask_mnv3s_224.int8.json';
// The face model the app loads by default: short range with MaskGate's weights (src/servedFiles.ts APP_DETECTOR_MODELS).
const TFLITE = 'face_detection_short_range_tuned.tflite';

let server;
let browser;
before(async () => {
  server = await serveBuild();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Matches a served model file by name, with or without its content version (`?v=…`, scripts/servedVersions.ts). */
const servedFile = (name) => new RegExp(`/models/${name.replace(/\./g, '\\.')}(\\?|$)`);

/**
 * Opens the app in a fresh context with `fault` routed in, waits for the model error and returns its text.
 * No service worker: it would otherwise answer from its cache, around the route.
 */
async function modelErrorWith(t, pattern, fault) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  t.after(() => context.close());
  await context.route(pattern, fault);
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(server.url);
  const error = page.getByTestId('model-error');
  await error.waitFor({ timeout: 60_000 });
  // What still can work does: the live button is off, the history opens.
  assert.equal(await page.getByTestId('start-camera').isDisabled(), true);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history').waitFor();
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
  return error.innerText();
}

test('faults: classifier model 404 → refused, message names the file, history opens', async (t) => {
  const text = await modelErrorWith(t, servedFile(ONNX), (route) => route.fulfill({ status: 404, body: 'not found' }));
  assert.match(
    text,
    new RegExp(
      `Classifier model ${ONNX.replace(/\./g, '\\.')} failed to load: ${ONNX.replace(/\./g, '\\.')} could not be downloaded \\(HTTP 404\\)\\.`,
    ),
  );
  assert.match(text, /Photos and live checks need the models; the history still works\./);
});

test('faults: face detector model 404 → refused, message names the file, history opens', async (t) => {
  const text = await modelErrorWith(t, servedFile(TFLITE), (route) =>
    route.fulfill({ status: 404, body: 'not found' }),
  );
  assert.match(text, new RegExp(`Face detector model ${TFLITE.replace(/\./g, '\\.')} failed to load: `));
});

test('faults: truncated classifier model → refused by its sha256, message names the file', async (t) => {
  const bytes = readFileSync(`dist/models/${ONNX}`);
  const half = bytes.subarray(0, bytes.length >> 1);
  const text = await modelErrorWith(t, servedFile(ONNX), (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: half }),
  );
  assert.match(
    text,
    new RegExp(
      `${ONNX.replace(/\./g, '\\.')} is damaged or not the expected model: sha256 [0-9a-f]{12}… does not match [0-9a-f]{12}… \\(${half.length} bytes\\)\\.`,
    ),
  );
});

test('faults: classifier sha256 does not match its sidecar → refused, message names the file', async (t) => {
  const sidecar = JSON.parse(readFileSync(`dist/models/${SIDECAR}`, 'utf8'));
  const text = await modelErrorWith(t, servedFile(SIDECAR), (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ ...sidecar, sha256: '0'.repeat(64) }),
    }),
  );
  assert.match(
    text,
    new RegExp(`Classifier model ${ONNX.replace(/\./g, '\\.')} failed to load: .*does not match 000000000000…`),
  );
});

test('faults: network drops during the first visit → message with retry; retry installs, next offline start works', async (t) => {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchPage(page);
  // The page itself arrives, then the connection goes: the wasm and model downloads fail.
  let online = true;
  await context.route(/\/(models|ort|mediapipe)\//, (route) =>
    online ? route.continue() : route.abort('internetdisconnected'),
  );
  online = false;
  await page.goto(server.url);
  await context.setOffline(true);
  const error = page.getByTestId('model-error');
  await error.waitFor({ timeout: 60_000 });
  assert.match(
    await error.innerText(),
    /failed to load: .*(could not be downloaded \(network error\)|Failed to fetch|network)/is,
  );
  // Retry while still offline keeps the page (a reload now would show the browser's offline page).
  await page.getByTestId('model-retry').click();
  assert.match(
    await page.getByTestId('retry-offline').innerText(),
    /This device is still offline\. Connect to the network, then press Retry/,
  );
  assert.equal(await page.getByTestId('nav-history').isVisible(), true);

  // Nothing was cached: the install failed with the downloads.
  assert.equal(
    await page.evaluate(async () => (await caches.keys()).length),
    0,
    'the service worker cached files while offline',
  );
  online = true;
  await context.setOffline(false);
  // With routes on, Playwright bypasses the service worker; the rest of the visit must go through it.
  await context.unrouteAll();
  await Promise.all([page.waitForEvent('load'), page.getByTestId('model-retry').click()]);
  await waitForModels(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(
    async () => {
      // Activated means the whole precache is in: only then can an offline reload be served.
      if ((await navigator.serviceWorker.getRegistration())?.active?.state !== 'activated') return false;
      const names = await caches.keys();
      for (const name of names) {
        const cache = await caches.open(name);
        const keys = (await cache.keys()).map((r) => r.url);
        if (keys.some((u) => u.includes('.onnx')) && keys.some((u) => u.includes('.wasm'))) return true;
      }
      return false;
    },
    null,
    { timeout: 120_000, polling: 500 },
  );

  await context.setOffline(true);
  await page.reload();
  await waitForModels(page);
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
});
