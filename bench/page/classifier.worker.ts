/// <reference lib="webworker" />
// Times the classifier in a worker, as the app runs it: the app's own session code (workers/session.ts),
// one worker per configuration because ORT fixes the WASM thread count at its first session.
import {
  configureWasm,
  createSession,
  createWasmSession,
  inputTensor,
  webGpuUnavailableReason,
} from '../../workers/session';
import { pixels } from '../lib/pixels.mjs';
import type { ClassifierJob, ClassifierResult } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Posts the figures so far after every step, so the page can stop a slow backend and keep what it measured. */
async function run(job: ClassifierJob): Promise<void> {
  const t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch(job.modelUrl)).arrayBuffer());
  const fetchMs = performance.now() - t0;
  const threads = configureWasm(job.wasmPaths, job.threads);
  const t1 = performance.now();
  const s =
    job.backend === 'webgpu'
      ? await createSession(bytes, await webGpuUnavailableReason(), threads)
      : await createWasmSession(bytes, threads, 'bench');
  const createMs = performance.now() - t1;
  const batches: ClassifierResult['batches'] = [];
  const report = (done: boolean) =>
    self.postMessage({
      done,
      result: {
        backend: s.backend,
        threads: s.threads,
        fallbackReason: s.fallbackReason,
        fetchMs,
        createMs,
        batches,
        timedOut: false,
      },
    });
  report(false);
  for (const batch of job.batches) {
    const feeds = { [s.session.inputNames[0]!]: inputTensor(pixels(batch), batch, 224) };
    const times: number[] = [];
    const cell: ClassifierResult['batches'][number] = { batch, firstMs: null, times };
    batches.push(cell);
    // Warm-up until V8 has optimised the kernels: the fast tier's first runs take 3–8× its steady time while
    // TurboFan compiles them in the background (WASM ×2, one face: 78, 45, 63, 36 … ms, ~9 ms from the 15th run
    // on, 2026-11-30). The app runs its classifier for as long as the camera is on, so the steady time is its
    // speed; what a cold start pays is the first run and the live loop's first-label latency.
    const warmStart = performance.now();
    let start = warmStart;
    let warming = true;
    for (let i = 0; ; i++) {
      const r0 = performance.now();
      const out = await s.session.run(feeds);
      for (const t of Object.values(out)) t.dispose();
      const r1 = performance.now();
      if (i === 0) cell.firstMs = r1 - r0;
      if (warming) {
        // The warm-up never outlasts the cell's time cap (a `--cell-cap-s` under 2 s).
        if (i + 1 >= job.warmup && (r1 - warmStart >= job.warmupMs || r1 - warmStart > job.capMs)) {
          warming = false;
          start = r1;
        }
      } else {
        times.push(r1 - r0);
      }
      report(false);
      // The cap keeps slow backends (SwiftShader WebGPU) from eating the whole bench.
      if (times.length >= job.runs || (!warming && performance.now() - start > job.capMs)) break;
    }
  }
  await s.session.release();
  report(true);
}

self.onmessage = (e: MessageEvent<ClassifierJob>) => {
  run(e.data).catch((err: unknown) => self.postMessage({ error: err instanceof Error ? err.message : String(err) }));
};
