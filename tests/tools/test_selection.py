"""Selections: candidates scored on the training set's tail, a rule, the test set used once."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import FitFailedWarning
from tools_helpers import Tick

from skmnist import MLPNetClassifier, load_mnist_sample
from skmnist.benchmarks.suites import fast_recipe
from tools import budget, gpu_check, selection
from tools.budget import Budget
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
def final_fits(monkeypatch):
    """The (training size, scoring labels, estimator) of every fit_and_score of a selection."""
    calls = []
    original = budget.fit_and_score

    def spy(estimator, X, y, X_score, y_score):
        calls.append((len(y), np.asarray(y_score).copy(), estimator))
        return original(estimator, X, y, X_score, y_score)

    monkeypatch.setattr(budget, "fit_and_score", spy)
    return calls


def test_candidates_are_scored_on_the_holdout_and_only_the_choice_sees_the_test_set(
    monkeypatch, final_fits
):
    monkeypatch.setitem(SELECTIONS, "tiny", _tiny_selection(target=None))
    train, test = load_mnist_sample(), load_mnist_sample(subset="test")
    X, y = train.data[:700], train.target[:700]
    X_test, y_test = test.data[:300], test.target[:300]
    result = run_selection("tiny", X, y, X_test, y_test, holdout=200, device="cpu")

    # each candidate fitted on the first 500 images and scored on the last 200, at seeds 0, 1
    candidates = _tiny_selection(None).candidates()
    for (config, estimator), row in zip(candidates, result["holdout"], strict=True):
        scores = [
            clone(estimator)
            .set_params(random_state=seed, device="cpu")
            .fit(X[:500], y[:500])
            .score(X[500:], y[500:])
            for seed in (0, 1)
        ]
        assert (row["config"], row["accuracy"], row["accuracy_min"]) == (
            config,
            pytest.approx(np.mean(scores)),
            min(scores),
        )
    holdout = pd.DataFrame(result["holdout"]).set_index("config")["accuracy"]
    assert result["chosen"] == holdout.idxmax()
    # only the chosen one, at its 3 final seeds, fitted on all 700 and scored on the test set
    assert len(final_fits) == 3
    chosen = dict(candidates)[result["chosen"]]
    for seed, (n_train, y_score, estimator) in enumerate(final_fits):
        assert n_train == 700 and estimator.random_state == seed
        assert estimator.hidden_layer_sizes == chosen.hidden_layer_sizes
        np.testing.assert_array_equal(y_score, y_test)
    finals = result["final"]
    assert [row["random_state"] for row in finals] == [0, 1, 2]
    assert result["accuracy_mean"] == pytest.approx(np.mean([r["accuracy"] for r in finals]))
    assert result["accuracy_min"] == min(r["accuracy"] for r in finals)


def test_an_unknown_selection_is_a_clear_error():
    sample = load_mnist_sample()
    with pytest.raises(
        ValueError, match=r"no selection 'fastest'; the selections are \['cnn-default', 'fash"
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


def test_the_check_runs_a_selection_on_its_data_set(tmp_path, monkeypatch, sample_data):
    monkeypatch.setitem(
        SELECTIONS, "fashion", _tiny_selection(target=None)._replace(dataset="fashion-mnist")
    )
    argv = ["--device", "cpu", "--quick", "--steps", "select", "--selection", "fashion"]
    assert gpu_check.main([*argv, "--out", str(tmp_path)]) == 0
    assert sample_data == ["fashion-mnist"]
    result = json.loads((tmp_path / "select-fashion-cpu.json").read_text())
    assert [row["config"] for row in result["holdout"]] == ["one hidden unit", "64 hidden units"]
    table = (tmp_path / "select-fashion-cpu.md").read_text()
    assert f"| {result['chosen']} |" in table and "**chosen**" in table
    assert "fitted on all but the last 100 training images at 2 seed(s)" in table
    summary = (tmp_path / "gpu-check.md").read_text()
    assert f"`fashion` chose {result['chosen']}: test accuracy " in summary


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
    with pytest.warns(FitFailedWarning, match="The 'lr' parameter of MLPNetClassifier"):
        result = run_selection("bad", *_sample_split(), holdout=100, device="cpu")
    failed = result["holdout"][0]
    assert failed["config"] == "bad learning rate" and not failed["complete"]
    assert np.isnan(failed["accuracy"])
    assert result["chosen"] == "fine"
    text = selection.to_markdown(result, "Title.")
    assert "| bad learning rate | – | – | – | no score at some seed: it raised, or the" in text


def test_the_report_says_when_no_candidate_reached_the_target(monkeypatch):
    monkeypatch.setitem(SELECTIONS, "tiny", _tiny_selection(target=1.01))
    result = run_selection("tiny", *_sample_split(), holdout=100, device="cpu", max_epochs=1)
    assert not result["target_reached"]
    text = selection.to_markdown(result, "Title.")
    assert "No candidate reached 101.0%, so the most accurate was taken." in text
    assert "Every fit was cut to 1 epoch(s) (a quick run)" in text
    assert text.startswith("Title.\n")


def test_a_time_limit_keeps_out_the_candidates_too_slow_for_all_the_training_images(
    monkeypatch, final_fits
):
    # no fit takes 0 s: nothing is chosen; within a day, the most accurate is
    for limit, chosen in [(0.0, False), (86_400.0, True)]:
        tiny = _tiny_selection(target=None)._replace(time_limit=limit, final_seeds=0)
        monkeypatch.setitem(SELECTIONS, "tiny", tiny)
        result = run_selection("tiny", *_sample_split(), holdout=100, device="cpu", max_epochs=1)
        assert [row["in_time"] for row in result["holdout"]] == [chosen, chosen]
        assert (result["chosen"] is not None) == chosen
        text = selection.to_markdown(result, "Title.")
        assert f"would take at most {limit:g} s" in text
        assert ("over the 0 s limit on all the training images" in text) != chosen
    # final_seeds=0: the suite scores the choice on the test set, not the selection
    assert final_fits == [] and result["final"] == [] and result["accuracy_mean"] is None
    assert "The chosen configuration's test scores come from the `minutes` suite." in text


def test_the_defaults_and_the_minutes_recipes_have_their_selections():
    for name in ["mlp-default", "lenet-default", "cnn-default", "mnist-1min", "mnist-5min"]:
        assert SELECTIONS[name].dataset == "mnist" and SELECTIONS[name].final_seeds == 0
    for name in ["fashion-10s", "fashion-1min", "fashion-5min"]:
        assert SELECTIONS[name].dataset == "fashion-mnist"
    limits = {name: SELECTIONS[name].time_limit for name in SELECTIONS}
    assert limits["mlp-default"] == 10 and limits["lenet-default"] == 60
    assert limits["cnn-default"] == 420 and limits["mnist-5min"] == 300


@pytest.fixture
def ticking_selection(monkeypatch):
    """Three MLPs whose fits take 10 s of the fake clock (2 epochs of 5 s), 1 seed each."""

    def candidates():
        def mlp(units):
            return MLPNetClassifier(
                hidden_layer_sizes=(units,), max_epochs=2, callbacks=[("tick", Tick(5))]
            )

        return [("A", mlp(8)), ("B", mlp(16)), ("C", mlp(32))]

    monkeypatch.setitem(SELECTIONS, "ticking", Selection("test", candidates, None, 1, 1, "mnist"))
    sample = load_mnist_sample()
    return sample.data[:350], sample.target[:350], sample.data[350:450], sample.target[350:450]


def _ticking(data, budget):
    return run_selection(
        "ticking", *data, holdout=100, device="cpu", budget=Budget(budget), warm_up=False
    )


def test_a_selection_cut_by_the_budget_chooses_among_the_candidates_that_ran(
    fake_time, ticking_selection
):
    # 250 of 350 images train a hold-out fit, so a final fit takes 1.4 times one: 14 s.
    # A ends at 10 s and B at 20 s, each leaving 14 s free; C, stopped after its first epoch
    # at 25 s, could not (it would end at 30 s); the final fit ends at 35 s.
    with pytest.warns(FitFailedWarning, match=r"(?s)stopped after 1 of 2 epochs"):
        result = _ticking(ticking_selection, 40)
    rows = {row["config"]: row for row in result["holdout"]}
    assert rows["A"]["complete"] and rows["B"]["complete"] and not rows["C"]["complete"]
    assert np.isnan(rows["C"]["accuracy"])
    assert result["chosen"] in ("A", "B") and result["accuracy_mean"] is not None
    assert fake_time.now == 1035.0
    text = selection.to_markdown(result, "Title.")
    assert "| C | – | – | – | no score at some seed: it raised, or the budget ran out |" in text
    assert "scored on the test set at 1 of 1 seed(s)" in text


def test_a_choice_the_budget_leaves_no_time_to_fit_has_no_test_score(fake_time, ticking_selection):
    # A ends at 10 s; B and C are stopped at 15 s and 20 s; A's final fit, begun at 20 s,
    # is stopped at 25 s, as it would end at 30 s
    with pytest.warns(FitFailedWarning, match="2 fits failed"):
        result = _ticking(ticking_selection, 28)
    assert result["chosen"] == "A" and result["accuracy_mean"] is None
    assert result["final"] == []
    assert result["stopped"].startswith("random_state 0 not fitted: stopped after 1 of 2 ep")
    text = selection.to_markdown(result, "Title.")
    assert "The chosen configuration has no test score: random_state 0 not fitted: " in text


def test_a_selection_with_no_time_at_all_fails_saying_so(fake_time, ticking_selection):
    with pytest.raises(ValueError, match=r"(?s)All the 3 fits failed.*not started: no time left"):
        _ticking(ticking_selection, 0)
