"""Several data roots at once: listing with sources, the tune split, balanced draws, per-source
reports, calibration and the batch augmentation, on tiny generated folders (no shared data)."""
import csv
import json
import os
import tempfile
import unittest

import numpy as np
import torch
from PIL import Image

from common import TORCH_THREADS  # (importing common also puts training/ on sys.path)
import train
from augment import augment, box_jitter
from calibration import expected_calibration_error, fit_temperature
from model import CLASSES, FastNet, load_model
from sources import in_tune, list_split, sampling_weights

COLOURS = {"correct": (40, 160, 60), "incorrect": (230, 140, 20), "none": (200, 40, 40)}


def image_ids(n, tune):
    """n image ids that in_tune() puts on the asked side (so every split is non-empty)."""
    ids, i = [], 0
    while len(ids) < n:
        if in_tune(f"A:img{i}") == tune and in_tune(f"B:img{i}") == tune:
            ids.append(f"img{i}")
        i += 1
    return ids


def make_root(base, name, counts, sources=None, seed=0):
    """<base>/<name>/{train,val}/<class>/*.jpg: a class colour plus noise, so a net can learn it.
    counts: {class: (train, val)}. With sources, writes manifest.csv cycling through them."""
    rng = np.random.default_rng(seed)
    root = os.path.join(base, name)
    rows = []
    train_ids = image_ids(12, tune=False) + image_ids(4, tune=True)
    for cls, (n_train, n_val) in counts.items():
        for split, n in (("train", n_train), ("val", n_val)):
            os.makedirs(os.path.join(root, split, cls), exist_ok=True)
            for k in range(n):
                image = train_ids[k % len(train_ids)] if split == "train" else f"val{k}"
                px = np.clip(np.array(COLOURS[cls]) + rng.normal(0, 25, (40, 40, 3)), 0, 255).astype(np.uint8)
                rel = f"{split}/{cls}/{image}_{cls}_{k}.jpg"
                Image.fromarray(px).save(os.path.join(root, rel), quality=95)
                if sources:
                    rows.append({"path": rel, "label": cls, "source": sources[k % len(sources)], "source_image": image})
    if sources:
        with open(os.path.join(root, "manifest.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["path", "label", "source", "source_image"])
            w.writeheader()
            w.writerows(rows)
    return root


class MultiSourceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(TORCH_THREADS)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.a = make_root(cls.tmp.name, "rootA", {"correct": (16, 4), "incorrect": (8, 4), "none": (4, 4)},
                          sources=["web", "synthetic"])
        cls.b = make_root(cls.tmp.name, "rootB", {"correct": (8, 3), "none": (12, 3)}, seed=1)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_splits_are_disjoint_by_image_and_tagged_with_sources(self):
        tr, tune, val = (list_split([self.a, self.b], s) for s in ("train", "tune", "val"))
        self.assertEqual(len(tr) + len(tune), 16 + 8 + 4 + 8 + 12)
        self.assertTrue(tune, "the tune split is empty")
        self.assertFalse({c.image for c in tr} & {c.image for c in tune}, "a photo on both sides")
        self.assertEqual(len(val), 12 + 6)
        self.assertEqual({c.source for c in val}, {"rootA/web", "rootA/synthetic", "rootB"})
        self.assertEqual({c.root for c in tr}, {"rootA", "rootB"})

    def test_balanced_draws(self):
        crops = list_split([self.a, self.b], "train")
        w = np.array(sampling_weights(crops, class_power=1.0))
        self.assertAlmostEqual(w.sum(), 1.0, places=6)
        mass = {k: w[[c.label == k for c in crops]].sum() for k in range(3)}
        for k in range(3):
            self.assertAlmostEqual(mass[k], 1 / 3, places=6)  # classes equal
        none = CLASSES.index("none")
        by_root = {r: w[[c.label == none and c.root == r for c in crops]].sum() for r in ("rootA", "rootB")}
        self.assertAlmostEqual(by_root["rootA"], by_root["rootB"], places=6)  # roots share a class equally
        w2 = np.array(sampling_weights(crops, 1.0, {"rootB": 3.0}))
        b2 = {r: w2[[c.label == none and c.root == r for c in crops]].sum() for r in ("rootA", "rootB")}
        self.assertAlmostEqual(b2["rootB"] / b2["rootA"], 3.0, places=5)
        w0 = np.array(sampling_weights(crops, class_power=0.0))
        counts = np.bincount([c.label for c in crops], minlength=3)
        masses = [w0[[c.label == k for c in crops]].sum() for k in range(3)]
        np.testing.assert_allclose(masses, counts / counts.sum(), atol=1e-6)  # natural frequencies

    def test_training_reports_every_source_apart(self):
        out = os.path.join(self.tmp.name, "run")
        history = train.main(["--data", self.a, "--data", self.b, "--out", out, "--arch", "mobilenet_v3_small",
                              "--size", "32", "--batch", "8", "--epochs", "6", "--opt", "adamw", "--lr", "0.003",
                              "--wd", "0", "--workers", "0", "--device", "cpu", "--quiet"])
        losses = history["step_loss"]
        self.assertTrue(all(np.isfinite(losses)))
        self.assertLess(np.mean(losses[-3:]), np.mean(losses[:3]), losses)
        with open(os.path.join(out, "report.json")) as f:
            report = json.load(f)
        self.assertEqual(set(report["val"]), {"rootA", "rootA/web", "rootA/synthetic", "rootB"})
        self.assertEqual(report["val"]["rootB"]["n"], 6)
        self.assertEqual(report["val"]["rootA/web"]["n"] + report["val"]["rootA/synthetic"]["n"], 12)
        for rep in report["val"].values():
            self.assertIn("ece_calibrated", rep)
            self.assertEqual(len(rep["confusion"]), 3)
        self.assertGreater(report["temperature"], 0)
        with open(os.path.join(out, "log.jsonl")) as f:
            self.assertEqual(len(f.readlines()), 6)
        model = load_model(os.path.join(out, "last.pt"))
        self.assertIsInstance(model, FastNet)
        self.assertEqual(model.temperature, report["temperature"])
        self.assertEqual(model(torch.rand(2, 3, 32, 32)).shape, (2, 3))


class CalibrationTest(unittest.TestCase):
    def test_fit_temperature_recovers_the_true_one(self):
        rng = np.random.default_rng(0)
        z = rng.normal(0, 3, (4000, 3))
        p = np.exp(z / 2.5) / np.exp(z / 2.5).sum(1, keepdims=True)  # labels drawn at T = 2.5
        labels = np.array([rng.choice(3, p=row) for row in p])
        self.assertAlmostEqual(fit_temperature(z, labels), 2.5, delta=0.25)

    def test_ece_sees_overconfidence(self):
        rng = np.random.default_rng(1)
        labels = rng.integers(0, 3, 2000)
        right = rng.random(2000) < 0.6  # 60 % right...
        pred = np.where(right, labels, (labels + 1) % 3)
        probs = np.full((2000, 3), 0.02)
        probs[np.arange(2000), pred] = 0.96  # ...but 96 % sure
        self.assertAlmostEqual(expected_calibration_error(probs, labels), 0.36, delta=0.03)
        probs[np.arange(2000), pred] = 0.6
        probs[probs == 0.02] = 0.2
        self.assertLess(expected_calibration_error(probs, labels), 0.03)


class AugmentTest(unittest.TestCase):
    def test_repeatable_in_range_and_really_changes_the_crop(self):
        x = torch.randint(0, 256, (6, 3, 32, 32), dtype=torch.uint8)
        j = torch.randint(0, 256, (6, 3, 32, 32), dtype=torch.uint8)
        a = augment(x, j, torch.Generator().manual_seed(3))
        b = augment(x, j, torch.Generator().manual_seed(3))
        self.assertTrue(torch.equal(a, b))
        self.assertEqual(a.shape, (6, 3, 32, 32))
        self.assertGreaterEqual(a.min().item(), 0.0)
        self.assertLessEqual(a.max().item(), 1.0)
        self.assertGreater((a - x.float() / 255).abs().mean().item(), 0.01)

    def test_box_jitter_without_jitter_is_the_identity(self):
        x = torch.rand(2, 3, 16, 16)
        g = torch.Generator().manual_seed(0)
        y = box_jitter(x, g, shift=0.0, scale=(1.0, 1.0), degrees=0.0)
        # each sample is the crop or its mirror image
        for i in range(2):
            self.assertTrue(torch.allclose(y[i], x[i], atol=1e-5) or torch.allclose(y[i], x[i].flip(-1), atol=1e-5))


if __name__ == "__main__":
    unittest.main()
