"""Write tests/fixtures/golden/<stem>.facemask-real-val.fp32.json: the fp32 ONNX model's probabilities
for each facemask-real val crop (names and numbers only, no image data), from training/pipeline.sh.
    make_golden.py --tensors /tmp/maskgate-eval.XXXX
"""
import argparse
import json
import os

from common import REPO

from model import CLASSES


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tensors", required=True)
    ap.add_argument("--stems", default="mask_vgg16_224,mask_mnv3s_224")
    args = ap.parse_args()
    out_dir = os.path.join(REPO, "tests", "fixtures", "golden")
    os.makedirs(out_dir, exist_ok=True)
    for stem in args.stems.split(","):
        with open(os.path.join(args.tensors, f"probs.{stem}.onnx_fp32.facemask-real-val.json")) as f:
            probs = json.load(f)
        rounded = [[round(v, 5) for v in p] for p in probs["probs"]]
        with open(os.path.join(out_dir, f"{stem}.facemask-real-val.fp32.json"), "w") as f:
            json.dump({"model": f"{stem}.fp32.onnx", "classes": list(CLASSES), "names": probs["names"],
                       "probs": rounded}, f)
            f.write("\n")
        print(stem, len(rounded))


if __name__ == "__main__":
    main()
