"""The GPU plan: two commands within their deadlines, reports as they go, the compile case apart.

Time here is a fake clock (``fake_time``): a step or a fit "takes" the seconds
the test gives it, so deadlines are checked without waiting for them.
"""

import json
import os
import tarfile
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from skmnist import MLPNetClassifier, load_mnist_sample
from tools import deadline as deadline_module
from tools import gpu_check, selection
from tools.deadline import Deadline, OutOfTime
from tools.selection import SELECTIONS, Selection, run_selection

README = Path(__file__).parents[2] / "README.md"
CPU = torch.device("cpu")


class FakeTime:
    now = 1000.0


@pytest.fixture
def fake_time(monkeypatch):
    """The deadlines' clock, moved on only by the test."""
    FakeTime.now = 1000.0
    monkeypatch.setattr(deadline_module, "clock", lambda: FakeTime.now)
    return FakeTime


class Tick(Callback):
    """Each epoch of a fit of 2 epochs or more takes ``seconds`` (a warm-up, of one, none)."""

    def __init__(self, seconds=5.0):
        self.seconds = seconds

    def on_epoch_end(self, net, **kwargs):
        if net.max_epochs >= 2:
            FakeTime.now += self.seconds


def _sample(n_train=700, n_test=200):
    train, test = load_mnist_sample(), load_mnist_sample(subset="test")
    return train.data[:n_train], train.target[:n_train], test.data[:n_test], test.target[:n_test]


def test_the_plan_is_two_commands_that_fit_the_lent_minutes():
    assert list(gpu_check.PLANS) == ["1", "2"]
    one, two = gpu_check.PLANS["1"], gpu_check.PLANS["2"]
    assert one.steps == ("tests", "speed", "fast", "select")
    assert one.options["selection"] == "fast"
    assert two.steps == ("records", "select")
    assert two.options == {"recipe": "record", "members": 3, "selection": "fashion"}
    for plan in (one, two):  # each command at most 8 minutes, with a margin for its start
        assert plan.deadline + 30 <= 8 * 60
    # 15 minutes of device time: a machine's start (up to 2), both commands, their margins
    assert 120 + one.deadline + two.deadline + 2 * 30 <= 15 * 60


def test_the_readme_gives_each_plan_command_and_its_time_limit():
    text = README.read_text()
    for name, plan in gpu_check.PLANS.items():
        command = f".ci/gpu-check --data .ci/gpu-data --plan {name} > $OUT/plan{name}.log 2>&1"
        assert command in text
        assert f"`timeout_s={plan.deadline + 30}`" in text
    assert 'carry=[".ci/gpu-wheels", ".ci/gpu-data"]' in text


def test_options_come_from_the_plan_unless_given(monkeypatch, tmp_path):
    monkeypatch.setenv("OUT", str(tmp_path))
    parser = gpu_check._parser()
    args = gpu_check._options(parser.parse_args(["--plan", "2", "--members", "2"]), parser)
    assert (args.members, args.recipe, args.selection) == (2, "record", "fashion")
    assert args.steps == ["records", "select"] and args.deadline == 420
    assert args.out == Path("gpu-check-out/plan2") and args.archive == tmp_path / "plan2.tar"
    args = gpu_check._options(parser.parse_args(["--plan", "1", "--deadline", "0"]), parser)
    assert args.deadline is None and args.tests_timeout == 150 and args.compile_budget == 150
    monkeypatch.delenv("OUT")
    args = gpu_check._options(parser.parse_args(["--steps", "fast"]), parser)
    assert args.deadline is None and args.archive is None and args.members == 1
    with pytest.raises(SystemExit):
        gpu_check._options(parser.parse_args(["--skip", "tset"]), parser)


def _fake_fast(seconds):
    def run(device, data, quick, env, reports):
        FakeTime.now += seconds
        result = {"accuracy_mean": 0.99, "accuracy_min": 0.98, "fit_seconds_median": 1.0}
        return {**result, "accuracy": [0.99], "fit_seconds": [1.0], "params": "fast"}

    return run


