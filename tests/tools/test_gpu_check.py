"""The GPU check on the CPU: its reports, its budget, its tests step and its soft vote."""

import json
import os
import textwrap

import pytest
import torch
from sklearn.ensemble import VotingClassifier
from sklearn.metrics import accuracy_score
from tools_helpers import FakeTime

from skmnist.benchmarks import suites
from skmnist.benchmarks.suites import best_recipe
from tools import budget, gpu_check
from tools.budget import OutOfTime


def _fake_step(seconds, headline="done"):
    """A step that takes ``seconds`` of the fake clock."""

    def run(args, env, budget):
        FakeTime.now += seconds
        return {"headline": headline}

    return run


def _report(out):
    return json.loads((out / "gpu-check.json").read_text()), (out / "gpu-check.md").read_text()


def test_a_step_that_cannot_start_within_the_budget_is_skipped_saying_why(
    tmp_path, monkeypatch, fake_time
):
    monkeypatch.setitem(gpu_check.STEPS, "fast", _fake_step(10, "fast ran"))
    argv = ["--device", "cpu", "--steps", "fast,select,records", "--budget", "25"]
    assert gpu_check.main([*argv, "--out", str(tmp_path)]) == 0  # a skip is no failure

    report, text = _report(tmp_path)
    assert report["budget"] == 25 and report["steps"]["fast"]["result"]["headline"] == "fast ran"
    reason = "skipped: 15 s left of the 25 s budget, and the step needs at least {} s"
    assert report["steps"]["select"] == {"skipped": reason.format(30)}
    assert report["steps"]["records"] == {"skipped": reason.format(60)}
    assert f"| select | 0 | {reason.format(30)} |" in text
    assert "| fast | 0 | fast ran |" in text


def test_the_reports_are_rewritten_after_each_step_and_a_stopped_command_keeps_them(
    tmp_path, monkeypatch, fake_time
):
    def stopped(args, env, budget):  # the command stopped from outside, during the step
        raise KeyboardInterrupt

    monkeypatch.setitem(gpu_check.STEPS, "fast", _fake_step(1, "fast ran"))
    monkeypatch.setitem(gpu_check.STEPS, "select", stopped)
    with pytest.raises(KeyboardInterrupt):
        gpu_check.main(["--device", "cpu", "--steps", "fast,select", "--out", str(tmp_path)])

    report, text = _report(tmp_path)
    assert report["steps"]["fast"]["result"] == {"headline": "fast ran"}
    assert report["steps"]["select"] == {}  # it was running when the command stopped
    assert "| fast | 0 | fast ran |" in text
    assert "| select | 0 | did not end: it was running when this was written |" in text


def test_a_step_that_raises_fails_the_command_and_the_next_steps_still_run(
    tmp_path, monkeypatch, fake_time
):
    def broken(args, env, budget):
        raise ValueError("the data home holds no mnist/")

    monkeypatch.setitem(gpu_check.STEPS, "fast", broken)
    monkeypatch.setitem(gpu_check.STEPS, "select", _fake_step(1, "select ran"))
    argv = ["--device", "cpu", "--steps", "fast,select", "--out", str(tmp_path)]
    assert gpu_check.main(argv) == 1
    report, text = _report(tmp_path)
    assert report["steps"]["select"]["result"]["headline"] == "select ran"
    assert "| fast | 0 | ERROR: ValueError: the data home holds no mnist/ |" in text


def test_unknown_steps_and_a_missing_gpu_are_usage_errors(tmp_path, capsys):
    with pytest.raises(SystemExit):
        gpu_check.main(["--device", "cpu", "--steps", "tset", "--out", str(tmp_path)])
    assert "unknown steps ['tset']" in capsys.readouterr().err
    if not torch.cuda.is_available():
        with pytest.raises(SystemExit):
            gpu_check.main(["--steps", "fast", "--out", str(tmp_path)])
        assert "torch sees no CUDA device here; use --device cpu" in capsys.readouterr().err


DEVICE_TESTS = """
import os
import time


def test_passes():
    pass


def test_fails():
    assert 1 == 2


def test_hangs():
    with open("hanging.pid", "w") as file:
        file.write(str(os.getpid()))
    time.sleep({sleep})
"""


def _device_tests(root, monkeypatch, sleep):
    """A repository at ``root`` whose device tests pass, fail and hang for ``sleep`` s."""
    tests = root / "tests" / "estimators" / "test_devices.py"
    tests.parent.mkdir(parents=True)
    tests.write_text(textwrap.dedent(DEVICE_TESTS.format(sleep=sleep)))
    monkeypatch.setattr(gpu_check, "ROOT", root)


def test_the_tests_step_names_the_failed_tests_wherever_the_repository_lies(tmp_path, monkeypatch):
    _device_tests(tmp_path / "repository", monkeypatch, sleep=60)
    out = tmp_path / "out"
    argv = ["--device", "cpu", "--steps", "tests", "--test-timeout", "2", "--out", str(out)]
    assert gpu_check.main(argv) == 1

    result = _report(out)[0]["steps"]["tests"]["result"]
    assert result["exit_status"] == 1
    assert result["failed"] == [  # the hanging test was stopped at its limit, alone
        "tests/estimators/test_devices.py::test_fails",
        "tests/estimators/test_devices.py::test_hangs",
    ]
    assert result["headline"].startswith("2 failed, 1 passed in ")
    assert "Timeout" in (out / "devices-tests.log").read_text()


