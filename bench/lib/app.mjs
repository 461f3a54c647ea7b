// Measurements on the built app (dist/, served by tests/e2e/harness.mjs) in Chromium: the live loop,
// start-up and memory. Nothing in the app is changed: the page is instrumented from outside.
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { launchBrowser, launchProfile, waitForModels } from '../../tests/e2e/harness.mjs';
import { summary } from './stats.mjs';

/**
 * Runs before any app script: records long tasks, the live loop's main-thread work per analysed frame (its
 * frame copy and its analysis task, which the app measures) and every WebAssembly.Memory the page creates
 * (MediaPipe).
 */
function instrument() {
  const b = (window.__bench = { longtasks: [], frames: [], memories: [], labelLatency: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
  // The live loop's measures (src/pipeline/liveLoop.ts): a face's first detection to its first label, and the
  // main-thread work per analysed frame.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'maskgate:label-latency') b.labelLatency.push([e.startTime, e.duration]);
      if (e.name === 'maskgate:frame-work') b.frames.push([e.startTime, e.duration]);
    }
  }).observe({ type: 'measure' });
  const keep = (m) => m instanceof WebAssembly.Memory && b.memories.push(new WeakRef(m));
  const fromResult = (r) => {
    for (const v of Object.values((r.instance ?? r).exports)) keep(v);
    return r;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const f = WebAssembly[name];
    WebAssembly[name] = (...args) => f.apply(WebAssembly, args).then(fromResult);
  }
  WebAssembly.Memory = new Proxy(WebAssembly.Memory, {
    construct(target, args) {
      const m = new target(...args);
      keep(m);
      return m;
    },
  });
}

/** A pass-through proxy in front of the preview server that counts response bytes, service worker and workers included. */
async function countingProxy(target) {
  const upstream = new URL(target);
  // perFile: bytes of each response body by path without the query (a versioned URL and a bare one are one file).
  const counter = { bytes: 0, requests: 0, perFile: new Map() };
  const server = http.createServer((req, res) => {
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        const file = (req.url ?? '').split('?')[0];
        const sizes = counter.perFile.get(file) ?? [];
        counter.perFile.set(file, sizes);
        const at = sizes.push(0) - 1;
        r.on('data', (chunk) => ((counter.bytes += chunk.length), (sizes[at] += chunk.length)));
        r.pipe(res);
        counter.requests++;
      },
    );
    req.pipe(up);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    counter,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function openApp(browser) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
  return { context, page };
}

async function startCamera(page) {
  await page.getByTestId('start-camera').click();
  await page.locator('li[data-box]').first().waitFor({ timeout: 60_000 });
}

/** Reads the numbers the status line shows: detection ms (smoothed by the app) and the last classify ms. */
async function statusNumbers(page) {
  const text = await page.getByTestId('status-line').innerText();
  const num = (re) => (re.exec(text) ? Number(re.exec(text)[1]) : null);
  return {
    detectMs: num(/\((\d+) ms\)/),
    classifyMs: num(/classify (\d+) ms/),
    backend: await page.getByTestId('backend').innerText(),
    model: await page.getByTestId('classifier-model').innerText(),
  };
}

/** Live loop with a fake camera clip: `seconds` of measurement after `settleS` of warm-up. */
export async function benchLive({ url, clip, faces, seconds, settleS = 3 }) {
  const browser = await launchBrowser({ camera: clip });
  try {
    const { page } = await openApp(browser);
    await page.goto(url);
    await waitForModels(page);
    await startCamera(page);
    await page.waitForTimeout(settleS * 1000);
    const t0 = await page.evaluate(() => performance.now());
    const samples = [];
    for (let i = 0; i < seconds * 2; i++) {
      await page.waitForTimeout(500);
      samples.push({ ...(await statusNumbers(page)), faces: await page.locator('li[data-box]').count() });
    }
    const b = await page.evaluate((from) => {
      const b = window.__bench;
      return {
        now: performance.now(),
        frames: b.frames.filter(([t]) => t >= from),
        longtasks: b.longtasks.filter(([t]) => t >= from),
        // Every face since the camera started, the first included: its wait is what a person sees too.
        labelLatency: b.labelLatency.map(([, d]) => d),
      };
    }, t0);
    const span = (b.now - t0) / 1000;
    const longMs = b.longtasks.map(([, d]) => d);
    const pick = (k) => samples.map((s) => s[k]).filter((v) => v !== null);
    return {
      faces,
      backend: samples.at(-1)?.backend,
      model: samples.at(-1)?.model,
      seconds: span,
      fps: b.frames.length / span,
      frameMs: summary(b.frames.map(([, d]) => d)),
      detectMsStatus: summary(pick('detectMs')),
      classifyMsStatus: summary(pick('classifyMs')),
      labelLatencyMs: summary(b.labelLatency),
      facesShown: summary(pick('faces')),
      longtaskMsPerS: longMs.reduce((a, d) => a + d, 0) / span,
      longtaskMaxMs: longMs.length ? Math.max(...longMs) : 0,
      longtasks: longMs.length,
    };
  } finally {
    await browser.close();
  }
}

