// Run ONNX models with onnxruntime-node on tensors written by preprocess.py and report metrics.
// Usage: node training/evaluate_onnx.mjs --model M.onnx --tensors DIR/val [--out report.json]
//          [--probs-out probs.json] [--batch 16]
// Tensors: <prefix>.bin (float32 LE, shape from <prefix>.json) + <prefix>.json {shape, labels, names}.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';

const CLASSES = ['correct', 'incorrect', 'none'];

// Same definitions as training/metrics.py (rows of the confusion = truth).
function classificationReport(labels, preds) {
  const k = CLASSES.length;
  const cm = Array.from({ length: k }, () => new Array(k).fill(0));
  labels.forEach((t, i) => {
    cm[t][preds[i]] += 1;
  });
  const perClass = {};
  let f1Sum = 0;
  let correct = 0;
  CLASSES.forEach((name, i) => {
    const tp = cm[i][i];
    const col = cm.reduce((s, row) => s + row[i], 0);
    const row = cm[i].reduce((s, v) => s + v, 0);
    const p = col ? tp / col : 0;
    const r = row ? tp / row : 0;
    const f1 = p + r ? (2 * p * r) / (p + r) : 0;
    perClass[name] = { precision: p, recall: r, f1, support: row };
    f1Sum += f1;
    correct += tp;
  });
  return {
    n: labels.length,
    accuracy: correct / labels.length,
    macro_f1: f1Sum / k,
    per_class: perClass,
    confusion: cm,
  };
}

async function runModel(modelPath, data, shape, batch) {
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 2,
    graphOptimizationLevel: 'all',
    // As in the app (workers/session.ts): fold the int8 weights into floats once, not on every run.
    extra: { 'session.disable_quant_qdq': '1' },
  });
  const [n, c, h, w] = shape;
  const per = c * h * w;
  const probs = [];
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    const input = new ort.Tensor('float32', data.subarray(start * per, (start + m) * per), [m, c, h, w]);
    const out = (await session.run({ input })).probs.data;
    for (let i = 0; i < m; i++) probs.push(Array.from(out.subarray(i * 3, i * 3 + 3)));
  }
  await session.release();
  return probs;
}

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    tensors: { type: 'string' },
    out: { type: 'string' },
    'probs-out': { type: 'string' },
    batch: { type: 'string', default: '16' },
  },
});
if (!args.model || !args.tensors) {
  console.error('usage: evaluate_onnx.mjs --model M.onnx --tensors PREFIX [--out R.json] [--probs-out P.json]');
  process.exit(2);
}
const meta = JSON.parse(readFileSync(`${args.tensors}.json`, 'utf8'));
const buf = readFileSync(`${args.tensors}.bin`);
const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
const t0 = performance.now();
const probs = await runModel(args.model, data, meta.shape, Number(args.batch));
const seconds = (performance.now() - t0) / 1000;
const preds = probs.map((p) => p.indexOf(Math.max(...p)));
const report = {
  model: basename(args.model),
  runtime: `onnxruntime-node ${ort.env.versions.common}`,
  set: basename(args.tensors),
  seconds,
  ...classificationReport(meta.labels, preds),
};
if (args.out) writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
if (args['probs-out']) writeFileSync(args['probs-out'], JSON.stringify({ names: meta.names, probs }));
console.log(
  `${report.model} on ${report.set}: n=${report.n} acc=${report.accuracy.toFixed(4)} ` +
    `macroF1=${report.macro_f1.toFixed(4)} (${seconds.toFixed(1)} s)`,
);
