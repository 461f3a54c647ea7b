"""MaskGate classifier: torchvision VGG16 features + a small MLP head (3 classes).

Training uses BatchNorm after every conv; the deployed network is plain VGG16 with
BN folded into the convs, which is exactly the layout of the reference state dict.
"""
import numpy as np
import torch
import torchvision
from torch import nn

CLASSES = ("correct", "incorrect", "none")
# torchvision vgg16 "D" configuration: conv widths, "M" = 2x2 max-pool.
VGG16_CFG = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")


def make_features(batch_norm: bool) -> nn.Sequential:
    layers, in_ch = [], 3
    for v in VGG16_CFG:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
            continue
        layers.append(nn.Conv2d(in_ch, v, 3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        in_ch = v
    return nn.Sequential(*layers)


class MaskNet(nn.Module):
    """VGG16 features -> Flatten -> 256 -> 128 -> 3 logits.

    input_size only sets the head's fan-in (512 * (size/32)^2); the deployed size is 224.
    Smaller sizes exist so CPU smoke tests stay fast.
    """

    def __init__(self, batch_norm: bool = False, input_size: int = 224, dropout: float = 0.33):
        super().__init__()
        if input_size % 32:
            raise ValueError("input_size must be a multiple of 32")
        self.batch_norm = batch_norm
        self.input_size = input_size
        self.features = make_features(batch_norm)
        grid = input_size // 32
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(512 * grid * grid, 256), nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(256, 128), nn.ReLU(inplace=True), nn.Dropout(dropout),
            nn.Linear(128, len(CLASSES)),
        )
        self._init_weights()

    def _init_weights(self):
        # He init for the convs (as torchvision's VGG): PyTorch's default conv init shrinks
        # activations layer after layer, which stalls training from scratch through 13 convs.
        for m in self.features:
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.head(self.features(x))


@torch.no_grad()
def fold_batchnorm(model: MaskNet) -> MaskNet:
    """Return a plain (BN-free) MaskNet whose convs absorb each BN's eval-mode affine map."""
    if not model.batch_norm:
        return model
    plain = MaskNet(batch_norm=False, input_size=model.input_size)
    convs = [m for m in plain.features if isinstance(m, nn.Conv2d)]
    src = list(model.features)
    pairs = [(src[i], src[i + 1]) for i in range(len(src) - 1)
             if isinstance(src[i], nn.Conv2d) and isinstance(src[i + 1], nn.BatchNorm2d)]
    assert len(pairs) == len(convs) == 13
    for dst, (conv, bn) in zip(convs, pairs):
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        dst.weight.copy_(conv.weight * scale[:, None, None, None])
        dst.bias.copy_((conv.bias - bn.running_mean) * scale + bn.bias)
    plain.head.load_state_dict(model.head.state_dict())
    return plain.eval()


ARCHS = ("vgg16", "vgg16_bn", "mobilenet_v3_small")


class FastNet(nn.Module):
    """The fast tier: torchvision MobileNetV3-small (width 1.0) with a 3-class head, from scratch.

    ~1.5 M parameters and ~60 MFLOPs at 224 (VGG16: 21 M and 15.5 GFLOPs), so int8 weights are
    ~1.6 MB. Same input contract as the VGG16: RGB in [0, 1], no mean/std (its first BN absorbs it).
    """

    def __init__(self, input_size: int = 224):
        super().__init__()
        self.input_size = input_size
        self.net = torchvision.models.mobilenet_v3_small(num_classes=len(CLASSES))
        # torchvision's BN momentum here is 0.01 (tuned for 600-epoch ImageNet runs): in a few
        # thousand steps the running statistics stay near their init and eval outputs collapse to one
        # class (seen: 216 steps, every val crop "none"). 0.1 tracks them within ~50 steps.
        for m in self.net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = 0.1

    def forward(self, x):
        return self.net(x)


def build_model(arch: str, input_size: int = 224) -> nn.Module:
    if arch == "vgg16":
        return MaskNet(batch_norm=False, input_size=input_size)
    if arch == "vgg16_bn":
        return MaskNet(batch_norm=True, input_size=input_size)
    if arch == "mobilenet_v3_small":
        return FastNet(input_size=input_size)
    raise ValueError(f"unknown arch {arch!r}; one of {ARCHS}")


def arch_of(model: nn.Module) -> str:
    if isinstance(model, FastNet):
        return "mobilenet_v3_small"
    return "vgg16_bn" if model.batch_norm else "vgg16"


def checkpoint(model: nn.Module, **meta) -> dict:
    """A train.py checkpoint: architecture, input size, fp32 state and free-form metadata."""
    return {"arch": arch_of(model), "input_size": model.input_size, "batch_norm": arch_of(model) == "vgg16_bn",
            "model": {k: v.detach().cpu().float() for k, v in model.state_dict().items()},
            "temperature": 1.0, **meta}


def state_from_onnx(path: str) -> dict:
    """MaskNet state dict from an exported (fp32 or int8-weight) MaskGate VGG16 ONNX file.

    Lets a machine without ../shared start from the deployed weights: int8 weights are dequantized
    (per-channel scale), which differs from the fp16 reference by at most half a quantization step.
    """
    import onnx
    from onnx import numpy_helper

    inits = {t.name: numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}
    state = {}
    for name, value in inits.items():
        if not name.startswith("0."):
            continue
        key = name[2:]
        if key.endswith("_q"):
            key, scale = key[:-2], inits[name[:-2] + "_scale"]
            value = value.astype(np.float32) * scale.reshape([-1] + [1] * (value.ndim - 1))
        elif key.endswith(("_scale", "_zp")):
            continue
        state[key] = torch.from_numpy(np.array(value, dtype=np.float32))
    return state


def load_model(path: str) -> nn.Module:
    """Load the reference state dict (fp16, plain VGG16), a train.py checkpoint or a VGG16 ONNX file.

    A checkpoint's temperature (fitted on the tune split) is kept as `model.temperature`; export.py
    folds it into the last layer so the softmax in the graph is calibrated.
    """
    if path.endswith(".onnx"):
        model, state, temperature = MaskNet(batch_norm=False, input_size=224), state_from_onnx(path), 1.0
    else:
        obj = torch.load(path, map_location="cpu", weights_only=False)
        if "model" in obj:  # train.py checkpoint
            arch = obj.get("arch", "vgg16_bn" if obj["batch_norm"] else "vgg16")
            model, state = build_model(arch, obj["input_size"]), obj["model"]
            temperature = float(obj.get("temperature", 1.0))
        else:
            model, state, temperature = MaskNet(batch_norm=False, input_size=224), obj, 1.0
    model.load_state_dict({k: v.float() for k, v in state.items()})
    model.temperature = temperature
    return model.eval()