/**
 * First visit (empty profile, everything over the network) then warm starts in the same profile (the
 * service worker's precache): time to the models being ready and to the first labelled face after
 * pressing start, and the bytes the server sent; last, a warm start with Start pressed at once.
 */
export async function benchStartup({ url, clip }) {
  const proxy = await countingProxy(url);
  // A real profile: its disk cache is what a user's first visit shares between the page and the precache.
  const profile = mkdtempSync(join(os.tmpdir(), 'maskgate-profile-'));
  const context = await launchProfile(profile, { camera: clip });
  try {
    /** `atOnce`: Start is pressed as soon as the page shows it (the camera then opens while the models load). */
    const visit = async (kind, atOnce = false) => {
      proxy.counter.bytes = proxy.counter.requests = 0;
      proxy.counter.perFile.clear();
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(proxy.url);
      let modelsMs = null;
      let firstResultMs = null;
      if (!atOnce) {
        await waitForModels(page, 180_000);
        modelsMs = Date.now() - t0;
      }
      const t1 = Date.now();
      await page.getByTestId('start-camera').click();
      await page.locator('li[data-label]:not([data-label=""])').first().waitFor({ timeout: 120_000 });
      if (!atOnce) firstResultMs = Date.now() - t1;
      const totalMs = Date.now() - t0;
      const backend = await page.getByTestId('backend').innerText();
      if (kind === 'first') {
        // The precache is complete once the worker is active; only then is the next visit a warm one, and
        // only then are all of the first visit's bytes in.
        await page.evaluate(() =>
          Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 60_000))]).then(
            () => undefined,
          ),
        );
      }
      const { bytes, requests, perFile } = proxy.counter;
      // Unique bytes: each file once, at its largest response (a 304 revalidation sends none).
      const uniqueBytes = [...perFile.values()].reduce((sum, sizes) => sum + Math.max(...sizes), 0);
      const twice = [...perFile].filter(([, sizes]) => sizes.filter((n) => n > 0).length > 1).map(([f]) => f);
      await page.close();
      return {
        kind,
        backend,
        modelsMs,
        firstResultMs,
        totalMs,
        bytes,
        uniqueBytes,
        requests,
        downloadedTwice: twice,
      };
    };
    // Three warm starts: the first after install is slower (V8 has not yet cached the scripts' code: 2.4–2.7 s
    // against 1.7–2.2 s for the next ones in a probe, 2026-11-30), and these single runs are noisy.
    const visits = [await visit('first')];
    for (let i = 1; i <= 3; i++) visits.push(await visit(`warm ${i}`));
    visits.push(await visit('warm, Start pressed at once', true));
    return visits;
  } finally {
    await context.close();
    await proxy.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Resident memory (kB) of Chromium's renderer processes started by this Node process (page, workers). */
function rendererRssKb() {
  const parent = new Map();
  const procs = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) procs.push(pid);
    } catch {
      // The process ended while being read.
    }
  }
  const mine = (pid) => {
    for (let p = pid; p && p !== '1' && p !== '0'; p = parent.get(p)) if (p === String(process.pid)) return true;
    return false;
  };
  let kb = 0;
  for (const pid of procs.filter(mine)) {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) kb += Number(m[1]);
  }
  return kb;
}

/** Live running with the 3-face clip for `minutes`, sampling JS heap, wasm memory and renderer RSS. */
export async function benchMemory({ url, clip, minutes, everyS }) {
  const browser = await launchBrowser({
    camera: clip,
    extraArgs: ['--enable-precise-memory-info', '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  try {
    const { page } = await openApp(browser);
    await page.goto(url);
    await waitForModels(page);
    await startCamera(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const samples = [];
    const t0 = Date.now();
    for (;;) {
      await cdp.send('HeapProfiler.collectGarbage');
      const metrics = Object.fromEntries(
        (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
      );
      const page_ = await page.evaluate(async () => {
        const wasm = window.__bench.memories.map((r) => r.deref()?.buffer.byteLength ?? 0).reduce((a, b) => a + b, 0);
        // Covers the classifier worker too (its ORT heap); needs cross-origin isolation, which the app has.
        const all = await Promise.race([
          performance.measureUserAgentSpecificMemory?.().then((r) => r.bytes),
          new Promise((r) => setTimeout(() => r(null), 10_000)),
        ]);
        return { wasm, all: all ?? null };
      });
      samples.push({
        s: (Date.now() - t0) / 1000,
        jsHeapUsed: metrics.JSHeapUsedSize,
        jsHeapTotal: metrics.JSHeapTotalSize,
        mainWasm: page_.wasm,
        uaMemory: page_.all,
        rendererRss: rendererRssKb() * 1024,
        faces: await page.locator('li[data-box]').count(),
      });
      if (Date.now() - t0 >= minutes * 60_000) break;
      await page.waitForTimeout(Math.min(everyS * 1000, Math.max(0, minutes * 60_000 - (Date.now() - t0))));
    }
    return { minutes, samples };
  } finally {
    await browser.close();
  }
}
