#!/usr/bin/env bash
# export -> preprocess -> evaluate (PyTorch + onnxruntime-node) -> report. Run from anywhere.
# Needs ../shared (reference weights and data) next to the repo; CPU is enough (~10 min on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
WORK=${WORK:-$(mktemp -d /tmp/maskgate-eval.XXXXXX)}
REPORTS=training/reports
mkdir -p "$REPORTS"

$PY training/export.py --reference-probs tests/fixtures/crops/reference_probs.json
$PY training/preprocess.py --out "$WORK"
$PY training/evaluate.py --tensors "$WORK" --reports "$REPORTS"
for prec in fp32 int8; do
  for set in val scenes; do
    node training/evaluate_onnx.mjs --model "models/mask_vgg16_224.$prec.onnx" --tensors "$WORK/$set" \
      --out "$REPORTS/onnx_${prec}_$set.json" --probs-out "$WORK/probs_onnx_${prec}_$set.json"
  done
done
$PY training/report.py --tensors "$WORK" --reports "$REPORTS"
echo "tensors and probabilities kept in $WORK"
