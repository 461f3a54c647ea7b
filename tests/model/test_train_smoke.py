"""A few CPU steps of the deployed architecture (VGG16 at 32 px input keeps it fast) on the fixture
crops: the loss drops, the checkpoint carries its architecture and temperature and loads again."""
import json
import os
import tempfile
import unittest

import numpy as np
import torch

from common import FIXTURES, TORCH_THREADS

import train
from model import MaskNet, load_model


def smoke_data(tmp):
    """A data root whose train/ and val/ are both the fixture crops."""
    root = os.path.join(tmp, "fixtures")
    os.makedirs(root)
    for split in ("train", "val"):
        os.symlink(FIXTURES, os.path.join(root, split))
    return root


class TrainSmokeTest(unittest.TestCase):
    def setUp(self):
        torch.set_num_threads(TORCH_THREADS)
        self.tmp = tempfile.TemporaryDirectory()
        self.data = smoke_data(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_loss_decreases_and_checkpoint_is_written(self):
        out = os.path.join(self.tmp.name, "run")
        history = train.main(["--data", self.data, "--out", out, "--arch", "vgg16_bn", "--size", "32",
                              "--batch", "12", "--epochs", "15", "--lr", "0.01", "--no-augment",
                              "--workers", "0", "--device", "cpu", "--eval-every", "0", "--quiet"])
        losses = history["step_loss"]
        self.assertEqual(len(losses), 15)  # one batch of 12 per epoch
        self.assertTrue(all(np.isfinite(losses)))
        self.assertLess(np.mean(losses[-4:]), 0.85 * np.mean(losses[:4]), losses)
        for name in ("last.pt", "log.jsonl", "report.json"):
            self.assertTrue(os.path.isfile(os.path.join(out, name)), name)
        with open(os.path.join(out, "log.jsonl")) as f:
            records = [json.loads(line) for line in f]
        self.assertEqual(len(records), 15)
        self.assertIn("fixtures", records[-1]["val_macro_f1"])
        model = load_model(os.path.join(out, "last.pt"))
        self.assertIsInstance(model, MaskNet)
        self.assertTrue(model.batch_norm)
        self.assertEqual(model(torch.rand(2, 3, 32, 32)).shape, (2, 3))

    def test_augmented_steps_run(self):
        history = train.main(["--data", self.data, "--out", os.path.join(self.tmp.name, "aug"), "--arch", "vgg16",
                              "--size", "32", "--batch", "8", "--epochs", "2", "--max-steps", "2",
                              "--workers", "0", "--device", "cpu", "--quiet"])
        self.assertEqual(len(history["step_loss"]), 2)
        self.assertTrue(all(np.isfinite(history["step_loss"])))


if __name__ == "__main__":
    unittest.main()
