"""A few CPU training steps on the fixture crops (32 px input keeps VGG16 fast)."""
import json
import os
import tempfile
import unittest

import numpy as np
import torch

from common import FIXTURES

import train
from model import load_model


def smoke_data(tmp):
    """train/ and val/ both point at the fixture crops."""
    root = os.path.join(tmp, "data")
    os.makedirs(root)
    for split in ("train", "val"):
        os.symlink(FIXTURES, os.path.join(root, split))
    return root


class TrainSmokeTest(unittest.TestCase):
    def setUp(self):
        torch.set_num_threads(2)
        self.tmp = tempfile.TemporaryDirectory()
        self.data = smoke_data(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_loss_decreases_and_checkpoint_is_written(self):
        out = os.path.join(self.tmp.name, "run")
        history = train.main(["--data", self.data, "--out", out, "--size", "32", "--batch", "13",
                              "--epochs", "20", "--max-steps", "15", "--lr", "0.01", "--no-augment",
                              "--workers", "0", "--quiet"])
        losses = history["step_loss"]
        self.assertEqual(len(losses), 15)
        self.assertTrue(all(np.isfinite(losses)))
        self.assertLess(np.mean(losses[-4:]), 0.85 * np.mean(losses[:4]), losses)
        for name in ("best.pt", "last.pt", "log.jsonl"):
            self.assertTrue(os.path.isfile(os.path.join(out, name)), name)
        with open(os.path.join(out, "log.jsonl")) as f:
            records = [json.loads(line) for line in f]
        self.assertEqual(len(records), 15)  # one batch of 13 per epoch
        self.assertIn("val_macro_f1", records[-1])
        model = load_model(os.path.join(out, "best.pt"))
        self.assertTrue(model.batch_norm)
        self.assertEqual(model(torch.rand(2, 3, 32, 32)).shape, (2, 3))

    def test_augmented_steps_run(self):
        history = train.main(["--data", self.data, "--out", os.path.join(self.tmp.name, "aug"),
                              "--size", "32", "--batch", "8", "--epochs", "1", "--max-steps", "2",
                              "--workers", "0", "--quiet"])
        self.assertEqual(len(history["step_loss"]), 2)
        self.assertTrue(all(np.isfinite(history["step_loss"])))


if __name__ == "__main__":
    unittest.main()
