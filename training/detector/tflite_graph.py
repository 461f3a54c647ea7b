"""A BlazeFace .tflite file as a trainable PyTorch module, and its weights written back into the same file.

The graph is read from the TFLite flatbuffer (schema: tensorflow/lite/schema/schema.fbs) and run op by op, so
the PyTorch model is the shipped network by construction: same ops, same tensors, same order. Its float16
constants (the inputs of DEQUANTIZE ops) become parameters; `write_weights` stores them back as float16 in
the very buffers they came from, so the rewritten file has the same size, graph and ops as the original.

Ops covered: those of MediaPipe's face_detection_short_range.tflite (CONV_2D, DEPTHWISE_CONV_2D, ADD, RELU,
MAX_POOL_2D, PAD, RESHAPE, CONCATENATION, DEQUANTIZE); anything else is refused by name.
"""
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# tflite BuiltinOperator codes used here.
ADD, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE, MAX_POOL_2D, RELU, RESHAPE, PAD = 0, 2, 3, 4, 6, 17, 19, 22, 34
OP_NAMES = {ADD: "ADD", CONCATENATION: "CONCATENATION", CONV_2D: "CONV_2D", DEPTHWISE_CONV_2D: "DEPTHWISE_CONV_2D",
            DEQUANTIZE: "DEQUANTIZE", MAX_POOL_2D: "MAX_POOL_2D", RELU: "RELU", RESHAPE: "RESHAPE", PAD: "PAD"}
FLOAT32, FLOAT16, INT32 = 0, 1, 2
# ActivationFunctionType: NONE 0, RELU 1, RELU_N1_TO_1 2, RELU6 3.
ACTIVATIONS = {0: lambda x: x, 1: F.relu, 3: lambda x: F.relu6(x)}


class _Flatbuffer:
    """Bounds-checked reads of flatbuffer tables, vectors and scalars (little-endian)."""

    def __init__(self, data):
        self.b = data

    def _u(self, fmt, o):
        if o < 0 or o + struct.calcsize(fmt) > len(self.b):
            raise ValueError(f"corrupt flatbuffer: offset {o} out of range")
        return struct.unpack_from("<" + fmt, self.b, o)[0]

    def root(self):
        return self._u("I", 0)

    def field(self, table, slot):
        vtable = table - self._u("i", table)
        if 4 + 2 * slot >= self._u("H", vtable):
            return None
        off = self._u("H", vtable + 4 + 2 * slot)
        return None if off == 0 else table + off

    def table(self, t, slot):
        f = self.field(t, slot)
        return None if f is None else f + self._u("I", f)

    def vector(self, t, slot):
        f = self.field(t, slot)
        if f is None:
            return None, 0
        v = f + self._u("I", f)
        return v + 4, self._u("I", v)

    def tables(self, t, slot):
        start, n = self.vector(t, slot)
        return [start + 4 * k + self._u("I", start + 4 * k) for k in range(n)]

    def ints(self, t, slot):
        start, n = self.vector(t, slot)
        return [self._u("i", start + 4 * k) for k in range(n)]

    def string(self, t, slot):
        start, n = self.vector(t, slot)
        return None if start is None else bytes(self.b[start:start + n]).decode()

    def scalar(self, t, slot, fmt, default=0):
        f = self.field(t, slot)
        return default if f is None else self._u(fmt, f)


def read_graph(data):
    """The first subgraph: tensors (shape, type, name, constant bytes' file offset), ops with options, I/O."""
    fb = _Flatbuffer(data)
    model = fb.root()
    codes = []
    for oc in fb.tables(model, 1):
        # builtin_code (slot 3) supersedes deprecated_builtin_code (slot 0) from schema v3a on.
        codes.append(max(fb.scalar(oc, 0, "b"), fb.scalar(oc, 3, "i")))
    buffers = [fb.vector(b, 0) for b in fb.tables(model, 4)]
    sub = fb.tables(model, 2)[0]
    tensors = []
    for t in fb.tables(sub, 0):
        start, n = buffers[fb.scalar(t, 2, "I")]
        tensors.append({"name": fb.string(t, 3), "shape": fb.ints(t, 0), "type": fb.scalar(t, 1, "b"),
                        "data": (start, n) if n else None})
    ops = []
    for o in fb.tables(sub, 3):
        code = codes[fb.scalar(o, 0, "I")]
        if code not in OP_NAMES:
            raise ValueError(f"unsupported TFLite op code {code}")
        opt = fb.table(o, 4)
        u8 = lambda slot: fb.scalar(opt, slot, "b") if opt is not None else 0
        i32 = lambda slot: fb.scalar(opt, slot, "i") if opt is not None else 0
        options = {}
        if code == CONV_2D:  # Conv2DOptions: padding, stride_w, stride_h, fused_activation_function
            options = {"same": u8(0) == 0, "stride": (i32(2), i32(1)), "act": u8(3)}
        elif code == DEPTHWISE_CONV_2D:  # padding, stride_w, stride_h, depth_multiplier, fused_activation_function
            options = {"same": u8(0) == 0, "stride": (i32(2), i32(1)), "act": u8(4)}
        elif code == MAX_POOL_2D:  # Pool2DOptions: padding, stride_w, stride_h, filter_width, filter_height, act
            options = {"same": u8(0) == 0, "stride": (i32(2), i32(1)), "kernel": (i32(4), i32(3)), "act": u8(5)}
        elif code == ADD:  # AddOptions: fused_activation_function
            options = {"act": u8(0)}
        elif code == CONCATENATION:  # ConcatenationOptions: axis, fused_activation_function
            options = {"axis": i32(0), "act": u8(1)}
        ops.append({"code": code, "inputs": fb.ints(o, 1), "outputs": fb.ints(o, 2), "options": options})
    return {"tensors": tensors, "ops": ops, "inputs": fb.ints(sub, 1), "outputs": fb.ints(sub, 2)}


