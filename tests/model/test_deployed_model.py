"""The committed int8 model: sidecar, size budget, graph form, and agreement with fp32 goldens.

reference_probs.json is written by training/export.py from the fp32 reference weights (PyTorch).
PROB_TOL: training/pipeline.sh measured max |int8 - fp32| probability differences of 0.006 on these
13 fixtures, and on val (526 crops) a 99th percentile of 0.010 with a single worst crop at 0.030
(training/reports/REPORT.md). 0.02 is 3x the fixture maximum and 2x the val 99th percentile:
loose enough for runtime/BLAS differences, tight enough that quantization error several times
larger than measured, or a model not exported from the reference weights, fails.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from PIL import Image

from common import FIXTURES, MODELS, REPO, SHARED, run_onnx

from data import list_crops, load_crops, save_tensors, to_tensor
from model import CLASSES, load_model

STEM = os.path.join(MODELS, "mask_vgg16_224.int8")
PROB_TOL = 0.02
# Every 8th crop of each class: 68 of 526 (41 correct, 17 incorrect, 10 none), ~8x less time than all of val.
VAL_EVERY = 8
# On those 68 the max |int8 - fp32| probability difference is 0.006 (on all 526, 0.030 with a 99th percentile
# of 0.010): the fixtures' 0.02 is 3x the subset's maximum. MASKGATE_FULL_VAL=1 (all 526) uses 0.04.
VAL_PROB_TOL = 0.02
VAL_PROB_TOL_FULL = 0.04
BUDGET = 24 * 1000 * 1000


class DeployedModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(STEM + ".json") as f:
            cls.meta = json.load(f)

    def test_deployed_sidecar_is_vgg16_224(self):
        self.assertEqual(self.meta["classes"], list(CLASSES))
        self.assertEqual(self.meta["input"]["shape"], [None, 3, 224, 224])

    def test_every_model_has_a_matching_sidecar(self):
        """Data-driven over models/*.onnx: each has a <stem>.json whose sha256, size, name and contract fit."""
        files = sorted(f for f in os.listdir(MODELS) if f.endswith(".onnx") and not f.endswith(".fp32.onnx"))
        self.assertIn(os.path.basename(STEM) + ".onnx", files)
        for name in files:
            with self.subTest(model=name):
                with open(os.path.join(MODELS, name[:-len(".onnx")] + ".json")) as f:
                    meta = json.load(f)
                with open(os.path.join(MODELS, name), "rb") as f:
                    blob = f.read()
                self.assertEqual(meta["sha256"], hashlib.sha256(blob).hexdigest())
                self.assertEqual(meta["bytes"], len(blob))
                self.assertEqual(meta["file"], name)
                self.assertEqual(meta["classes"], list(CLASSES))
                shape = meta["input"]["shape"]
                self.assertEqual(shape[:2], [None, 3])
                self.assertEqual(shape[2], shape[3])
                self.assertEqual(meta["input"]["layout"], "NCHW")
                self.assertEqual(meta["output"], {"name": "probs", "softmax": True})
                proto = onnx.load(os.path.join(MODELS, name))
                (inp,), (out,) = proto.graph.input, proto.graph.output
                self.assertEqual(inp.name, meta["input"]["name"])
                self.assertEqual(out.name, meta["output"]["name"])
                dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
                self.assertEqual(dims[1:], shape[1:])

    def test_tracked_models_fit_budget(self):
        tracked = subprocess.run(["git", "ls-files", "--others", "--cached", "--exclude-standard", "models"],
                                 cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
        self.assertIn("models/mask_vgg16_224.int8.onnx", tracked)
        self.assertFalse([p for p in tracked if p.endswith(".fp32.onnx")], "fp32 exports must stay untracked")
        self.assertLessEqual(sum(os.path.getsize(os.path.join(REPO, p)) for p in tracked), BUDGET)

    def test_weights_are_int8_per_channel(self):
        proto = onnx.load(STEM + ".onnx")
        onnx.checker.check_model(proto, full_check=True)
        self.assertGreaterEqual(max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 17)
        inits = {t.name: t for t in proto.graph.initializer}
        dq = {n.output[0]: n for n in proto.graph.node if n.op_type == "DequantizeLinear"}
        layers = [n for n in proto.graph.node if n.op_type in ("Conv", "Gemm", "MatMul")]
        self.assertEqual(len(layers), 16)  # 13 convs + 3 dense
        for node in layers:
            src = dq[node.input[1]]
            self.assertEqual(inits[src.input[0]].data_type, onnx.TensorProto.INT8)
            scale = numpy_helper.to_array(inits[src.input[1]])
            self.assertEqual(scale.ndim, 1)
            self.assertGreater(scale.size, 1)  # per channel, not per tensor
        float_params = sum(np.prod(t.dims) for t in inits.values() if t.data_type == onnx.TensorProto.FLOAT)
        self.assertLess(float_params, 50_000)  # only biases and scales stay float32

    def test_int8_matches_fp32_reference_probs(self):
        with open(os.path.join(FIXTURES, "reference_probs.json")) as f:
            golden = json.load(f)["crops"]
        x, labels, names = load_crops(FIXTURES, 224)
        self.assertEqual(sorted(golden), sorted(names))
        with tempfile.TemporaryDirectory() as tmp:
            save_tensors(x, labels, names, os.path.join(tmp, "fixtures"))
            got_names, probs = run_onnx(STEM + ".onnx", os.path.join(tmp, "fixtures"), os.path.join(tmp, "p.json"))
        ref = np.array([golden[n]["probs"] for n in got_names])
        np.testing.assert_array_equal(probs.argmax(1), ref.argmax(1))
        self.assertLess(np.abs(probs - ref).max(), PROB_TOL)

    @unittest.skipUnless(os.path.isdir(SHARED), "../shared (reference weights and val data) not present")
    def test_int8_and_fp32_agree_on_val(self):
        """Labels agree on >= 99 % and probabilities within VAL_PROB_TOL, int8 (onnxruntime-node) vs the fp32
        reference weights (PyTorch), on a fixed stratified subset of val (every VAL_EVERY-th crop of each
        class, sorted by name); MASKGATE_FULL_VAL=1 uses all 526 crops (~5 min on 2 cores instead of ~40 s)."""
        full = os.environ.get("MASKGATE_FULL_VAL") == "1"
        every = 1 if full else VAL_EVERY
        root = os.path.join(SHARED, "data", "facemask", "val")
        items = [item for label in range(len(CLASSES))
                 for item in [it for it in list_crops(root) if it[1] == label][::every]]
        self.assertEqual({label for _, label in items}, set(range(len(CLASSES))))
        x = np.stack([to_tensor(Image.open(p), 224) for p, _ in items])
        labels, names = [l for _, l in items], [os.path.relpath(p, root) for p, _ in items]
        torch.set_num_threads(2)
        with torch.inference_mode():
            model = load_model(os.path.join(SHARED, "models", "mask_vgg16_224.fp16.pt"))
            fp32 = torch.cat([model(torch.from_numpy(x[i:i + 16])).softmax(1)
                              for i in range(0, len(x), 16)]).numpy()
        with tempfile.TemporaryDirectory() as tmp:
            save_tensors(x, labels, names, os.path.join(tmp, "val"))
            got_names, probs = run_onnx(STEM + ".onnx", os.path.join(tmp, "val"), os.path.join(tmp, "p.json"))
        self.assertEqual(got_names, names)
        agreement = (probs.argmax(1) == fp32.argmax(1)).mean()
        worst = np.abs(probs - fp32).max()
        print(f"\nval ({len(names)} crops): label agreement {agreement:.4f}, max |int8 - fp32| {worst:.4f}", file=sys.stderr)
        self.assertGreaterEqual(agreement, 0.99)
        self.assertLess(worst, VAL_PROB_TOL_FULL if full else VAL_PROB_TOL)


if __name__ == "__main__":
    unittest.main()
