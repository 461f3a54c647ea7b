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
  });
  const createMs = performance.now() - t0;
  const out = [];
  for (const batch of batches) {
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', pixels(batch), [batch, 3, 224, 224]) };
    const start = performance.now();
    const times = [];
    for (let i = 0; i < warmup + runs; i++) {
      const r0 = performance.now();
      await session.run(feeds);
      if (i >= warmup) times.push(performance.now() - r0);
      if (performance.now() - start > capMs) break;
    }
    out.push({ batch, times });
  }
  await session.release();
  return { backend: 'native', threads, createMs, batches: out };
}
