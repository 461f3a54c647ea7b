// Fault suite, privacy and security (see FAULTS.md): the built page has no inline script and its CSP is in
// force; a whole session (load, live, photo, history, export) sends nothing to any other origin — checked
// both by Playwright's request events (pages and workers) and by a proxy that every non-loopback request of
// the browser, service worker included, would have to pass; face thumbnails are stored only once turned on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { launchBrowser, serveBuild, waitForModels, watchPage } from './harness.mjs';
import { entranceClip, readLogged, waitForLogged } from './faults-kit.mjs';

const BROWSER_SERVICES =
  /^(CONNECT |[A-Z]+ https?:\/\/)(accounts\.google\.com|content-autofill\.googleapis\.com|update\.googleapis\.com|optimizationguide-pa\.googleapis\.com|safebrowsing\.googleapis\.com|clients\d*\.google\.com|redirector\.gvt1\.com)[:/]/;

let server;
let browser;
let proxy;
/** Every request that reached the proxy, i.e. left for somewhere other than this machine's loopback. */
const escaped = [];
before(async () => {
  const clip = entranceClip();
  server = await serveBuild();
  proxy = createServer((req, res) => {
    escaped.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  proxy.on('connect', (req, socket) => {
    escaped.push(`CONNECT ${req.url}`);
    socket.destroy();
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  browser = await launchBrowser({
    camera: clip,
    extraArgs: [`--proxy-server=http://127.0.0.1:${proxy.address().port}`],
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => proxy?.close(r));
});

test('privacy: the built page has no inline script and a CSP that is in force (connect-src self)', async (t) => {
  const html = readFileSync('dist/index.html', 'utf8');
  for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [])
    assert.match(tag, /^<script\b[^>]*\bsrc=/, `inline script: ${tag}`);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler');
  const csp = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1] ?? '';
  assert.match(csp, /connect-src 'self'[^;]*;/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline[^;]*script|script-src[^;]*unsafe-inline/);

  const context = await browser.newContext({ serviceWorkers: 'block' });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(server.url);
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    const fetched = await fetch('https://example.com/collect', { method: 'POST', body: 'x' }).then(
      () => 'sent',
      () => 'blocked',
    );
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return { fetched, inlineRan: window.__inlineRan === true, violations };
  });
  assert.equal(outcome.fetched, 'blocked');
  assert.equal(outcome.inlineRan, false);
  assert.ok(
    outcome.violations.some((v) => v.startsWith('connect-src https://example.com')),
    outcome.violations.join('; '),
  );
  assert.ok(
    outcome.violations.some((v) => v.startsWith('script-src')),
    outcome.violations.join('; '),
  );
});

test('privacy: a whole session (load, live, photo, history, export) makes zero requests to other origins; thumbnails only when turned on', async (t) => {
  escaped.length = 0;
  // With its service worker: its fetches are requests too, and the session goes on to "offline ready".
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  t.after(() => context.close());
  const origin = new URL(server.url).origin;
  const foreign = [];
  context.on('request', (r) => {
    if (!r.url().startsWith(origin) && !/^(blob|data):/.test(r.url())) foreign.push(`${r.method()} ${r.url()}`);
  });
  // MediaPipe's telemetry logger would POST to a Google endpoint every 60 s: the CSP must stop it before the network.
  // Its timer is `setInterval(flush, 6e4)` (vision_bundle.mjs); the page's 60 000 ms intervals run every 3 s
  // here so the flush happens inside the session, and the test waits for the blocked POST instead of sleeping
  // 65 s (the whole test took 66 s, now ~25 s). Nothing else in the app uses a 60 s interval.
  await context.addInitScript(() => {
    const setIntervalOf = window.setInterval.bind(window);
    window.setInterval = (handler, ms, ...rest) => setIntervalOf(handler, ms === 60_000 ? 3_000 : ms, ...rest);
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(server.url);
  await waitForModels(page);
  await page.getByTestId('offline-ready').waitFor({ timeout: 120_000 });

  // Live, thumbnails off (the default): events carry no face image.
  await page.getByTestId('start-camera').click();
  const first = await waitForLogged(page, 1);
  await page.getByTestId('stop-camera').click();
  const before = await readLogged(page);
  assert.ok(before.length >= first.length);
  assert.deepEqual(
    before.filter((e) => e.thumbnail > 0),
    [],
    'a face image was stored with thumbnails off',
  );

  // The user turns thumbnails on in Settings: new events then carry one.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-thumbnails').check();
  await page.getByTestId('nav-live').click();
  await page.getByTestId('start-camera').click();
  await waitForLogged(page, before.length + 1);
  await page.getByTestId('stop-camera').click();
  const withThumbs = (await readLogged(page)).filter((e) => !before.some((b) => b.id === e.id));
  assert.ok(withThumbs.length >= 1 && withThumbs.every((e) => e.thumbnail > 0), JSON.stringify(withThumbs));

  await page.getByTestId('nav-photo').click();
  await page.getByTestId('photo-input').setInputFiles('tests/fixtures/scenes/maksssksksss63.jpg');
  await page.locator('[data-testid="photo-result"][data-status="done"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-list').waitFor();
  await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export-csv').click()]);
  await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export-json').click()]);

  // The telemetry flush has been tried and blocked by the CSP (a request that got past it fails below).
  await page.waitForFunction(() => window.__violations.some((v) => v.includes('odml.pa.googleapis.com')), null, {
    timeout: 30_000,
  });
  const violations = await page.evaluate(() => window.__violations);
  console.log(
    `CSP violations in the session (blocked before the network): ${violations.length ? violations.join('; ') : 'none'}`,
  );
  assert.deepEqual(foreign, [], 'requests to other origins');
  // Chromium's own background services (sign-in, autofill, component updates) also use the proxy; they are
  // the browser's, not the page's, and are listed apart. Anything else — MediaPipe's telemetry included — fails.
  const fromApp = escaped.filter((r) => !BROWSER_SERVICES.test(r));
  console.log(`browser-internal requests seen by the proxy (not the app): ${escaped.length - fromApp.length}`);
  assert.deepEqual(fromApp, [], 'requests that left the machine');
  assert.equal(
    escaped.some((r) => r.includes('odml.pa.googleapis.com')),
    false,
  );
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
});
