"""Fine-tunes MediaPipe's BlazeFace short-range detector on data/detect and writes the weights back into its .tflite.

    /usr/bin/python3 training/detector/finetune_blazeface.py --data ../shared/data/detect \
        --tflite node_modules/@mediapipe/face_detection/face_detection_short_range.tflite \
        --out training/runs/blazeface-short [--steps 1500]

Held out: every 10th photo of data/detect sorted by file name (i % 10 == 0), which is what
`node tests/detect-eval/run.mjs --set detect --every 10` measures; the script trains on the other 90 %.

What the model sees is what the app feeds it (src/detect/faceDetector.ts): a region of the photo scaled to
128 x 128, letterboxed top-left on black, RGB scaled to [-1, 1]. Views: the whole photo, square crops around a
face at the sizes the app's tiles give a face (the face 10-75 % of the crop), and the photo zoomed out 2x.

Targets keep the original model's box convention (a square around the face, which the app then shifts by
boxShiftY and crops), so nothing downstream changes: the annotation boxes are converted by the calibration that
`node tests/detect-eval/run.mjs --set detect --only both-default --calib` measured on all of data/detect with the
original model (2026-11-30; annotation / app box, app box = BlazeFace box shifted down 0.08 of its height):
ILC 2021 faces w 0.91, h 1.11, centre dy -0.08 annotation heights; Kaggle w 0.94, h 1.05, dy +0.01.

Loss: binary cross-entropy on the scores of positive anchors and of the hardest negatives (3 per positive),
smooth L1 on the box of positive anchors. Faces the annotators left out (crowds: "some annotators boxed only the
larger faces", data/detect/SOURCES.md) must not be taught as background, so an anchor where the original model
scores >= 0.5 and no annotated face is near is neither positive nor negative. The six keypoints (unused by the
app) are held to the original model's output on positives so the file stays a whole BlazeFace.
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageEnhance

from tflite_graph import TfliteGraph

SIZE = 128
# face_detection_short_range.pbtxt: strides 8 and 16, 2 and 6 anchors per cell (as src/detect/faceDetector.ts).
LAYERS = ((8, 2), (16, 6))
# Face sides (input px) each layer answers for, as the original model does: on data/detect views its stride-8
# anchors score faces < 32 px (mean 0.28-0.60 on the anchors near the centre, stride 16: 0.02), both score
# 32-64 px, and stride 16 takes faces >= 64 px (0.30 vs 0.04).
LAYER_SIDES = {8: (0, 64), 16: (32, 1e9)}
# annotation / BlazeFace box (see the module docstring): width, height, centre dy in annotation heights.
CALIBRATION = {"ilc2021": (0.91, 1.11, -0.08), "kaggle_andrewmvd": (0.94, 1.05, 0.01)}
APP_BOX_SHIFT_Y = 0.08  # DEFAULT tuning boxShiftY in src/detect/faceDetector.ts
# Faces smaller than this in the 128 px input are neither taught nor taught as background: the app's tile pyramid
# shows every face >= 40 px at >= 128 / 5 px (src/detect/scalePlan.ts, kMax 5), and the original model's boxes for
# smaller ones are loose (training views, 99th percentile centre error 0.39 face sides with faces from 6 px, 0.19
# from 16 px).
MIN_SIDE = 12
# Faces from this side (input px) up teach their off-centre anchors as background (see assign).
PART_NEGATIVE_SIDE = 48


def anchors():
    out = []
    for stride, per in LAYERS:
        cells = SIZE // stride
        for y in range(cells):
            for x in range(cells):
                out += [((x + 0.5) / cells * SIZE, (y + 0.5) / cells * SIZE, stride)] * per
    return np.array(out, np.float32)


ANCHORS = anchors()


def blazeface_box(obj, source):
    """The square box (cx, cy, side) the original model would give for an annotated face."""
    x, y, w, h = obj["bbox"]
    rw, rh, dy = CALIBRATION[source]
    # 0.94: the original model's own boxes on training views are 0.94 of sqrt(w' h') (median over confident anchors).
    side = 0.94 * math.sqrt((w / rw) * (h / rh))
    # App box centre = annotation centre - dy * h; BlazeFace centre = app centre - shift * side.
    cy = y + h / 2 - dy * h - APP_BOX_SHIFT_Y * side
    return x + w / 2, cy, side


def split(images):
    ordered = sorted(images, key=lambda im: im["file"])
    held = [im for i, im in enumerate(ordered) if i % 10 == 0]
    train = [im for i, im in enumerate(ordered) if i % 10 != 0]
    return train, held


def load_photos(root, images):
    out = []
    for im in images:
        img = Image.open(os.path.join(root, im["file"])).convert("RGB")
        faces = [blazeface_box(o, im["source"]) for o in im["objects"]]
        out.append((img, np.array(faces, np.float32).reshape(-1, 3)))
    return out


def sample_view(rng, img, faces):
    """A square region (x0, y0, side) of the photo in photo pixels, as one of the app's regions would be."""
    W, H = img.size
    r = rng.random()
    if r < 0.25 or len(faces) == 0:
        return 0.0, 0.0, float(max(W, H))  # whole photo, letterboxed top-left
    if r < 0.35:
        side = 2.0 * max(W, H)  # zoomed out 2x, photo centred
        return (W - side) / 2, (H - side) / 2, side
    cx, cy, s = faces[rng.randrange(len(faces))]
    if r < 0.5 and s >= 48:
        # A fine tile over part of a large face (the app's pyramid runs these too): eyes, mouth or cheek alone
        # are not faces. Without these views the model learnt to box them (data/detect every 10th photo:
        # unmatched boxes >= 40 px 71 -> 185).
        side = s / rng.uniform(1.6, 4.0)
        return cx + s * rng.uniform(-0.5, 0.5) - side / 2, cy + s * rng.uniform(-0.5, 0.5) - side / 2, side
    frac = math.exp(rng.uniform(math.log(0.1), math.log(0.75)))
    side = s / frac
    # The face anywhere in the crop's middle 80 %.
    x0 = cx - side * rng.uniform(0.1, 0.9)
    y0 = cy - side * rng.uniform(0.1, 0.9)
    return x0, y0, side


