// The history and settings screens as a new user sees them, on a 360 px and a 412 px phone and a
// 1280 px desktop: screenshots saved to test-results/history-layout/ (git-ignored) and checked for
// what once went wrong there (overlapping text, horizontal scroll, labels run into their values),
// plus the chart's value on hover, tap and keyboard focus, period presets and the separate settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { showAllEntrances, withBuildAndBrowser } from './harness.mjs';
import { labelValueProblems, layoutProblems } from './layoutCheck.mjs';

const SHOTS = 'test-results/history-layout';
mkdirSync(SHOTS, { recursive: true });
const env = withBuildAndBrowser();

const LABEL_VALUE_PAIRS = [
  ['.summary-card', '.summary-name', '.summary-value'],
  ['.summary-card', '.summary-value', '.summary-delta', true],
  ['.settings-facts > div', 'dt', 'dd'],
];

/** Two other entrances, one with a long name, as sync would have pulled them. */
const PULLED = [
  { entrance: 'North door', device: 'northdoor001' },
  { entrance: 'Loading bay, east gate (level −1)', device: 'loadingbay02' },
];

/** Opens the app at `width`, seeds ~450 events over 30 days (the newest 4 with thumbnails), shows History. */
async function openHistory(width) {
  const phone = width < 600;
  const context = await env.browser.newContext({
    viewport: { width, height: phone ? 800 : 900 },
    isMobile: phone,
    hasTouch: phone,
  });
  // The page's clock stands at today's noon: "Today" then always holds the seeded events of the last hours (at
  // 00:0x, on the real clock, it held none: the stop-22 CI run).
  const noon = new Date();
  noon.setHours(12, 0, 0, 0);
  await context.clock.setFixedTime(noon);
  const page = await context.newPage();
  // Straight to History (the app's #history address): it loads no models.
  await page.goto(`${env.server.url}#history`);
  await page.getByTestId('history-empty').waitFor();
  const seeded = await page.evaluate(async () => {
    const now = Date.now();
    const thumb = await new Promise((resolve) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 64;
      const g = canvas.getContext('2d');
      g.fillStyle = '#c89b7b';
      g.fillRect(0, 0, 64, 64);
      canvas.toBlob(resolve, 'image/jpeg');
    });
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('maskgate-log');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    // As the log stamps them (src/log/schema.ts newUid): this device's id, first seen, 6 random characters.
    const deviceId = await new Promise((resolve) => {
      const r = db.transaction('settings').objectStore('settings').get('deviceId');
      r.onsuccess = () => resolve(r.result);
    });
    const tx = db.transaction('events', 'readwrite');
    const times = [];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let day = 0; day < 30; day++) {
      const n = 8 + ((day * 7) % 11);
      for (let k = 0; k < n; k++) {
        const time = now - day * 86_400_000 - Math.floor(random() * 86_400_000) - 60_000;
        const r = random();
        const label = r < 0.7 ? 'correct' : r < 0.85 ? 'incorrect' : 'none';
        times.push({ time, label });
      }
    }
    times.sort((a, b) => b.time - a.time);
    times.forEach(({ time, label }, i) => {
      const event = {
        uid: `${deviceId}:${time - 4200}:${String(i).padStart(6, '0')}`,
        entrance: '',
        time,
        firstSeen: time - 4200,
        lastSeen: time,
        durationMs: 4200 + (i % 9) * 1000,
        label,
        confidence: 0.62 + (i % 37) / 100,
        camera: i % 3 ? 'Back camera' : 'USB Camera (046d:0825)',
        modelId: i % 4 ? 'mask_mobilenetv3_small_224' : 'mask_vgg16_224',
        modelVersion: '1.0.0',
        ...(i < 4 ? { thumbnail: thumb, thumbTime: time } : {}),
      };
      tx.objectStore('events').add(event);
    });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return times;
  });
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('nav-history').click();
  await waitForTotal(page, seeded.length);
  // The counts and the table load separately: wait for a full first page too.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-list"] tbody tr').length === 50);
  return { context, page, seeded };
}

const waitForTotal = (page, n) =>
  page.waitForFunction(
    (n) => document.querySelector('[data-testid="history-count-total"]')?.textContent === String(n),
    n,
  );

/**
 * Asserts the layout checks; saves the whole page, its first screen, the chart, the entrances and the events
 * table's first screen to look at. In CI (nobody looks there; the shots took 6.5 of the 17.6 s of the 360 px
 * test, 2026-11-30) only a failing state is saved.
 */
