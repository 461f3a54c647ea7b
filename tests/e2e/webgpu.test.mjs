// (d) WebGPU (SwiftShader's software adapter here): the status line says WebGPU, and the app's own
// classifier worker (the built dist/ worker, its real fetch + sha256 + session code) gives the same labels
// and probabilities on WebGPU as on WASM for byte-identical crops.
//
// The parity check runs a tiny model built for it (tests/fixtures/tiny-model/, same contract and op set as
// the deployed file: int8 DequantizeLinear → Conv/Gemm, Relu, MaxPool, Flatten, Softmax) on all 13 fixture
// crops: SwiftShader emulates WebGPU on the CPU and needs ~90 s per crop for the VGG16, under a second for
// the tiny model. The same check on the deployed VGG16 (2 crops, minutes here, seconds on a real GPU) runs
// with MASKGATE_E2E_WEBGPU_VGG16=1, meant for a machine with a GPU; `npm run bench` also times the VGG16
// on WebGPU.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { launchBrowser, serveBuild, waitForModels } from './harness.mjs';

const TINY = JSON.parse(readFileSync('tests/fixtures/tiny-model/tiny_cnn_32.int8.json', 'utf8'));
const FIXTURE_CROPS = ['correct', 'incorrect', 'none'].flatMap((label) =>
  readdirSync(`tests/fixtures/crops/${label}`)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => `${label}/${f}`),
);
const b64 = (f) => readFileSync(`tests/fixtures/crops/${f}`).toString('base64');
const VGG16 = process.env.MASKGATE_E2E_WEBGPU_VGG16 === '1';

