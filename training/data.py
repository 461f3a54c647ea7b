"""Image loading and the MaskGate crop rule, shared by training, export and evaluation."""
import csv
import json
import os

import numpy as np
from PIL import Image

from model import CLASSES

MARGIN = 0.15      # of the squared side, on each side
MIN_FACE_PX = 24   # scene faces whose box shorter side is smaller are skipped


def crop_box(bbox, width, height, margin=MARGIN):
    """Face box [x, y, w, h] -> square on its longer side (centred) + margin, clipped to the image."""
    x, y, w, h = bbox
    half = max(w, h) * (0.5 + margin)
    cx, cy = x + w / 2, y + h / 2
    return (max(0, round(cx - half)), max(0, round(cy - half)),
            min(width, round(cx + half)), min(height, round(cy + half)))


def to_tensor(img: Image.Image, size: int) -> np.ndarray:
    """RGB [0,1] CHW float32, bilinear resize (the model's input contract: no mean/std)."""
    img = img.convert("RGB").resize((size, size), Image.BILINEAR)
    return (np.asarray(img, dtype=np.float32) / 255.0).transpose(2, 0, 1).copy()


def list_crops(root):
    """[(path, label index)] for root/{correct,incorrect,none}/*.jpg, sorted for determinism.
    A root may lack a class (a source without incorrect masks), not all of them."""
    items = []
    if not any(os.path.isdir(os.path.join(root, name)) for name in CLASSES):
        raise FileNotFoundError(f"{root} has none of the class folders {CLASSES}")
    for label, name in enumerate(CLASSES):
        folder = os.path.join(root, name)
        if not os.path.isdir(folder):
            continue
        for f in sorted(os.listdir(folder)):
            if f.lower().endswith((".jpg", ".jpeg", ".png")):
                items.append((os.path.join(folder, f), label))
    return items


def load_crops(root, size):
    """Stacked tensors (N,3,size,size), labels and relative names for a crop folder."""
    items = list_crops(root)
    x = np.stack([to_tensor(Image.open(p), size) for p, _ in items])
    return x, [l for _, l in items], [os.path.relpath(p, root) for p, _ in items]


def load_scene_crops(scenes_dir, size, min_face=MIN_FACE_PX):
    """Crops cut from annotated whole scenes with the app's crop rule."""
    with open(os.path.join(scenes_dir, "annotations.json")) as f:
        images = json.load(f)["images"]
    xs, labels, names = [], [], []
    for entry in images:
        img = Image.open(os.path.join(scenes_dir, entry["file"])).convert("RGB")
        for i, obj in enumerate(entry["objects"]):
            if min(obj["bbox"][2:]) < min_face:
                continue
            xs.append(to_tensor(img.crop(crop_box(obj["bbox"], *img.size)), size))
            labels.append(CLASSES.index(obj["class"]))
            names.append(f"{entry['file']}#{i}")
    return np.stack(xs), labels, names


def read_manifest(data_root):
    """manifest.csv rows keyed by crop path relative to data_root (e.g. 'val/none/x.jpg')."""
    with open(os.path.join(data_root, "manifest.csv")) as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def save_tensors(x, labels, names, out_prefix):
    """Raw little-endian float32 tensor + JSON index, read by evaluate_onnx.mjs."""
    x.astype("<f4").tofile(out_prefix + ".bin")
    with open(out_prefix + ".json", "w") as f:
        json.dump({"shape": list(x.shape), "labels": labels, "names": names}, f)


def load_tensors(prefix):
    with open(prefix + ".json") as f:
        meta = json.load(f)
    x = np.fromfile(prefix + ".bin", dtype="<f4").reshape(meta["shape"])
    return x, meta["labels"], meta["names"]
