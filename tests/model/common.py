"""Shared paths and helpers for the model tests (run from any working directory)."""
import json
import os
import subprocess
import sys

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAINING = os.path.join(REPO, "training")
FIXTURES = os.path.join(REPO, "tests", "fixtures", "crops")
MODELS = os.path.join(REPO, "models")
SHARED = os.path.join(REPO, "..", "shared")
sys.path.insert(0, TRAINING)

# One torch thread: the tests train and run tiny batches (8-12 crops at 32 px), where a second OpenMP thread
# only adds barrier waits, and on a busy machine each wait can last a scheduler slice. Measured 2026-11-30,
# load ~3.5: the three training tests 94 s with 2 threads, 10 s with 1 (PyTorch 2.x, Debian 12).
TORCH_THREADS = 1


def run_onnx(model_path, tensor_prefix, probs_path):
    """Probabilities from onnxruntime-node via training/evaluate_onnx.mjs."""
    subprocess.run(["node", os.path.join(TRAINING, "evaluate_onnx.mjs"), "--model", model_path,
                    "--tensors", tensor_prefix, "--probs-out", probs_path],
                   check=True, cwd=REPO, capture_output=True)
    with open(probs_path) as f:
        out = json.load(f)
    return out["names"], np.array(out["probs"])
