"""Confidence calibration: one temperature for the logits, and the error it removes.

The app shows the softmax as "Correct 87 %". With label smoothing and class-balanced draws the raw
softmax is not a probability of being right; dividing the logits by a temperature T fitted on the
tune split (minimum negative log-likelihood) makes it closer to one. export.py folds 1/T into the
last layer, so the file's softmax is the calibrated one and the app needs no change.
"""
import numpy as np


def _nll(logits, labels, t):
    z = logits / t
    z = z - z.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    return float(-logp[np.arange(len(labels)), labels].mean())


def fit_temperature(logits, labels, lo=0.2, hi=10.0):
    """T > 0 minimising NLL: a log-spaced grid, then golden-section search around its best point."""
    logits, labels = np.asarray(logits, dtype=np.float64), np.asarray(labels)
    grid = np.exp(np.linspace(np.log(lo), np.log(hi), 60))
    i = int(np.argmin([_nll(logits, labels, t) for t in grid]))
    a, b = grid[max(0, i - 1)], grid[min(len(grid) - 1, i + 1)]
    g = (np.sqrt(5) - 1) / 2
    for _ in range(40):
        c, d = b - g * (b - a), a + g * (b - a)
        if _nll(logits, labels, c) < _nll(logits, labels, d):
            b = d
        else:
            a = c
    return round(float((a + b) / 2), 4)


def expected_calibration_error(probs, labels, bins=15):
    """ECE: mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    probs, labels = np.asarray(probs), np.asarray(labels)
    conf, pred = probs.max(1), probs.argmax(1)
    right = (pred == labels).astype(np.float64)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs(right[m].mean() - conf[m].mean())
    return round(float(ece), 4)
