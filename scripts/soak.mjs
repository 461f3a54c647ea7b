#!/usr/bin/env node
// Soak test of the live loop, outside CI: the production build with a fake camera looping an entrance clip
// for --minutes (default 30). Every --every seconds (default 30) it prints the page's JS heap, DOM nodes, the
// resident memory of the renderer process (the page's and the classifier worker's WebAssembly memory live
// there: MediaPipe's and onnxruntime-web's heaps are not in the JS heap), events logged and people counted
// on screen; then a table per 5 minutes. It fails if the JS heap or the renderer grew (last third vs first
// third, after warm-up), or if the log lost events against the on-screen count.
//
//   npx vite build && node scripts/soak.mjs [--minutes 30] [--every 30] [--out file.md]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchBrowser, serveBuild, waitForModels, watchPage } from '../tests/e2e/harness.mjs';
import { entranceClip, readLogged } from '../tests/e2e/faults-kit.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    every: { type: 'string', default: '30' },
    out: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const every = Number(values.every) * 1000;
const mb = (n) => (n / 1048576).toFixed(1);
/** A probe that does not answer in time reads as `fallback`: a busy page must not stall the soak. */
const within = (promise, fallback, ms = 5000) =>
  Promise.race([promise.catch(() => fallback), new Promise((r) => setTimeout(() => r(fallback), ms))]);

/** Resident set of a process in bytes, from /proc (Linux: where the soak runs). */
const rssOf = (pid) => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};
const lines = [];
const say = (line) => (console.log(line), lines.push(line));

const server = await serveBuild();
const browser = await launchBrowser({ camera: entranceClip() });
let failed = false;
try {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(server.url);
  await waitForModels(page);
  const cdp = await context.newCDPSession(page);
  const browserCdp = await browser.newBrowserCDPSession();
  /** Renderer processes (one page here: the page and its worker share it) summed. */
  const rendererRss = async () => {
    const info = await within(browserCdp.send('SystemInfo.getProcessInfo'), { processInfo: [] });
    return info.processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + rssOf(p.id), 0);
  };
  await cdp.send('Performance.enable');
  // Entrance mode shows the people counted since start, from the same events the log receives.
  await page.getByTestId('entrance-toggle').click();
  await page.getByTestId('start-camera').click();
  const started = Date.now();
  const rows = [];
  say(`soak ${new Date().toISOString()}, ${minutes} min, a sample every ${every / 1000} s`);
  say('  min  page heap MB  renderer MB  DOM nodes  counted  logged');
  while (Date.now() - started < minutes * 60_000) {
    await page.waitForTimeout(Math.min(every, minutes * 60_000 - (Date.now() - started)));
    await within(cdp.send('HeapProfiler.collectGarbage'), null);
    const metrics = Object.fromEntries(
      (await within(cdp.send('Performance.getMetrics'), { metrics: [] })).metrics.map((m) => [m.name, m.value]),
    );
    const counted = await page
      .locator('[data-testid="entrance-counters"] [data-count]')
      .evaluateAll((els) => els.reduce((s, e) => s + Number(e.getAttribute('data-count')), 0));
    const logged = (await readLogged(page)).length;
    const row = {
      min: (Date.now() - started) / 60_000,
      heap: metrics.JSHeapUsedSize,
      nodes: metrics.Nodes,
      rss: await rendererRss(),
      counted,
      logged,
    };
    rows.push(row);
    say(
      `${row.min.toFixed(1).padStart(5)}  ${mb(row.heap).padStart(12)}  ${mb(row.rss).padStart(11)}  ${String(row.nodes).padStart(9)}  ${String(counted).padStart(7)}  ${String(logged).padStart(6)}`,
    );
  }
  await page.getByTestId('stop-camera').click();
  await page.waitForTimeout(1000);
  const counted = await page
    .locator('[data-testid="entrance-counters"] [data-count]')
    .evaluateAll((els) => els.reduce((s, e) => s + Number(e.getAttribute('data-count')), 0));
  const logged = (await readLogged(page)).length;
  const third = Math.max(1, Math.floor(rows.length / 3));
  const mean = (rs, k) => rs.reduce((s, r) => s + r[k], 0) / rs.length;
  const early = rows.slice(1, 1 + third).length ? rows.slice(1, 1 + third) : rows.slice(0, 1);
  const late = rows.slice(-third);
  const growth = mean(late, 'heap') / mean(early, 'heap') - 1;
  const rssGrowth = mean(late, 'rss') / mean(early, 'rss') - 1;
  say('\n| minutes | page heap MB (mean) | renderer MB (mean) | events logged in these 5 min |');
  say('|---|---|---|---|');
  for (let start = 0; start < minutes; start += 5) {
    const block = rows.filter((r) => r.min > start && r.min <= start + 5.01);
    if (!block.length) continue;
    const before = rows.filter((r) => r.min <= start).at(-1)?.logged ?? 0;
    say(
      `| ${start}–${start + 5} | ${mb(mean(block, 'heap'))} | ${mb(mean(block, 'rss'))} | ${block.at(-1).logged - before} |`,
    );
  }
  say(
    `\npeople counted ${counted}, events logged ${logged}; page heap ${(growth * 100).toFixed(1)} %, renderer ${(rssGrowth * 100).toFixed(1)} % (last third vs first third)`,
  );
  const errors = problems.filter((p) => p.startsWith('pageerror'));
  if (logged !== counted) ((failed = true), say(`FAIL: ${counted - logged} event(s) lost`));
  if (growth > 0.2) ((failed = true), say('FAIL: the JS heap grew by more than 20 %'));
  if (rssGrowth > 0.2) ((failed = true), say('FAIL: the renderer grew by more than 20 %'));
  if (counted === 0) ((failed = true), say('FAIL: nobody was counted'));
  if (errors.length) ((failed = true), say(`FAIL: page errors\n${errors.join('\n')}`));
  if (!failed) say('OK');
  if (values.out) writeFileSync(values.out, lines.join('\n') + '\n');
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
