// (c) Offline: after one online visit the service worker has precached the app, the wasm and the models;
// with the network gone the page reloads and photo mode still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFaces, waitForModels, withBuildAndBrowser } from './harness.mjs';

const env = withBuildAndBrowser();

test('offline: after a first visit the app reloads and checks a photo with no network', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await waitForModels(page);
  // "installed" fires once every precached file (wasm and models included) is in the cache.
  await page.getByTestId('offline-ready').waitFor({ timeout: 120_000 });

  await context.setOffline(true);
  const failedRequests = [];
  page.on('requestfailed', (r) => failedRequests.push(r.url()));
  await page.reload();
  await waitForModels(page);
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP must survive the service-worker cache');
  await page.getByTestId('nav-photo').click();
  await page.getByTestId('photo-input').setInputFiles('tests/fixtures/scenes/maksssksksss63.jpg');
  const card = page.locator('[data-testid="photo-result"][data-status="done"]');
  await card.waitFor({ timeout: 120_000 });
  const faces = await readFaces(card);
  assert.equal(faces.length, 1);
  assert.equal(faces[0].label, 'correct');
  assert.deepEqual(failedRequests, []);
  await context.close();
});
