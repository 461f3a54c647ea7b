"""Move a train.py checkpoint between machines as plain numpy, in parts of at most 15 MB.

The GPU machine returns at most 16 MB per file and runs another PyTorch than this one, so the
checkpoint travels as an .npz (no pickled torch objects) split into parts:
    pack_weights.py pack runs/vgg/last.pt OUT/vgg [--fp16]   -> OUT/vgg.part0, .part1, ...
    pack_weights.py unpack OUT/vgg training/runs/gpu-vgg.pt   -> a checkpoint load_model() reads
"""
import argparse
import glob
import io
import json

import numpy as np
import torch

PART_BYTES = 15_000_000
META_KEYS = ("arch", "input_size", "batch_norm", "temperature", "epoch", "args")


def pack(ckpt_path, prefix, fp16):
    ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    arrays = {k: v.numpy().astype(np.float16 if fp16 and v.is_floating_point() else v.numpy().dtype)
              for k, v in ckpt["model"].items()}
    meta = {k: ckpt.get(k) for k in META_KEYS}
    buf = io.BytesIO()
    np.savez(buf, __meta__=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **arrays)
    data = buf.getvalue()
    for i in range(0, len(data), PART_BYTES):
        with open(f"{prefix}.part{i // PART_BYTES}", "wb") as f:
            f.write(data[i:i + PART_BYTES])
    return (len(data) + PART_BYTES - 1) // PART_BYTES


def unpack(prefix, out_path):
    parts = sorted(glob.glob(prefix + ".part*"), key=lambda p: int(p.rsplit("part", 1)[1]))
    data = b"".join(open(p, "rb").read() for p in parts)
    with np.load(io.BytesIO(data)) as z:
        meta = json.loads(bytes(z["__meta__"]).decode())
        state = {k: torch.from_numpy(z[k].astype(np.float32) if z[k].dtype == np.float16 else z[k].copy())
                 for k in z.files if k != "__meta__"}
    torch.save({**meta, "model": state}, out_path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("checkpoint")
    p.add_argument("prefix")
    p.add_argument("--fp16", action="store_true")
    u = sub.add_parser("unpack")
    u.add_argument("prefix")
    u.add_argument("out")
    args = ap.parse_args(argv)
    if args.cmd == "pack":
        print(f"{args.prefix}: {pack(args.checkpoint, args.prefix, args.fp16)} part(s)")
    else:
        unpack(args.prefix, args.out)
        print(f"{args.out} written")


if __name__ == "__main__":
    main()
