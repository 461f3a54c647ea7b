"""Weight-only int8 quantization by ONNX graph surgery (no onnxruntime tooling needed).

Every Conv / Gemm / MatMul weight initializer becomes an int8 initializer with one symmetric
scale per output channel, feeding a DequantizeLinear (opset 13+ per-axis form). Activations and
biases stay float32, so the graph runs on any execution provider that runs the float model.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper


def weight_axis(node) -> int:
    """Axis of the weight tensor that indexes output channels."""
    if node.op_type == "Conv":
        return 0  # [O, I, kh, kw]
    if node.op_type == "Gemm":
        trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
        return 0 if trans_b else 1  # B is [N, K] with transB, else [K, N]
    return 1  # MatMul: B is [K, N]


def quantize_per_channel(w: np.ndarray, axis: int):
    """Symmetric int8 in [-127, 127]; scale = max|w| / 127 per slice along axis."""
    reduce_axes = tuple(i for i in range(w.ndim) if i != axis)
    amax = np.abs(w).max(axis=reduce_axes)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def quantize_weights(model: onnx.ModelProto) -> onnx.ModelProto:
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    dq_nodes, done = [], {}
    for node in graph.node:
        if node.op_type not in ("Conv", "Gemm", "MatMul") or node.input[1] not in inits:
            continue
        name, axis = node.input[1], weight_axis(node)
        if name not in done:
            q, scale = quantize_per_channel(numpy_helper.to_array(inits[name]).astype(np.float32), axis)
            graph.initializer.extend([
                numpy_helper.from_array(q, name + "_q"),
                numpy_helper.from_array(scale, name + "_scale"),
                numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), name + "_zp"),
            ])
            dq_nodes.append(helper.make_node(
                "DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"], [name + "_dq"],
                name=name + "_DequantizeLinear", axis=axis))
            graph.initializer.remove(inits[name])
            done[name] = axis
        elif done[name] != axis:
            raise ValueError(f"weight {name} shared with different output axes")
        node.input[1] = name + "_dq"
    # DQ nodes only read initializers, so placing them first keeps the graph topologically sorted.
    nodes = dq_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model, full_check=True)
    return model