async function checkLayout(page, name) {
  const shots = async () => {
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}-top.png` });
    const chart = page.locator('.history-chart-panel');
    if (await chart.count()) await chart.screenshot({ path: `${SHOTS}/${name}-chart.png` });
    const entrances = page.locator('.history-entrances');
    if (await entrances.count()) await entrances.screenshot({ path: `${SHOTS}/${name}-entrances.png` });
    const events = page.locator('.history-events');
    if (await events.count()) {
      await events.evaluate((e) => e.scrollIntoView());
      await page.screenshot({ path: `${SHOTS}/${name}-events.png` });
    }
  };
  if (!process.env.CI) await shots();
  const width = page.viewportSize().width;
  const problems = [
    ...(await page.evaluate(layoutProblems, { root: 'body', width })),
    ...(await page.evaluate(labelValueProblems, { pairs: LABEL_VALUE_PAIRS })),
  ];
  if (problems.length && process.env.CI) await shots();
  assert.deepEqual(problems, [], `${name}: layout problems (see ${SHOTS}/${name}.png)`);
}

/**
 * Adds events of the PULLED entrances to the log as sync's importer stores them (their uid and entrance),
 * ~6 a day each over 30 days; returns how many.
 */
function seedPulled(page) {
  return page.evaluate(async (pulled) => {
    const now = Date.now();
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('maskgate-log');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('events', 'readwrite');
    let n = 0;
    pulled.forEach(({ entrance, device }, k) => {
      for (let day = 0; day < 30; day++)
        for (let i = 0; i < 4 + ((day + k * 3) % 5); i++) {
          const time = now - day * 86_400_000 - ((i * 7_919_000 + k * 1_800_000) % 86_400_000) - 120_000;
          const label = (i + day + k) % 6 === 0 ? 'none' : (i + day) % 4 === 0 ? 'incorrect' : 'correct';
          tx.objectStore('events').add({
            uid: `${device}:${time - 3000}:${String(n++).padStart(6, '0')}`,
            entrance,
            time,
            firstSeen: time - 3000,
            lastSeen: time,
            durationMs: 3000,
            label,
            confidence: 0.8,
            camera: 'Door camera',
            modelId: 'mask_mobilenetv3_small_224',
            modelVersion: '1.0.0',
          });
        }
    });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return n;
  }, PULLED);
}

/** History → "All entrances" once it shows `total` events, per entrance too, and its chart split by entrance. */
async function showAllEntrancesChart(page, total) {
  await showAllEntrances(page, total);
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="history-entrance-chart"] rect[data-entrance]').length > 0,
  );
}

/** Local midnight `days` days before today, as the browser counts it. */
const midnight = (page, days) =>
  page.evaluate((days) => {
    const d = new Date();
    d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() - days);
    return d.getTime();
  }, days);

test('the layout checker fails on run-together labels, overlap and horizontal scroll', async () => {
  const page = await env.browser.newPage({ viewport: { width: 360, height: 640 } });
  await page.setContent(`<body style="margin:0;font:14px sans-serif">
    <div><time>10:41:06 PM</time><span>incorrect</span><span>78 %</span></div>
    <div style="position:relative"><span>Total</span><span style="position:absolute;left:0;top:0">123</span></div>
    <div style="width:500px">wide</div>
    <div class="scroller" style="overflow-x:auto;width:200px"><span style="display:inline-block;width:400px">x</span></div></body>`);
  const problems = await page.evaluate(layoutProblems, { root: 'body' });
  assert.ok(
    problems.some((p) => p.startsWith('horizontal scroll')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('run together') && p.includes('10:41:06')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('overlap') && p.includes('123')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('sideways scroll inside <div.scroller>')),
    problems.join('\n'),
  );
  await page.close();
});

for (const width of [360, 412, 1280]) {
  test(
    `history and settings at ${width} px: no overlap, no horizontal scroll, labels apart`,
    { timeout: 300_000 },
    async () => {
      const { context, page, seeded } = await openHistory(width);
      // Every row is a row of distinct, non-empty cells (not one run-together line).
      const rows = await page
        .locator('[data-testid="history-list"] tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll(':scope > td')].map((td) => td.textContent.trim())),
        );
      assert.equal(rows.length, 50);
      for (const cells of rows) {
        assert.ok(cells.length >= 7, JSON.stringify(cells));
        assert.ok(
          cells.slice(-6).every((c) => c.length > 0),
          JSON.stringify(cells),
        );
      }
      assert.equal(await page.locator('[data-testid="history-list"] img.history-thumb').count(), 4);
      await checkLayout(page, `history-all-${width}`);

      await page.getByTestId('history-period-7d').check();
      const weekStart = await midnight(page, 6);
      await waitForTotal(page, seeded.filter((e) => e.time >= weekStart).length);
      await checkLayout(page, `history-7d-${width}`);

      // Today: per hour, 24-ish bars whose time labels must not collide.
      await page.getByTestId('history-period-today').check();
      await page.getByRole('heading', { name: 'Events per hour' }).waitFor();
      await checkLayout(page, `history-today-${width}`);

      await page.getByTestId('history-period-custom').check();
      await page.getByTestId('history-from').waitFor();
      await checkLayout(page, `history-custom-${width}`);

      // The settings are a screen of their own: not in the history, reachable from it and from the nav.
      assert.equal(await page.getByTestId('settings-thumbnails').count(), 0);
      await page.getByTestId('history-open-settings').click();
      await page.getByTestId('settings-retention').waitFor();
      assert.equal(await page.getByTestId('history-list').count(), 0);
      assert.equal(await page.locator('[data-testid="nav-settings"][aria-current="page"]').count(), 1);
      await page.getByTestId('settings-storage').waitFor();
      await checkLayout(page, `settings-${width}`);

      // "All entrances" (sync pulled two other entrances' events): scope switch, entrance picker, per-entrance
      // counts and the chart split by entrance.
      const pulled = await seedPulled(page);
      await page.getByTestId('nav-history').click();
      await page.getByTestId('history-scope').waitFor();
      await waitForTotal(page, seeded.length); // "This device" first
      await showAllEntrancesChart(page, seeded.length + pulled);
      const entranceRows = await page
        .getByTestId('history-entrance-row')
        .evaluateAll((trs) => trs.map((tr) => tr.dataset.entrance));
      assert.deepEqual(entranceRows, ['', ...PULLED.map((p) => p.entrance)].sort());
      const colours = await page
        .locator('[data-testid="history-entrance-chart"] rect[data-entrance]')
        .evaluateAll((rs) => new Set(rs.map((r) => r.dataset.entrance)).size);
      assert.equal(colours, 3, 'chart split by all three entrances');
      await checkLayout(page, `history-entrances-${width}`);
      await page.getByTestId('history-period-today').check();
      await page.getByRole('heading', { name: 'Events per hour' }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-entrance-row"]').length === 3);
      await checkLayout(page, `history-entrances-today-${width}`);
      // One entrance, picked by its (long) name.
      await page.getByTestId('history-entrance').selectOption(PULLED[1].entrance);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-entrance-row"]').length === 1);
      await checkLayout(page, `history-entrance-one-${width}`);
      await context.close();
    },
  );
}

test(
  'periods change the counts, the comparison and the chart unit; bars show their value on hover, tap and focus',
  { timeout: 300_000 },
  async () => {
    const { context, page, seeded } = await openHistory(412);
    assert.match(await page.getByTestId('history-comparison').innerText(), /Pick a period/);

    await page.getByTestId('history-period-7d').check();
    const [weekStart, prevStart] = [await midnight(page, 6), await midnight(page, 13)];
    // The previous period ends at this clock time 7 days ago (seeded events are all a minute old or more).
    const prevEnd = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() - 7);
      return d.getTime();
    });
    const week = seeded.filter((e) => e.time >= weekStart);
    const before = seeded.filter((e) => e.time >= prevStart && e.time <= prevEnd);
    await waitForTotal(page, week.length);
    for (const label of ['correct', 'incorrect', 'none'])
      assert.equal(
        await page.getByTestId(`history-count-${label}`).innerText(),
        String(week.filter((e) => e.label === label).length),
      );
    assert.match(await page.getByTestId('history-comparison').innerText(), /against the 7 days before/);
    const delta = week.length - before.length;
    const shownDelta = await page.locator('.summary-total .summary-delta').innerText();
    assert.ok(shownDelta.startsWith(delta === 0 ? '±0' : delta > 0 ? `+${delta}` : `−${-delta}`), shownDelta);
    assert.equal(await page.getByRole('heading', { name: 'Events per day' }).count(), 1);
    assert.equal(await page.getByTestId('history-chart-bar').count(), 7);
    assert.equal(await page.locator('[data-testid="history-chart-table"] tbody tr').count(), 7);

    // Tap (touch) a bar: its numbers show below the chart.
    const readout = page.getByTestId('history-chart-value');
    const bars = page.getByTestId('history-chart-bar');
    await bars.nth(2).tap();
    const tapped = await readout.innerText();
    assert.match(tapped, /^\w+, \w+ \d+: \d+ events \(\d+ correct, \d+ incorrect, \d+ no mask\)$/);
    assert.equal(tapped, await bars.nth(2).getAttribute('aria-label'));
    // Keyboard: arrows move the focus (and the readout) between bars.
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-index')), '3');
    assert.equal(await readout.innerText(), await bars.nth(3).getAttribute('aria-label'));
    // Hover shows the hovered bar.
    await bars.nth(5).hover();
    assert.equal(await readout.innerText(), await bars.nth(5).getAttribute('aria-label'));

    await page.getByTestId('history-period-today').check();
    await page.getByRole('heading', { name: 'Events per hour' }).waitFor();
    const todayStart = await midnight(page, 0);
    await waitForTotal(page, seeded.filter((e) => e.time >= todayStart).length);
    await context.close();
  },
);