def _same_pad(x, kernel, stride):
    """TensorFlow's SAME padding (the extra pixel goes after), for NCHW input."""
    pads = []
    for dim, k, s in ((3, kernel[1], stride[1]), (2, kernel[0], stride[0])):
        size = x.shape[dim]
        total = max((-(-size // s) - 1) * s + k - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


class TfliteGraph(nn.Module):
    """Runs the graph on NHWC float input (as the .tflite takes it) and returns its outputs in order."""

    def __init__(self, source):
        """`source`: a .tflite path, or the file's bytes."""
        super().__init__()
        if isinstance(source, (bytes, bytearray)):
            self.data = bytes(source)
        else:
            with open(source, "rb") as f:
                self.data = f.read()
        g = read_graph(self.data)
        self.graph = g
        self.params = nn.ParameterDict()
        self.consts = {}
        # float16 constants feeding DEQUANTIZE become float32 parameters (stored in TFLite's layout).
        for op in g["ops"]:
            if op["code"] == DEQUANTIZE:
                t = g["tensors"][op["inputs"][0]]
                if t["type"] != FLOAT16 or t["data"] is None:
                    raise ValueError(f"DEQUANTIZE of a non-float16 constant: {t['name']}")
                start, n = t["data"]
                arr = np.frombuffer(self.data, dtype="<f2", count=n // 2, offset=start).astype(np.float32)
                self.params[self._key(op["outputs"][0])] = nn.Parameter(torch.from_numpy(arr.reshape(t["shape"]).copy()))
        for i, t in enumerate(g["tensors"]):
            if t["data"] is not None and t["type"] in (FLOAT32, INT32):
                start, n = t["data"]
                dt = "<f4" if t["type"] == FLOAT32 else "<i4"
                self.consts[i] = np.frombuffer(self.data, dtype=dt, count=n // 4, offset=start).reshape(t["shape"])

    @staticmethod
    def _key(i):
        return f"t{i}"

    def forward(self, x):
        g = self.graph
        # Activations are kept NCHW; RESHAPE turns them back to NHWC order first, as TFLite lays them out.
        vals = {g["inputs"][0]: x.permute(0, 3, 1, 2)}

        def get(i):
            if i in vals:
                return vals[i]
            return self.params[self._key(i)]

        for op in g["ops"]:
            code, ins, out, o = op["code"], op["inputs"], op["outputs"][0], op["options"]
            if code == DEQUANTIZE:
                continue
            if code == CONV_2D:
                x, w, b = get(ins[0]), get(ins[1]), get(ins[2])
                w = w.permute(0, 3, 1, 2)  # OHWI -> OIHW
                k = w.shape[2:]
                if o["same"]:
                    x = _same_pad(x, k, o["stride"])
                y = ACTIVATIONS[o["act"]](F.conv2d(x, w, b, stride=o["stride"]))
            elif code == DEPTHWISE_CONV_2D:
                x, w, b = get(ins[0]), get(ins[1]), get(ins[2])
                w = w.permute(3, 0, 1, 2)  # 1HWC -> C1HW
                k = w.shape[2:]
                if o["same"]:
                    x = _same_pad(x, k, o["stride"])
                y = ACTIVATIONS[o["act"]](F.conv2d(x, w, b, stride=o["stride"], groups=x.shape[1]))
            elif code == MAX_POOL_2D:
                x = get(ins[0])
                if o["same"]:
                    x = _same_pad(x, o["kernel"], o["stride"])
                y = ACTIVATIONS[o["act"]](F.max_pool2d(x, o["kernel"], o["stride"]))
            elif code == ADD:
                y = ACTIVATIONS[o["act"]](get(ins[0]) + get(ins[1]))
            elif code == RELU:
                y = F.relu(get(ins[0]))
            elif code == PAD:
                pads = self.consts[ins[1]]  # NHWC: [[n0,n1],[h0,h1],[w0,w1],[c0,c1]]
                if pads[0].any():
                    raise ValueError("PAD on the batch axis")
                y = F.pad(get(ins[0]), [int(pads[2][0]), int(pads[2][1]), int(pads[1][0]), int(pads[1][1]),
                                        int(pads[3][0]), int(pads[3][1])])
            elif code == RESHAPE:
                x = get(ins[0])
                shape = list(g["tensors"][out]["shape"])
                if x.dim() == 4:
                    x = x.permute(0, 2, 3, 1)
                y = x.reshape([x.shape[0]] + shape[1:])
            elif code == CONCATENATION:
                y = ACTIVATIONS[o["act"]](torch.cat([get(i) for i in ins], dim=o["axis"]))
            vals[out] = y
        return [vals[i] for i in g["outputs"]]

    def tflite_bytes(self):
        """The original file with every float16 constant replaced by the (rounded) current parameter values."""
        out = bytearray(self.data)
        g = self.graph
        for op in g["ops"]:
            if op["code"] != DEQUANTIZE:
                continue
            t = g["tensors"][op["inputs"][0]]
            start, n = t["data"]
            arr = self.params[self._key(op["outputs"][0])].detach().cpu().numpy().astype("<f2")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{t['name']}: non-finite weights")
            blob = arr.tobytes()
            assert len(blob) == n
            out[start:start + n] = blob
        return bytes(out)
