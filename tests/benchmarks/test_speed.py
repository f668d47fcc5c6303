"""The speed benchmark runs and reports; it measures speed, so nothing here asserts a time."""

import json

import numpy as np

from skmnist.benchmarks import speed

METHODS = [
    "raw PyTorch loop",
    "plain skorch",
    "skmnist LeNet5Classifier",
    'skmnist LeNet5Classifier, augment="affine"',
    # each other step the CPU runs ("graph" is "fused" here)
    'skmnist LeNet5Classifier, step_mode="eager"',
]


def test_speed_benchmark_on_the_sample(tmp_path, monkeypatch):
    # the memory probes each start a process (test_a_memory_probe_runs_in_its_own_process)
    probes = {"raw": 700.0, "skorch": 750.0, "skmnist": 500.0}
    monkeypatch.setattr(speed, "measure_memory", lambda dataset, device: probes)
    status = speed.main(["--dataset", "sample", "--rounds", "1", "--out", str(tmp_path)])
    assert status == 0
    result = json.loads((tmp_path / "speed-cpu.json").read_text())
    assert list(result["epoch_seconds"]) == METHODS
    assert all(len(v) == 1 and v[0] > 0 for v in result["epoch_seconds_each_round"].values())
    assert set(result["predict_images_per_s"]) == {"128", "1024"}
    assert "eager step / raw" in result["ratios"] and "graph step / raw" not in result["ratios"]
    assert result["peak_rss_mib"] == probes
    assert result["command"].endswith("--rounds 1 --out " + str(tmp_path))
    table = (tmp_path / "speed-cpu.md").read_text()
    for name in METHODS:
        assert f"| {name} |" in table
    assert "| skmnist | 500 | 0.714 |" in table


def test_a_memory_probe_runs_in_its_own_process():
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "skmnist.benchmarks.speed",
            "--memory-probe",
            "skmnist",
            "--dataset",
            "sample",
            "--device",
            "cpu",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mib"]
    assert peak > 100  # torch, the sample and one epoch, in that process alone


def test_raw_loop_and_estimator_predict_the_same_way():
    X = np.random.RandomState(0).randint(0, 256, (300, 784)).astype(np.uint8)
    y = np.arange(300) % 10
    import torch

    raw = speed._RawLoop(X, y, torch.device("cpu"))
    ours = speed._SkMNIST(X, y, torch.device("cpu"))
    ours.train(1)
    raw.model.load_state_dict(ours.clf.module_.state_dict())
    np.testing.assert_allclose(raw.predict_proba(X, 128), ours.predict_proba(X, 128), atol=1e-6)


def test_the_checkpoint_cost_is_timed_both_ways_when_asked(monkeypatch):
    X, y = speed._load("sample", "train")
    fits = []
    real_fit = speed.CNNClassifier.fit

    def counted(self, X, y, **kwargs):
        fits.append(self.checkpoint_dir is not None)
        return real_fit(self.set_params(channels=(4, 8, 8)), X[:200], y[:200], **kwargs)

    monkeypatch.setattr(speed.CNNClassifier, "fit", counted)
    timed = speed.time_checkpoints(X[:600], y[:600], device=speed.resolve_device("cpu"), rounds=2)
    assert fits == [False, True, True, False]  # alternating, so that drift cancels
    assert set(timed) == {"fast_recipe()", "CNNClassifier()"}
    for times in timed.values():
        assert times["ratio"] == times["with"] / times["without"]
