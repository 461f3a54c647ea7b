"""BN folding and fp32 ONNX export parity (PyTorch vs onnxruntime-node), no shared data needed."""
import os
import tempfile
import unittest

import numpy as np
import onnx
import torch

from common import FIXTURES, TORCH_THREADS, run_onnx

import export
from data import load_crops, save_tensors
from model import MaskNet, fold_batchnorm, load_model

SIZE = 32


def bn_model_with_stats(x):
    """A BN model whose folded convs really change: running statistics measured on the crops
    (as training would leave them), random BN affine, and a He-scaled head so the probabilities
    depend on the input (near-uniform outputs would make parity vacuous)."""
    torch.manual_seed(1)
    model = MaskNet(batch_norm=True, input_size=SIZE)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            elif isinstance(m, torch.nn.BatchNorm2d):
                m.momentum = None  # cumulative average: one pass gives the exact batch statistics
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
        model.train()(torch.from_numpy(x))
    return model.eval()


class ExportParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(TORCH_THREADS)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.x, cls.labels, cls.names = load_crops(FIXTURES, SIZE)
        cls.model = bn_model_with_stats(cls.x)
        cls.ckpt = os.path.join(cls.tmp.name, "smoke.pt")
        torch.save({"model": cls.model.state_dict(), "batch_norm": True, "input_size": SIZE}, cls.ckpt)
        export.main(["--weights", cls.ckpt, "--out-dir", cls.tmp.name, "--stem", "smoke", "--fp32-only"])
        cls.onnx_path = os.path.join(cls.tmp.name, "smoke.fp32.onnx")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_fold_batchnorm_preserves_outputs(self):
        x = torch.from_numpy(self.x)
        with torch.no_grad():
            ref, folded = self.model(x), fold_batchnorm(self.model)(x)
        self.assertFalse(any(isinstance(m, torch.nn.BatchNorm2d) for m in fold_batchnorm(self.model).modules()))
        self.assertLess((ref - folded).abs().max().item(), 1e-4 * max(1.0, ref.abs().max().item()))

    def test_onnx_contract(self):
        proto = onnx.load(self.onnx_path)
        self.assertGreaterEqual(max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 17)
        (inp,), (out,) = proto.graph.input, proto.graph.output
        self.assertEqual(inp.name, "input")
        self.assertEqual(out.name, "probs")
        dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
        self.assertIsInstance(dims[0], str)  # dynamic batch axis
        self.assertEqual(dims[1:], [3, SIZE, SIZE])
        self.assertEqual(proto.graph.node[-1].op_type, "Softmax")
        self.assertNotIn("BatchNormalization", {n.op_type for n in proto.graph.node})

    def test_pytorch_and_onnxruntime_agree(self):
        prefix = os.path.join(self.tmp.name, "fixtures")
        save_tensors(self.x, self.labels, self.names, prefix)
        names, onnx_probs = run_onnx(self.onnx_path, prefix, os.path.join(self.tmp.name, "probs.json"))
        self.assertEqual(names, self.names)
        with torch.no_grad():
            torch_probs = load_model(self.ckpt)(torch.from_numpy(self.x)).softmax(1).numpy()
        self.assertGreater(np.ptp(torch_probs[:, 0]), 0.01, "degenerate outputs make parity vacuous")
        self.assertLess(np.abs(torch_probs - onnx_probs).max(), 1e-3)


if __name__ == "__main__":
    unittest.main()
