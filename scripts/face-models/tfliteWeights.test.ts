import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINETUNED_SHORT_WEIGHTS, finetunedWeightsPrefix } from './buildFaceModels';
import { applyFinetunedWeights, replaceTensorData, type FinetunedWeights } from './tfliteWeights';

const pkg = dirname(createRequire(import.meta.url).resolve('@mediapipe/face_detection/package.json'));
const base = new Uint8Array(readFileSync(join(pkg, 'face_detection_short_range.tflite')));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const prefix = FINETUNED_SHORT_WEIGHTS;
const sidecar = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as FinetunedWeights;
const weights = new Uint8Array(readFileSync(`${prefix}.bin`));

describe('fine-tuned BlazeFace short-range weights', () => {
  it('go into the file they were trained from and give the pinned sha256, same size', () => {
    const out = applyFinetunedWeights(base, weights, sidecar);
    expect(out.length).toBe(base.length);
    expect(sha256(out)).toBe(sidecar.sha256);
    // Only float16 weight bytes change: the graph, op codes and tensor table are MediaPipe's.
    let changed = 0;
    for (let i = 0; i < out.length; i++) if (out[i] !== base[i]) changed++;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(weights.length);
  });

  it('are refused for another base file, a short weights file or a wrong result', () => {
    const other = base.slice();
    other[other.length - 1]! ^= 1;
    expect(() => applyFinetunedWeights(other, weights, sidecar)).toThrow(
      /is not the file the weights were trained from/,
    );
    expect(() => applyFinetunedWeights(base, weights.subarray(2), sidecar)).toThrow(/its sidecar lists/);
    expect(() => applyFinetunedWeights(base, weights, { ...sidecar, sha256: '0'.repeat(64) })).toThrow(/expected 0000/);
  });

  it("MediaPipe's weights unless MASKGATE_FACE_WEIGHTS_SHORT names others, for the short range only", () => {
    expect(finetunedWeightsPrefix('face_detection_short_range.tflite', {})).toBeNull();
    // Photos' short-range file always carries the committed weights.
    expect(finetunedWeightsPrefix('face_detection_short_range_tuned.tflite', {})).toBe(FINETUNED_SHORT_WEIGHTS);
    expect(
      finetunedWeightsPrefix('face_detection_full_range.tflite', { MASKGATE_FACE_WEIGHTS_SHORT: '/x/y' }),
    ).toBeNull();
    expect(
      finetunedWeightsPrefix('face_detection_short_range.tflite', { MASKGATE_FACE_WEIGHTS_SHORT: 'original' }),
    ).toBeNull();
    expect(finetunedWeightsPrefix('face_detection_short_range.tflite', { MASKGATE_FACE_WEIGHTS_SHORT: '/x/y' })).toBe(
      '/x/y',
    );
  });
});

describe('replaceTensorData', () => {
  const first = sidecar.tensors[0]!;
  it('refuses unknown names and a size that differs', () => {
    expect(() => replaceTensorData(base, [{ name: 'no such tensor', bytes: new Uint8Array(2) }])).toThrow(
      /no constant tensor/,
    );
    expect(() => replaceTensorData(base, [{ name: first.name, bytes: new Uint8Array(first.bytes + 2) }])).toThrow(
      /holds \d+ bytes, the replacement/,
    );
  });
  it('writes exactly the given bytes and leaves the rest alone', () => {
    const zeros = new Uint8Array(first.bytes);
    const out = replaceTensorData(base, [{ name: first.name, bytes: zeros }]);
    let diff = 0;
    for (let i = 0; i < out.length; i++) if (out[i] !== base[i]) diff++;
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThanOrEqual(first.bytes);
    expect(replaceTensorData(base, [])).toEqual(base);
  });
});
