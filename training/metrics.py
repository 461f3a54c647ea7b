"""Classification metrics (same definitions as evaluate_onnx.mjs)."""
import numpy as np

from model import CLASSES


def classification_report(labels, preds):
    k = len(CLASSES)
    cm = np.zeros((k, k), dtype=int)
    for t, p in zip(labels, preds):
        cm[t, p] += 1
    per_class, f1s = {}, []
    for i, name in enumerate(CLASSES):
        tp, col, row = cm[i, i], cm[:, i].sum(), cm[i, :].sum()
        p = tp / col if col else 0.0
        r = tp / row if row else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per_class[name] = {"precision": float(p), "recall": float(r), "f1": float(f1), "support": int(row)}
        f1s.append(f1)
    return {
        "n": int(cm.sum()),
        "accuracy": float(np.trace(cm) / cm.sum()),
        "macro_f1": float(np.mean(f1s)),
        "per_class": per_class,
        "confusion": cm.tolist(),  # rows = truth, columns = prediction, order = CLASSES
    }
