"""Writes a fine-tuned BlazeFace's float16 weights and their sidecar for the app's build.

    /usr/bin/python3 training/detector/export_weights.py --base node_modules/@mediapipe/face_detection/face_detection_short_range.tflite \
        --tuned training/runs/blazeface-short/face_detection_short_range.tflite --out models/face_detection_short_range.finetuned \
        --made-by "training/detector/finetune_blazeface.py --steps 1500 ..."

Writes OUT.bin (the bytes of every float16 constant, in graph order) and OUT.json (the base file's name and
sha256, the tensors and their sizes, the rewritten file's sha256). scripts/face-models/tfliteWeights.ts puts
them back into the base file at build time, so only the weights are committed (the graph stays MediaPipe's).
"""
import argparse
import hashlib
import json
import os

from tflite_graph import DEQUANTIZE, read_graph


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base", required=True)
    p.add_argument("--tuned", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--made-by", default="")
    args = p.parse_args()
    base, tuned = open(args.base, "rb").read(), open(args.tuned, "rb").read()
    if len(base) != len(tuned):
        raise SystemExit("the tuned file is not the base file with new weights (sizes differ)")
    g = read_graph(base)
    tensors, blob = [], bytearray()
    changed = bytearray(base)
    for op in g["ops"]:
        if op["code"] != DEQUANTIZE:
            continue
        t = g["tensors"][op["inputs"][0]]
        start, n = t["data"]
        tensors.append({"name": t["name"], "bytes": n})
        blob += tuned[start:start + n]
        changed[start:start + n] = tuned[start:start + n]
    if bytes(changed) != tuned:
        raise SystemExit("the tuned file differs from the base outside its float16 weights")
    with open(args.out + ".bin", "wb") as f:
        f.write(blob)
    sidecar = {
        "base": {"file": os.path.basename(args.base), "sha256": hashlib.sha256(base).hexdigest()},
        "tensors": tensors,
        "sha256": hashlib.sha256(tuned).hexdigest(),
        "madeBy": args.made_by,
    }
    with open(args.out + ".json", "w") as f:
        json.dump(sidecar, f, indent=1)
        f.write("\n")
    print(f"{args.out}.bin: {len(blob)} bytes, {len(tensors)} tensors; rewritten file sha256 {sidecar['sha256']}")


if __name__ == "__main__":
    main()
