"""Per-channel int8 weight quantization by graph surgery, on small synthetic graphs."""
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import common  # noqa: F401  (puts training/ on sys.path)
from quantize import quantize_per_channel, quantize_weights


def gemm_model(w, trans_b):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 4])
    node = helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=trans_b)
    graph = helper.make_graph([node], "g", [x], [y], [numpy_helper.from_array(w, "w"),
                                                      numpy_helper.from_array(np.zeros(4, np.float32), "b")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def dequantized(model, name):
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    (dq,) = [n for n in model.graph.node if n.op_type == "DequantizeLinear"]
    axis = next(a.i for a in dq.attribute if a.name == "axis")
    q, scale = inits[name + "_q"], inits[name + "_scale"]
    shape = [1] * q.ndim
    shape[axis] = -1
    return q, axis, q.astype(np.float32) * scale.reshape(shape)


class QuantizeTest(unittest.TestCase):
    def test_per_channel_rounding_error_and_range(self):
        rng = np.random.default_rng(0)
        w = rng.normal(size=(6, 3, 3, 3)).astype(np.float32) * np.arange(1, 7, dtype=np.float32)[:, None, None, None]
        w[5] = 0  # an all-zero channel must not divide by zero
        q, scale = quantize_per_channel(w, 0)
        self.assertEqual(q.dtype, np.int8)
        self.assertEqual(scale.shape, (6,))
        self.assertTrue(np.all(np.abs(q[:5]).reshape(5, -1).max(1) == 127))
        self.assertTrue(np.all(q[5] == 0))
        err = np.abs(q * scale[:, None, None, None] - w).reshape(6, -1).max(1)
        self.assertTrue(np.all(err <= scale / 2 + 1e-7))

    def test_gemm_axis_follows_trans_b(self):
        rng = np.random.default_rng(1)
        for trans_b, shape, axis in ((1, (4, 8), 0), (0, (8, 4), 1)):
            # Output channels get very different magnitudes: a wrong axis would show as large error.
            w = rng.normal(size=shape).astype(np.float32)
            w *= np.logspace(-3, 0, 4, dtype=np.float32).reshape((-1, 1) if axis == 0 else (1, -1))
            model = quantize_weights(gemm_model(w, trans_b))
            q, got_axis, deq = dequantized(model, "w")
            self.assertEqual(got_axis, axis)
            self.assertEqual(q.dtype, np.int8)
            rel = np.abs(deq - w).max(axis=1 - axis) / np.abs(w).max(axis=1 - axis)
            self.assertTrue(np.all(rel <= 0.5 / 127 + 1e-6), rel)
            self.assertNotIn("w", {t.name for t in model.graph.initializer})
            gemm = next(n for n in model.graph.node if n.op_type == "Gemm")
            self.assertEqual(gemm.input[1], "w_dq")
            onnx.checker.check_model(model, full_check=True)


if __name__ == "__main__":
    unittest.main()
