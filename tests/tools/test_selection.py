"""Selections: candidates scored on the training set's tail, a rule, the test set used once."""

import json

import numpy as np
import pandas as pd
import pytest

from skmnist import MLPNetClassifier, load_mnist_sample
from skmnist.benchmarks.suites import fast_recipe
from tools import gpu_check, selection
from tools.selection import SELECTIONS, Selection, choose, run_selection


def _summary(accuracy, fit_seconds):
    return pd.DataFrame(
        {"config": list("abcd"[: len(accuracy)]), "accuracy": accuracy, "fit_seconds": fit_seconds}
    )


def test_a_target_takes_the_fastest_that_reaches_it():
    summary = _summary([0.991, 0.9899, 0.995, 0.990], [3.0, 1.0, 5.0, 2.0])
    assert choose(summary, SELECTIONS["fast"]) == "d"  # b is faster but under 99.0%


def test_a_target_nobody_reaches_takes_the_most_accurate():
    summary = _summary([0.985, 0.989, 0.980], [3.0, 4.0, 1.0])
    assert choose(summary, SELECTIONS["fast"]) == "b"


def test_without_a_target_the_most_accurate_wins_whatever_its_time():
    summary = _summary([0.93, 0.95, 0.94], [1.0, 9.0, 2.0])
    assert choose(summary, SELECTIONS["fashion"]) == "b"


def _tiny_selection(target):
    def candidates():
        return [
            ("one hidden unit", MLPNetClassifier(hidden_layer_sizes=(1,), max_epochs=2)),
            ("64 hidden units", MLPNetClassifier(hidden_layer_sizes=(64,), max_epochs=2)),
        ]

    return Selection("test", candidates, target, seeds=2, final_seeds=3, dataset="mnist")


@pytest.fixture
def scored(monkeypatch):
    """The (training size, scoring labels) of every fit run_selection makes."""
    calls = []
    original = selection.fit_and_score

    def spy(estimator, X, y, X_score, y_score):
        calls.append((len(y), np.asarray(y_score).copy(), estimator.random_state))
        return original(estimator, X, y, X_score, y_score)

    monkeypatch.setattr(selection, "fit_and_score", spy)
    return calls


def test_candidates_never_see_the_test_set(monkeypatch, scored):
    monkeypatch.setitem(SELECTIONS, "tiny", _tiny_selection(target=None))
    train, test = load_mnist_sample(), load_mnist_sample(subset="test")
    X, y = train.data[:700], train.target[:700]
    X_test, y_test = test.data[:300], test.target[:300]
    result = run_selection("tiny", X, y, X_test, y_test, holdout=200, device="cpu")

    holdout_fits, test_fits = scored[:4], scored[4:]
    for n_train, y_score, _ in holdout_fits:  # fitted on the first 500, scored on the last 200
        assert n_train == 500
        np.testing.assert_array_equal(y_score, y[500:])
    assert [seed for *_, seed in holdout_fits] == [0, 1, 0, 1]
    assert len(test_fits) == 3  # only the chosen one, at its final seeds, sees the test set
    for n_train, y_score, _ in test_fits:
        assert n_train == 700
        np.testing.assert_array_equal(y_score, y_test)

    holdout = result["holdout"].set_index("config")["accuracy"]
    assert result["chosen"] == holdout.idxmax()
    finals = [row for row in result["rows"] if row["stage"] == "test"]
    assert {row["config"] for row in finals} == {result["chosen"]}
    assert result["accuracy_mean"] == pytest.approx(np.mean([r["accuracy"] for r in finals]))
    assert result["accuracy_min"] == min(r["accuracy"] for r in finals)


def test_an_unknown_selection_is_a_clear_error():
    sample = load_mnist_sample()
    with pytest.raises(
        ValueError, match=r"no selection 'fastest'; the selections are \['fashion', 'fast'\]"
    ):
        run_selection("fastest", sample.data[:700], sample.target[:700], None, None)


@pytest.mark.parametrize("holdout", [0, 700, 1000])
def test_a_holdout_must_leave_training_images(holdout):
    sample = load_mnist_sample()
    with pytest.raises(ValueError, match="holdout must be between 1 and the 700"):
        run_selection("fast", sample.data[:700], sample.target[:700], None, None, holdout=holdout)


