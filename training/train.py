"""Train MaskNet (VGG16 + BN, 3 classes) with the reference recipe of models/MODEL_CARD.md.

SGD Nesterov 0.9, weight decay 5e-4, batch 128, lr 0.04 with 2 warm-up epochs then cosine to 0,
label smoothing 0.1, sampling with replacement weighted 1/sqrt(class count), augment.py.
Keeps the checkpoint with the best val macro-F1 (<out>/best.pt) and the last one (<out>/last.pt);
logs one JSON line per epoch to <out>/log.jsonl. Export with export.py (folds BN).
"""
import argparse
import json
import math
import os
import random
import sys
import time
from collections import Counter

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset, WeightedRandomSampler

from augment import train_transform
from data import list_crops, load_crops, to_tensor
from metrics import classification_report
from model import MaskNet

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO, "..", "shared", "data", "facemask")


class CropDataset(Dataset):
    """Crops decoded once into memory (the set is ~3k images of at most 160 px)."""

    def __init__(self, root, size, augment):
        items = list_crops(root)
        self.images = [to_tensor(Image.open(p), size) for p, _ in items]
        self.labels = [l for _, l in items]
        self.transform = train_transform(size) if augment else None

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = torch.from_numpy(self.images[i])
        return (self.transform(x) if self.transform else x), self.labels[i]


def balanced_sampler(labels):
    counts = Counter(labels)
    weights = [1.0 / math.sqrt(counts[l]) for l in labels]
    return WeightedRandomSampler(weights, num_samples=len(labels), replacement=True)


def init_weights(model, path):
    """Start from a train.py checkpoint, the reference state dict or torchvision's ImageNet VGG16.

    Plain (BN-free) sources are matched conv by conv in order; head weights load when shapes fit.
    """
    state = torch.load(path, map_location="cpu")
    state = state.get("model", state)
    if any("running_mean" in k for k in state):
        model.load_state_dict(state)
        return
    src = [(k, state[k]) for k in state if k.startswith("features.") and state[k].dim() == 4]
    dst = [m for m in model.features if isinstance(m, nn.Conv2d)]
    assert len(src) == len(dst) == 13, "expected 13 VGG16 conv weights"
    with torch.no_grad():
        for (key, w), conv in zip(src, dst):
            conv.weight.copy_(w.float())
            conv.bias.copy_(state[key[:-len("weight")] + "bias"].float())
        head = {k[len("head."):]: v.float() for k, v in state.items() if k.startswith("head.")}
        if head and all(head[k].shape == v.shape for k, v in model.head.state_dict().items() if k in head):
            model.head.load_state_dict(head)


def lr_at(step, total, warmup, base):
    if step < warmup:
        return base * (step + 1) / warmup
    return 0.5 * base * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


@torch.no_grad()
def evaluate(model, x, labels, device, batch=64):
    model.eval()
    preds = [model(torch.from_numpy(x[i:i + batch]).to(device)).argmax(1).cpu()
             for i in range(0, len(x), batch)]
    return classification_report(labels, torch.cat(preds).numpy())


def progress(epoch, epochs, step, steps, loss):
    done = int(20 * step / steps)
    sys.stderr.write(f"\repoch {epoch}/{epochs} [{'#' * done}{'.' * (20 - done)}] {step}/{steps} loss {loss:.4f}")
    sys.stderr.flush()


def train(args):
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    os.makedirs(args.out, exist_ok=True)

    train_set = CropDataset(os.path.join(args.data, "train"), args.size, augment=not args.no_augment)
    val_x, val_labels, _ = load_crops(os.path.join(args.data, "val"), args.size)
    loader = DataLoader(train_set, batch_size=args.batch, sampler=balanced_sampler(train_set.labels),
                        num_workers=args.workers)
    model = MaskNet(batch_norm=True, input_size=args.size)
    if args.init:
        init_weights(model, args.init)
    model.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=args.wd)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)

    steps_per_epoch = len(loader)
    total = args.epochs * steps_per_epoch
    if args.max_steps:
        total = min(total, args.max_steps)
    # Short (smoke) runs would otherwise spend every step warming up.
    warmup = min(args.warmup_epochs * steps_per_epoch, total // 2)
    history, step, best_f1 = {"step_loss": [], "epochs": []}, 0, -1.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0, losses = time.time(), []
        for x, y in loader:
            if step >= total:
                break
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, warmup, args.lr)
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                loss = loss_fn(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            losses.append(loss.item())
            history["step_loss"].append(losses[-1])
            if not args.quiet:
                progress(epoch, args.epochs, len(losses), steps_per_epoch, float(np.mean(losses)))
        if not losses:
            break
        val = evaluate(model, val_x, val_labels, device)
        record = {"epoch": epoch, "step": step, "train_loss": float(np.mean(losses)),
                  "lr": opt.param_groups[0]["lr"], "seconds": time.time() - t0,
                  "val_accuracy": val["accuracy"], "val_macro_f1": val["macro_f1"],
                  "val_confusion": val["confusion"]}
        history["epochs"].append(record)
        with open(os.path.join(args.out, "log.jsonl"), "a") as f:
            f.write(json.dumps(record) + "\n")
        if not args.quiet:
            sys.stderr.write(f"\nval acc {val['accuracy']:.4f} macro-F1 {val['macro_f1']:.4f}\n")
        ckpt = {"model": {k: v.cpu() for k, v in model.state_dict().items()}, "batch_norm": True,
                "input_size": args.size, "epoch": epoch, "val": val, "args": vars(args)}
        torch.save(ckpt, os.path.join(args.out, "last.pt"))
        if val["macro_f1"] > best_f1:
            best_f1 = val["macro_f1"]
            torch.save(ckpt, os.path.join(args.out, "best.pt"))
    return history


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA, help="folder with train/ and val/ class folders")
    ap.add_argument("--out", default=os.path.join(REPO, "training", "runs", time.strftime("%Y%m%d-%H%M%S")))
    ap.add_argument("--epochs", type=int, default=80)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.04)
    ap.add_argument("--wd", type=float, default=5e-4)
    ap.add_argument("--warmup-epochs", type=int, default=2)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--size", type=int, default=224, help="input size (multiple of 32; deployed: 224)")
    ap.add_argument("--init", help="train.py checkpoint, reference .pt or torchvision VGG16 state dict")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (smoke tests)")
    ap.add_argument("--no-augment", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    return ap.parse_args(argv)


def main(argv=None):
    return train(parse_args(argv))


if __name__ == "__main__":
    main()
