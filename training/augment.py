"""Training augmentation (reference recipe), per sample on CHW float tensors in [0, 1]."""
import random

import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F


class ReflectAffine:
    """Random affine with reflection padding: pad by reflection, transform, crop the centre."""

    def __init__(self, size):
        self.pad = size // 4
        padded = size + 2 * self.pad
        self.affine = T.RandomAffine(degrees=12, translate=(0.1 * size / padded,) * 2,
                                     scale=(0.80, 1.12), interpolation=T.InterpolationMode.BILINEAR)
        self.size = size

    def __call__(self, x):
        x = torch.nn.functional.pad(x[None], [self.pad] * 4, mode="reflect")[0]
        return F.center_crop(self.affine(x), [self.size, self.size])


class RandomDownscale:
    """Simulate small, far faces: down to 24/32/48/64 px (at 224 input) and back up."""

    def __init__(self, size, p=0.3):
        self.size, self.p = size, p

    def __call__(self, x):
        if random.random() >= self.p:
            return x
        small = max(4, round(random.choice((24, 32, 48, 64)) * self.size / 224))
        x = F.resize(x, [small, small], antialias=True)
        return F.resize(x, [self.size, self.size], interpolation=T.InterpolationMode.BILINEAR)


class GaussianNoise:
    def __init__(self, sigma=0.02, p=0.3):
        self.sigma, self.p = sigma, p

    def __call__(self, x):
        if random.random() < self.p:
            x = x + torch.randn_like(x) * self.sigma
        return x.clamp(0, 1)


def train_transform(size):
    return T.Compose([
        ReflectAffine(size),
        T.RandomHorizontalFlip(),
        RandomDownscale(size),
        T.ColorJitter(brightness=0.35, contrast=0.35, saturation=0.4),
        T.RandomGrayscale(p=0.1),
        GaussianNoise(),
    ])
