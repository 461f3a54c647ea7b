// Shared e2e plumbing: the production build served by `vite preview`, and Debian's Chromium driven by
// playwright-core (playwright cannot download browsers here).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Ceiling for a wait on the live loop (a first label, the next logged event, a status change). The waits end
 * as soon as their condition holds; the ceiling is generous because a CI machine shared with other jobs can
 * slow detection and classification many-fold (MASKGATE_E2E_LIVE_WAIT_MS overrides it). How fast labels come
 * is measured by `npm run bench`, not here.
 */
export const LIVE_WAIT_MS = Number(process.env.MASKGATE_E2E_LIVE_WAIT_MS ?? 120_000);
/** Ceiling for the other UI waits that name none (Playwright's own default is 30 s). */
export const UI_WAIT_MS = 90_000;

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * A new folder under the system's temp folder, removed when this test file's process exits: the camera clips
 * (~60 MB each) were left behind, ~0.5 GB per run of the suite (24 GB had gathered in /tmp on this machine).
 */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Serves dist/ with the same COOP/COEP headers as production; returns its origin and a closer.
 * `mounts` ({'/__test__/x/': 'tests/fixtures/x'}) also serves test-only files from those folders, never
 * part of the build: e.g. the tiny model the WebGPU parity test loads through the app's own worker.
 * `proxy` is vite's preview.proxy: e.g. the sync test serves its CouchDB-API server under /couch on the
 * app's own origin, the deployment the README documents (the CSP's connect-src 'self' holds).
 *
 * Without mounts or proxy, the server that MASKGATE_E2E_APP_URL names is used when set: scripts/test.sh starts
 * one (tests/e2e/serve.mjs) for the whole run, where each test file used to import vite and start its own
 * (~1.9 s per file, 2026-11-30). Vite is imported only when a server is started here.
 */
export async function serveBuild(port = 0, { mounts = {}, proxy } = {}) {
  const shared = process.env.MASKGATE_E2E_APP_URL;
  if (shared && port === 0 && Object.keys(mounts).length === 0 && !proxy)
    return { url: new URL('/', shared).href, close: async () => undefined };
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first');
  const { preview } = await import('vite');
  const plugins = Object.entries(mounts).map(([prefix, dir]) => ({
    name: `maskgate-test-mount:${prefix}`,
    configurePreviewServer(server) {
      const root = resolve(dir);
      server.middlewares.use(prefix, (req, res, next) => {
        const file = resolve(join(root, decodeURIComponent((req.url ?? '/').split('?')[0])));
        if (!file.startsWith(root + sep) || !existsSync(file)) return next();
        const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
        res.writeHead(200, {
          'Content-Type': type,
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
          'Cross-Origin-Resource-Policy': 'same-origin',
          'Cache-Control': 'no-store',
        });
        res.end(readFileSync(file));
      });
    },
  }));
  const server = await preview({
    preview: { port, strictPort: false, host: '127.0.0.1', ...(proxy ? { proxy } : {}) },
    logLevel: 'error',
    plugins,
  });
  const address = server.httpServer.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`;
  return { url, close: () => new Promise((r) => server.httpServer.close(() => r())) };
}

/**
 * Launches Chromium. `camera`: a y4m file for the fake camera; `webgpu`: SwiftShader WebGPU; `jsFlags`: V8
 * flags (default MASKGATE_E2E_JS_FLAGS, which scripts/test.sh sets; null for none).
 */
function browserArgs({
  camera = null,
  webgpu = false,
  extraArgs = [],
  jsFlags = process.env.MASKGATE_E2E_JS_FLAGS,
} = {}) {
  const args = [...BASE_ARGS, ...extraArgs];
  if (jsFlags) args.push(`--js-flags=${jsFlags}`);
  if (camera)
    args.push(
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${camera}`,
    );
  if (webgpu)
    args.push(
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-angle=swiftshader',
      '--use-webgpu-adapter=swiftshader',
    );
  return args;
}

/**
 * A browser with a real profile in `dir` (disk HTTP cache, as a user's): contexts from launchBrowser are
 * incognito, whose memory cache keeps no entry over ~10 MB, so the big wasm files are never reused from it.
 */
export async function launchProfile(dir, options = {}) {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: browserArgs(options),
  });
  context.setDefaultTimeout(UI_WAIT_MS);
  return context;
}

export async function launchBrowser(options = {}) {
  const args = browserArgs(options);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  // Playwright's 30 s default for waits without their own ceiling is short on a loaded machine; every
  // context (browser.newPage() makes one too) gets UI_WAIT_MS instead.
  // The service worker is blocked unless a test asks for it (`serviceWorkers: 'allow'`: the live test's offline
  // restart, the first-visit fault and the privacy session, whose subject it is): its precache of every model and wasm file after the
  // page is up cost ~5 s of CPU per fresh context on 2 cores (renderer, browser, network service and this
  // process serving ~75 MB; 6.3 s to load the app itself; 2026-11-30), in tests that never use it.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}, ...rest) => {
    const context = await newContext({ serviceWorkers: 'block', ...options }, ...rest);
    context.setDefaultTimeout(UI_WAIT_MS);
    return context;
  };
  return browser;
}

/** Collects console errors and page errors so a test can print them when it fails. */
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

/** The events in the app's IndexedDB log, each with `hasThumbnail` in place of its thumbnail (a Blob). */
export function storedEvents(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('maskgate-log');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = await new Promise((resolve, reject) => {
      const r = db.transaction('events').objectStore('events').getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return all.map(({ thumbnail, ...event }) => ({ ...event, hasThumbnail: Boolean(thumbnail) }));
  });
}

/**
 * History → "All entrances", once it shows `total` events in the counts and in the per-entrance rows (they
 * load separately after the switch).
 */
export async function showAllEntrances(page, total) {
  await page.getByTestId('history-scope-all').check();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="history-count-total"]')?.textContent === String(n) &&
      [...document.querySelectorAll('[data-testid="history-entrance-total"]')].reduce(
        (sum, td) => sum + Number(td.textContent),
        0,
      ) === n,
    total,
  );
}

/** Waits until both models are loaded (or a load error is shown) and returns which. */
export async function waitForModels(page, timeout = 120_000) {
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="model-error"]') ||
      (!document.querySelector('[data-testid="model-progress"]') &&
        document.querySelector('[data-testid="backend"]')?.textContent !== '—'),
    null,
    { timeout },
  );
  const error = await page.locator('[data-testid="model-error"]').count();
  if (error) throw new Error(`models failed to load: ${await page.locator('[data-testid="model-error"]').innerText()}`);
}

/** Reads the results list of a photo card: [{label, score, box:[x,y,w,h]}]. */
export async function readFaces(scope) {
  return scope.locator('li[data-box]').evaluateAll((items) =>
    items.map((li) => ({
      label: li.getAttribute('data-label'),
      score: Number(li.getAttribute('data-score')),
      box: (li.getAttribute('data-box') ?? '').split(',').map(Number),
    })),
  );
}

/**
 * For a test file: serves the build and launches one browser before its tests, closes both after.
 * `options` (or a function returning them, called in the hook) go to launchBrowser.
 */
export function withBuildAndBrowser(options = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await serveBuild();
    env.browser = await launchBrowser(typeof options === 'function' ? options() : options);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
