// Fault suite (see FAULTS.md): the classifier worker dies in the middle of a live run. Browsers fire no
// event when a worker is terminated, so the crash is made real inside the worker: it stops answering
// (its message handler is removed, so the batch in flight never gets a result) and throws an uncaught
// error, which reaches the page as the Worker's `error` event, as a wasm abort would. The page must settle
// what the worker owed, start a new one, and keep labelling and logging; nothing already logged is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForModels, watchPage, withBuildAndBrowser } from './harness.mjs';
import { entranceClip, readLogged, waitForLogged } from './faults-kit.mjs';

const env = withBuildAndBrowser(() => ({ camera: entranceClip() }));

test('faults: classifier worker killed mid-run → pending batch settled, worker restarted, labels and logging resume', async (t) => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(env.server.url);
  await waitForModels(page);
  await page.getByTestId('start-camera').click();
  // Generous waits: one batch takes ~0.5 s on an idle 2-core machine but several seconds on a busy one.
  // A logged event is a labelled person: it needs classification results.
  const before = await waitForLogged(page, 1, 60_000);

  const worker = page.workers().find((w) => w.url().includes('classifier.worker'));
  assert.ok(
    worker,
    `no classifier worker among ${page
      .workers()
      .map((w) => w.url())
      .join(', ')}`,
  );
  const closed = new Promise((resolve) => worker.once('close', () => resolve(true)));
  // Stop answering first, so that a batch is surely in flight (a face is in view), then die.
  await worker.evaluate(() => {
    self.onmessage = null;
  });
  await page.waitForTimeout(1_500);
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated classifier crash');
    });
  });

  const restarting = page.getByTestId('classifier-restarting');
  await restarting.waitFor({ timeout: 10_000 });
  assert.match(
    await restarting.innerText(),
    /restarting the classifier: the classifier worker stopped \(.*simulated classifier crash\)/,
  );
  await restarting.waitFor({ state: 'detached', timeout: 90_000 });
  // Playwright hears of the old worker's end and the new one's start as events of their own, which can come
  // after the page already shows the restart done (CI saw the old one still listed once): wait for both.
  assert.ok(
    await Promise.race([closed, page.waitForTimeout(30_000).then(() => false)]),
    'the crashed worker was not terminated',
  );
  const replaced = () => page.workers().some((w) => w !== worker && w.url().includes('classifier.worker'));
  for (const deadline = Date.now() + 30_000; !replaced() && Date.now() < deadline;) await page.waitForTimeout(100);
  assert.ok(replaced(), 'the classifier worker was not replaced');

  // Labels resume: new people (the clip alternates them every ~4.5 s) are classified and logged.
  const atRestart = (await readLogged(page)).length;
  const afterwards = await waitForLogged(page, atRestart + 2, 120_000);
  for (const e of before)
    assert.ok(
      afterwards.some((a) => a.id === e.id && a.label === e.label),
      `event ${e.id} was lost`,
    );
  assert.ok(afterwards.slice(atRestart).every((e) => ['correct', 'incorrect', 'none'].includes(e.label)));
  assert.equal(await page.getByTestId('live-error').count(), 0, 'the restart was reported as a live error');
  assert.equal(await page.getByTestId('model-error').count(), 0);
  assert.match(await page.getByTestId('classify-ms').innerText(), /^classify \d+ ms$/);
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
});
