// (e) Camera permission denied: a clear message, and photo mode is offered and still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFaces, waitForModels, withBuildAndBrowser } from './harness.mjs';

// A camera exists, but every permission prompt is refused.
const env = withBuildAndBrowser({ extraArgs: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'] });

test('camera denied: the live screen says so and photo mode still works', async () => {
  const page = await env.browser.newPage();
  await page.goto(env.server.url);
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
