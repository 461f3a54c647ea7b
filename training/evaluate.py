"""PyTorch fp32 evaluation of one model on tensors from preprocess.py (probabilities after the
checkpoint's temperature, as the exported file gives them)."""
import argparse
import json
import os

import torch

from data import load_tensors
from export import fold_temperature
from metrics import classification_report
from model import load_model

REPORTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reports")


@torch.no_grad()
def predict(model, x, batch=16):
    return torch.cat([model(torch.from_numpy(x[i:i + batch])).softmax(1)
                      for i in range(0, len(x), batch)]).numpy()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", required=True, help="train.py checkpoint or reference .pt")
    ap.add_argument("--stem", required=True, help="model name used in report file names")
    ap.add_argument("--tensors", required=True, help="preprocess.py output dir")
    ap.add_argument("--sets", required=True)
    ap.add_argument("--reports", default=REPORTS)
    args = ap.parse_args(argv)
    torch.set_num_threads(os.cpu_count())
    model = fold_temperature(load_model(args.weights)).eval()
    os.makedirs(args.reports, exist_ok=True)
    for name in args.sets.split(","):
        x, labels, names = load_tensors(os.path.join(args.tensors, name))
        probs = predict(model, x)
        report = {"model": args.stem, "runtime": f"pytorch {torch.__version__} fp32",
                  "set": name, **classification_report(labels, probs.argmax(1))}
        with open(os.path.join(args.reports, f"{args.stem}.pytorch_fp32.{name}.json"), "w") as f:
            json.dump(report, f, indent=2)
        with open(os.path.join(args.tensors, f"probs.{args.stem}.pytorch_fp32.{name}.json"), "w") as f:
            json.dump({"names": names, "probs": probs.tolist()}, f)
        print(f"{args.stem} pytorch fp32 on {name}: n={report['n']} acc={report['accuracy']:.4f} "
              f"macroF1={report['macro_f1']:.4f}")


if __name__ == "__main__":
    main()
