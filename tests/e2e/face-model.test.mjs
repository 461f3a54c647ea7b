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

test("face model: fine-tuned short-range weights load in MediaPipe and reproduce PyTorch's outputs", async () => {
  await withEvalPage(FIXTURES, 5321, async (page) => {
    const served = Buffer.from(
      await page.evaluate(async () =>
        Array.from(new Uint8Array(await (await fetch('/models/face_detection_short_range.tflite')).arrayBuffer())),
      ),
    );
    // The metadata writer puts its bytes in front of the model's, unchanged (tfliteMetadata.test.ts): the tail is
    // the rewritten file the golden outputs were made from.
    const size = statSync('node_modules/@mediapipe/face_detection/face_detection_short_range.tflite').size;
    const tail = served.subarray(served.length - size);
    assert.equal(
      createHash('sha256').update(tail).digest('hex'),
      golden.model,
      'served file is not the fine-tuned one',
    );

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
