"""Write model-ready tensors once, so PyTorch and onnxruntime-node see byte-identical input.

Sets (each reported on its own, never blended):
  facemask-val       ../shared/data/facemask/val        (Kaggle + MaskedFace-Net + prajnasb crops)
  facemask-real-val  ../shared/data/facemask-real/val   (real ILC 2021 photos)
  scenes             crops cut from ../shared/data/scenes with the app's crop rule (Kaggle, CC0)
  scenes-real        crops cut from ../shared/data/scenes-real (real photos, held out of all crops)
  fixtures           tests/fixtures/crops (13 committed CC0 crops)
Output: <out>/<set>.{bin,json}; the JSON also lists each crop's source (manifest or scene file).
"""
import argparse
import json
import os

from data import load_crops, load_scene_crops, read_manifest, save_tensors

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(REPO, "..", "shared", "data")
SETS = ("facemask-val", "facemask-real-val", "scenes", "scenes-real", "fixtures")


def crop_set(root, size):
    x, labels, names = load_crops(os.path.join(root, "val"), size)
    manifest = read_manifest(root) if os.path.exists(os.path.join(root, "manifest.csv")) else {}
    sources = [manifest.get("val/" + n.replace(os.sep, "/"), {}).get("source", "") for n in names]
    return x, labels, names, sources


def scene_set(folder, size):
    x, labels, names = load_scene_crops(folder, size)
    return x, labels, names, [os.path.basename(os.path.normpath(folder))] * len(names)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=SHARED, help="folder with facemask/, facemask-real/, scenes/, scenes-real/")
    ap.add_argument("--fixtures", default=os.path.join(REPO, "tests", "fixtures", "crops"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--sets", default=",".join(SETS))
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    load = {"facemask-val": lambda: crop_set(os.path.join(args.shared, "facemask"), args.size),
            "facemask-real-val": lambda: crop_set(os.path.join(args.shared, "facemask-real"), args.size),
            "scenes": lambda: scene_set(os.path.join(args.shared, "scenes"), args.size),
            "scenes-real": lambda: scene_set(os.path.join(args.shared, "scenes-real"), args.size),
            "fixtures": lambda: (*load_crops(args.fixtures, args.size), None)}
    for name in args.sets.split(","):
        x, labels, names, sources = load[name]()
        prefix = os.path.join(args.out, name)
        save_tensors(x, labels, names, prefix)
        if sources:
            with open(prefix + ".json") as f:
                meta = json.load(f)
            meta["sources"] = sources
            with open(prefix + ".json", "w") as f:
                json.dump(meta, f)
        print(f"{name}: {len(labels)} crops")


if __name__ == "__main__":
    main()