let server;
let browser;
let page;
before(async () => {
  server = await serveBuild(0, { mounts: { '/__test__/tiny-model/': 'tests/fixtures/tiny-model' } });
  browser = await launchBrowser({ webgpu: true });
  page = await browser.newPage();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Runs the built classifier worker (found through resource timing) on the crops, once with WebGPU preferred
 * and once on WASM, in two fresh workers of the same page; returns backend and probs for each.
 */
async function classifyBoth({ modelUrl, sidecarUrl, size, crops }) {
  return page.evaluate(
    async ({ crops, modelUrl, sidecarUrl, size }) => {
      const workerUrl = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .find((n) => /classifier\.worker-[^/]*\.js$/.test(n));
      if (!workerUrl) return { error: 'the app loaded no classifier worker' };
      // A CPU-backed canvas and no resampling of our own: both backends see the same bytes.
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
      const pixels = ctx.getImageData(0, 0, size, size * crops.length).data;
      const abs = (p) => new URL(p, document.baseURI).href;
      async function run(preferWebGpu) {
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
        try {
          worker.postMessage({
            type: 'init',
            // One model for both tiers, chosen outright: no auto warm-up, the backend as asked.
            models: {
              accurate: { modelUrl: abs(modelUrl), sidecarUrl: abs(sidecarUrl) },
              fast: { modelUrl: abs(modelUrl), sidecarUrl: abs(sidecarUrl) },
            },
            choice: 'accurate',
            wasmPaths: {
              webgpu: {
                mjs: abs('ort/ort-wasm-simd-threaded.jsep.mjs'),
                wasm: abs('ort/ort-wasm-simd-threaded.jsep.wasm'),
              },
              wasm: { mjs: abs('ort/ort-wasm-simd-threaded.mjs'), wasm: abs('ort/ort-wasm-simd-threaded.wasm') },
            },
            preferWebGpu,
            numThreads: 2,
          });
          const ready = await next();
          if (ready.type !== 'ready') return { error: ready.message };
          const rgba = pixels.slice().buffer;
          worker.postMessage({ type: 'classify', id: 1, size, count: crops.length, rgba }, [rgba]);
          const out = await next();
          return out.type === 'result'
            ? { backend: out.backend, probs: Array.from(out.probs), ms: out.ms }
            : { error: out.message };
        } finally {
          worker.terminate();
        }
      }
      return { gpu: await run(true), wasm: await run(false) };
    },
    { crops, modelUrl, sidecarUrl, size },
  );
}

function assertParity({ gpu, wasm, error }, n, tolerance) {
  assert.equal(error, undefined, error);
  assert.equal(gpu.error, undefined, gpu.error);
  assert.equal(wasm.error, undefined, wasm.error);
  assert.equal(gpu.backend, 'webgpu');
  assert.equal(wasm.backend, 'wasm');
  assert.equal(gpu.probs.length, n * 3);
  assert.equal(wasm.probs.length, n * 3);
  console.log(`${n} crops in ${gpu.ms.toFixed(0)} ms (WebGPU) / ${wasm.ms.toFixed(0)} ms (WASM)`);
  const maxDiff = Math.max(...gpu.probs.map((p, i) => Math.abs(p - wasm.probs[i])));
  console.log(`max |Δprob| WebGPU vs WASM: ${maxDiff.toExponential(2)} (tolerance ${tolerance})`);
  assert.ok(maxDiff <= tolerance, `probabilities differ by ${maxDiff}`);
  const argmax = (p, i) => [0, 1, 2].reduce((best, k) => (p[i * 3 + k] > p[i * 3 + best] ? k : best), 0);
  for (let i = 0; i < n; i++) assert.equal(argmax(gpu.probs, i), argmax(wasm.probs, i), `crop ${i} label`);
  return argmax;
}

test(
  'WebGPU backend: the app loads its classifier on WebGPU and the status line says so',
  { timeout: 600_000 },
  async () => {
    // The fast tier chosen outright: in auto, the VGG16 warm-up alone would take ~90 s on SwiftShader (its
    // choice is covered by src/classify/modelChoice.test.ts; a GPU machine runs it for real).
    await page.addInitScript(() =>
      localStorage.setItem(
        'maskgate.preferences',
        JSON.stringify({ detectorModel: 'short', preferWebGpu: true, classifierChoice: 'fast' }),
      ),
    );
    await page.goto(server.url);
    await waitForModels(page, 540_000);
    assert.equal(await page.getByTestId('backend').innerText(), 'WebGPU');
    assert.match(await page.getByTestId('classifier-model').innerText(), /^mask_mnv3s_224 v.* \(chosen in settings\)$/);
  },
);

test(
  "WebGPU parity (tiny model): the app worker gives WASM's labels and probabilities on 13 crops",
  { timeout: 300_000 },
  async () => {
    const crops = FIXTURE_CROPS.map(b64);
    assert.equal(crops.length, 13);
    const size = TINY.input.shape[2];
    const result = await classifyBoth({
      modelUrl: '__test__/tiny-model/tiny_cnn_32.int8.onnx',
      sidecarUrl: '__test__/tiny-model/tiny_cnn_32.int8.json',
      size,
      crops,
    });
    // Same weights folded to float32 on both sides: only the backends' arithmetic differs (~1e-6 measured).
    const argmax = assertParity(result, crops.length, 1e-3);
    // Parity would be vacuous if the model ignored its input: the crops must get clearly different outputs.
    const p = result.wasm.probs;
    const spread = Math.max(
      ...[0, 1, 2].map(
        (k) => Math.max(...crops.map((_, i) => p[i * 3 + k])) - Math.min(...crops.map((_, i) => p[i * 3 + k])),
      ),
    );
    assert.ok(spread > 0.3, `outputs barely depend on the crop (largest spread ${spread})`);
    assert.ok(new Set(crops.map((_, i) => argmax(p, i))).size >= 2, 'every crop gets the same label');
  },
);

test(
  'WebGPU parity (deployed VGG16, MASKGATE_E2E_WEBGPU_VGG16=1): labels and probabilities match WASM',
  { skip: !VGG16 && 'set MASKGATE_E2E_WEBGPU_VGG16=1 (GPU machine; ~200 s on SwiftShader)', timeout: 900_000 },
  async () => {
    // A masked and an unmasked face (CC0 Kaggle crops, see tests/fixtures/crops/SOURCES.md).
    const crops = ['correct/kaggle_maksssksksss44_0.jpg', 'none/kaggle_maksssksksss289_0.jpg'].map(b64);
    const result = await classifyBoth({
      modelUrl: 'models/mask_vgg16_224.int8.onnx',
      sidecarUrl: 'models/mask_vgg16_224.int8.json',
      size: 224,
      crops,
    });
    assertParity(result, crops.length, 0.01);
  },
);
