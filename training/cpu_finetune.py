"""The CPU path: fine-tune the reference VGG16 on a 2-core machine by caching frozen features.

A whole VGG16 step is ~1.2 s per crop on 2 cores (forward ~0.4 s in torch), so training it all
here would take days. Blocks 1-4 are frozen instead: their output (512 x 14 x 14 per crop, fp16)
is computed once per crop and cached; then
  --stage head:   block 5 is frozen too; its pool5 output is computed once and only the MLP head
                  trains (seconds per epoch);
  --stage block5: conv block 5 and the head train on the cached block-4 output.
No augmentation (a cached feature cannot be re-cropped). Every step prints its seconds; the run
writes a train.py checkpoint (arch vgg16, temperature fitted on tune) and report.json per source.

    cpu_finetune.py --stage block5 --epochs 4 --out training/runs/cpu-block5 [--limit 300]
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch.nn import functional as F

from calibration import fit_temperature
from model import checkpoint, load_model
from sources import list_split, sampling_weights
from train import DEFAULT_DATA, load_images, per_source_report

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(REPO, "..", "shared", "models", "mask_vgg16_224.fp16.pt")
POOL4 = 24  # features[:24] = blocks 1-4 up to and including the 4th max-pool


@torch.no_grad()
def run_frozen(layers, images, batch=16):
    """uint8 crops -> fp16 outputs of the frozen layers (computed once)."""
    out = []
    for i in range(0, len(images), batch):
        out.append(layers(images[i:i + batch].float() / 255.0).half())
    return torch.cat(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", action="append")
    ap.add_argument("--init", default=REFERENCE, help="reference .pt, checkpoint or VGG16 .onnx")
    ap.add_argument("--stage", choices=("head", "block5"), default="head")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=None, help="default: 1e-3 head (AdamW), 1e-3 block5 (SGD)")
    ap.add_argument("--class-power", type=float, default=0.5)
    ap.add_argument("--limit", type=int, default=0, help="first N crops per split (to time the steps)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    args.data = args.data or DEFAULT_DATA
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    os.makedirs(args.out, exist_ok=True)
    timings = {}

    def timed(name, fn):
        t0 = time.time()
        value = fn()
        timings[name] = round(time.time() - t0, 1)
        print(f"{name}: {timings[name]} s", flush=True)
        return value

    model = load_model(args.init).eval()
    prefix, block5 = model.features[:POOL4], model.features[POOL4:]
    splits = {s: list_split(args.data, s) for s in ("train", "tune", "val")}
    if args.limit:
        splits = {s: c[:args.limit] for s, c in splits.items()}
    images = timed("decode", lambda: {s: load_images(c, 224, 1)[0] for s, c in splits.items()})
    cached = {s: timed(f"cache blocks 1-4 ({s}, {len(x)} crops)", lambda x=x: run_frozen(prefix, x))
              for s, x in images.items()}
    if args.stage == "head":
        cached = {s: timed(f"cache block 5 ({s})", lambda x=x: run_frozen(block5, x.float(), batch=64))
                  for s, x in cached.items()}
        trainable, front = list(model.head.parameters()), (lambda f: f)
        for p in model.features.parameters():
            p.requires_grad_(False)
        opt = torch.optim.AdamW(trainable, lr=args.lr or 1e-3, weight_decay=1e-4)
    else:
        for p in prefix.parameters():
            p.requires_grad_(False)
        trainable, front = list(block5.parameters()) + list(model.head.parameters()), block5
        opt = torch.optim.SGD(trainable, lr=args.lr or 1e-3, momentum=0.9, nesterov=True, weight_decay=5e-4)

    labels = torch.tensor([c.label for c in splits["train"]])
    weights = torch.tensor(sampling_weights(splits["train"], args.class_power))

    def logits_of(feats):
        model.eval()
        with torch.no_grad():
            return torch.cat([model.head(front(feats[i:i + 64].float())) for i in range(0, len(feats), 64)])

    log = []
    for epoch in range(1, args.epochs + 1):
        def one_epoch():
            model.train()
            order = torch.multinomial(weights, len(labels), replacement=True)
            losses = []
            for i in range(0, len(order), args.batch):
                idx = order[i:i + args.batch]
                loss = F.cross_entropy(model.head(front(cached["train"][idx].float())), labels[idx],
                                       label_smoothing=0.1)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                losses.append(loss.item())
            return float(np.mean(losses))
        loss = timed(f"epoch {epoch}", one_epoch)
        tune = per_source_report(splits["tune"], logits_of(cached["tune"]))
        log.append({"epoch": epoch, "loss": loss, "tune_macro_f1": {k: round(v["macro_f1"], 4) for k, v in tune.items()}})
        print(json.dumps(log[-1]), flush=True)

    tune_logits = logits_of(cached["tune"])
    temperature = fit_temperature(tune_logits.numpy(), np.array([c.label for c in splits["tune"]]))
    report = {"args": vars(args), "timings_s": timings, "epochs": log, "temperature": temperature,
              "tune": per_source_report(splits["tune"], tune_logits, temperature),
              "val": per_source_report(splits["val"], logits_of(cached["val"]), temperature)}
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
    torch.save(checkpoint(model, temperature=temperature, args=vars(args)), os.path.join(args.out, "last.pt"))
    for name, rep in report["val"].items():
        print(f"val {name}: acc {rep['accuracy']:.4f} macro-F1 {rep['macro_f1']:.4f}")


if __name__ == "__main__":
    main()
