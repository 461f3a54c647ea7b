"""MaskGate classifier: torchvision VGG16 features + a small MLP head (3 classes).

Training uses BatchNorm after every conv; the deployed network is plain VGG16 with
BN folded into the convs, which is exactly the layout of the reference state dict.
"""
import torch
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


def load_model(path: str) -> MaskNet:
    """Load either the reference state dict (fp16, plain VGG16) or a train.py checkpoint."""
    obj = torch.load(path, map_location="cpu")
    if "model" in obj:  # train.py checkpoint
        model = MaskNet(batch_norm=obj["batch_norm"], input_size=obj["input_size"])
        state = obj["model"]
    else:
        model, state = MaskNet(batch_norm=False, input_size=224), obj
    model.load_state_dict({k: v.float() for k, v in state.items()})
    return model.eval()
