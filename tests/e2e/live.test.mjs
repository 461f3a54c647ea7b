// (b) Live mode with a fake camera fed a clip made from the CC0 scene photos: labelled boxes appear,
// follow the moving faces, and each person seen becomes one logged event that survives a reload and
// an offline restart; the CSV export parses.
// (c) Offline, in the same session: after that first visit the service worker has precached the app, the wasm and
// the models; with the network gone the page reloads, loads its models and checks a photo. (Its own file loaded
// and precached the app once more, ~14 s on 2 cores.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCameraClip } from '../../scripts/make-camera-clip.mjs';
import { waitForLogged } from './faults-kit.mjs';
import { LIVE_WAIT_MS, readFaces, tempDir, waitForModels, watchPage, withBuildAndBrowser } from './harness.mjs';
import { iou, loadScenes } from './sceneEval.mjs';

const SIZE = { width: 640, height: 480 };
const PAN = 0.12;
const SECONDS = 4;
// Empty frames between people, longer than the tracker's memory (1 s) plus the oldest rotating-tile result the
// detector still merges (0.7 s): each person's track has ended before the next comes. With 1.5 s, one clean-clone
// CI run (2026-11-30) logged two people as one.
const GAP = 2;
// A person with a mask, then one without; the clip loops.
const PHOTOS = ['maksssksksss63.jpg', 'maksssksksss841.jpg'];

const env = withBuildAndBrowser(() => {
  const clip = join(tempDir('maskgate-'), 'entrance.y4m');
  makeCameraClip({
    out: clip,
    photos: PHOTOS.map((p) => `tests/fixtures/scenes/${p}`),
    ...SIZE,
    fps: 15,
    seconds: SECONDS,
    pan: PAN,
    gap: GAP,
  });
  return { camera: clip };
});

/** Where the annotated face of a photo lands in the clip's frame at horizontal pan offset `dx`. */
function faceInFrame(file, dx) {
  const scene = loadScenes('tests/fixtures/scenes').find((s) => s.file === file);
  const wide = 2 * Math.round((SIZE.width * (1 + PAN)) / 2);
  const scale = Math.min(wide / scene.width, SIZE.height / scene.height);
  const padX = (wide - scene.width * scale) / 2;
  const padY = (SIZE.height - scene.height * scale) / 2;
  const [x, y, w, h] = scene.objects[0].bbox;
  return [padX + x * scale - dx, padY + y * scale, w * scale, h * scale];
}

