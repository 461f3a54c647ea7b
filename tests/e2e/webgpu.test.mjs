// (d) WebGPU (SwiftShader's software adapter here): the status line says WebGPU, and the app's own
// classifier worker gives the same labels as on WASM for byte-identical crops, probabilities within 0.01.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchBrowser, serveBuild, waitForModels } from './harness.mjs';

// A masked and an unmasked face (CC0 Kaggle crops, see tests/fixtures/crops/SOURCES.md). Two, not more:
// SwiftShader runs VGG16 on the CPU at about 90 s per crop.
const CROPS = ['correct/kaggle_maksssksksss44_0.jpg', 'none/kaggle_maksssksksss289_0.jpg'].map((f) =>
  readFileSync(`tests/fixtures/crops/${f}`).toString('base64'),
);

let server;
before(async () => {
  server = await serveBuild();
});
after(async () => {
  await server?.close();
});

/** Runs the built classifier worker (found through resource timing) on the crops; returns backend and probs. */
async function classifyCrops(webgpu) {
  const browser = await launchBrowser({ webgpu });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await waitForModels(page, 300_000);
    const status = await page.getByTestId('backend').innerText();
    const result = await page.evaluate(
      async ({ crops, webgpu }) => {
        const workerUrl = performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .find((n) => /classifier\.worker-[^/]*\.js$/.test(n));
        const size = 224;
        // A CPU-backed canvas and no resampling of our own: both browsers see the same bytes.
        const canvas = new OffscreenCanvas(size, size * crops.length);
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        for (const [i, b64] of crops.entries()) {
          const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' });
          const bitmap = await createImageBitmap(blob, {
            resizeWidth: size,
            resizeHeight: size,
            resizeQuality: 'medium',
          });
          ctx.drawImage(bitmap, 0, i * size);
        }
        const rgba = ctx.getImageData(0, 0, size, size * crops.length).data.buffer;
        const abs = (p) => new URL(p, document.baseURI).href;
        const worker = new Worker(workerUrl, { type: 'module' });
        const next = () =>
          new Promise((resolve) => {
            const onMessage = (e) => {
              if (e.data.type === 'progress') return;
              worker.removeEventListener('message', onMessage);
              resolve(e.data);
            };
            worker.addEventListener('message', onMessage);
          });
        worker.postMessage({
          type: 'init',
          modelUrl: abs('models/mask_vgg16_224.int8.onnx'),
          sidecarUrl: abs('models/mask_vgg16_224.int8.json'),
          wasmPaths: {
            mjs: abs('ort/ort-wasm-simd-threaded.jsep.mjs'),
            wasm: abs('ort/ort-wasm-simd-threaded.jsep.wasm'),
          },
          preferWebGpu: webgpu,
          numThreads: 2,
        });
        const ready = await next();
        if (ready.type !== 'ready') return { error: ready.message };
        worker.postMessage({ type: 'classify', id: 1, size, count: crops.length, rgba }, [rgba]);
        const out = await next();
        worker.terminate();
        return out.type === 'result'
          ? { backend: out.backend, probs: Array.from(out.probs), ms: out.ms }
          : { error: out.message };
      },
      { crops: CROPS, webgpu },
    );
    return { status, ...result };
  } finally {
    await browser.close();
  }
}

test(
  'WebGPU backend: status says WebGPU, labels and probabilities match WASM on the same crops',
  { timeout: 900_000 },
  async () => {
    const gpu = await classifyCrops(true);
    const wasm = await classifyCrops(false);
    assert.equal(gpu.error, undefined, gpu.error);
    assert.equal(wasm.error, undefined, wasm.error);
    console.log(
      `status: ${gpu.status} vs ${wasm.status}; ${CROPS.length} crops in ${gpu.ms.toFixed(0)} ms (WebGPU) / ${wasm.ms.toFixed(0)} ms (WASM)`,
    );
    assert.equal(gpu.status, 'WebGPU');
    assert.match(wasm.status, /^WASM/);
    assert.equal(gpu.backend, 'webgpu');
    assert.equal(wasm.backend, 'wasm');
    const maxDiff = Math.max(...gpu.probs.map((p, i) => Math.abs(p - wasm.probs[i])));
    console.log(`max |Δprob| WebGPU vs WASM: ${maxDiff.toExponential(2)}`);
    assert.ok(maxDiff <= 0.01, `probabilities differ by ${maxDiff}`);
    const argmax = (p, i) => [0, 1, 2].reduce((best, k) => (p[i * 3 + k] > p[i * 3 + best] ? k : best), 0);
    for (let i = 0; i < CROPS.length; i++) assert.equal(argmax(gpu.probs, i), argmax(wasm.probs, i), `crop ${i} label`);
  },
);
