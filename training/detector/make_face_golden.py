"""Writes the face-detector parity fixtures: 128 x 128 PNG inputs cut from committed CC0 scene photos and the
PyTorch outputs of the served short-range model (MediaPipe's file with models/face_detection_short_range.finetuned
written in) for them.

    /usr/bin/python3 training/detector/make_face_golden.py

tests/model/test_face_detector.py checks that PyTorch still gives these outputs from the committed weights;
tests/e2e/face-model.test.mjs checks that MediaPipe Tasks, running the file the build serves, gives them too.
"""
import hashlib
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from tflite_graph import DEQUANTIZE, TfliteGraph, read_graph  # noqa: E402

BASE = os.path.join(REPO, "node_modules", "@mediapipe", "face_detection", "face_detection_short_range.tflite")
WEIGHTS = os.path.join(REPO, "models", "face_detection_short_range.finetuned")
SCENES = os.path.join(REPO, "tests", "fixtures", "scenes")
OUT = os.path.join(REPO, "tests", "fixtures", "face-detector")
# (scene photo, square region [x, y, side] in photo pixels or None for the whole photo letterboxed top-left)
INPUTS = [("maksssksksss261.jpg", None), ("maksssksksss562.jpg", (127, 52, 150)), ("maksssksksss63.jpg", (95, 40, 220))]
TOP = 12


def finetuned_file():
    """MediaPipe's file with the committed weights written in (as scripts/face-models/tfliteWeights.ts does)."""
    with open(BASE, "rb") as f:
        base = bytearray(f.read())
    with open(WEIGHTS + ".json") as f:
        side = json.load(f)
    if hashlib.sha256(base).hexdigest() != side["base"]["sha256"]:
        raise SystemExit(f"{BASE} is not the file the weights were trained from")
    with open(WEIGHTS + ".bin", "rb") as f:
        blob = f.read()
    g = read_graph(bytes(base))
    where = {t["name"]: t["data"] for t in g["tensors"] if t["data"]}
    at = 0
    for t in side["tensors"]:
        start, n = where[t["name"]]
        assert n == t["bytes"]
        base[start:start + n] = blob[at:at + n]
        at += n
    assert at == len(blob)
    out = bytes(base)
    if hashlib.sha256(out).hexdigest() != side["sha256"]:
        raise SystemExit("rewritten file's sha256 differs from the sidecar's")
    return out


def input_image(name, region):
    img = Image.open(os.path.join(SCENES, name)).convert("RGB")
    canvas = Image.new("RGB", (128, 128))
    if region is None:  # the whole photo, letterboxed top-left on black as the app's detector does
        s = 128 / max(img.size)
        canvas.paste(img.resize((round(img.size[0] * s), round(img.size[1] * s)), Image.BILINEAR), (0, 0))
    else:
        x, y, side = region  # PIL pads a crop outside the photo with black
        canvas.paste(img.crop((x, y, x + side, y + side)).resize((128, 128), Image.BILINEAR), (0, 0))
    return canvas


def outputs(model, png_path):
    x = torch.from_numpy(np.asarray(Image.open(png_path).convert("RGB"), np.float32) / 127.5 - 1.0)[None]
    with torch.no_grad():
        reg, logit = model(x)
    return reg[0].numpy(), logit[0, :, 0].numpy()


def main():
    tuned = finetuned_file()
    os.makedirs(OUT, exist_ok=True)
    model = TfliteGraph(tuned).eval()
    golden = {"model": hashlib.sha256(tuned).hexdigest(), "inputs": []}
    for name, region in INPUTS:
        png = os.path.splitext(name)[0] + ".128.png"
        input_image(name, region).save(os.path.join(OUT, png))
        reg, logit = outputs(model, os.path.join(OUT, png))
        top = np.argsort(-logit)[:TOP]
        golden["inputs"].append({
            "file": png, "from": name, "region": region,
            "logits": [round(float(v), 4) for v in logit],
            "top": [{"anchor": int(i), "regressors": [round(float(v), 4) for v in reg[i]]} for i in top],
        })
        print(f"{png}: max score {1 / (1 + np.exp(-logit.max())):.3f}")
    with open(os.path.join(OUT, "golden.short.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
