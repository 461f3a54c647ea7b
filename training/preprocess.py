"""Write model-ready tensors (val crops, scene crops, test fixtures) so PyTorch and ONNX
evaluation see byte-identical input. Output: <out>/{val,scenes,fixtures}.{bin,json}."""
import argparse
import os

from data import load_crops, load_scene_crops, save_tensors

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(REPO, "..", "shared", "data")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default=os.path.join(SHARED, "facemask"))
    ap.add_argument("--scenes", default=os.path.join(SHARED, "scenes"))
    ap.add_argument("--fixtures", default=os.path.join(REPO, "tests", "fixtures", "crops"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=224)
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    sets = {"val": lambda: load_crops(os.path.join(args.data, "val"), args.size),
            "scenes": lambda: load_scene_crops(args.scenes, args.size),
            "fixtures": lambda: load_crops(args.fixtures, args.size)}
    for name, load in sets.items():
        x, labels, names = load()
        save_tensors(x, labels, names, os.path.join(args.out, name))
        print(f"{name}: {len(labels)} crops")


if __name__ == "__main__":
    main()
