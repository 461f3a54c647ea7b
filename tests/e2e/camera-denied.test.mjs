// (e) Camera permission denied: a clear message, and photo mode is offered and still works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, readFaces, serveBuild, waitForModels } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await serveBuild();
  // A camera exists, but every permission prompt is refused.
  browser = await launchBrowser({ extraArgs: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'] });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('camera denied: the live screen says so and photo mode still works', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await waitForModels(page);
  await page.getByTestId('start-camera').click();
  const error = page.getByTestId('live-error');
  await error.waitFor();
  assert.match(await error.innerText(), /Camera permission was denied/);
  await page.getByTestId('use-photos').click();
  await page.getByTestId('photo-input').setInputFiles('tests/fixtures/scenes/maksssksksss63.jpg');
  const card = page.locator('[data-testid="photo-result"][data-status="done"]');
  await card.waitFor({ timeout: 120_000 });
  assert.equal((await readFaces(card))[0]?.label, 'correct');
});
