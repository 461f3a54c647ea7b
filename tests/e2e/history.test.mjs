// The history screen with a big log: 100 000 synthetic events written straight into the app's
// IndexedDB schema; prints how long the first page, a class filter, paging and a date filter take.
// No timed assertion (timings belong to benchmarks); the counts must be right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedEvents, waitForModels, withBuildAndBrowser } from './harness.mjs';

const N = 100_000;

const env = withBuildAndBrowser();

test('history: 100 000 events load, filter and page (timings printed)', { timeout: 600_000 }, async () => {
  const page = await env.browser.newPage();
  // Straight to History (#history loads no models). Let the app open (and migrate) the log first, then add
  // events in its schema.
  await page.goto(`${env.server.url}#history`);
  await page.getByTestId('history-empty').waitFor();
  const now = Date.now();
  const seedStart = Date.now();
  const expected = await page.evaluate(
    async ({ n, now }) => {
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open('maskgate-log');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const labels = ['correct', 'correct', 'correct', 'incorrect', 'none'];
      const counts = { correct: 0, incorrect: 0, none: 0, lastDay: 0, sevenDays: 0 };
      // The "7 days" preset: today and the 6 days before, from local midnight.
      const weekStart = new Date(now);
      weekStart.setHours(0, 0, 0, 0);
      weekStart.setDate(weekStart.getDate() - 6);
      const tx = db.transaction('events', 'readwrite');
      for (let i = 0; i < n; i++) {
        const label = labels[i % labels.length];
        // Spread over 60 days, one event every ~52 s.
        const time = now - Math.round((i * 60 * 86_400_000) / n);
        counts[label]++;
        if (time >= now - 86_400_000) counts.lastDay++;
        if (time >= weekStart.getTime()) counts.sevenDays++;
        tx.objectStore('events').add({
          time,
          firstSeen: time - 2000,
          lastSeen: time,
          durationMs: 2000,
          label,
          confidence: 0.9,
          camera: 'bench',
          modelId: 'mask_vgg16_224',
          modelVersion: '1.0.0',
        });
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      return counts;
    },
    { n: N, now },
  );

  console.log(`seeding ${N} events: ${Date.now() - seedStart} ms`);
  const timed = async (what, action, ready, arg = null) => {
    const t0 = Date.now();
    await action();
    await page.waitForFunction(ready, arg, { timeout: 120_000 });
    console.log(`${what}: ${Date.now() - t0} ms`);
  };
  const total = () => page.getByTestId('history-count-total').innerText();
  const firstLabels = () =>
    page
      .locator('[data-testid="history-list"] tbody tr')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));

  await timed(
    `open history with ${N} events (first page, counts, chart)`,
    async () => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('nav-history').click();
    },
    (n) => document.querySelector('[data-testid="history-count-total"]')?.textContent === String(n),
    N,
  );
  assert.equal(await total(), String(N));
  assert.equal(await page.getByTestId('history-count-correct').innerText(), String(expected.correct));

  await timed(
    'filter: hide "correct"',
    () => page.getByTestId('history-filter-correct').uncheck(),
    // Counts and the list load separately: wait for both.
    (n) => {
      const items = [...document.querySelectorAll('[data-testid="history-list"] tbody tr')];
      return (
        document.querySelector('[data-testid="history-count-total"]')?.textContent === String(n) &&
        items.length > 0 &&
        items.every((e) => e.getAttribute('data-label') !== 'correct')
      );
    },
    expected.incorrect + expected.none,
  );
  assert.equal(await total(), String(expected.incorrect + expected.none));
  assert.ok((await firstLabels()).length > 0);

  const before = (await firstLabels()).length;
  const firstId = () => document.querySelector('[data-testid="history-list"] tbody tr')?.getAttribute('data-id');
  const firstIdBefore = await page.evaluate(firstId);
  await timed(
    'next page',
    () => page.getByTestId('history-next').click(),
    // A new, full page: its first event differs from the previous page's.
    ([previous, size]) =>
      document.querySelector('[data-testid="history-list"] tbody tr')?.getAttribute('data-id') !== previous &&
      document.querySelectorAll('[data-testid="history-list"] tbody tr').length === size,
    [firstIdBefore, before],
  );
  assert.equal((await firstLabels()).length, before);
  assert.notEqual(await page.evaluate(firstId), firstIdBefore);

  const dayAgo = new Date(now - 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByTestId('history-filter-correct').check();
  await timed(
    'period: 7 days (counts, previous 7 days, chart)',
    () => page.getByTestId('history-period-7d').check(),
    (n) => document.querySelector('[data-testid="history-count-total"]')?.textContent === String(n),
    expected.sevenDays,
  );
  assert.match(await page.getByTestId('history-comparison').innerText(), /against the 7 days before/);

  await page.getByTestId('history-period-custom').check();
  await timed(
    'filter: last 24 hours',
    () => page.getByTestId('history-from').fill(dayAgo),
    // datetime-local has minute precision: allow the events of one minute at the edge.
    (n) => Math.abs(Number(document.querySelector('[data-testid="history-count-total"]')?.textContent) - n) <= 2,
    expected.lastDay,
  );
});

