// Serves the bench page (bench/page) with the app's own runtime files and cross-origin isolation,
// so the classifier and detector run exactly as in the app, minus the UI.
import { basename, resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { defineConfig } from 'vite';
import { selfHosted, fromFile } from '../scripts/vite-plugin-self-hosted.ts';
import { faceModelsPlugin } from '../scripts/face-models/vitePlugin.ts';
import { ORT_WASM_FILES } from '../src/servedFiles.ts';

const root = resolve(import.meta.dirname, '..');
const nm = (p: string) => resolve(root, 'node_modules', p);
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const ort = ORT_WASM_FILES.map((url) => fromFile(url, nm(`onnxruntime-web/dist/${basename(url)}`)));
const mediapipe = readdirSync(nm('@mediapipe/tasks-vision/wasm'))
  .filter((f) => /^vision_wasm.*\.(js|wasm)$/.test(f))
  .map((f) => fromFile(`mediapipe/${f}`, nm(`@mediapipe/tasks-vision/wasm/${f}`)));
// Every local classifier file, tracked or not (the fp32 export is benchmarked when present).
const classifiers = readdirSync(resolve(root, 'models'))
  .filter((f) => f.endsWith('.onnx'))
  .map((f) => fromFile(`models/${f}`, resolve(root, 'models', f)));

export default defineConfig({
  root: resolve(import.meta.dirname, 'page'),
  resolve: { alias: [{ find: /^onnxruntime-web$/, replacement: nm('onnxruntime-web/dist/ort.min.mjs') }] },
  worker: { format: 'es' },
  server: { hmr: false, fs: { allow: [root] }, headers: isolationHeaders },
  logLevel: 'error',
  plugins: [selfHosted([...ort, ...mediapipe, ...classifiers], { headers: isolationHeaders }), faceModelsPlugin()],
});
