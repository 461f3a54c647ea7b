#!/usr/bin/env node
/**
 * Evaluates face detection strategies in headless Chromium on annotated scenes.
 *
 *   node tests/detect-eval/run.mjs [scenesDir] [--port 5301] [--only name,name] [--write]
 *
 * Recall counts annotated faces whose shorter box side is >= 40 px, matched
 * one-to-one at IoU >= 0.4; a false positive is a detection with IoU < 0.4
 * to every annotated face (of any size). --write stores the table in RESULTS.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { matchBoxes, xywh } from '../helpers/faceMatch.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const port = Number(flag('--port') ?? 5301);
const only = flag('--only')?.split(',');
const write = args.includes('--write') && args.splice(args.indexOf('--write'), 1);
const scenes = resolve(args[0] ?? '/work/shared/data/scenes');
const MIN_FACE = 40;
const MATCH_IOU = 0.4;

const RAW = { boxScale: 1, boxShiftY: 0 };
const STRATEGIES = [
  // Baselines: whole frame only, BlazeFace box as is.
  { name: 'short-full-frame-raw', model: 'short', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1], ...RAW } },
  { name: 'full-full-frame-raw', model: 'full', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1], ...RAW } },
  { name: 'short-full-frame', model: 'short', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1] } },
  { name: 'full-full-frame', model: 'full', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1] } },
  {
    name: 'full-full-frame-scale1.2',
    model: 'full',
    minScore: 0.5,
    mode: 'image',
    tuning: { imageLevels: [1], boxScale: 1.2 },
  },
  // Tile pyramids.
  { name: 'short-tiles-1-2', model: 'short', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1, 2] } },
  { name: 'short-tiles-1-2-3', model: 'short', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1, 2, 3] } },
  { name: 'full-tiles-1-2', model: 'full', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1, 2] } },
  { name: 'full-tiles-1-2-3', model: 'full', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1, 2, 3] } },
  { name: 'full-tiles-1-2-raw', model: 'full', minScore: 0.5, mode: 'image', tuning: { imageLevels: [1, 2], ...RAW } },
  { name: 'short-tiles-1-2-3-s0.7', model: 'short', minScore: 0.7, mode: 'image', tuning: { imageLevels: [1, 2, 3] } },
  { name: 'short-tiles-1-2-s0.6', model: 'short', minScore: 0.6, mode: 'image', tuning: { imageLevels: [1, 2] } },
  { name: 'short-tiles-1-2-s0.65', model: 'short', minScore: 0.65, mode: 'image', tuning: { imageLevels: [1, 2] } },
  { name: 'video640-short-1+2x2-s0.6', model: 'short', minScore: 0.6, mode: 'video', frame: [640, 480], tuning: {} },
  { name: 'short-tiles-1-2-s0.7', model: 'short', minScore: 0.7, mode: 'image', tuning: { imageLevels: [1, 2] } },
  { name: 'full-tiles-1-2-s0.4', model: 'full', minScore: 0.4, mode: 'image', tuning: { imageLevels: [1, 2] } },
  { name: 'full-tiles-1-2-s0.6', model: 'full', minScore: 0.6, mode: 'image', tuning: { imageLevels: [1, 2] } },
  // Live video: 640x480 / 1280x720 frame, whole frame + rotating tiles.
  { name: 'video640-short-1+2x2', model: 'short', minScore: 0.5, mode: 'video', frame: [640, 480], tuning: {} },
  {
    name: 'video640-full-1',
    model: 'full',
    minScore: 0.5,
    mode: 'video',
    frame: [640, 480],
    tuning: { videoLevels: [1] },
  },
  { name: 'video640-full-1+2x2', model: 'full', minScore: 0.5, mode: 'video', frame: [640, 480], tuning: {} },
  { name: 'video1280-full-1+2x2', model: 'full', minScore: 0.5, mode: 'video', frame: [1280, 720], tuning: {} },
  {
    name: 'video1280-short-1+2x2+3x3',
    model: 'short',
    minScore: 0.5,
    mode: 'video',
    frame: [1280, 720],
    tuning: { videoLevels: [1, 2, 3], videoTilesPerFrame: 3 },
  },
];

function score(annotations, results) {
  const byFile = new Map(annotations.images.map((im) => [im.file, im]));
  const classes = {};
  let found = 0,
    total = 0,
    fp = 0,
    ms = 0;
  const fits = [];
  for (const r of results) {
    const objects = byFile.get(r.file).objects;
    const byObject = matchBoxes(
      objects.map((o) => o.bbox),
      r.boxes.map(xywh),
      { minIou: MATCH_IOU, order: 'score', scores: r.boxes.map((b) => b.score) },
    );
    fp += r.boxes.length - byObject.filter((j) => j >= 0).length;
    byObject.forEach((j, i) => {
      if (j < 0) return;
      const d = r.boxes[j];
      const [x, y, w, h] = objects[i].bbox;
      fits.push({
        sw: w / d.w,
        sh: h / d.h,
        dy: (y + h / 2 - (d.y + d.h / 2)) / d.h,
        dx: (x + w / 2 - (d.x + d.w / 2)) / d.w,
      });
    });
    objects.forEach((o, i) => {
      if (Math.min(o.bbox[2], o.bbox[3]) < MIN_FACE) return;
      const c = (classes[o.class] ??= { found: 0, total: 0 });
      (c.total++, total++);
      if (byObject[i] >= 0) (c.found++, found++);
    });
    ms += r.ms;
  }
  const median = (k) => {
    const v = fits.map((f) => f[k]).sort((a, b) => a - b);
    return v.length ? v[v.length >> 1] : NaN;
  };
  return {
    found,
    total,
    classes,
    fpPerImage: fp / results.length,
    ms: ms / results.length,
    fit: { sw: median('sw'), sh: median('sh'), dx: median('dx'), dy: median('dy') },
  };
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)} %` : '-');
const annotations = JSON.parse(await readFile(resolve(scenes, 'annotations.json'), 'utf8'));
const files = annotations.images.map((im) => im.file);

process.env.DETECT_EVAL_SCENES = scenes;
process.env.DETECT_EVAL_PORT = String(port);
const server = await createServer({ configFile: resolve(here, 'vite.config.ts') });
await server.listen();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`http://localhost:${port}/`);
  await page.waitForFunction(() => 'detectEval' in window, null, { timeout: 60_000 });
  for (const s of STRATEGIES.filter((s) => !only || only.includes(s.name))) {
    const results = await page.evaluate((req) => window.detectEval.run(req), { ...s, files });
    const m = score(annotations, results);
    const perClass = Object.entries(m.classes)
      .map(([c, v]) => `${c} ${pct(v.found, v.total)} (${v.found}/${v.total})`)
      .join(', ');
    const row = `| ${s.name} | ${pct(m.found, m.total)} (${m.found}/${m.total}) | ${perClass} | ${m.fpPerImage.toFixed(2)} | ${m.ms.toFixed(1)} | ${m.fit.sw.toFixed(2)} / ${m.fit.sh.toFixed(2)} / ${m.fit.dy.toFixed(2)} |`;
    console.log(row);
    rows.push(row);
  }
} finally {
  await browser.close();
  await server.close();
}
const table = [
  '| strategy | recall >= 40 px | per class | FP / image | ms / image (frame) | matched gt/det w, h, dy |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n');
if (write) await writeFile(resolve(here, 'RESULTS.md'), `# Detection eval results\n\n${table}\n`);
