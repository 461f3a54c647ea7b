/**
 * Produces the BlazeFace models the app serves at /models/<name>: the .tflite
 * files from @mediapipe/face_detection with the TFLite metadata that
 * MediaPipe Tasks' FaceDetector requires (see ./tfliteMetadata.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { addFaceDetectorMetadata, BLAZEFACE_METADATA } from './tfliteMetadata.ts';

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

async function annotate(): Promise<Map<FaceModelName, Uint8Array>> {
  const pkg = faceDetectionPackageDir();
  const models = new Map<FaceModelName, Uint8Array>();
  for (const name of FACE_MODEL_NAMES) {
    const source = new Uint8Array(await readFile(join(pkg, name)));
    models.set(name, addFaceDetectorMetadata(source, BLAZEFACE_METADATA[name]));
  }
  return models;
}
