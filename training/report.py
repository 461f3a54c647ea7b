"""Combine the PyTorch and ONNX evaluation of every shipped model: REPORT.md, summary.json and the
metrics in each model's sidecar. Every figure is per data set and, within facemask-val, per source:
never one blended number.

For each model: accuracy, macro-F1, per-class precision/recall, confusion; calibration error (ECE,
15 bins) of the shipped file and of the same model before its temperature; int8 vs fp32 label
agreement and probability drift; PyTorch vs ONNX fp32. Then the issue's targets, met or not.
"""
import argparse
import json
import os

import numpy as np

from calibration import expected_calibration_error
from metrics import classification_report
from model import CLASSES

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RUNS = ("pytorch_fp32", "onnx_fp32", "onnx_int8")
SETS = ("facemask-val", "facemask-real-val", "scenes", "scenes-real")
TOLERANCE_PT = 0.5


def load(path):
    with open(path) as f:
        return json.load(f)


def probs_of(tensors, stem, run, set_name):
    path = os.path.join(tensors, f"probs.{stem}.{run}.{set_name}.json")
    return np.array(load(path)["probs"]) if os.path.exists(path) else None


def compare(pa, pb):
    return {"label_agreement": float((pa.argmax(1) == pb.argmax(1)).mean()),
            "max_abs_dprob": float(np.abs(pa - pb).max()),
            "p99_abs_dprob": float(np.quantile(np.abs(pa - pb).max(1), 0.99))}


def uncalibrated(probs, temperature):
    """The file's softmax is softmax(z / T); softmax(T * log p) recovers softmax(z)."""
    z = np.log(np.clip(probs, 1e-12, 1)) * temperature
    z -= z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def by_source(meta, probs):
    groups = {}
    for i, src in enumerate(meta.get("sources") or []):
        groups.setdefault(src, []).append(i)
    labels = np.array(meta["labels"])
    out = {}
    for src, idx in sorted(groups.items()):
        rep = classification_report(labels[idx], probs[idx].argmax(1))
        out[src] = {"n": rep["n"], "accuracy": rep["accuracy"], "macro_f1": rep["macro_f1"],
                    "recall": {c: v["recall"] for c, v in rep["per_class"].items() if v["support"]}}
    return out if len(out) > 1 else {}


def summarise(stem, tensors, reports, models):
    sidecar = load(os.path.join(models, f"{stem}.int8.json"))
    t = sidecar.get("temperature", 1.0)
    out = {"sidecar": {k: sidecar[k] for k in ("id", "version", "arch", "tier", "bytes", "parameters",
                                                  "temperature") if k in sidecar}, "sets": {}}
    for s in SETS:
        meta_path = os.path.join(tensors, f"{s}.json")
        if not os.path.exists(meta_path):
            continue
        meta = load(meta_path)
        labels = np.array(meta["labels"])
        entry = {"runs": {}}
        for run in RUNS:
            p = os.path.join(reports, f"{stem}.{run}.{s}.json")
            if os.path.exists(p):
                entry["runs"][run] = {k: v for k, v in load(p).items() if k not in ("names",)}
        int8 = probs_of(tensors, stem, "onnx_int8", s)
        fp32 = probs_of(tensors, stem, "onnx_fp32", s)
        torch_fp32 = probs_of(tensors, stem, "pytorch_fp32", s)
        if int8 is not None:
            entry["ece"] = expected_calibration_error(int8, labels)
            entry["ece_before_temperature"] = expected_calibration_error(uncalibrated(int8, t), labels)
            entry["by_source"] = by_source(meta, int8)
        if int8 is not None and fp32 is not None:
            a, b = entry["runs"]["onnx_fp32"], entry["runs"]["onnx_int8"]
            entry["int8_vs_fp32"] = {"d_accuracy_pt": 100 * (b["accuracy"] - a["accuracy"]),
                                     "d_macro_f1_pt": 100 * (b["macro_f1"] - a["macro_f1"]), **compare(fp32, int8)}
        if torch_fp32 is not None and fp32 is not None:
            entry["onnx_vs_pytorch_fp32"] = compare(torch_fp32, fp32)
        out["sets"][s] = entry
    return out


def targets(summary):
    """The real-photo issue's targets, measured on the shipped int8 files."""
    def m(stem, s):
        return summary["models"][stem]["sets"].get(s, {}).get("runs", {}).get("onnx_int8")
    vgg, fast = m("mask_vgg16_224", "facemask-real-val"), m("mask_mnv3s_224", "facemask-real-val")
    old = m("mask_vgg16_224", "facemask-val")
    rows = []
    if vgg:
        inc = vgg["per_class"]["incorrect"]
        rows += [("VGG16 facemask-real val macro-F1 ≥ 0.90", f"{vgg['macro_f1']:.3f}", vgg["macro_f1"] >= 0.90),
                 ("VGG16 facemask-real val incorrect recall ≥ 0.85", f"{inc['recall']:.3f}", inc["recall"] >= 0.85),
                 ("VGG16 facemask-real val incorrect precision ≥ 0.85", f"{inc['precision']:.3f}",
                  inc["precision"] >= 0.85)]
    if old:
        rows.append(("VGG16 facemask val macro-F1 ≥ 0.950 (v1: 0.960)", f"{old['macro_f1']:.3f}",
                     old["macro_f1"] >= 0.95))
    if vgg and fast:
        gap = 100 * (vgg["macro_f1"] - fast["macro_f1"])
        rows.append(("fast tier within 3 points of VGG16 on facemask-real val", f"{gap:+.1f} pt", gap <= 3))
    if "mask_mnv3s_224" in summary["models"]:
        size = summary["models"]["mask_mnv3s_224"]["sidecar"]["bytes"]
        rows.append(("fast tier ≤ 6 MB", f"{size / 1e6:.2f} MB", size <= 6e6))
    return [{"target": a, "measured": b, "met": bool(c)} for a, b, c in rows]