def test_the_fast_candidates_start_from_fast_recipe_and_keep_its_network():
    candidates = SELECTIONS["fast"].candidates()
    assert candidates[0][0].startswith("fast_recipe")
    assert repr(candidates[0][1]) == repr(fast_recipe())
    for _, clf in candidates:
        assert (clf.activation, clf.pooling, clf.batch_norm, clf.lr_schedule) == (
            "relu",
            "max",
            True,
            "onecycle",
        )
    settings = {(c.batch_size, c.max_epochs, c.lr, c.step_mode) for _, c in candidates}
    assert len(settings) == len(candidates)
    assert {c.step_mode for _, c in candidates} == {"auto", "graph"}


def test_the_fashion_candidates_include_erasing_on_wider_blocks():
    candidates = dict(SELECTIONS["fashion"].candidates())
    erasing = candidates["wide VGG, flips and erasing, 30 epochs"]
    assert erasing.augment == {"hflip": 0.5, "erase": 0.5}
    assert erasing.channels == (64, 128, 256) and erasing.convs_per_block == 2
    assert SELECTIONS["fashion"].dataset == "fashion-mnist"


def test_the_check_runs_a_selection_on_its_data_set(tmp_path, monkeypatch, sample_loads):
    monkeypatch.setitem(
        SELECTIONS, "fashion", _tiny_selection(target=None)._replace(dataset="fashion-mnist")
    )
    # the step holds out 10,000 images, more than this fake set: shrink it
    monkeypatch.setattr(
        gpu_check.selection,
        "run_selection",
        lambda *args, holdout, **kwargs: run_selection(*args, holdout=100, **kwargs),
    )
    argv = [
        "--device",
        "cpu",
        "--steps",
        "select",
        "--selection",
        "fashion",
        "--out",
        str(tmp_path),
    ]
    assert gpu_check.main(argv) == 0
    assert sample_loads == ["fashion-mnist"]
    result = json.loads((tmp_path / "select-fashion-cpu.json").read_text())
    assert [row["config"] for row in result["holdout"]] == ["one hidden unit", "64 hidden units"]
    table = (tmp_path / "select-fashion-cpu.md").read_text()
    assert f"| {result['chosen']} |" in table and "**chosen**" in table
    assert "fitted on all but the last 100 training images at 2 seed(s)" in table
    summary = (tmp_path / "gpu-check.md").read_text()
    assert f"| select fashion: chosen on the hold-out | {result['chosen']} |" in summary


def _sample_split():
    train, test = load_mnist_sample(), load_mnist_sample(subset="test")
    return train.data[:500], train.target[:500], test.data[:100], test.target[:100]


def test_a_candidate_that_fails_is_kept_out_and_the_others_still_run(monkeypatch):
    def candidates():
        return [
            ("bad learning rate", MLPNetClassifier(lr=-1.0, max_epochs=1)),
            ("fine", MLPNetClassifier(max_epochs=1)),
        ]

    bad = Selection("test", candidates, 0.5, seeds=1, final_seeds=1, dataset="mnist")
    monkeypatch.setitem(SELECTIONS, "bad", bad)
    result = run_selection("bad", *_sample_split(), holdout=100, device="cpu")
    failed = result["rows"][0]
    assert failed["config"] == "bad learning rate" and "lr" in failed["error"]
    assert np.isnan(failed["accuracy"])
    assert result["chosen"] == "fine"


def test_the_report_says_when_no_candidate_reached_the_target(monkeypatch):
    monkeypatch.setitem(SELECTIONS, "tiny", _tiny_selection(target=1.01))
    result = run_selection("tiny", *_sample_split(), holdout=100, device="cpu", max_epochs=1)
    assert not result["target_reached"]
    text = selection.selection_markdown(result, "Title.")
    assert "No candidate reached 101.0%, so the most accurate was taken." in text
    assert "Every fit was cut to 1 epoch(s) (a quick run)" in text
    assert text.startswith("Title.\n")