def test_tests_still_running_when_the_budget_is_spent_are_stopped_with_their_processes(
    tmp_path, monkeypatch
):
    root = tmp_path / "repository"
    _device_tests(root, monkeypatch, sleep=120)
    monkeypatch.setitem(gpu_check.STEP_FLOORS, "tests", 0)
    argv = ["--device", "cpu", "--steps", "tests", "--budget", "8", "--out", str(tmp_path)]
    assert gpu_check.main([*argv, "--test-timeout", "300"]) == 1

    step = _report(tmp_path)[0]["steps"]["tests"]
    assert step["seconds"] < 60
    assert step["error"].strip().splitlines()[-1] == (
        "tools.budget.OutOfTime: stopped when the budget was spent; devices-tests.log has their log"
    )
    assert "test_passes PASSED" in (tmp_path / "devices-tests.log").read_text()
    with pytest.raises(ProcessLookupError):  # killed, not left running
        os.kill(int((root / "hanging.pid").read_text()), 0)


def test_records_soft_vote_is_what_a_voting_classifier_predicts(tmp_path, sample_data):
    argv = ["--device", "cpu", "--quick", "--steps", "records", "--recipe", "best"]
    assert gpu_check.main([*argv, "--members", "2", "--out", str(tmp_path)]) == 0
    assert sample_data == ["mnist"]

    X, y, X_test, y_test = gpu_check._data(None, "mnist")
    members = [
        (f"m{seed}", best_recipe(max_epochs=1).set_params(random_state=seed, device="cpu"))
        for seed in range(2)
    ]
    vote = VotingClassifier(members, voting="soft").fit(X, y)
    result = json.loads((tmp_path / "records-best-cpu.json").read_text())
    assert result["soft_vote_accuracy"] == accuracy_score(y_test, vote.predict(X_test))
    for row, (name, _) in zip(result["members"], members, strict=True):
        member = vote.named_estimators_[name]
        assert row["accuracy"] == accuracy_score(y_test, member.predict(X_test))
    assert result["accuracy_min"] == min(row["accuracy"] for row in result["members"])
    table = (tmp_path / "records-best-cpu.md").read_text()
    assert table.startswith("`best_recipe()` at random_state 0, 1 on 500 training and 200 test")
    assert f"| soft vote of the 2 | **{result['soft_vote_accuracy']:.2%}** |" in table


def test_records_keep_the_members_that_ended_and_say_why_the_others_did_not(
    tmp_path, monkeypatch, sample_data, fake_time
):
    real = budget.fit_and_score

    def fit_and_score(clf, *data):  # each member takes 100 s of the fake clock
        if clf.random_state == 2:
            raise OutOfTime("stopped after 1 of 45 epochs (9 s): at that pace ...")
        scores, y_pred = real(clf, *data)
        FakeTime.now += 100
        return {**scores, "fit_seconds": 100.0}, y_pred

    monkeypatch.setattr(budget, "fit_and_score", fit_and_score)
    argv = ["--device", "cpu", "--quick", "--steps", "records", "--recipe", "best"]
    out = ["--out", str(tmp_path)]
    assert gpu_check.main([*argv, "--members", "3", "--budget", "150", *out]) == 0
    result = json.loads((tmp_path / "records-best-cpu.json").read_text())
    assert [row["random_state"] for row in result["members"]] == [0]
    reason = "random_state 1 to 2 not fitted: not started: 50 s left, a fit takes 100 s"
    assert result["stopped"] == reason
    assert f"| {reason} |" in (tmp_path / "records-best-cpu.md").read_text()

    fake_time.now = 1000.0
    assert gpu_check.main([*argv, "--members", "4", "--budget", "500", *out]) == 0
    result = json.loads((tmp_path / "records-best-cpu.json").read_text())
    assert [row["random_state"] for row in result["members"]] == [0, 1]
    assert result["stopped"].startswith("random_state 2 to 3 not fitted: stopped after 1 of 45")
    assert result["soft_vote_accuracy"] is not None
    assert " | 2 of 4 fits: test accuracy " in (tmp_path / "gpu-check.md").read_text()


def test_records_fit_the_recipe_asked_for_on_its_data_set(tmp_path, sample_data):
    argv = ["--device", "cpu", "--quick", "--steps", "records", "--recipe", "fashion"]
    assert gpu_check.main([*argv, "--out", str(tmp_path)]) == 0
    assert sample_data == ["fashion-mnist"]
    result = json.loads((tmp_path / "records-fashion-cpu.json").read_text())
    assert result["recipe"].startswith("CNNClassifier(") and "'flip'" in result["recipe"]
    table = (tmp_path / "records-fashion-cpu.md").read_text()
    assert table.startswith("`fashion_recipe()` at random_state 0 on 500 training")


def test_the_default_records_recipe_is_record_recipe():
    function, dataset = gpu_check.RECIPES["record"]
    clf = getattr(suites, function)()
    assert dataset == "mnist" and clf.convs_per_block == 2 and not clf.early_stopping