test('retention runs again while the app stays open: events past it leave the history without a reload', async () => {
  const context = await env.browser.newContext();
  // The app's hourly retention pass (RETENTION_EVERY_MS in src/app/useLog.ts) runs every second here.
  await context.addInitScript(() => {
    const setIntervalOf = window.setInterval.bind(window);
    window.setInterval = (handler, ms, ...rest) => setIntervalOf(handler, ms === 3_600_000 ? 1_000 : ms, ...rest);
  });
  const page = await context.newPage();
  await page.goto(`${env.server.url}#history`);
  await page.getByTestId('history-empty').waitFor();
  // After the pass at start: 3 events of today and 5 from 40 days ago (the default retention is 30 days).
  await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('maskgate-log');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('events', 'readwrite');
    const now = Date.now();
    for (let i = 0; i < 8; i++) {
      const time = i < 3 ? now - 60_000 * (i + 1) : now - 40 * 86_400_000 - i * 1000;
      const event = { time, firstSeen: time - 2000, lastSeen: time, durationMs: 2000, label: 'none', confidence: 0.9 };
      tx.objectStore('events').add({ ...event, camera: 'test', modelId: 'mask_mnv3s_224', modelVersion: '1.0.0' });
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  });
  const count = async () => (await storedEvents(page)).length;
  // The pass runs within a second or two; a loaded machine gets a minute.
  const deadline = Date.now() + 60_000;
  while ((await count()) !== 3 && Date.now() < deadline) await page.waitForTimeout(250);
  assert.equal(await count(), 3);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('nav-history').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="history-count-total"]')?.textContent === '3');
  await context.close();
});

test('#history opens the history without loading a model; Back and reload keep the screen; Live loads them', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  // The installed app's shortcuts (manifest) name these addresses: each one a screen of the nav.
  const manifestUrl = new URL('manifest.webmanifest', env.server.url);
  const { shortcuts } = await (await fetch(manifestUrl)).json();
  const shortcutHashes = shortcuts.map((s) => new URL(s.url, manifestUrl).hash);
  assert.deepEqual(shortcutHashes, ['#history', '#photo']);
  await page.goto(new URL(shortcuts[0].url, manifestUrl).href);
  await page.getByTestId('history-empty').waitFor();
  assert.equal(await page.locator('[data-testid="nav-history"][aria-current="page"]').count(), 1);
  for (const hash of shortcutHashes) assert.equal(await page.getByTestId(`nav-${hash.slice(1)}`).count(), 1);
  // Give a late start time to show itself, then: no model, wasm or onnxruntime file, no classifier worker.
  await page.waitForTimeout(1000);
  const modelFiles = (list) => list.filter((p) => /\.(onnx|tflite|wasm)$|\/ort\/|mediapipe/.test(p));
  assert.deepEqual(modelFiles(fetched), []);
  assert.equal(page.workers().length, 0);
  assert.equal(await page.getByTestId('model-progress').count(), 0);

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-retention').waitFor();
  assert.match(page.url(), /#settings$/);
  await page.goBack();
  await page.getByTestId('history').waitFor();
  await page.reload();
  await page.getByTestId('history').waitFor();
  assert.equal(await page.locator('[data-testid="nav-history"][aria-current="page"]').count(), 1);

  // The worker's request can reach this process after the page shows its models ready (one idle run, 2026-12-01):
  // wait for it rather than read the list.
  const classifierRequest = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith('.onnx'));
  await page.getByTestId('nav-live').click();
  assert.doesNotMatch(page.url(), /#/);
  await waitForModels(page);
  await classifierRequest;
  await page.goBack();
  await page.getByTestId('history').waitFor();
  await context.close();
});
