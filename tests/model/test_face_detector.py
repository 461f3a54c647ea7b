"""The fine-tuned BlazeFace short-range weights (models/face_detection_short_range.finetuned.*): PyTorch runs
MediaPipe's graph read from the .tflite, the weights go back into the same file, and the committed fixtures'
outputs are what these weights give. No shared data needed."""
import hashlib
import json
import os
import sys
import unittest

import numpy as np
import torch

from common import REPO, TORCH_THREADS

sys.path.insert(0, os.path.join(REPO, "training", "detector"))
import make_face_golden  # noqa: E402
from finetune_blazeface import ANCHORS, assign, blazeface_box  # noqa: E402
from tflite_graph import TfliteGraph, read_graph  # noqa: E402

FIXTURES = os.path.join(REPO, "tests", "fixtures", "face-detector")


class FaceDetectorWeightsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(TORCH_THREADS)
        cls.tuned_bytes = make_face_golden.finetuned_file()
        with open(os.path.join(FIXTURES, "golden.short.json")) as f:
            cls.golden = json.load(f)

    def test_graph_round_trip_is_byte_exact(self):
        # Reading MediaPipe's file into PyTorch and writing it back unchanged gives the same bytes.
        model = TfliteGraph(make_face_golden.BASE)
        with open(make_face_golden.BASE, "rb") as f:
            self.assertEqual(model.tflite_bytes(), f.read())

    def test_rewritten_file_keeps_the_graph(self):
        with open(make_face_golden.BASE, "rb") as f:
            base = read_graph(f.read())
        tuned = read_graph(self.tuned_bytes)
        strip = lambda g: [(t["name"], t["shape"], t["type"], t["data"]) for t in g["tensors"]]
        self.assertEqual(strip(base), strip(tuned))
        self.assertEqual(base["ops"], tuned["ops"])
        self.assertEqual(hashlib.sha256(self.tuned_bytes).hexdigest(), self.golden["model"])

    def test_pytorch_gives_the_golden_outputs(self):
        # The same numbers MediaPipe must give in tests/e2e/face-model.test.mjs.
        model = TfliteGraph(self.tuned_bytes).eval()
        original = TfliteGraph(make_face_golden.BASE).eval()
        for item in self.golden["inputs"]:
            png = os.path.join(FIXTURES, item["file"])
            reg, logit = make_face_golden.outputs(model, png)
            self.assertLess(np.abs(logit - np.array(item["logits"])).max(), 1e-3, item["file"])
            for top in item["top"]:
                self.assertLess(np.abs(reg[top["anchor"]] - np.array(top["regressors"])).max(), 1e-3, item["file"])
            # The fine-tuned weights are not MediaPipe's: the golden must tell them apart.
            _, logit0 = make_face_golden.outputs(original, png)
            self.assertGreater(np.abs(logit0 - logit).max(), 0.05, item["file"])

    def test_anchor_assignment(self):
        # Faces < 32 px on the stride-8 layer, >= 64 px on the stride-16 one, both between (LAYER_SIDES); positives
        # near the centre, ignored anchors around them, background elsewhere.
        for side, strides in ((20.0, {8}), (40.0, {8, 16}), (100.0, {16})):
            label, target = assign(np.array([[64.0, 64.0, side]], np.float32))
            pos = label == 1
            self.assertEqual(set(ANCHORS[pos, 2].astype(int)), strides, side)
            self.assertTrue((np.abs(ANCHORS[pos, :2] - 64).max(axis=1) <= max(0.2 * side, 8)).all(), side)
            self.assertTrue(np.allclose(target[pos], [64, 64, side]))
            self.assertTrue((label == -1).any() and (label == 0).sum() > (500 if side < 64 else 100), side)
        # Mostly outside the input: no positives. Much larger than the input: its parts are background.
        self.assertFalse((assign(np.array([[-30.0, 64.0, 40.0]], np.float32))[0] == 1).any())
        self.assertTrue((assign(np.array([[64.0, 64.0, 400.0]], np.float32))[0] == 0).all())

    def test_annotation_to_blazeface_box(self):
        # ILC annotations are taller than BlazeFace's square box (h / w 1.22 at the same face).
        cx, cy, side = blazeface_box({"bbox": [100, 100, 91, 111]}, "ilc2021")
        self.assertAlmostEqual(cx, 145.5)
        self.assertAlmostEqual(side, 94, delta=1)
        # Annotation centre 155.5, 0.08 annotation heights above the app's box, which sits 0.08 sides below BlazeFace's.
        self.assertAlmostEqual(cy, 155.5 + 0.08 * 111 - 0.08 * side, places=3)


if __name__ == "__main__":
    unittest.main()