def render(rng, img, faces, view, augment=True):
    x0, y0, side = view
    W, H = img.size
    scale = SIZE / side
    canvas = Image.new("RGB", (SIZE, SIZE))
    # Photo pixels inside the view, pasted at their place in the 128 px input.
    ix0, iy0 = max(0, int(math.floor(x0))), max(0, int(math.floor(y0)))
    ix1, iy1 = min(W, int(math.ceil(x0 + side))), min(H, int(math.ceil(y0 + side)))
    if ix1 > ix0 and iy1 > iy0:
        px0, py0 = (ix0 - x0) * scale, (iy0 - y0) * scale
        pw, ph = max(1, round((ix1 - ix0) * scale)), max(1, round((iy1 - iy0) * scale))
        part = img.crop((ix0, iy0, ix1, iy1)).resize((pw, ph), Image.BILINEAR)
        canvas.paste(part, (int(round(px0)), int(round(py0))))
    boxes = faces.copy()
    if len(boxes):
        boxes[:, 0] = (boxes[:, 0] - x0) * scale
        boxes[:, 1] = (boxes[:, 1] - y0) * scale
        boxes[:, 2] *= scale
    if augment:
        canvas = ImageEnhance.Brightness(canvas).enhance(rng.uniform(0.7, 1.3))
        canvas = ImageEnhance.Contrast(canvas).enhance(rng.uniform(0.7, 1.3))
        canvas = ImageEnhance.Color(canvas).enhance(rng.uniform(0.6, 1.4))
        if rng.random() < 0.5:
            canvas = canvas.transpose(Image.FLIP_LEFT_RIGHT)
            if len(boxes):
                boxes[:, 0] = SIZE - boxes[:, 0]
    return np.asarray(canvas, np.float32) / 127.5 - 1.0, boxes


def assign(boxes):
    """Per anchor: 1 positive, 0 negative, -1 ignore; and the positive's target (cx, cy, side) in input px."""
    label = np.zeros(len(ANCHORS), np.int64)
    target = np.zeros((len(ANCHORS), 3), np.float32)
    best = np.full(len(ANCHORS), np.inf, np.float32)
    ax, ay, stride = ANCHORS[:, 0], ANCHORS[:, 1], ANCHORS[:, 2]
    for cx, cy, s in boxes:
        # Mostly outside the input, or too small for this model: ignore its area.
        inside = max(0.0, min(cx + s / 2, SIZE) - max(cx - s / 2, 0)) * max(0.0, min(cy + s / 2, SIZE) - max(cy - s / 2, 0))
        near = (np.abs(ax - cx) <= s / 2) & (np.abs(ay - cy) <= s / 2)
        if s > 1.6 * SIZE:
            continue  # a face much larger than the input: its parts are background (see sample_view)
        if s < MIN_SIDE or s > 1.2 * SIZE or inside < 0.5 * s * s:
            label[near & (label != 1)] = -1
            continue
        d = np.maximum(np.abs(ax - cx), np.abs(ay - cy)) / np.maximum(s, stride)
        # Anchors over the face but off its centre: ignored next to it; for a large face, background from 0.25 of
        # its side out, where an anchor sits on an eye, the mouth or a cheek (the live clip of
        # tests/e2e/live.test.mjs: a 230 px face in a 640 px frame was boxed by a tile as a 119 px part of it).
        # Where the original model scores such an anchor >= 0.5 (it sees the whole face from there) it stays
        # out of the loss (see losses).
        off = near & (label != 1)
        label[off & ((s < PART_NEGATIVE_SIDE) | (d <= 0.25))] = -1
        pos = np.zeros(len(ANCHORS), bool)
        for layer, (lo, hi) in LAYER_SIDES.items():
            if not lo <= s < hi:
                continue
            mine = stride == layer
            within = mine & (d <= 0.2)
            # A small face may have no anchor centre that close: the nearest of the layer.
            pos |= within if within.any() else mine & (d <= d[mine].min() + 1e-6)
        take = pos & (d < best)
        label[take] = 1
        target[take] = (cx, cy, s)
        best[take] = d[take]
    return label, target


