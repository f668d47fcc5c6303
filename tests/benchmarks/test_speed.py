"""The speed benchmark runs and reports; it measures speed, so nothing here asserts a time."""

import json

import numpy as np

from skmnist.benchmarks import speed

METHODS = [
    "raw PyTorch loop",
    "plain skorch",
    "skmnist LeNet5Classifier",
    'skmnist LeNet5Classifier, augment="affine"',
]


def test_speed_benchmark_on_the_sample(tmp_path):
    status = speed.main(["--dataset", "sample", "--rounds", "1", "--out", str(tmp_path)])
    assert status == 0
    result = json.loads((tmp_path / "speed-cpu.json").read_text())
    assert list(result["epoch_seconds"]) == METHODS
    assert all(len(v) == 1 and v[0] > 0 for v in result["epoch_seconds_each_round"].values())
    assert set(result["predict_images_per_s"]) == {"128", "1024"}
    # each probe runs in its own process: the peaks differ from the parent's and each other's
    peaks = result["peak_rss_mib"]
    assert set(peaks) == {"raw", "skorch", "skmnist"} and all(v > 100 for v in peaks.values())
    assert result["command"].endswith("--rounds 1 --out " + str(tmp_path))
    table = (tmp_path / "speed-cpu.md").read_text()
    for name in METHODS:
        assert f"| {name} |" in table


def test_raw_loop_and_estimator_predict_the_same_way():
    X = np.random.RandomState(0).randint(0, 256, (300, 784)).astype(np.uint8)
    y = np.arange(300) % 10
    import torch

    raw = speed._RawLoop(X, y, torch.device("cpu"))
    ours = speed._SkMNIST(X, y, torch.device("cpu"))
    ours.train(1)
    raw.model.load_state_dict(ours.clf.module_.state_dict())
    np.testing.assert_allclose(raw.predict_proba(X, 128), ours.predict_proba(X, 128), atol=1e-6)
