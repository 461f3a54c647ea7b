// The fine-tuned BlazeFace short-range file (MediaPipe's graph with models/face_detection_short_range.finetuned
// written in by the build's face-model plugin) loads in MediaPipe Tasks as the app runs it (ImageEmbedder, CPU)
// and gives the outputs PyTorch gave for the same pixels (tests/fixtures/face-detector/golden.short.json, made by
// training/detector/make_face_golden.py): the weights went back into the graph without a slip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { withEvalPage } from '../detect-eval/harness.mjs';

// The eval page's dev server serves these weights (scripts/face-models/buildFaceModels.ts reads it once).
process.env.MASKGATE_FACE_WEIGHTS_SHORT = resolve('models/face_detection_short_range.finetuned');

const FIXTURES = resolve('tests/fixtures/face-detector');
const golden = JSON.parse(readFileSync(resolve(FIXTURES, 'golden.short.json'), 'utf8'));
// float32 in both, float16 weights dequantised in both; XNNPACK sums in another order than PyTorch.
const LOGIT_TOLERANCE = 0.005;
const BOX_TOLERANCE_PX = 0.01;

test("face model: the served short-range file is the build's, and MediaPipe reproduces PyTorch's outputs", async () => {
  await withEvalPage(FIXTURES, 5321, async (page) => {
    const served = await page.evaluate(async () => {
      const bytes = new Uint8Array(await (await fetch('/models/face_detection_short_range.tflite')).arrayBuffer());
      return Array.from(bytes);
    });
    const built = readFileSync(resolve('dist/models/face_detection_short_range.tflite'));
    assert.ok(Buffer.from(served).equals(built), 'the eval page serves other bytes than the production build');

    for (const input of golden.inputs) {
      const out = await page.evaluate((file) => window.detectEval.raw({ model: 'short', file }), input.file);
      assert.equal(out.scores.length, input.logits.length, `${input.file}: ${out.scores.length} scores`);
      let worst = 0;
      input.logits.forEach((want, i) => (worst = Math.max(worst, Math.abs(out.scores[i] - want))));
      assert.ok(worst <= LOGIT_TOLERANCE, `${input.file}: a logit differs by ${worst.toFixed(4)}`);
      let worstBox = 0;
      for (const { anchor, regressors } of input.top) {
        regressors.forEach(
          (want, k) => (worstBox = Math.max(worstBox, Math.abs(out.regressors[anchor * 16 + k] - want))),
        );
      }
      assert.ok(worstBox <= BOX_TOLERANCE_PX, `${input.file}: a regressor differs by ${worstBox.toFixed(4)} px`);
      console.log(`${input.file}: max |logit diff| ${worst.toFixed(5)}, max |box diff| ${worstBox.toFixed(5)} px`);
    }
  });
});
