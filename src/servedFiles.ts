// Every runtime file the app serves from its own origin, as a path under the app's base URL: the models
// and the wasm. vite.config.ts serves and emits these (so the service worker precaches them); the
// classifier client and the model holder resolve them against the page's URL. Pure data, importing
// nothing: it is read by Node (the build) and by the page alike.
/**
 * The deployed classifiers by tier, each a model and its sidecar, produced only by training/export.py and
 * never edited by hand. Both take the same input and give the same output; the app picks one per device
 * (src/classify/modelChoice.ts).
 */
export const CLASSIFIER_MODELS = {
  /** VGG16: the more accurate, 21 MB; fast enough only on a GPU. */
  accurate: { model: 'models/mask_vgg16_224.int8.onnx', sidecar: 'models/mask_vgg16_224.int8.json' },
  /** MobileNetV3-small: 1.6 MB, fast on any CPU. */
  fast: { model: 'models/mask_mnv3s_224.int8.onnx', sidecar: 'models/mask_mnv3s_224.int8.json' },
} as const;

/**
 * MediaPipe's BlazeFace files by DetectorModel, with the metadata scripts/face-models adds at build time. The app
 * runs short range with MaskGate's weights instead (APP_DETECTOR_MODELS); MediaPipe's short-range file is still
 * served, not precached, as the baseline that tests/detect-eval and the face-model e2e test compare with.
 */
export const DETECTOR_MODELS = {
  short: 'models/face_detection_short_range.tflite',
  full: 'models/face_detection_full_range.tflite',
} as const;
/** Short range with MaskGate's fine-tuned weights written in (scripts/face-models/buildFaceModels.ts). */
export const TUNED_SHORT_DETECTOR_MODEL = 'models/face_detection_short_range_tuned.tflite';
/** The file the app loads for each DetectorModel, live video and photos alike. */
export const APP_DETECTOR_MODELS = { short: TUNED_SHORT_DETECTOR_MODEL, full: DETECTOR_MODELS.full } as const;

/**
 * ORT's two wasm builds, by the backend they are loaded for. The JSEP build runs the WebGPU and the WASM
 * execution providers (28 MB); the plain one only WASM (14 MB), and a device without WebGPU compiles it in
 * about half the time: load → models ready 5.3–8.7 s with the JSEP build, 3.8–4.3 s with the plain one
 * (headless Chromium, 2 cores, first visit and 3 warm starts each, 2026-11-30).
 */
export const ORT_WASM = {
  webgpu: { mjs: 'ort/ort-wasm-simd-threaded.jsep.mjs', wasm: 'ort/ort-wasm-simd-threaded.jsep.wasm' },
  wasm: { mjs: 'ort/ort-wasm-simd-threaded.mjs', wasm: 'ort/ort-wasm-simd-threaded.wasm' },
} as const;
export type OrtBuild = keyof typeof ORT_WASM;
/** Every ORT file served (and precached): both builds, as a device's WebGPU can come and go. */
export const ORT_WASM_FILES: readonly string[] = Object.values(ORT_WASM).flatMap((b) => [b.mjs, b.wasm]);

/** MediaPipe's tasks-vision wasm loader, resolved by the detector as `${MEDIAPIPE_WASM_DIR}/<file>`. */
export const MEDIAPIPE_WASM_DIR = 'mediapipe';
export const MEDIAPIPE_WASM_FILES = [
  'vision_wasm_internal.js',
  'vision_wasm_internal.wasm',
  'vision_wasm_nosimd_internal.js',
  'vision_wasm_nosimd_internal.wasm',
] as const;

/** Set by vite.config.ts (scripts/servedVersions.ts): served path → content version. Absent in Node and tests. */
declare const __SERVED_VERSIONS__: Readonly<Record<string, string>> | undefined;

/**
 * A served file's absolute URL, with its content version as `?v=`: the same URL the service worker precaches,
 * so the page and the precache share one HTTP-cache entry and a first visit downloads the file once.
 */
export function servedUrl(path: string, base: string): string {
  const v = typeof __SERVED_VERSIONS__ === 'undefined' ? undefined : __SERVED_VERSIONS__[path];
  const url = new URL(path, base);
  if (v) url.searchParams.set('v', v);
  return url.href;
}
