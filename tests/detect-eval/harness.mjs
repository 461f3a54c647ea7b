// Shared set-up of the detection eval scripts: data sets, the eval page in headless Chromium.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
export const DATA = process.env.MASKGATE_DATA ?? '/work/shared/data';

/** Deterministic pseudo-random numbers in [0, 1) seeded by a string (FNV-1a, then an LCG). */
function seeded(text) {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return () => (h = (Math.imul(h, 1103515245) + 12345) >>> 0) / 4294967296;
}

const ASPECTS = [
  [4, 3],
  [3, 4],
  [16, 9],
  [1, 1],
];

/**
 * detect-zoom: frame-filling faces made from data/detect (whose photos are <= 640 px, so large faces in large
 * photos are rare there). Recipe, per photo with a face of shorter side >= 64 px (its largest such face),
 * every choice drawn from a generator seeded by the file name:
 * - fill f uniform in [0.4, 1.0]: the crop's shorter side is the face's longer side / f;
 * - crop aspect (w:h) one of 4:3, 3:4, 16:9, 1:1;
 * - the face's centre uniform over the crop such that up to 25 % of the face's width / height may lie outside
 *   the crop (faces cut by the photo's edge);
 * - the crop is then shifted inside the photo, and shrunk to the photo on an axis where it is larger;
 * - the crop is scaled (high-quality smoothing) so that its longer side is 960 or 1280 px (drawn).
 * Annotations: every face of the photo clipped to the crop and scaled; a face less than half inside is dropped.
 * Each view is `{ file: 'photo.jpg#zoom', src, crop: [x, y, w, h], size: [w, h], sharp, objects }`.
 * detect-zoom-sharp: the same views scaled up without smoothing (nearest pixel), so that they have the hard
 * pixel edges of a sharp large photo, which a one-step bilinear downscale to the model input aliases.
 */
export function zoomViews(images, { sharp = false } = {}) {
  const views = [];
  for (const im of images) {
    const big = im.objects.filter((o) => Math.min(o.bbox[2], o.bbox[3]) >= 64);
    if (big.length === 0) continue;
    const face = big.reduce((a, b) => (Math.min(b.bbox[2], b.bbox[3]) > Math.min(a.bbox[2], a.bbox[3]) ? b : a));
    const rand = seeded(im.file);
    const fill = 0.4 + 0.6 * rand();
    const [aw, ah] = ASPECTS[Math.floor(rand() * ASPECTS.length)];
    const [fx, fy, fw, fh] = face.bbox;
    const short = Math.max(fw, fh) / fill;
    let cw = aw >= ah ? (short * aw) / ah : short;
    let ch = aw >= ah ? short : (short * ah) / aw;
    cw = Math.min(cw, im.width);
    ch = Math.min(ch, im.height);
    // Face centre within the crop: from 0.25 fw outside the left edge... to 0.25 fw outside the right edge.
    const px = fw / 4 + rand() * Math.max(0, cw - fw / 2);
    const py = fh / 4 + rand() * Math.max(0, ch - fh / 2);
    const cx = Math.min(Math.max(0, fx + fw / 2 - px), im.width - cw);
    const cy = Math.min(Math.max(0, fy + fh / 2 - py), im.height - ch);
    const long = rand() < 0.5 ? 960 : 1280;
    const s = long / Math.max(cw, ch);
    const size = [Math.round(cw * s), Math.round(ch * s)];
    const objects = [];
    for (const o of im.objects) {
      const [x, y, w, h] = o.bbox;
      const x0 = Math.max(x, cx);
      const y0 = Math.max(y, cy);
      const x1 = Math.min(x + w, cx + cw);
      const y1 = Math.min(y + h, cy + ch);
      if (x1 <= x0 || y1 <= y0 || (x1 - x0) * (y1 - y0) < 0.5 * w * h) continue;
      objects.push({ ...o, bbox: [(x0 - cx) * s, (y0 - cy) * s, (x1 - x0) * s, (y1 - y0) * s] });
    }
    views.push({
      file: `${im.file}#zoom`,
      src: im.file,
      source: im.source,
      crop: [cx, cy, cw, ch],
      size,
      sharp,
      width: size[0],
      height: size[1],
      objects,
    });
  }
  return views;
}

/**
 * Loads an annotated set. `name` is detect | detect-zoom (see zoomViews) | scenes | scenes-real or a folder. `every` keeps every n-th photo
 * (sorted by file name) so a fixed subset of data/detect can be used on a slow machine; `source` keeps one source
 * (kaggle_andrewmvd, ilc2021).
 */
export async function loadSet(name, { every = 1, source } = {}) {
  const zoom = name === 'detect-zoom' || name === 'detect-zoom-sharp';
  const dir = zoom
    ? resolve(DATA, 'detect')
    : ['detect', 'scenes', 'scenes-real'].includes(name)
      ? resolve(DATA, name)
      : resolve(name);
  const annotations = JSON.parse(await readFile(resolve(dir, 'annotations.json'), 'utf8'));
  const all = zoom ? zoomViews(annotations.images, { sharp: name === 'detect-zoom-sharp' }) : annotations.images;
  const images = [...all]
    .sort((a, b) => (a.file < b.file ? -1 : 1))
    .filter((im) => !source || im.source === source)
    .filter((_, i) => i % every === 0);
  return { dir, images };
}

/** Starts the eval page on the given image folder and runs fn(page). */
export async function withEvalPage(dir, port, fn) {
  process.env.DETECT_EVAL_SCENES = dir;
  process.env.DETECT_EVAL_PORT = String(port);
  const server = await createServer({ configFile: resolve(here, 'vite.config.ts') });
  await server.listen();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => 'detectEval' in window, null, { timeout: 60_000 });
    return await fn(page);
  } finally {
    await browser.close();
    await server.close();
  }
}
