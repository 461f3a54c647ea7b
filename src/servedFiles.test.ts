import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACE_MODEL_NAMES } from '../scripts/face-models/buildFaceModels.ts';
import {
  CLASSIFIER_MODELS,
  DETECTOR_MODELS,
  MEDIAPIPE_WASM_DIR,
  TUNED_SHORT_DETECTOR_MODEL,
  MEDIAPIPE_WASM_FILES,
  ORT_WASM_FILES,
  servedUrl,
} from './servedFiles';

describe('served-file manifest', () => {
  it('names the face models that scripts/face-models builds', () => {
    expect([...Object.values(DETECTOR_MODELS), TUNED_SHORT_DETECTOR_MODEL].sort()).toEqual(
      FACE_MODEL_NAMES.map((n) => `models/${n}`).sort(),
    );
  });

  it('points at files that exist in the repository and node_modules', () => {
    for (const { model, sidecar } of Object.values(CLASSIFIER_MODELS)) {
      expect(existsSync(model), model).toBe(true);
      expect(existsSync(sidecar), sidecar).toBe(true);
    }
    for (const url of ORT_WASM_FILES) {
      expect(existsSync(`node_modules/onnxruntime-web/dist/${url.slice(url.lastIndexOf('/') + 1)}`), url).toBe(true);
    }
    for (const f of MEDIAPIPE_WASM_FILES)
      expect(existsSync(`node_modules/@mediapipe/tasks-vision/wasm/${f}`), f).toBe(true);
    expect(MEDIAPIPE_WASM_DIR).not.toMatch(/\//);
  });

  it("names each tier's model in its sidecar, with the tier", () => {
    for (const [tier, { model, sidecar }] of Object.entries(CLASSIFIER_MODELS)) {
      const json = JSON.parse(readFileSync(sidecar, 'utf8')) as { file: string; tier: string };
      expect(json.file).toBe(model.slice(model.lastIndexOf('/') + 1));
      expect(json.tier).toBe(tier);
    }
  });
});

describe('servedUrl', () => {
  it('resolves against the base and adds no version where the build gave none (tests, Node)', () => {
    expect(servedUrl('models/a.onnx', 'https://x.test/app/')).toBe('https://x.test/app/models/a.onnx');
  });
});
