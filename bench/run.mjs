#!/usr/bin/env node
// MaskGate benchmark: classifier, face detection, live loop, start-up and memory. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, serveBuild } from '../tests/e2e/harness.mjs';
import { serveBenchPage, openBenchPage } from './lib/benchPage.mjs';
import { makeClips } from './lib/clips.mjs';
import { benchNative } from './lib/native.mjs';
import { benchLive, benchMemory, benchStartup } from './lib/app.mjs';
import { markdown } from './lib/report.mjs';
import { summary } from './lib/stats.mjs';

const PARTS = ['classifier', 'detection', 'live', 'startup', 'memory'];
const { values: o } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    skip: { type: 'string' },
    runs: { type: 'string' },
    'cell-cap-s': { type: 'string' },
    'webgpu-runs': { type: 'string', default: '3' },
    'webgpu-cap-s': { type: 'string', default: '30' },
    'no-webgpu': { type: 'boolean', default: false },
    'live-seconds': { type: 'string' },
    'memory-minutes': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    scenes: { type: 'string' },
  },
});
const quick = o.quick;
const options = {
  parts: (o.only ? o.only.split(',') : PARTS).filter((p) => !(o.skip ?? '').split(',').includes(p)),
  runs: Number(o.runs ?? (quick ? 5 : 20)),
  // Defaults sized so that the whole run, 5 minutes of memory included, stays near 10 minutes on 2 cores.
  cellCapS: Number(o['cell-cap-s'] ?? 6),
  webgpu: !o['no-webgpu'],
  webgpuRuns: Number(o['webgpu-runs']),
  webgpuCapS: Number(o['webgpu-cap-s']),
  liveSeconds: Number(o['live-seconds'] ?? (quick ? 5 : 10)),
  memoryMinutes: Number(o['memory-minutes'] ?? (quick ? 0.5 : 5)),
  detectFrames: quick ? 20 : 60,
  scenes: o.scenes ? [o.scenes] : ['tests/fixtures/scenes', '../shared/data/scenes'],
};
for (const p of options.parts) if (!PARTS.includes(p)) throw new Error(`unknown part ${p}; parts: ${PARTS.join(', ')}`);
const want = (p) => options.parts.includes(p);
const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const pkgVersion = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;

/** Classifier files: the tracked ones (the deployed int8 model) plus local exports such as the fp32 one. */
const models = readdirSync('models')
  .filter((f) => f.endsWith('.onnx'))
  .sort((a, b) => (a.includes('int8') ? -1 : b.includes('int8') ? 1 : a.localeCompare(b)));

const results = { options, env: null, wallS: 0, errors: [] };

/** Runs one part; a failure is recorded and the other parts still run. */
async function part(name, f) {
  try {
    return await f();
  } catch (e) {
    log(`${name} failed: ${e.message}`);
    results.errors.push(`${name}: ${e.message}`);
    return undefined;
  }
}

/** WASM cells run untimed this long first (see bench/page/classifier.worker.ts). */
const WASM_WARMUP_MS = 2000;

async function classifierPart(page, cores) {
  const cells = [];
  const notes = [];
  const capMs = options.cellCapS * 1000;
  const add = (model, label, r) => {
    for (const b of r.batches)
      cells.push({
        model,
        label,
        backend: r.backend,
        threads: r.threads,
        batch: b.batch,
        createMs: r.createMs,
        firstMs: b.firstMs ?? null,
        ...summary(b.times),
      });
  };
  for (const model of models) {
    for (const threads of [...new Set([1, cores])]) {
      log(`classifier ${model}: WASM ${threads} thread(s)`);
      const web = await page.evaluate((j) => window.bench.classify(j), {
        model,
        backend: 'wasm',
        threads,
        batches: [1, 4],
        warmup: 1,
        warmupMs: WASM_WARMUP_MS,
        runs: options.runs,
        capMs,
        timeoutMs: 6 * capMs + 120_000,
      });
      add(model, `WASM ×${web.threads}`, web);
      log(`classifier ${model}: native ${threads} thread(s)`);
      const nat = await benchNative({
        modelPath: join('models', model),
        threads,
        batches: [1, 4],
        warmup: 1,
        runs: options.runs,
        capMs,
      });
      add(model, `native ×${threads}`, nat);
      for (const batch of [1, 4]) {
        const w = cells.find((c) => c.model === model && c.label === `WASM ×${web.threads}` && c.batch === batch);
        const n = cells.find((c) => c.model === model && c.label === `native ×${threads}` && c.batch === batch);
        if (w.median && n.median) w.ratio = w.median / n.median;
      }
    }
  }
  // WebGPU last: SwiftShader keeps working in the GPU process after a cell's 30 s cap stops its worker, and the
  // CPU cells that followed a timed-out WebGPU cell ran up to 3× slower (the fast tier's int8 file 25 ms a face
  // against 6–10 ms, 2026-11-30).
  if (options.webgpu) {
    for (const model of models) {
      log(`classifier ${model}: WebGPU`);
      try {
        const gpu = await page.evaluate((j) => window.bench.classify(j), {
          model,
          backend: 'webgpu',
          threads: 1,
          batches: [1, 4],
          warmup: 1,
          warmupMs: 0,
          runs: options.webgpuRuns,
          capMs: options.webgpuCapS * 1000,
          timeoutMs: options.webgpuCapS * 1000,
        });
        if (gpu.timedOut)
          notes.push(
            `WebGPU for ${model}: stopped after ${options.webgpuCapS} s (session create ${gpu.createMs.toFixed(0)} ms included); cells show the runs that finished.`,
          );
        if (gpu.backend === 'webgpu') add(model, 'WebGPU', gpu);
        else notes.push(`WebGPU for ${model}: not available (${gpu.fallbackReason}).`);
      } catch (e) {
        notes.push(`WebGPU for ${model} failed: ${e.message}`);
      }
    }
  }

  const short = cells.filter((c) => c.n < options.runs);
  notes.push(
    `Target ${options.runs} runs per cell after a warm-up (WASM: ≥ ${WASM_WARMUP_MS / 1000} s of runs, for V8 to optimise the kernels; native and WebGPU: 1 run); a cell stops early after ${options.cellCapS} s (WebGPU: ${options.webgpuRuns} runs, ${options.webgpuCapS} s), so n < ${options.runs} in ${short.length} cell(s): ${short.map((c) => `${c.model} ${c.label} b${c.batch} n=${c.n}`).join('; ') || 'none'}.`,
  );
  notes.push(
    'WebGPU here is SwiftShader (CPU emulation), so its figures say nothing about a real GPU. "vs native" = WASM median / onnxruntime-node median at the same thread count and batch.',
  );
  return { cells, notes };
}

