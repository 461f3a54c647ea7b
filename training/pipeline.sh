#!/usr/bin/env bash
# Evaluate the shipped models, every set on its own: preprocess -> PyTorch fp32 (when the training
# checkpoint is here) -> onnxruntime-node fp32 + int8 -> report (REPORT.md, summary.json, sidecars).
# Needs ../shared next to the repo; CPU is enough (about 25 min on 2 cores, most of it VGG16).
# Export first (export.py, see models/MODEL_CARD.md). Checkpoints: CKPT_<stem>=path (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
WORK=${WORK:-$(mktemp -d /tmp/maskgate-eval.XXXXXX)}
REPORTS=training/reports
SETS=facemask-val,facemask-real-val,scenes,scenes-real
declare -A CKPT=([mask_vgg16_224]=${CKPT_mask_vgg16_224:-training/runs/gpu1-vgg_b.pt}
                 [mask_mnv3s_224]=${CKPT_mask_mnv3s_224:-training/runs/gpu2-fast.pt})
mkdir -p "$REPORTS"
[ -f "$WORK/scenes-real.json" ] || $PY training/preprocess.py --out "$WORK" --sets "$SETS"
for stem in mask_mnv3s_224 mask_vgg16_224; do
  for prec in int8 fp32; do
    for set in ${SETS//,/ }; do
      node training/evaluate_onnx.mjs --model "models/$stem.$prec.onnx" --tensors "$WORK/$set" \
        --out "$REPORTS/$stem.onnx_$prec.$set.json" --probs-out "$WORK/probs.$stem.onnx_$prec.$set.json"
    done
  done
  if [ -f "${CKPT[$stem]}" ]; then
    $PY training/evaluate.py --weights "${CKPT[$stem]}" --stem "$stem" --tensors "$WORK" --sets "$SETS" --reports "$REPORTS"
  else
    echo "no checkpoint ${CKPT[$stem]}: PyTorch rows skipped for $stem"
  fi
done
$PY training/report.py --tensors "$WORK" --reports "$REPORTS"
echo "tensors and probabilities kept in $WORK"
