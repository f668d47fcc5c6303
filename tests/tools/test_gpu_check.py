"""The GPU check's steps on the CPU: what it writes, its soft vote, and a tests step that hangs."""

import json

import numpy as np
import torch
from sklearn.ensemble import VotingClassifier
from sklearn.metrics import accuracy_score

from skmnist import load_mnist_sample
from skmnist.benchmarks.suites import best_recipe, fashion_recipe
from tools import gpu_check


def test_records_soft_vote_is_what_a_voting_classifier_predicts(tmp_path):
    train, test = load_mnist_sample(), load_mnist_sample(subset="test")
    X, y, X_test, y_test = train.data[:600], train.target[:600], test.data[:300], test.target[:300]
    env = {"device_name": "x86_64", "skmnist": "0", "torch": torch.__version__}
    result = gpu_check._run_records(
        torch.device("cpu"),
        (X, y, X_test, y_test),
        True,
        2,
        "best",
        env,
        gpu_check.Reports(tmp_path),
    )

    members = [
        (f"m{seed}", best_recipe(max_epochs=1).set_params(random_state=seed, device="cpu"))
        for seed in range(2)
    ]
    vote = VotingClassifier(members, voting="soft").fit(X, y)
    assert result["soft_vote_accuracy"] == accuracy_score(y_test, vote.predict(X_test))
    for row, (name, _) in zip(result["members"], members, strict=True):
        member = vote.named_estimators_[name]
        assert row["accuracy"] == accuracy_score(y_test, member.predict(X_test))
    accuracies = [row["accuracy"] for row in result["members"]]
    assert result["accuracy_mean"] == np.mean(accuracies)
    assert result["accuracy_min"] == min(accuracies)

    assert json.loads((tmp_path / "records-best-cpu.json").read_text()) == result
    table = (tmp_path / "records-best-cpu.md").read_text()
    assert table.startswith("`best_recipe()` fitted at random_state 0 to 1 on 600 MNIST")
    assert f"| soft vote of the 2 | **{result['soft_vote_accuracy']:.2%}**" in table


def test_a_tests_step_over_its_time_fails_alone_and_keeps_its_log(tmp_path, capsys):
    status = gpu_check.main(
        [
            "--device",
            "cpu",
            "--quick",
            "--steps",
            "tests,fast",
            "--tests-timeout",
            "1",
            "--out",
            str(tmp_path),
        ]
    )
    assert status == 1
    report = json.loads((tmp_path / "gpu-check.json").read_text())
    assert "the device tests took over 1 s" in report["steps"]["tests"]["error"]
    assert "result" in report["steps"]["fast"]  # the next step still ran
    assert (tmp_path / "devices-tests.log").exists()
    assert (
        "| tests: ERROR | TimeoutError: the device tests took over 1 s"
        in (tmp_path / "gpu-check.md").read_text()
    )


def test_records_fit_the_recipe_asked_for(tmp_path, monkeypatch, sample_loads):
    argv = ["--device", "cpu", "--steps", "records", "--recipe", "fashion", "--out", str(tmp_path)]
    monkeypatch.setattr(gpu_check.suites, "fashion_recipe", lambda: fashion_recipe(max_epochs=1))
    assert gpu_check.main(argv) == 0
    assert sample_loads == ["fashion-mnist"]
    result = json.loads((tmp_path / "records-fashion-cpu.json").read_text())
    assert result["recipe"].startswith("CNNClassifier(") and "'flip'" in result["recipe"]
    table = (tmp_path / "records-fashion-cpu.md").read_text()
    assert "`fashion_recipe()`" in table and "redistributed copy" in table
    assert "| fashion recipe (random_state 0)" in (tmp_path / "gpu-check.md").read_text()


def test_the_default_records_recipe_is_record_recipe():
    assert gpu_check.RECIPES["record"][0] == "record_recipe"
    clf = getattr(gpu_check.suites, gpu_check.RECIPES["record"][0])()
    assert clf.convs_per_block == 2 and not clf.early_stopping