def test_a_step_that_cannot_start_before_the_deadline_is_skipped_saying_why(
    tmp_path, monkeypatch, sample_loads, fake_time
):
    monkeypatch.setattr(gpu_check, "_run_fast", _fake_fast(seconds=10))
    argv = ["--device", "cpu", "--quick", "--steps", "fast,select,records", "--deadline", "25"]
    assert gpu_check.main([*argv, "--out", str(tmp_path)]) == 0  # a skip is no failure

    steps = json.loads((tmp_path / "gpu-check.json").read_text())["steps"]
    assert steps["fast"]["result"]["accuracy_mean"] == 0.99
    reason = "15 s left before the 25 s deadline, and the step needs at least {} s"
    assert steps["select"] == {"skipped": reason.format(30), "seconds": 0.0}
    assert steps["records"]["skipped"] == reason.format(60)
    text = (tmp_path / "gpu-check.md").read_text()
    assert f"| select: skipped | {reason.format(30)} |" in text
    assert "Deadline: 25 s." in text


def test_the_reports_are_written_as_each_step_ends_and_a_stopped_command_keeps_them(
    tmp_path, monkeypatch, sample_loads, fake_time
):
    monkeypatch.setattr(gpu_check, "_run_fast", _fake_fast(seconds=5))

    def killed(*args, **kwargs):  # the command stopped from outside, in the middle of a step
        raise KeyboardInterrupt

    monkeypatch.setattr(gpu_check, "_run_select", killed)
    out, archive = tmp_path / "out", tmp_path / "OUT" / "plan1.tar"
    argv = ["--device", "cpu", "--quick", "--plan", "1", "--skip", "tests,speed"]
    with pytest.raises(KeyboardInterrupt):
        gpu_check.main([*argv, "--out", str(out), "--archive", str(archive)])

    report = json.loads((out / "gpu-check.json").read_text())
    assert report["plan"] == "1" and report["deadline"] == 270
    steps = report["steps"]
    assert steps["tests"]["skipped"] == steps["speed"]["skipped"] == "left out by --skip"
    assert steps["fast"]["result"]["accuracy_mean"] == 0.99
    assert set(steps["select"]) == {"started"}  # it was running when the command stopped
    text = (out / "gpu-check.md").read_text()
    assert "| fast: test accuracy mean / min (1 seeds) | 99.00% / 98.00% |" in text
    assert "| select: did not end |" in text
    with tarfile.open(archive) as tar:  # what the run tool brings back: the same reports
        kept = json.load(tar.extractfile("gpu-check.json"))
        assert kept == report and "gpu-check.md" in tar.getnames()
    assert sorted(p.name for p in archive.parent.iterdir()) == ["plan1.tar"]


FAKE_DEVICE_TESTS = """
import os
import signal
import time
from pathlib import Path

MARK = Path(__file__).with_name("compile-started")


def test_mixed_precision_and_compile():
    MARK.write_text(str(os.getpid()))
    {body}


def test_another_case():
    for _ in range(200):  # the compile case runs beside this one, in a process of its own
        if MARK.exists():
            return
        time.sleep(0.05)
    raise AssertionError("the compile case did not start beside the others")
"""


def _fake_device_tests(tmp_path, monkeypatch, body):
    tests = tmp_path / "tests" / "test_devices.py"
    tests.parent.mkdir()
    tests.write_text(FAKE_DEVICE_TESTS.format(body=textwrap.indent(body, "    ").strip()))
    monkeypatch.setattr(gpu_check, "TESTS", tests)
    return tests.with_name("compile-started")


