"""Export a MaskNet (reference state dict or train.py checkpoint) to ONNX: fp32 + int8 weights.

Outputs (names from --stem): <stem>.fp32.onnx (untracked), <stem>.int8.onnx (deployed) and
<stem>.int8.json (sidecar). Optionally records fp32 PyTorch probabilities for test fixtures.
"""
import argparse
import copy
import hashlib
import io
import json
import os

import onnx
import torch
from torch import nn

from data import MARGIN, load_crops
from model import CLASSES, MaskNet, arch_of, fold_batchnorm, load_model
from quantize import quantize_weights

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_WEIGHTS = os.path.join(REPO, "..", "shared", "models", "mask_vgg16_224.fp16.pt")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def last_linear(model) -> nn.Linear:
    return model.head[-1] if isinstance(model, MaskNet) else model.net.classifier[-1]


@torch.no_grad()
def fold_temperature(model):
    """A copy whose last layer divides the logits by model.temperature (calibration.py), so the
    softmax in the graph gives the calibrated confidence the app shows."""
    t = float(getattr(model, "temperature", 1.0))
    model = copy.deepcopy(model)
    layer = last_linear(model)
    layer.weight.div_(t)
    layer.bias.div_(t)
    return model


def to_onnx(model, opset=17) -> onnx.ModelProto:
    """Plain (BN-folded, temperature-folded) model with softmax in the graph; batch axis dynamic."""
    plain = fold_batchnorm(model) if isinstance(model, MaskNet) else model
    plain.temperature = getattr(model, "temperature", 1.0)
    net = nn.Sequential(fold_temperature(plain), nn.Softmax(dim=1)).eval()
    size = model.input_size
    buf = io.BytesIO()
    torch.onnx.export(net, torch.zeros(1, 3, size, size), buf, opset_version=opset,
                      input_names=["input"], output_names=["probs"],
                      dynamic_axes={"input": {0: "N"}, "probs": {0: "N"}}, do_constant_folding=True)
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto, full_check=True)
    return proto


TIERS = {"vgg16": "accurate", "vgg16_bn": "accurate", "mobilenet_v3_small": "fast"}


def sidecar(path, model, source, model_id, version, old=None):
    """Model description for the app; keeps evaluation metrics while the file is unchanged."""
    digest = sha256(path)
    metrics = old["metrics"] if old and old.get("sha256") == digest else {}
    input_size = model.input_size
    return {
        "id": model_id, "version": version, "file": os.path.basename(path),
        "arch": arch_of(model), "tier": TIERS[arch_of(model)],
        "parameters": sum(p.numel() for p in model.parameters()),
        "temperature": float(getattr(model, "temperature", 1.0)),
        "sha256": digest, "bytes": os.path.getsize(path),
        "input": {"name": "input", "shape": [None, 3, input_size, input_size], "layout": "NCHW",
                  "range": [0, 1], "mean": None, "std": None, "color": "RGB"},
        "output": {"name": "probs", "softmax": True},
        "classes": list(CLASSES),
        "crop": {"square": "longer side", "margin": MARGIN, "resize": "bilinear"},
        "quantization": {"weights": "int8 symmetric per output channel (DequantizeLinear)",
                         "activations": "float32", "biases": "float32"},
        "source": source,
        "metrics": metrics,
    }


@torch.no_grad()
def record_reference_probs(model, weights_path, crops_dir, out_path):
    x, labels, names = load_crops(crops_dir, model.input_size)
    probs = fold_temperature(model)(torch.from_numpy(x)).softmax(1).numpy()
    golden = {
        "model": os.path.basename(weights_path), "model_sha256": sha256(weights_path),
        "runtime": f"pytorch {torch.__version__} fp32", "classes": list(CLASSES),
        "crops": {n: {"truth": CLASSES[l], "probs": [round(float(v), 6) for v in p]}
                  for n, l, p in zip(names, labels, probs)},
    }
    with open(out_path, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", default=DEFAULT_WEIGHTS, help="reference .pt or train.py checkpoint")
    ap.add_argument("--out-dir", default=os.path.join(REPO, "models"))
    ap.add_argument("--stem", default="mask_vgg16_224", help="file names and the sidecar's id")
    ap.add_argument("--version", default="1.0.0", help="the sidecar's version (logged with every event)")
    ap.add_argument("--fp32-only", action="store_true", help="skip the int8 file and sidecar")
    ap.add_argument("--source", default="reference weights from ../shared/models "
                                        "(not retrained: no GPU in this session)")
    ap.add_argument("--reference-probs", help="write fp32 PyTorch probs of --fixtures crops here")
    ap.add_argument("--fixtures", default=os.path.join(REPO, "tests", "fixtures", "crops"))
    args = ap.parse_args(argv)

    torch.manual_seed(0)
    model = load_model(args.weights)
    os.makedirs(args.out_dir, exist_ok=True)
    fp32 = to_onnx(model)
    fp32_path = os.path.join(args.out_dir, args.stem + ".fp32.onnx")
    onnx.save(fp32, fp32_path)
    print(f"{fp32_path}: {os.path.getsize(fp32_path):,} bytes")
    if args.reference_probs:
        record_reference_probs(model, args.weights, args.fixtures, args.reference_probs)
        print(f"{args.reference_probs}: fp32 reference probabilities")
    if args.fp32_only:
        return

    int8_path = os.path.join(args.out_dir, args.stem + ".int8.onnx")
    onnx.save(quantize_weights(copy.deepcopy(fp32)), int8_path)
    json_path = os.path.join(args.out_dir, args.stem + ".int8.json")
    old = json.load(open(json_path)) if os.path.exists(json_path) else None
    meta = sidecar(int8_path, model, args.source, args.stem, args.version, old)
    with open(json_path, "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"{int8_path}: {meta['bytes']:,} bytes sha256 {meta['sha256']}")


if __name__ == "__main__":
    main()