async function main() {
  const cores = os.cpus().length;
  const env = {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim(),
    cores,
    memBytes: os.totalmem(),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadStart: os.loadavg().map((l) => l.toFixed(2)),
    versions: {
      ortWeb: pkgVersion('onnxruntime-web'),
      ortNode: pkgVersion('onnxruntime-node'),
      mediapipe: pkgVersion('@mediapipe/tasks-vision'),
    },
  };
  results.env = env;
  const appParts = ['live', 'startup', 'memory'].filter(want);
  if (appParts.length && !o['no-build']) {
    log('building the app (npx vite build)');
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  }
  const work = mkdtempSync(join(os.tmpdir(), 'maskgate-bench-'));
  try {
    const clips = want('detection') || appParts.length ? makeClips(work, options.scenes) : null;
    if (want('classifier') || want('detection')) {
      const server = await serveBenchPage();
      try {
        /** Runs `f` on the bench page in a browser of its own, closed after. */
        const onBenchPage = async (launchOptions, f) => {
          const browser = await launchBrowser(launchOptions);
          try {
            env.browser = `Chromium ${browser.version()}`;
            return await f(await openBenchPage(browser, server.url));
          } finally {
            await browser.close();
          }
        };
        if (want('classifier'))
          results.classifier = await onBenchPage({ webgpu: options.webgpu }, (page) =>
            part('classifier', () => classifierPart(page, cores)),
          );
        // A browser of its own: SwiftShader work the classifier's WebGPU cells left in the GPU process slowed the
        // detection that followed in the same browser (58.4 ms a frame, 49.7 ms alone 20 minutes later).
        if (want('detection')) {
          const photo = `data:image/png;base64,${readFileSync(clips[3].photo).toString('base64')}`;
          results.detection = [];
          await onBenchPage({}, async (page) => {
            for (const model of ['short', 'full']) {
              log(`detection ${model}-range`);
              const d = await part(`detection ${model}`, () =>
                page.evaluate((j) => window.bench.detect(j), {
                  model,
                  photo,
                  warmup: 10,
                  frames: options.detectFrames,
                }),
              );
              if (d)
                results.detection.push({
                  model,
                  createMs: d.createMs,
                  times: summary(d.times),
                  faces: summary(d.faces),
                });
            }
          });
        }
      } finally {
        await server.close();
      }
    }
    if (appParts.length) {
      const app = await serveBuild();
      try {
        if (want('live')) {
          results.live = [];
          for (const faces of [1, 3, 6]) {
            log(`live loop, ${faces} face(s)`);
            const l = await part(`live ${faces}`, () =>
              benchLive({ url: app.url, clip: clips[faces].clip, faces, seconds: options.liveSeconds }),
            );
            if (l) results.live.push(l);
          }
        }
        if (want('startup')) {
          log('start-up: first visit and warm start');
          results.startup = await part('startup', () => benchStartup({ url: app.url, clip: clips[1].clip }));
        }
        if (want('memory')) {
          log(`memory: ${options.memoryMinutes} min of live running`);
          results.memory = await part('memory', () =>
            benchMemory({ url: app.url, clip: clips[3].clip, minutes: options.memoryMinutes, everyS: quick ? 10 : 30 }),
          );
        }
      } finally {
        await app.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  env.browser ??= `Chromium ${execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).split(' ')[1]}`;
  env.loadEnd = os.loadavg().map((l) => l.toFixed(2));
  results.wallS = (Date.now() - started) / 1000;
  const md = markdown(results);
  mkdirSync('bench/results', { recursive: true });
  const stamp = env.date.slice(0, 16).replace(':', '-');
  for (const name of ['latest', stamp]) {
    writeFileSync(`bench/results/${name}.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`bench/results/${name}.md`, `${md}\n`);
  }
  console.log(`\n${md}\nWritten bench/results/latest.{json,md} and bench/results/${stamp}.{json,md}`);
}

await main();
