// Shared set-up of the detection eval scripts: data sets, the eval page in headless Chromium.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
export const DATA = process.env.MASKGATE_DATA ?? '/work/shared/data';

/**
 * Loads an annotated set. `name` is detect | scenes | scenes-real or a folder. `every` keeps every n-th photo
 * (sorted by file name) so a fixed subset of data/detect can be used on a slow machine; `source` keeps one source
 * (kaggle_andrewmvd, ilc2021).
 */
export async function loadSet(name, { every = 1, source } = {}) {
  const dir = ['detect', 'scenes', 'scenes-real'].includes(name) ? resolve(DATA, name) : resolve(name);
  const annotations = JSON.parse(await readFile(resolve(dir, 'annotations.json'), 'utf8'));
  const images = [...annotations.images]
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