def test_a_slow_compile_fails_alone_within_its_budget_beside_the_other_tests(tmp_path, monkeypatch):
    _fake_device_tests(tmp_path, monkeypatch, "time.sleep(60)")
    reports = gpu_check.Reports(tmp_path / "out")
    result = gpu_check._run_tests(CPU, False, reports, 30, 60, 1, Deadline(None))

    assert (result["passed"], result["failures"], result["tests"]) == (1, 0, 1)
    compiled = result["compile"]
    assert compiled["outcome"] == "failed" and compiled["budget"] == 1
    assert compiled["seconds"] < 20  # pytest's own limit stopped it
    assert (
        result["failed"] == compiled["failed"] == ["test_devices::test_mixed_precision_and_compile"]
    )
    assert "Timeout" in (tmp_path / "out" / "devices-compile.log").read_text()
    assert "test_another_case PASSED" in (tmp_path / "out" / "devices-tests.log").read_text()
    assert "--timeout=1 -k test_mixed_precision_and_compile" in compiled["command"]
    assert "-k not test_mixed_precision_and_compile" in result["command"]


def test_a_compile_that_ignores_its_limit_is_killed_before_the_step_ends(tmp_path, monkeypatch):
    # pytest-timeout's alarm cannot reach it: the process is killed COMPILE_GRACE s later
    body = "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\ntime.sleep(60)"
    mark = _fake_device_tests(tmp_path, monkeypatch, body)
    monkeypatch.setattr(gpu_check, "COMPILE_GRACE", 1)
    reports = gpu_check.Reports(tmp_path / "out")
    result = gpu_check._run_tests(CPU, False, reports, 30, 60, 1, Deadline(None))

    compiled = result["compile"]
    assert compiled["outcome"].startswith("stopped after") and compiled["seconds"] < 20
    assert result["failed"] == [gpu_check.COMPILE_CASE] and result["passed"] == 1
    with pytest.raises(ProcessLookupError):  # gone before the step's end, not left running
        os.kill(int(mark.read_text()), 0)


def test_a_compile_that_passes_counts_as_passed(tmp_path, monkeypatch):
    _fake_device_tests(tmp_path, monkeypatch, "pass")
    result = gpu_check._run_tests(
        CPU, False, gpu_check.Reports(tmp_path / "out"), 30, 60, 5, Deadline(None)
    )
    assert result["compile"]["outcome"] == "passed" and result["failed"] == []
    summary = gpu_check.to_markdown(
        {
            "environment": gpu_check._environment(CPU),
            "command": "c",
            "steps": {"tests": {"result": result}},
            "seconds": 1.0,
        }
    )
    assert "| torch.compile case (own process, budget 5 s) | passed in " in summary


def test_finish_by_stops_a_fit_that_cannot_end_in_time(fake_time):
    X, y, _, _ = _sample(300)
    clf = MLPNetClassifier(max_epochs=5, callbacks=[("tick", Tick(10))])
    Deadline(40).bound(clf)
    with pytest.raises(
        OutOfTime,
        match=r"^stopped after 1 of 5 epochs \(10 s\): at that pace it needs 40 s more, with 30 s ",
    ):
        clf.fit(X, y)
    assert not hasattr(clf, "classes_")  # undone: no model trained on part of its schedule
    fake_time.now = 1000.0
    clf = Deadline(60).bound(MLPNetClassifier(max_epochs=5, callbacks=[("tick", Tick(10))]))
    assert clf.fit(X, y).history[-1, "epoch"] == 5 and fake_time.now == 1050.0


