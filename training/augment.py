"""Batch augmentation on the training device (GPU or CPU), matching what the app feeds the model.

The app cuts a face box from a camera frame, squares it, adds 15 % and resizes to the model input.
So the augmentations model that path rather than generic photo edits:
- box jitter: the detector's box is off by a few percent in position and size (measured on the
  scenes: matched annotated/detected width 0.92-0.97, centre offset up to 0.08 box heights), so the
  square crop is shifted by up to ±8 % and scaled by 0.85-1.15, plus small rotations (±12°) and flips;
- far faces: a 40 px face becomes a 224 px input, so downscale to 24-96 px and back (p 0.3);
- camera and codec: blur (p 0.2), JPEG at quality 20-60 (pre-encoded per crop, picked p 0.3),
  brightness/contrast/saturation jitter, grayscale (p 0.1), sensor noise (p 0.3).
Every op takes per-sample random parameters from one torch.Generator, so runs are repeatable.
"""
import math

import torch
import torch.nn.functional as F


def _uniform(n, lo, hi, gen, device):
    return torch.rand(n, generator=gen, device=device) * (hi - lo) + lo


def _chance(n, p, gen, device):
    return torch.rand(n, generator=gen, device=device) < p


def box_jitter(x, gen, shift=0.08, scale=(0.85, 1.15), degrees=12.0):
    """Shift/scale/rotate/flip each crop with reflection at the borders (x: N,3,H,W float)."""
    n, dev = x.shape[0], x.device
    s = _uniform(n, *scale, gen, dev)          # >1 = the box was larger than the face: zoom out
    a = _uniform(n, -degrees, degrees, gen, dev) * math.pi / 180
    tx, ty = (_uniform(n, -shift, shift, gen, dev) * 2 for _ in range(2))
    flip = torch.where(_chance(n, 0.5, gen, dev), -1.0, 1.0).to(dev)
    cos, sin = torch.cos(a) * s, torch.sin(a) * s
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1),
                         torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


def downscale(x, gen, p=0.3, sizes=(24, 32, 48, 64, 96)):
    """Small faces: some crops go down to a face-sized resolution and back up (bilinear, as the app)."""
    size, dev = x.shape[-1], x.device
    pick = _chance(x.shape[0], p, gen, dev)
    which = torch.randint(len(sizes), (x.shape[0],), generator=gen, device=dev)
    out = x.clone()
    for i, small in enumerate(sizes):
        idx = (pick & (which == i)).nonzero().flatten()
        if len(idx):
            small = max(4, round(small * size / 224))
            low = F.interpolate(x[idx], size=(small, small), mode="bilinear", antialias=True,
                                align_corners=False)
            out[idx] = F.interpolate(low, size=(size, size), mode="bilinear", align_corners=False)
    return out


def blur(x, gen, p=0.2, sigma=(0.6, 1.6)):
    """Out-of-focus or motion-soft faces: a Gaussian blur with one sigma per batch."""
    idx = _chance(x.shape[0], p, gen, x.device).nonzero().flatten()
    if not len(idx):
        return x
    s = float(_uniform(1, *sigma, gen, x.device))
    r = max(1, math.ceil(2 * s))
    k = torch.exp(-torch.arange(-r, r + 1, device=x.device, dtype=x.dtype) ** 2 / (2 * s * s))
    k = k / k.sum()
    c = x.shape[1]
    y = x[idx]
    y = F.conv2d(F.pad(y, (r, r, 0, 0), mode="reflect"), k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    y = F.conv2d(F.pad(y, (0, 0, r, r), mode="reflect"), k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    out = x.clone()
    out[idx] = y
    return out


def colour(x, gen, brightness=0.35, contrast=0.35, saturation=0.4, grayscale_p=0.1):
    n, dev = x.shape[0], x.device
    gray = (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]).unsqueeze(1)
    b = _uniform(n, 1 - brightness, 1 + brightness, gen, dev).view(n, 1, 1, 1)
    c = _uniform(n, 1 - contrast, 1 + contrast, gen, dev).view(n, 1, 1, 1)
    s = _uniform(n, 1 - saturation, 1 + saturation, gen, dev).view(n, 1, 1, 1)
    s = torch.where(_chance(n, grayscale_p, gen, dev).view(n, 1, 1, 1), torch.zeros_like(s), s)
    mean = gray.mean(dim=(2, 3), keepdim=True)
    x = (x - mean) * (b * c) + mean * b
    gray = (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]).unsqueeze(1)
    return gray + (x - gray) * s


def noise(x, gen, p=0.3, sigma=0.02):
    pick = _chance(x.shape[0], p, gen, x.device).view(-1, 1, 1, 1)
    return x + torch.randn(x.shape, generator=gen, device=x.device, dtype=x.dtype) * sigma * pick


def augment(clean, jpeg, gen, jpeg_p=0.3):
    """uint8 batches (N,3,H,W) of the clean crops and their JPEG-degraded copies -> float [0, 1]."""
    use_jpeg = _chance(clean.shape[0], jpeg_p, gen, clean.device).view(-1, 1, 1, 1)
    x = torch.where(use_jpeg, jpeg, clean).float() / 255.0
    x = box_jitter(x, gen)
    x = downscale(x, gen)
    x = blur(x, gen)
    x = colour(x, gen)
    x = noise(x, gen)
    return x.clamp_(0, 1)
