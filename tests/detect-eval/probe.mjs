#!/usr/bin/env node
/**
 * Scale probe: at which face-to-window ratios does each BlazeFace model find a face?
 *
 *   node tests/detect-eval/probe.mjs [--set detect] [--every 10] [--port 5302]
 *
 * For every annotated face >= 40 px of the set, square windows of k x the face's longer side (k below) are cut
 * around it and run through the model as one region (short range: 128 px input, full range: 192 px). Prints, per
 * model and k, the share of faces found (IoU >= 0.4) at several score thresholds, per class. The tile pyramid in
 * src/detect/faceDetector.ts is built from where these curves are high.
 */
import { parseArgs } from 'node:util';
import { loadSet, withEvalPage } from './harness.mjs';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'detect' },
    every: { type: 'string', default: '10' },
    port: { type: 'string', default: '5302' },
    models: { type: 'string', default: 'short,full' },
  },
});
const RATIOS = [1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12];
const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7];
const { dir, images } = await loadSet(values.set, { every: Number(values.every) });
const faces = images.flatMap((im) =>
  im.objects
    .filter((o) => Math.min(o.bbox[2], o.bbox[3]) >= 40)
    .map((o) => ({ file: im.file, bbox: o.bbox, class: o.class })),
);
console.log(`${values.set}: ${images.length} photos, ${faces.length} faces >= 40 px`);
await withEvalPage(dir, Number(values.port), async (page) => {
  for (const model of values.models.split(',')) {
    const res = await page.evaluate((req) => window.detectEval.probe(req), {
      model,
      minScore: Math.min(...THRESHOLDS),
      minIou: 0.4,
      ratios: RATIOS,
      faces: faces.map(({ file, bbox }) => ({ file, bbox })),
    });
    const input = model === 'short' ? 128 : 192;
    console.log(
      `\n${model} range (${input} px input), ${(res.ms / faces.length / RATIOS.length).toFixed(1)} ms per window`,
    );
    console.log(
      `| k | face px in input | ${THRESHOLDS.map((t) => `found s>=${t}`).join(' | ')} | correct / incorrect / none at 0.5 |`,
    );
    console.log(`|---|---|${THRESHOLDS.map(() => '---|').join('')}---|`);
    RATIOS.forEach((k, j) => {
      const at = (t, cls) => {
        const sel = faces.map((f, i) => [f, res.scores[i][j]]).filter(([f]) => !cls || f.class === cls);
        return `${((100 * sel.filter(([, s]) => s >= t).length) / Math.max(1, sel.length)).toFixed(0)} %`;
      };
      console.log(
        `| ${k} | ${(input / k).toFixed(0)} | ${THRESHOLDS.map((t) => at(t)).join(' | ')} | ${['correct', 'incorrect', 'none'].map((c) => at(0.5, c)).join(' / ')} |`,
      );
    });
  }
});
