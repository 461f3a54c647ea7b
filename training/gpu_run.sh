#!/usr/bin/env bash
# The GPU path, as one prepared run (about 8 minutes on one H200, data decoded on 16 cores):
#   1. VGG16 fine-tuned whole from the deployed weights on facemask + facemask-real, two recipes
#      (classes drawn equally vs. by the square root of their counts); the tune split picks one;
#   2. the fast tier (MobileNetV3-small) from scratch, distilled from recipe 1's VGG16.
# Writes to $OUT (at most 8 files of 16 MB come back from the GPU machine): vgg.part* (chosen VGG16,
# fp16 npz in parts), fast.part0 (fp32), results.json (every run's per-source reports), log.txt.
# Afterwards, here: training/pack_weights.py unpack, then training/pipeline.sh to export and evaluate.
#   DATA=<folder with facemask/ and facemask-real/>  OUT=<folder>  bash training/gpu_run.sh
set -euo pipefail
cd "$(dirname "$0")"
DATA=${DATA:-../../shared/data}
RUNS=${RUNS:-/tmp/maskgate-runs}
PY=${PY:-python3}
QUICK=${QUICK:-}   # non-empty: a seconds-long rehearsal of the whole script (CPU, tiny data)
mkdir -p "$OUT" "$RUNS"
exec > >(tee -a "$OUT/log.txt") 2>&1
nvidia-smi --query-gpu=name,memory.total --format=csv || true
$PY -c 'import torch, torchvision; print("torch", torch.__version__, torchvision.__version__, "cuda", torch.cuda.is_available())'

common=(--data "$DATA/facemask" --data "$DATA/facemask-real")
E_VGG=24 E_FAST=150 B_FAST=256
if [ -n "$QUICK" ]; then common+=(--device cpu --max-steps 2 --eval-every 0); E_VGG=1 E_FAST=1 B_FAST=4; fi
vgg=(--arch vgg16 --init ../models/mask_vgg16_224.int8.onnx --opt sgd --lr 0.004 --wd 5e-4 --warmup-epochs 1)

SECONDS=0
$PY train.py "${common[@]}" "${vgg[@]}" --epochs $E_VGG ${QUICK:+--batch 4} --class-power 1.0 --time-budget 150 --out "$RUNS/vgg_a"
$PY pack_weights.py pack "$RUNS/vgg_a/last.pt" "$OUT/vgg" --fp16
echo "== vgg_a done at ${SECONDS}s"

$PY train.py "${common[@]}" --arch mobilenet_v3_small --teacher "$RUNS/vgg_a/last.pt" --opt adamw --lr 0.003 \
  --wd 0.05 --warmup-epochs 3 --epochs $E_FAST --batch $B_FAST --time-budget 150 --out "$RUNS/fast"
$PY pack_weights.py pack "$RUNS/fast/last.pt" "$OUT/fast"
echo "== fast done at ${SECONDS}s"

$PY train.py "${common[@]}" "${vgg[@]}" --epochs $E_VGG ${QUICK:+--batch 4} --class-power 0.5 --time-budget 120 --out "$RUNS/vgg_b"
echo "== vgg_b done at ${SECONDS}s"

# Pick the VGG16 recipe on tune (mean macro-F1 over the data roots), never on val.
$PY - "$RUNS" "$OUT" <<'PYEOF'
import json, os, sys
runs, out = sys.argv[1:]
reports = {n: json.load(open(os.path.join(runs, n, "report.json"))) for n in ("vgg_a", "fast", "vgg_b")}
roots = [k for k in reports["vgg_a"]["tune"] if "/" not in k]
score = {n: sum(reports[n]["tune"][r]["macro_f1"] for r in roots) / len(roots) for n in ("vgg_a", "vgg_b")}
chosen = max(score, key=score.get)
json.dump({"chosen_vgg": chosen, "tune_score": score, "reports": reports}, open(os.path.join(out, "results.json"), "w"))
print("tune score", score, "chosen", chosen)
open(os.path.join(runs, "chosen"), "w").write(chosen)
PYEOF
if [ "$(cat "$RUNS/chosen")" = vgg_b ]; then
  rm -f "$OUT"/vgg.part*
  $PY pack_weights.py pack "$RUNS/vgg_b/last.pt" "$OUT/vgg" --fp16
fi
echo "== all done at ${SECONDS}s"
