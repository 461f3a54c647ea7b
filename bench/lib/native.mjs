// The same classifier in onnxruntime-node (native CPU), for the WASM / native ratio.
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { pixels } from './pixels.mjs';

/** Times `runs` runs per batch size after `warmup`, stopping a batch size early once `capMs` has passed. */
export async function benchNative({ modelPath, threads, batches, warmup, runs, capMs }) {
  const bytes = readFileSync(modelPath);
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // As the app's sessions (workers/session.ts): the int8 weights folded into floats once at creation. Without
    // it onnxruntime dequantises them on every run and the native side of the ratio was the slower one (the
    // fast tier's int8 file 5.3 ms a face against 1.2 ms for its fp32 export, 2 threads, 2026-11-30).
    extra: { 'session.disable_quant_qdq': '1' },
  });
  const createMs = performance.now() - t0;
  const out = [];
  for (const batch of batches) {
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', pixels(batch), [batch, 3, 224, 224]) };
    const start = performance.now();
    const times = [];
    let firstMs = null;
    for (let i = 0; i < warmup + runs; i++) {
      const r0 = performance.now();
      await session.run(feeds);
      if (i === 0) firstMs = performance.now() - r0;
      if (i >= warmup) times.push(performance.now() - r0);
      if (performance.now() - start > capMs) break;
    }
    out.push({ batch, firstMs, times });
  }
  await session.release();
  return { backend: 'native', threads, createMs, batches: out };
}
