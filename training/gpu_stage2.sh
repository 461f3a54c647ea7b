#!/usr/bin/env bash
# Second GPU run (after gpu_run.sh, whose chosen VGG16 was exported to models/ here and travels in
# the working tree): two processes share the GPU.
#   fast:  the fast tier (MobileNetV3-small) from scratch, distilled from that VGG16;
#   vgg_c: that VGG16 trained 12 epochs more with facemask-real drawn twice as often (lr 0.002).
# Writes to $OUT: fast.part0, vgg_c.part* (fp16), results2.json, log2.txt.
#   DATA=<folder with facemask/ and facemask-real/>  OUT=<folder>  bash training/gpu_stage2.sh
set -euo pipefail
cd "$(dirname "$0")"
DATA=${DATA:-../../shared/data}
RUNS=${RUNS:-/tmp/maskgate-runs}
PY=${PY:-python3}
QUICK=${QUICK:-}
mkdir -p "$OUT" "$RUNS"
exec > >(tee -a "$OUT/log2.txt") 2>&1
common=(--data "$DATA/facemask" --data "$DATA/facemask-real")
E_VGG=12 E_FAST=150 B_FAST=256 B_VGG=128
if [ -n "$QUICK" ]; then common+=(--device cpu --max-steps 2 --eval-every 0); E_VGG=1 E_FAST=1 B_FAST=4 B_VGG=4; fi
VGG=../models/mask_vgg16_224.int8.onnx
SECONDS=0
$PY train.py "${common[@]}" --arch mobilenet_v3_small --teacher "$VGG" --opt adamw --lr 0.003 --wd 0.05 \
  --warmup-epochs 3 --epochs $E_FAST --batch $B_FAST --time-budget 200 --eval-every 10 --out "$RUNS/fast" &
fast=$!
$PY train.py "${common[@]}" --arch vgg16 --init "$VGG" --opt sgd --lr 0.002 --wd 5e-4 --warmup-epochs 1 \
  --class-power 0.5 --root-weight facemask-real=2 --epochs $E_VGG --batch $B_VGG --time-budget 200 --out "$RUNS/vgg_c" &
vgg=$!
wait $fast
$PY pack_weights.py pack "$RUNS/fast/last.pt" "$OUT/fast"
wait $vgg
$PY pack_weights.py pack "$RUNS/vgg_c/last.pt" "$OUT/vgg_c" --fp16
$PY -c "
import json; r={n: json.load(open('$RUNS/'+n+'/report.json')) for n in ('fast','vgg_c')}
json.dump(r, open('$OUT/results2.json','w'))"
echo "== all done at ${SECONDS}s"