def losses(reg, logit, ref_reg, ref_logit, label, target):
    pos = label == 1
    neg = label == 0
    # Unannotated faces the original model sees: not background.
    neg &= torch.sigmoid(ref_logit) < 0.5
    npos = int(pos.sum())
    bce = F.binary_cross_entropy_with_logits(logit, pos.float(), reduction="none")
    hard = bce.masked_fill(~neg, -1.0)
    k = max(3 * npos, 16 * logit.shape[0])
    neg_loss = hard.flatten().topk(min(k, int(neg.sum()))).values.sum()
    cls = (bce[pos].sum() + neg_loss) / max(npos, 1)
    if npos == 0:
        return cls, torch.zeros(()), torch.zeros(())
    a = torch.from_numpy(ANCHORS[:, :2])[None].expand(label.shape[0], -1, -1)
    pred = torch.stack([reg[..., 0] + a[..., 0], reg[..., 1] + a[..., 1], reg[..., 2], reg[..., 3]], -1)[pos]
    t = target[pos]
    want = torch.stack([t[:, 0], t[:, 1], t[:, 2], t[:, 2]], -1)
    # Scale-free: errors in face sides.
    box = F.smooth_l1_loss(pred / t[:, 2:3], want / t[:, 2:3], beta=0.05, reduction="sum") / npos
    keypoints = F.smooth_l1_loss(reg[..., 4:][pos] / t[:, 2:3], ref_reg[..., 4:][pos] / t[:, 2:3], beta=0.05,
                                 reduction="sum") / npos
    return cls, box, keypoints


def batches(rng, photos, batch):
    while True:
        xs, labels, targets = [], [], []
        for _ in range(batch):
            img, faces = photos[rng.randrange(len(photos))]
            x, boxes = render(rng, img, faces, sample_view(rng, img, faces))
            label, target = assign(boxes)
            xs.append(x), labels.append(label), targets.append(target)
        yield (torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(labels)), torch.from_numpy(np.stack(targets)))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True)
    p.add_argument("--tflite", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--box-weight", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    images = json.load(open(os.path.join(args.data, "annotations.json")))["images"]
    train, held = split(images)
    t0 = time.time()
    photos = load_photos(args.data, train)
    print(f"{len(photos)} training photos ({len(held)} held out), loaded in {time.time() - t0:.0f} s", flush=True)

    model = TfliteGraph(args.tflite)
    reference = TfliteGraph(args.tflite).eval()
    for q in reference.parameters():
        q.requires_grad_(False)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "train_log.jsonl"), "w")
    it = batches(rng, photos, args.batch)
    t0 = time.time()
    avg = None
    for step in range(1, args.steps + 1):
        x, label, target = next(it)
        with torch.no_grad():
            ref_reg, ref_logit = reference(x)
        reg, logit = model(x)
        cls, box, kp = losses(reg, logit[..., 0], ref_reg, ref_logit[..., 0], label, target)
        loss = cls + args.box_weight * box + kp
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        row = [float(cls), float(box), float(kp)]
        avg = row if avg is None else [0.95 * a + 0.05 * r for a, r in zip(avg, row)]
        if step % 50 == 0 or step == args.steps:
            print(f"step {step}: cls {avg[0]:.3f} box {avg[1]:.3f} keypoints {avg[2]:.3f} "
                  f"({(time.time() - t0) / step:.2f} s/step)", flush=True)
            log.write(json.dumps({"step": step, "cls": avg[0], "box": avg[1], "keypoints": avg[2]}) + "\n")
    out = os.path.join(args.out, "face_detection_short_range.tflite")
    with open(out, "wb") as f:
        f.write(model.tflite_bytes())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
