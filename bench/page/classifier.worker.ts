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
    const start = performance.now();
    const times: number[] = [];
    batches.push({ batch, times });
    for (let i = 0; i < job.warmup + job.runs; i++) {
      const r0 = performance.now();
      const out = await s.session.run(feeds);
      for (const t of Object.values(out)) t.dispose();
      if (i >= job.warmup) times.push(performance.now() - r0);
      report(false);
      // The cap keeps slow backends (SwiftShader WebGPU) from eating the whole bench.
      if (performance.now() - start > job.capMs) break;
    }
  }
  await s.session.release();
  report(true);
}

self.onmessage = (e: MessageEvent<ClassifierJob>) => {
  run(e.data).catch((err: unknown) => self.postMessage({ error: err instanceof Error ? err.message : String(err) }));
};
