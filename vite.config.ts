import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { selfHosted, fromFile, type HostedFile } from './scripts/vite-plugin-self-hosted.ts';
import { CLASSIFIER_MODELS, MEDIAPIPE_WASM_DIR, MEDIAPIPE_WASM_FILES, ORT_WASM_FILES } from './src/servedFiles.ts';
import { faceModelsPlugin } from './scripts/face-models/vitePlugin.ts';
import { servedVersions } from './scripts/servedVersions.ts';

const root = import.meta.dirname;
const nm = (p: string) => resolve(root, 'node_modules', p);

// WASM threads need SharedArrayBuffer, which needs cross-origin isolation.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// What src/servedFiles.ts lists, and where each file comes from. The face detector models are made and
// served by faceModelsPlugin (scripts/face-models).
const hosted: HostedFile[] = [
  ...ORT_WASM_FILES.map((url) => fromFile(url, nm(`onnxruntime-web/dist/${basename(url)}`))),
  ...MEDIAPIPE_WASM_FILES.map((f) => fromFile(`${MEDIAPIPE_WASM_DIR}/${f}`, nm(`@mediapipe/tasks-vision/wasm/${f}`))),
  ...Object.values(CLASSIFIER_MODELS)
    .flatMap((m) => [m.model, m.sidecar])
    .filter((url) => existsSync(resolve(root, url)))
    .map((url) => fromFile(url, resolve(root, url))),
];
const versions = servedVersions(hosted);

// Sync normally reaches CouchDB through a proxy on the app's own origin (README, "Sync across entrances").
// MASKGATE_SYNC_ORIGIN=https://couch.example.org adds exactly that one origin to the CSP's connect-src, and
// the sync settings accept it; anything but a bare origin stops the build.
const syncOrigin = process.env.MASKGATE_SYNC_ORIGIN ?? '';
if (syncOrigin && new URL(syncOrigin).origin !== syncOrigin)
  throw new Error(`MASKGATE_SYNC_ORIGIN must be an origin like https://couch.example.org, not ${syncOrigin}`);

export default defineConfig({
  define: { __SYNC_ORIGIN__: JSON.stringify(syncOrigin) },
  resolve: {
    alias: [
      // The "extern wasm" build loads its .mjs/.wasm from ort.env.wasm.wasmPaths instead of inlining
      // them into our worker bundle (the inlined threaded build hangs in a Vite worker).
      { find: /^onnxruntime-web$/, replacement: nm('onnxruntime-web/dist/ort.min.mjs') },
    ],
  },
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
  plugins: [
    preact(),
    versions.plugin,
    {
      name: 'maskgate-sync-origin-csp',
      transformIndexHtml: (html) =>
        syncOrigin ? html.replace("connect-src 'self'", `connect-src 'self' ${syncOrigin}`) : html,
    },
    selfHosted(hosted, { headers: isolationHeaders }),
    faceModelsPlugin(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/*.png', 'icons/*.svg'],
      manifest: {
        name: 'MaskGate — mask check at the entrance',
        short_name: 'MaskGate',
        description:
          'Checks on the device, offline, whether each face wears a mask correctly, and keeps a private log.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        orientation: 'any',
        background_color: '#111418',
        theme_color: '#111418',
        // Long-press the home-screen icon: straight to a screen (src/app/route.ts addresses).
        shortcuts: [
          { name: 'History', url: './#history', icons: [{ src: 'icons/icon-192.png', sizes: '192x192' }] },
          { name: 'Photos', url: './#photo', icons: [{ src: 'icons/icon-192.png', sizes: '192x192' }] },
        ],
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Everything the app needs offline, the 28 MB ORT binary and the models included.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,webmanifest,wasm,tflite,onnx,json}'],
        // Browsers without wasm SIMD (Safari < 16.4) still get the no-SIMD MediaPipe build online; not
        // precaching it saves every other install 12 MB.
        // MediaPipe's own short-range weights are served as the evaluations' baseline; the app runs MaskGate's.
        globIgnores: ['**/*nosimd*', '**/models/face_detection_short_range.tflite'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        // Models and wasm under their content-versioned URLs, fetched through the HTTP cache the page shares.
        manifestTransforms: [versions.precacheTransform],
        navigateFallback: 'index.html',
      },
    }),
  ],
});
