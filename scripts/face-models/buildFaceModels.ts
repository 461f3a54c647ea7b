/**
 * Produces the BlazeFace models the app serves at /models/<name>: the .tflite
 * files from @mediapipe/face_detection with the TFLite metadata that
 * MediaPipe Tasks' FaceDetector requires (see ./tfliteMetadata.ts).
 *
 * face_detection_short_range_tuned.tflite is the short-range graph with MaskGate's fine-tuned weights
 * (models/face_detection_short_range.finetuned, training/detector/) written in: the app's short range, live
 * video and photos. MediaPipe's own short-range file stays served as the evaluations' baseline.
 * MASKGATE_FACE_WEIGHTS_SHORT=PREFIX writes the weights from PREFIX.{bin,json} into the short-range file
 * too (tests/detect-eval compares weights with it; unset or "original": MediaPipe's).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addFaceDetectorMetadata, BLAZEFACE_METADATA } from './tfliteMetadata.ts';
import { applyFinetunedWeights, type FinetunedWeights } from './tfliteWeights.ts';

export type FaceModelName = keyof typeof BLAZEFACE_METADATA;
export const FACE_MODEL_NAMES = Object.keys(BLAZEFACE_METADATA) as FaceModelName[];

/** Directory of the installed @mediapipe/face_detection package. */
export function faceDetectionPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@mediapipe/face_detection/package.json'));
}

/**
 * Returns the annotated models keyed by file name and, when `outDir` is given,
 * also writes them there.
 */
export async function buildFaceModels(outDir?: string): Promise<Map<FaceModelName, Uint8Array>> {
  const models = await (built ??= annotate());
  if (outDir !== undefined) {
    await mkdir(outDir, { recursive: true });
    for (const [name, bytes] of models) await writeFile(join(outDir, name), bytes);
  }
  return models;
}

/** Built once per process: the build's versions (scripts/servedVersions.ts) and its emitted files share them. */
let built: Promise<Map<FaceModelName, Uint8Array>> | undefined;

/** The committed fine-tuned short-range weights (training/detector/). */
export const FINETUNED_SHORT_WEIGHTS = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'models',
  'face_detection_short_range.finetuned',
);

/** Served files that are another file with fine-tuned weights written in. */
const DERIVED: Partial<Record<FaceModelName, { base: FaceModelName; weights: string }>> = {
  'face_detection_short_range_tuned.tflite': {
    base: 'face_detection_short_range.tflite',
    weights: FINETUNED_SHORT_WEIGHTS,
  },
};

/** Where a model's fine-tuned weights are (PREFIX.bin + PREFIX.json), or null for MediaPipe's own. */
export function finetunedWeightsPrefix(name: FaceModelName, env = process.env): string | null {
  const derived = DERIVED[name];
  if (derived) return derived.weights;
  const chosen = env.MASKGATE_FACE_WEIGHTS_SHORT;
  if (name !== 'face_detection_short_range.tflite' || !chosen || chosen === 'original') return null;
  return chosen;
}

async function annotate(): Promise<Map<FaceModelName, Uint8Array>> {
  const pkg = faceDetectionPackageDir();
  const models = new Map<FaceModelName, Uint8Array>();
  for (const name of FACE_MODEL_NAMES) {
    let source: Uint8Array = new Uint8Array(await readFile(join(pkg, DERIVED[name]?.base ?? name)));
    const prefix = finetunedWeightsPrefix(name);
    if (prefix) {
      const sidecar = JSON.parse(await readFile(`${prefix}.json`, 'utf8')) as FinetunedWeights;
      source = applyFinetunedWeights(source, new Uint8Array(await readFile(`${prefix}.bin`)), sidecar);
    }
    models.set(name, addFaceDetectorMetadata(source, BLAZEFACE_METADATA[name]));
  }
  return models;
}
