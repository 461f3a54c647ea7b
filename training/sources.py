"""Crops from several data roots at once, each crop tagged with where it came from.

A data root holds {train,val}/{correct,incorrect,none}/*.jpg and optionally manifest.csv
(path,label,source,source_image). A crop's *source* is "<root name>/<manifest source>" (or just the
root name without a manifest), so reports can say "facemask-real/ilc2021", never one blended figure.

The train split is cut once more into train and *tune* by source image (about 10 % of the images,
chosen by a hash of the image id, so every crop of one photo lands on the same side). Tune picks
the recipe and fits the temperature; val is only reported.
"""
import hashlib
import os
from collections import Counter
from dataclasses import dataclass

from data import list_crops, read_manifest
from model import CLASSES

TUNE_PERCENT = 10


@dataclass(frozen=True)
class Crop:
    path: str
    label: int
    root: str     # data root name, e.g. "facemask-real"
    source: str   # "<root>/<manifest source>"
    image: str    # source image id (crops of one photo share it)


def root_name(root):
    return os.path.basename(os.path.normpath(root))


def in_tune(image_id, percent=TUNE_PERCENT):
    return int(hashlib.md5(image_id.encode()).hexdigest()[:8], 16) % 100 < percent


def list_split(roots, split):
    """Crops of one split ("train", "tune" or "val") over all roots, in a fixed order."""
    folder = "train" if split == "tune" else split
    crops = []
    for root in roots:
        name = root_name(root)
        manifest = read_manifest(root) if os.path.exists(os.path.join(root, "manifest.csv")) else {}
        for path, label in list_crops(os.path.join(root, folder)):
            row = manifest.get(os.path.relpath(path, root).replace(os.sep, "/"), {})
            image = row.get("source_image") or os.path.splitext(os.path.basename(path))[0]
            crop = Crop(path, label, name, f"{name}/{row['source']}" if row else name, f"{name}:{image}")
            if split == "val" or in_tune(crop.image) == (split == "tune"):
                crops.append(crop)
    return crops


def sampling_weights(crops, class_power=1.0, root_weight=None):
    """Per-crop draw weights: each class gets mass ∝ count^(1 - class_power) (1.0 = classes equal),
    shared by the roots that have the class in proportion to root_weight (default: equally), then
    equally by that root's crops of it."""
    root_weight = root_weight or {}
    per_cell = Counter((c.root, c.label) for c in crops)
    per_class = Counter(c.label for c in crops)
    share = {k: sum(root_weight.get(r, 1.0) for (r, l) in per_cell if l == k) for k in per_class}
    mass = {k: n ** (1.0 - class_power) for k, n in per_class.items()}
    total = sum(mass.values())
    return [mass[c.label] / total * root_weight.get(c.root, 1.0) / share[c.label] / per_cell[(c.root, c.label)]
            for c in crops]


def describe(crops):
    """{"source": {"correct": n, ...}} for logs and the model card."""
    out = {}
    for c in crops:
        out.setdefault(c.source, Counter())[CLASSES[c.label]] += 1
    return {s: dict(sorted(v.items())) for s, v in sorted(out.items())}
