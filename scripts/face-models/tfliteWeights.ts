/**
 * Replaces the bytes of named constant tensors in a TFLite file, in place: same size, same graph, same ops.
 * The fine-tuned BlazeFace short-range model (training/detector/finetune_blazeface.py) ships as its float16
 * weights only (models/face_detection_short_range.finetuned.{bin,json}); the build writes them into the
 * original file from @mediapipe/face_detection and checks the result's sha256.
 */
import { createHash } from 'node:crypto';
import { MODEL_BUFFERS, MODEL_SUBGRAPHS, openModel, TfliteFormatError } from './tfliteMetadata.ts';

export interface TensorBytes {
  name: string;
  bytes: Uint8Array;
}

/** The sidecar the training script writes beside the weights. */
export interface FinetunedWeights {
  /** The original file the weights go into, by name and sha256. */
  base: { file: string; sha256: string };
  /** Tensors in the order their bytes follow one another in the .bin. */
  tensors: { name: string; bytes: number }[];
  /** sha256 of the rewritten file (before the build adds its metadata). */
  sha256: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A copy of `model` with each named tensor's constant data replaced; every name must exist once with the same size. */
export function replaceTensorData(model: Uint8Array, replacements: TensorBytes[]): Uint8Array {
  const { r, root } = openModel(model);
  const subgraphs = r.vector(root, MODEL_SUBGRAPHS, 4);
  if (subgraphs.length < 1) throw new TfliteFormatError('TFLite model has no subgraph');
  const sg = r.vectorTable(subgraphs, 0);
  const tensors = r.vector(sg, 0, 4);
  const buffers = r.vector(root, MODEL_BUFFERS, 4);
  const data = new Map<string, { start: number; length: number }>();
  for (let i = 0; i < tensors.length; i++) {
    const t = r.vectorTable(tensors, i);
    const name = r.string(t, 3) ?? '';
    const bufferField = r.field(t, 2);
    const buffer = bufferField === 0 ? 0 : r.u32(bufferField);
    if (buffer === 0 || buffer >= buffers.length) continue;
    const vec = r.vector(r.vectorTable(buffers, buffer), 0, 1);
    if (vec.length === 0) continue;
    if (data.has(name)) throw new TfliteFormatError(`tensor name "${name}" is not unique`);
    data.set(name, vec);
  }
  const out = model.slice();
  const seen = new Set<string>();
  for (const { name, bytes } of replacements) {
    const at = data.get(name);
    if (!at) throw new TfliteFormatError(`no constant tensor named "${name}"`);
    if (seen.has(name)) throw new TfliteFormatError(`tensor "${name}" replaced twice`);
    if (at.length !== bytes.length) {
      throw new TfliteFormatError(`tensor "${name}" holds ${at.length} bytes, the replacement ${bytes.length}`);
    }
    seen.add(name);
    out.set(bytes, at.start);
  }
  return out;
}

/** Writes the fine-tuned weights into `base` and checks both files' sha256 against the sidecar. */
export function applyFinetunedWeights(base: Uint8Array, weights: Uint8Array, sidecar: FinetunedWeights): Uint8Array {
  const baseSha = sha256(base);
  if (baseSha !== sidecar.base.sha256) {
    throw new Error(`${sidecar.base.file}: sha256 ${baseSha} is not the file the weights were trained from`);
  }
  const total = sidecar.tensors.reduce((n, t) => n + t.bytes, 0);
  if (total !== weights.length) throw new Error(`weights file has ${weights.length} bytes, its sidecar lists ${total}`);
  let at = 0;
  const replacements = sidecar.tensors.map(({ name, bytes }) => {
    const part = { name, bytes: weights.subarray(at, at + bytes) };
    at += bytes;
    return part;
  });
  const out = replaceTensorData(base, replacements);
  const outSha = sha256(out);
  if (outSha !== sidecar.sha256)
    throw new Error(`fine-tuned ${sidecar.base.file}: sha256 ${outSha}, expected ${sidecar.sha256}`);
  return out;
}