def pr(m):
    return " | ".join(f"{m['per_class'][c]['precision']:.3f} / {m['per_class'][c]['recall']:.3f}" for c in CLASSES)


def markdown(summary):
    lines = ["# Evaluation report", "",
             "Generated by `training/pipeline.sh` (training/report.py) from `training/preprocess.py` tensors,",
             "so PyTorch and onnxruntime-node see identical pixels. One table per model; every row is one data",
             "set. Sets: facemask-val (Kaggle + MaskedFace-Net + prajnasb crops), facemask-real-val (real ILC 2021",
             "crops), scenes / scenes-real (faces ≥ 24 px cut with the app's crop rule from the held-out whole",
             "photos). The shipped files are the `onnx_int8` rows.", ""]
    for stem, mod in summary["models"].items():
        sc = mod["sidecar"]
        lines += [f"## {stem} {sc.get('version', '')} ({sc.get('arch')}, {sc.get('tier')} tier, "
                  f"{sc.get('bytes', 0):,} bytes, temperature {sc.get('temperature')})", "",
                  "| set | run | n | accuracy | macro-F1 | P / R correct | P / R incorrect | P / R none |",
                  "|---|---|---|---|---|---|---|---|"]
        for s, e in mod["sets"].items():
            for run in RUNS:
                if run in e["runs"]:
                    r = e["runs"][run]
                    lines.append(f"| {s} | {run} | {r['n']} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | {pr(r)} |")
        lines += ["", "Confusion of the shipped file (rows = truth correct / incorrect / none), calibration:", ""]
        for s, e in mod["sets"].items():
            if "onnx_int8" in e["runs"]:
                lines.append(f"- {s}: `{e['runs']['onnx_int8']['confusion']}`; ECE {e['ece']:.3f} "
                             f"(before the temperature: {e['ece_before_temperature']:.3f})")
        lines += ["", "int8 vs fp32 (ONNX) and PyTorch vs ONNX fp32:", ""]
        for s, e in mod["sets"].items():
            if "int8_vs_fp32" in e:
                d = e["int8_vs_fp32"]
                lines.append(f"- {s}: Δaccuracy {d['d_accuracy_pt']:+.2f} pt, Δmacro-F1 {d['d_macro_f1_pt']:+.2f} pt, "
                             f"label agreement {d['label_agreement']:.4f}, max |Δprob| {d['max_abs_dprob']:.4f}")
            if "onnx_vs_pytorch_fp32" in e:
                d = e["onnx_vs_pytorch_fp32"]
                lines.append(f"- {s}: PyTorch vs ONNX fp32 label agreement {d['label_agreement']:.4f}, "
                             f"max |Δprob| {d['max_abs_dprob']:.2e}")
        for s, e in mod["sets"].items():
            if e.get("by_source"):
                lines += ["", f"{s} by source (shipped file):", "", "| source | n | accuracy | macro-F1 | recall per class |",
                          "|---|---|---|---|---|"]
                for src, v in e["by_source"].items():
                    rec = ", ".join(f"{c} {x:.3f}" for c, x in v["recall"].items())
                    lines.append(f"| {src} | {v['n']} | {v['accuracy']:.4f} | {v['macro_f1']:.4f} | {rec} |")
        lines.append("")
    lines += ["## Targets (real-photo issue)", "", "| target | measured | met |", "|---|---|---|"]
    for t in summary["targets"]:
        lines.append(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tensors", required=True)
    ap.add_argument("--stems", default="mask_vgg16_224,mask_mnv3s_224")
    ap.add_argument("--reports", default=os.path.join(HERE, "reports"))
    ap.add_argument("--models", default=os.path.join(REPO, "models"))
    args = ap.parse_args(argv)
    summary = {"models": {stem: summarise(stem, args.tensors, args.reports, args.models)
                          for stem in args.stems.split(",")}}
    summary["targets"] = targets(summary)
    with open(os.path.join(args.reports, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(args.reports, "REPORT.md"), "w") as f:
        f.write(markdown(summary))
    keep = ("n", "accuracy", "macro_f1", "per_class", "confusion", "runtime")
    for stem, mod in summary["models"].items():
        path = os.path.join(args.models, f"{stem}.int8.json")
        sidecar = load(path)
        sidecar["metrics"] = {s: {**{k: e["runs"]["onnx_int8"][k] for k in keep}, "ece": e["ece"]}
                              for s, e in mod["sets"].items() if "onnx_int8" in e["runs"]}
        with open(path, "w") as f:
            json.dump(sidecar, f, indent=2)
            f.write("\n")
        for s, e in mod["sets"].items():
            r = e["runs"].get("onnx_int8")
            if r:
                print(f"{stem} {s:18s} int8 acc {r['accuracy']:.4f} F1 {r['macro_f1']:.4f} ECE {e['ece']:.3f}")
    for t in summary["targets"]:
        print(f"{'MET ' if t['met'] else 'MISS'} {t['target']}: {t['measured']}")


if __name__ == "__main__":
    main()