def test_records_keep_the_members_that_ended_and_say_why_others_did_not(
    tmp_path, monkeypatch, fake_time
):
    real = gpu_check.suites.fit_and_score

    def fit_and_score(clf, *data):  # each member takes 100 s of the fake clock
        if clf.random_state == 2:
            raise OutOfTime("stopped after 1 of 45 epochs (9 s): at that pace ...")
        scores, y_pred = real(clf, *data)
        FakeTime.now += 100
        return {**scores, "fit_seconds": 100.0}, y_pred

    monkeypatch.setattr(gpu_check.suites, "fit_and_score", fit_and_score)
    env = {"device_name": "x86_64", "skmnist": "0", "torch": torch.__version__}
    reports = gpu_check.Reports(tmp_path)
    data = _sample(200, 100)
    result = gpu_check._run_records(CPU, data, True, 3, "best", env, reports, Deadline(150))
    assert [row["random_state"] for row in result["members"]] == [0]
    reason = "not started: 50 s left before the deadline, a member takes about 100 s"
    assert result["not_finished"] == [
        {"random_state": 1, "reason": reason},
        {"random_state": 2, "reason": reason},
    ]
    assert json.loads((tmp_path / "records-best-cpu.json").read_text()) == result
    assert f"| random_state 1 | {reason} | | |" in (tmp_path / "records-best-cpu.md").read_text()

    fake_time.now = 1000.0
    result = gpu_check._run_records(CPU, data, True, 4, "best", env, reports, Deadline(500))
    assert [row["random_state"] for row in result["members"]] == [0, 1]
    assert result["not_finished"][0]["reason"].startswith("stopped after 1 of 45 epochs")
    assert result["not_finished"][1] == {"random_state": 3, "reason": "not started: no time left"}
    assert result["soft_vote_accuracy"] is not None


@pytest.fixture
def ticking_selection(monkeypatch):
    """A selection of three MLPs whose fits take 10 s of the fake clock (2 epochs of 5 s)."""

    def candidates():
        def mlp(units):
            return MLPNetClassifier(
                hidden_layer_sizes=(units,), max_epochs=2, callbacks=[("tick", Tick(5))]
            )

        return [("A", mlp(8)), ("B", mlp(16)), ("C", mlp(32))]

    monkeypatch.setitem(SELECTIONS, "ticking", Selection("test", candidates, None, 1, 1, "mnist"))
    real = selection.fit_and_score

    def fit_and_score(clf, *data):  # fit seconds on the fake clock
        began = FakeTime.now
        scores, y_pred = real(clf, *data)
        return {**scores, "fit_seconds": FakeTime.now - began}, y_pred

    monkeypatch.setattr(selection, "fit_and_score", fit_and_score)


def test_a_selection_cut_by_the_deadline_chooses_among_the_candidates_that_ran(
    fake_time, ticking_selection
):
    # 350 images, 100 held out: a final fit takes 350 / 250 times a hold-out fit, 14 s.
    # A ends at 10 s; B could end at 20 s but must leave 14 s for a final fit: at 30 s it
    # cannot, so it is stopped after its first epoch; C never starts; A's final fit ends at 25 s.
    result = run_selection(
        "ticking", *_sample(350, 100), holdout=100, device="cpu", deadline=Deadline(30)
    )
    rows = {(row["stage"], row["config"]): row for row in result["rows"]}
    assert list(rows) == [("holdout", "A"), ("holdout", "B"), ("test", "A")]
    assert rows["holdout", "B"]["stopped"].startswith("B at seed 0 stopped after 1 of 2 epochs")
    assert np.isnan(rows["holdout", "B"]["accuracy"])
    assert result["chosen"] == "A" and result["final_fits"] == 1
    assert result["stopped"] == rows["holdout", "B"]["stopped"]
    assert fake_time.now == 1025.0

    text = selection.selection_markdown(result, "Title.")
    assert "| B | – | – | – | stopped by the deadline |" in text
    assert "| C | | | | not started (deadline) |" in text
    assert "The deadline left fits out: B at seed 0 stopped" in text
    assert "scored on the test set at 1 of 1 seed(s)" in text


def test_a_selection_with_no_time_chooses_nothing(fake_time, ticking_selection):
    result = run_selection(
        "ticking", *_sample(350, 100), holdout=100, device="cpu", deadline=Deadline(0)
    )
    assert result["chosen"] is None and result["accuracy_mean"] is None
    [row] = result["rows"]
    assert row["skipped"].startswith("A at seed 0 not started: 0 s left before the deadline")
    text = selection.selection_markdown(result, "Title.")
    assert "No candidate could be chosen" in text