test('live: labelled faces appear, follow the video, are logged once per person; reload and offline restart keep them, photos work offline', async () => {
  // With its service worker: the test ends with an offline restart.
  const context = await env.browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(env.server.url);
  await waitForModels(page);
  await page.getByTestId('start-camera').click();

  // How fast is `npm run bench`'s job (labelLatencyMs); here a busy machine must not fail the test.
  const started = Date.now();
  // The first label seen starts the sequence: under load its person may leave before the sampling below
  // reads the list again.
  const firstLabel = await page.waitForFunction(
    () =>
      document
        .querySelector('[data-testid="live-screen"] li[data-label]:not([data-label=""])')
        ?.getAttribute('data-label'),
    null,
    { timeout: LIVE_WAIT_MS, polling: 50 },
  );
  console.log(`first labelled face after ${Date.now() - started} ms`);

  // Sample the list while the clip plays: boxes must move with the pan and sit on the annotated face.
  const travel = 2 * Math.round((SIZE.width * (1 + PAN)) / 2) - SIZE.width;
  const samples = [];
  const sequence = [await firstLabel.jsonValue()];
  const deadline = Date.now() + LIVE_WAIT_MS;
  while (Date.now() < deadline) {
    const faces = await readFaces(page.locator('[data-testid="live-screen"]'));
    const labelled = faces.filter((f) => f.label);
    if (labelled.length === 1) {
      const label = labelled[0].label;
      if (sequence.at(-1) !== label && sequence.length < 3) sequence.push(label);
      if (label === 'correct') samples.push(labelled[0].box);
    }
    // Three people in turn (the clip alternates the masked and the unmasked person); while the third is the
    // masked one, keep sampling it until there are enough boxes (a late first label leaves few from the first).
    const current = labelled.length === 1 ? labelled[0].label : null;
    if (sequence.length >= 3 && (samples.length >= 5 || current !== 'correct')) break;
    await page.waitForTimeout(150);
  }
  const alternating = sequence[0] === 'correct' ? ['correct', 'none', 'correct'] : ['none', 'correct', 'none'];
  assert.deepEqual(sequence, alternating, `label sequence seen: ${sequence.join(' → ')}`);
  const xs = samples.map((b) => b[0]);
  assert.ok(samples.length >= 5, `only ${samples.length} samples of the first face`);
  assert.ok(
    Math.max(...xs) - Math.min(...xs) >= travel / 4,
    `box x moved only ${Math.max(...xs) - Math.min(...xs)} px (pan ${travel} px)`,
  );
  for (const box of samples) {
    const best = Math.max(...Array.from({ length: 21 }, (_, i) => iou(faceInFrame(PHOTOS[0], (travel * i) / 20), box)));
    assert.ok(best >= 0.4, `box ${box} is not on the face (best IoU ${best.toFixed(2)})`);
  }

  // The third person is logged once final: settled (3 s in view) or gone. Stopping the camera at once would
  // log them too, but only once their track has 3 frames: on an idle machine this loop saw their first label
  // within 0.2 s of their first frame and stopped before it (3 of 6 runs alone, 2026-12-01).
  await waitForLogged(
    page,
    (events) =>
      [...events]
        .sort((a, b) => a.firstSeen - b.firstSeen)
        .slice(-sequence.length)
        .map((e) => e.label)
        .join() === sequence.join(),
  );
  await page.getByTestId('stop-camera').click();
  await page.getByTestId('nav-history').click();
  const history = page.getByTestId('history-list');
  await history.waitFor();
  const readEvents = () =>
    page
      .locator('[data-testid="history-list"] tbody tr')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="history-list"] tbody tr').length >= n,
    sequence.length,
  );
  const events = await readEvents();
  // One event per person, newest first. The people labelled while sampling are the last ones logged; one
  // more may come before them: under load the first person can leave while the classifier still warms up,
  // and is logged when its late label arrives without ever showing one (seen in CI). The clip alternates
  // the two people, so a person logged twice would show as the same label twice in a row.
  const chronological = [...events].reverse();
  assert.deepEqual(chronological.slice(-sequence.length), sequence, `events: ${chronological.join(' → ')}`);
  assert.ok(chronological.length <= sequence.length + 1, `events: ${chronological.join(' → ')}`);
  assert.ok(
    chronological.every((label, i) => i === 0 || label !== chronological[i - 1]),
    `a person was logged twice: ${chronological.join(' → ')}`,
  );

  // Survives a reload…
  await page.reload();
  await waitForModels(page);
  await page.getByTestId('nav-history').click();
  await history.waitFor();
  assert.deepEqual(await readEvents(), events);
  // …and an offline restart from the service worker's cache: an active worker has installed, and its install
  // is the precache of every file (wasm and models included).
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  const failedRequests = [];
  page.on('requestfailed', (r) => failedRequests.push(r.url()));
  await page.reload();
  await waitForModels(page);
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP must survive the service-worker cache');
  await page.getByTestId('nav-history').click();
  await history.waitFor();
  assert.deepEqual(await readEvents(), events);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('history-export-csv').click()]);
  const rows = readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  assert.match(rows[0], /^id,time_iso,/);
  assert.equal(rows.length, 1 + events.length);
  assert.deepEqual(
    rows.slice(1).map((r) => r.split(',')[6]),
    events,
  );

  // Photo mode offline: its detectors come from the cache too.
  await page.getByTestId('nav-photo').click();
  await page.getByTestId('photo-input').setInputFiles('tests/fixtures/scenes/maksssksksss63.jpg');
  const card = page.locator('[data-testid="photo-result"][data-status="done"]');
  await card.waitFor({ timeout: 120_000 });
  const faces = await readFaces(card);
  assert.equal(faces.length, 1);
  assert.equal(faces[0].label, 'correct');
  // That was a later start: it knew this browser has no WebGPU adapter, so its classifier worker started the
  // plain WASM runtime before asking again (workers/classifier.worker.ts startRuntime). Still WASM, said why.
  assert.equal(await page.evaluate(() => localStorage.getItem('maskgate.webgpuAdapter')), 'none');
  await page.getByTestId('nav-live').click();
  await waitForModels(page);
  assert.match(await page.getByTestId('backend').innerText(), /^WASM/);
  assert.match(await page.getByTestId('status-line').innerText(), /no WebGPU adapter/);
  assert.deepEqual(failedRequests, []);
  assert.deepEqual(
    problems.filter((p) => p.startsWith('pageerror')),
    [],
  );
  await context.close();
});

test('entrance mode: full-screen counters count each person, alert on no mask, screen kept awake', async () => {
  const context = await env.browser.newContext();
  // Record wake-lock requests: headless Chromium has no screen to keep on, but the request must be made.
  await context.addInitScript(() => {
    window.__wakeLocks = 0;
    if ('wakeLock' in navigator) {
      const request = navigator.wakeLock.request.bind(navigator.wakeLock);
      navigator.wakeLock.request = (type) => {
        window.__wakeLocks++;
        return request(type);
      };
    }
  });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await waitForModels(page);
  await page.getByTestId('start-camera').click();
  await page.getByTestId('entrance-toggle').click();
  const screen = page.getByTestId('live-screen');
  assert.match(await screen.getAttribute('class'), /\bentrance\b/);
  const count = (label) =>
    page.locator(`[data-testid="entrance-counters"] [data-label="${label}"]`).getAttribute('data-count').then(Number);
  // The clip alternates a masked and an unmasked person: both counters must move, "incorrect" must not.
  await page.waitForFunction(
    () =>
      ['correct', 'none'].every(
        (l) =>
          Number(
            document.querySelector(`[data-testid="entrance-counters"] [data-label="${l}"]`)?.getAttribute('data-count'),
          ) >= 1,
      ),
    null,
    { timeout: LIVE_WAIT_MS },
  );
  assert.equal(await count('incorrect'), 0);
  // A person logged without a mask flashed the screen (the class stays on for 0.7 s, so poll for it).
  const flashed = await page
    .waitForFunction(
      () => document.querySelector('[data-testid="live-screen"]')?.classList.contains('alert-flash'),
      null,
      { timeout: LIVE_WAIT_MS },
    )
    .then(
      () => true,
      () => false,
    );
  assert.ok(flashed, 'no alert flash for a person without a mask');
  assert.ok((await page.evaluate(() => window.__wakeLocks)) >= 1, 'no wake lock requested');
  await page.getByTestId('entrance-toggle').click();
  assert.doesNotMatch(await screen.getAttribute('class'), /\bentrance\b/);
  await context.close();
});
