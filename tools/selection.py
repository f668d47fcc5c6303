"""Choosing a recipe on the training set only, then scoring the choice once on the test set.

A selection is a list of candidate configurations and a rule fixed before
anything runs. :func:`run_selection` searches the candidates with
scikit-learn's :class:`~sklearn.model_selection.GridSearchCV` over a
:class:`~sklearn.model_selection.PredefinedSplit`: each candidate, at each of
its seeds, is fitted on the first ``n - holdout`` training images and scored
on the last ``holdout`` (10,000 by default). The rule picks one candidate from
those hold-out scores alone; only then is the chosen configuration fitted on
the whole training set, at its final seeds, and scored on the test set. The
test set never takes part in the choice (the candidates themselves were
written with earlier results in mind, some of them on test sets, as any list
of candidates is).

Selections
----------
- ``fast``: :func:`~skmnist.benchmarks.suites.fast_recipe` and variants with
  larger batches and more epochs (on a GPU an epoch costs what launching its
  batches' kernels costs, so fewer, larger batches can be faster), two of
  them also with ``step_mode="graph"`` (the same training, fewer launches on
  a GPU); the rule takes the one with the shortest median fit among those
  whose mean hold-out accuracy reaches 99.0%, and the final fits use 5 seeds.
- ``fashion``: the CNN as in the ``fashion`` suite, then one-cycle AdamW runs
  with left-right flips, with flips and shifts
  (:func:`~skmnist.benchmarks.suites.fashion_recipe`), and VGG-style blocks
  of twice the width with flips, with and without random erasing; the rule
  takes the most accurate on the hold-out, and the final fit uses 1 seed.
  Meant for Fashion-MNIST.
- ``mlp-default``, ``lenet-default``, ``cnn-default``: the estimators'
  training defaults; ``mnist-1min``, ``mnist-5min``, ``fashion-10s``,
  ``fashion-1min``, ``fashion-5min``: the recipes of the ``minutes`` suites.
  The rule takes the most accurate whose fit on all the training images
  would stay within a time limit; the suites score the choice on the test
  set.

The GPU check runs them, on a GPU or on the CPU: ``python -m tools.gpu_check
--device cpu --steps select --selection mnist-1min --out DIR``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from sklearn.pipeline import Pipeline

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from skmnist.benchmarks._tables import markdown_table
from skmnist.benchmarks.suites import (
    _warm_up,
    fashion_recipe,
    fast_recipe,
    five_minute_recipe,
    half_hour_recipe,
    minute_recipe,
)

from .budget import Budget, fit_seeds


class Selection(NamedTuple):
    """Candidates and the rule that chooses among them, fixed before the run.

    ``candidates()`` returns ``[(name, estimator), ...]``, each set up for the
    whole training set. With a ``target``, the rule takes the candidate with
    the shortest median fit among those whose mean hold-out accuracy reaches
    it (the most accurate when none does); without one, the most accurate.
    With a ``time_limit`` (seconds), only the candidates whose fit on the whole
    training set would take at most that long (their median hold-out fit,
    scaled by the training images) take part. Each candidate is fitted at
    ``seeds`` seeds (0, 1, ...), the chosen one at ``final_seeds`` (0: its
    test scores come from a suite, as the ``minutes`` suite's do);
    ``dataset`` is what it is meant for, "mnist" or "fashion-mnist".
    """

    description: str
    candidates: Callable[[], list]
    target: float | None
    seeds: int
    final_seeds: int
    dataset: str
    time_limit: float | None = None


def _fast_candidates():
    def variant(batch_size, max_epochs, lr=1e-2):
        return fast_recipe(max_epochs=max_epochs).set_params(batch_size=batch_size, lr=lr)

    return [
        ("fast_recipe (batch 256, 2 epochs)", fast_recipe()),
        ("batch 512, 2 epochs", variant(512, 2)),
        ("batch 512, 3 epochs", variant(512, 3)),
        ("batch 1024, 3 epochs, lr 2e-2", variant(1024, 3, lr=2e-2)),
        ("batch 1024, 4 epochs, lr 2e-2", variant(1024, 4, lr=2e-2)),
        ("batch 2048, 6 epochs, lr 3e-2", variant(2048, 6, lr=3e-2)),
        # the same training, its step replayed from a CUDA graph ("fused" off CUDA)
        ("fast_recipe, graph step", fast_recipe().set_params(step_mode="graph")),
        ("batch 512, 2 epochs, graph step", variant(512, 2).set_params(step_mode="graph")),
    ]


def _fashion_candidates():
    wide = dict(channels=(64, 128, 256), convs_per_block=2, dropout=0.3)
    return [
        (
            "CNN, 15 epochs",
            CNNClassifier(
                max_epochs=15, optimizer="adam", lr=1e-3, weight_decay=0.0, lr_schedule=None
            ),
        ),
        ("CNN, flips, 30 epochs", fashion_recipe().set_params(augment={"hflip": 0.5})),
        ("fashion_recipe (flips and shifts, 30 epochs)", fashion_recipe()),
        ("wide VGG, flips, 30 epochs", fashion_recipe().set_params(augment={"hflip": 0.5}, **wide)),
        (
            "wide VGG, flips and erasing, 30 epochs",
            fashion_recipe().set_params(augment={"hflip": 0.5, "erase": 0.5}, **wide),
        ),
    ]


def _one_cycle(estimator, lr, **params):
    return estimator.set_params(lr=lr, lr_schedule="onecycle", **params)


def _mlp_default_candidates():
    return [
        ("Adam, lr 1e-3", MLPNetClassifier(lr=1e-3, lr_schedule=None)),
        ("one-cycle, lr 3e-3", _one_cycle(MLPNetClassifier(), 3e-3)),
        ("one-cycle, lr 1e-2", _one_cycle(MLPNetClassifier(), 1e-2)),
        (
            "AdamW, weight decay 1e-2, one-cycle, lr 1e-2",
            _one_cycle(MLPNetClassifier(), 1e-2, optimizer="adamw", weight_decay=1e-2),
        ),
    ]


def _lenet_default_candidates():
    relu_max = dict(activation="relu", pooling="max")
    tanh_avg = LeNet5Classifier(activation="tanh", pooling="avg")
    return [
        (
            "tanh, average pooling, Adam, lr 1e-3",
            clone(tanh_avg).set_params(lr=1e-3, lr_schedule=None),
        ),
        ("tanh, average pooling, one-cycle, lr 3e-3", _one_cycle(clone(tanh_avg), 3e-3)),
        ("ReLU, max pooling, one-cycle, lr 3e-3", _one_cycle(LeNet5Classifier(), 3e-3, **relu_max)),
        ("ReLU, max pooling, one-cycle, lr 1e-2", _one_cycle(LeNet5Classifier(), 1e-2, **relu_max)),
    ]


def _cnn_default_candidates():
    return [("AdamW, weight decay 1e-4, one-cycle, lr 3e-3", CNNClassifier())]


def _minute_candidates():
    return [
        (f"fast_recipe({epochs})", fast_recipe(max_epochs=epochs)) for epochs in (8, 10, 12)
    ] + [("fast_recipe(10), affine", fast_recipe(max_epochs=10).set_params(augment="affine"))]


def _fashion_minute_candidates():
    return [(f"fast_recipe({epochs})", fast_recipe(max_epochs=epochs)) for epochs in (8, 12)] + [
        ("fast_recipe(12), flips", fast_recipe(max_epochs=12).set_params(augment={"hflip": 0.5}))
    ]


def _fashion_seconds_candidates():
    return [
        ("fast_recipe(1)", fast_recipe(max_epochs=1)),
        ("fast_recipe()", fast_recipe()),
        ("fast_recipe(), batch 512", fast_recipe().set_params(batch_size=512)),
    ]


def _five_minute_candidates():
    return [
        ("CNN, AdamW, one-cycle, 5 epochs", five_minute_recipe()),
        (
            "CNN, AdamW, one-cycle, 5 epochs, affine",
            five_minute_recipe().set_params(augment="affine"),
        ),
    ]


def _fashion_five_minute_candidates():
    fashion = half_hour_recipe("fashion-mnist").set_params(max_epochs=5, augment=None)
    flips = {"hflip": 0.5}
    small = dict(channels=(16, 32, 64), max_epochs=12)
    return [
        ("CNN, AdamW (5e-4), one-cycle, 5 epochs", fashion),
        ("CNN, AdamW (5e-4), one-cycle, 5 epochs, flips", clone(fashion).set_params(augment=flips)),
        ("CNN 16/32/64, 12 epochs", clone(fashion).set_params(**small)),
        ("CNN 16/32/64, 12 epochs, flips", clone(fashion).set_params(augment=flips, **small)),
        ("fast_recipe(35), flips", fast_recipe(max_epochs=35).set_params(augment=flips)),
        # the 1-minute recipe fits in five minutes too; and LeNet-5 trained longer, regularized
        ('minute_recipe("fashion-mnist")', minute_recipe("fashion-mnist")),
        ("fast_recipe(20), dropout 0.3", fast_recipe(max_epochs=20).set_params(fc_dropout=0.3)),
        (
            "fast_recipe(20), dropout 0.3, flips",
            fast_recipe(max_epochs=20).set_params(fc_dropout=0.3, augment=flips),
        ),
    ]


def _within(seconds):
    return Selection(
        description=f"the most accurate on the hold-out in at most {seconds:g} s",
        candidates=None,  # type: ignore[arg-type]
        target=None,
        seeds=1,
        final_seeds=0,
        dataset="mnist",
        time_limit=seconds,
    )


#: The selections by name.
SELECTIONS = {
    "fast": Selection(
        description="the shortest median fit among those at 99.0% or more on the hold-out",
        candidates=_fast_candidates,
        target=0.99,
        seeds=2,
        final_seeds=5,
        dataset="mnist",
    ),
    "fashion": Selection(
        description="the most accurate on the hold-out",
        candidates=_fashion_candidates,
        target=None,
        seeds=1,
        final_seeds=1,
        dataset="fashion-mnist",
    ),
    # the estimators' defaults and the recipes of the minutes suite, on a 2-core CPU
    "mlp-default": _within(10)._replace(candidates=_mlp_default_candidates, seeds=2),
    "lenet-default": _within(60)._replace(candidates=_lenet_default_candidates),
    "cnn-default": _within(420)._replace(candidates=_cnn_default_candidates),
    "mnist-1min": _within(60)._replace(candidates=_minute_candidates),
    "mnist-5min": _within(300)._replace(candidates=_five_minute_candidates),
    "fashion-10s": _within(10)._replace(
        candidates=_fashion_seconds_candidates, seeds=2, dataset="fashion-mnist"
    ),
    "fashion-1min": _within(60)._replace(
        candidates=_fashion_minute_candidates, dataset="fashion-mnist"
    ),
    "fashion-5min": _within(300)._replace(
        candidates=_fashion_five_minute_candidates, dataset="fashion-mnist"
    ),
}


def choose(summary: pd.DataFrame, selection: Selection) -> str:
    """The ``config`` that ``selection``'s rule takes from ``summary``'s hold-out scores.

    ``summary`` has one row per candidate: its ``config``, ``accuracy`` (the
    mean over its seeds) and ``fit_seconds`` (the median).
    """
    if selection.target is not None:
        reaching = summary[summary["accuracy"] >= selection.target]
        if len(reaching):
            return str(reaching.sort_values("fit_seconds", kind="stable")["config"].iloc[0])
    return str(summary.sort_values("accuracy", ascending=False, kind="stable")["config"].iloc[0])


def run_selection(
    name,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    holdout=10_000,
    device="auto",
    max_epochs=None,
    budget=None,
    warm_up=True,
) -> dict:
    """Choose a configuration of selection ``name`` on a hold-out, then score it on the test set.

    Parameters
    ----------
    name : {"fast", "fashion"}
        The selection, in ``SELECTIONS``.
    X_train, y_train : array-like
        The training set: its last ``holdout`` images score the candidates,
        the others train them; the chosen one trains on all of it.
    X_test, y_test : array-like
        Used once, to score the chosen configuration's final fits.
    holdout : int, default=10_000
        Training images held out to score the candidates.
    device : str, default="auto"
        Where to train.
    max_epochs : int, default=None
        Epochs for every fit, instead of each configuration's own (a quick run).
    budget : tools.budget.Budget, default=None
        The time allowed (None: no limit). A hold-out fit stops as soon as
        it could no longer end leaving time for its configuration's final
        fits, and has then no score; the final fits run as
        :func:`~tools.budget.fit_seeds` runs them.
    warm_up : bool, default=True
        Train a copy of each configuration on a few images before the timed
        fits (compiled kernels, allocations).

    Returns
    -------
    result : dict
        ``holdout``: per candidate, its ``config``, mean and minimum hold-out
        ``accuracy`` and ``accuracy_min``, median ``fit_seconds``, and
        ``complete`` (every seed scored: a fit that raised, or was stopped
        by the budget, has no score); ``chosen`` (None when no candidate is
        complete) and ``target_reached``; ``final``: the scores of each
        final fit, at ``random_state`` 0, 1, ..., and ``stopped``, why the
        others were not made; their test ``accuracy_mean``,
        ``accuracy_min`` and ``fit_seconds_median`` (None without any);
        ``params``, the chosen estimator's repr; and the settings.

    Raises
    ------
    ValueError
        For an unknown selection, a hold-out that leaves no training image
        (or holds none out), or when every hold-out fit raised.
    """
    if name not in SELECTIONS:
        raise ValueError(f"no selection {name!r}; the selections are {sorted(SELECTIONS)}.")
    selection = SELECTIONS[name]
    budget = budget if budget is not None else Budget()
    X_train = X_train.to_numpy() if hasattr(X_train, "to_numpy") else np.asarray(X_train)
    y_train = np.asarray(y_train)
    if not 0 < holdout < len(y_train):
        raise ValueError(
            f"holdout must be between 1 and the {len(y_train)} training images; got {holdout}."
        )
    cut = len(y_train) - holdout
    settings = {
        "device": device,
        "verbose": 0,
        **({"max_epochs": max_epochs} if max_epochs else {}),
    }
    candidates = {
        config: clone(estimator).set_params(**settings)
        for config, estimator in selection.candidates()
    }
    for estimator in candidates.values() if warm_up else ():
        with contextlib.suppress(Exception):  # a candidate that fails, fails in the search
            _warm_up(estimator, X_train, y_train)

    # A final fit takes about len(y_train) / cut times a hold-out fit, at each final seed.
    reserve_ratio = len(y_train) / cut * selection.final_seeds
    bound = {config: budget.bound(clone(est), reserve_ratio) for config, est in candidates.items()}
    # No refit: the rule weighs every seed of a candidate, and the chosen one is fitted
    # below at each final seed, each only if the budget allows it.
    search = GridSearchCV(
        Pipeline([("clf", next(iter(bound.values())))]),
        [
            {"clf": [est], "clf__random_state": list(range(selection.seeds))}
            for est in bound.values()
        ],
        cv=PredefinedSplit(np.r_[np.full(cut, -1), np.zeros(holdout)]),
        refit=False,
        error_score=np.nan,
    ).fit(X_train, y_train)
    config_of = {id(estimator): config for config, estimator in bound.items()}
    grouped = pd.DataFrame(
        {
            "config": [config_of[id(params["clf"])] for params in search.cv_results_["params"]],
            "accuracy": search.cv_results_["mean_test_score"],
            "fit_seconds": search.cv_results_["mean_fit_time"],
        }
    ).groupby("config", sort=False)
    summary = pd.DataFrame(
        {
            "accuracy": grouped["accuracy"].mean(),
            "accuracy_min": grouped["accuracy"].min(),
            "fit_seconds": grouped["fit_seconds"].median(),
            "complete": grouped["accuracy"].apply(lambda scores: bool(scores.notna().all())),
        }
    ).reset_index()
    # what a fit on the whole training set would take, from the hold-out fits
    summary["in_time"] = (
        summary["fit_seconds"] * len(y_train) / cut <= selection.time_limit
        if selection.time_limit is not None
        else True
    )
    eligible = summary[summary["complete"] & summary["in_time"]]
    chosen = choose(eligible, selection) if len(eligible) else None

    fits, stopped = [], None
    if chosen is not None:
        needs = eligible.set_index("config").loc[chosen, "fit_seconds"] * len(y_train) / cut
        data = X_train, y_train, X_test, y_test
        seeds = range(selection.final_seeds)
        fits, stopped = fit_seeds(candidates[chosen], seeds, data, budget, needs=float(needs))
    final = pd.DataFrame([{"random_state": seed, **scores} for seed, _, scores in fits])
    return {
        "selection": name,
        "holdout_size": holdout,
        "max_epochs": max_epochs,
        "holdout": summary.to_dict(orient="records"),
        "chosen": chosen,
        "target_reached": selection.target is None
        or bool((eligible["accuracy"] >= selection.target).any()),
        "final": final.to_dict(orient="records"),
        "stopped": stopped,
        "accuracy_mean": final["accuracy"].mean() if fits else None,
        "accuracy_min": final["accuracy"].min() if fits else None,
        "fit_seconds_median": final["fit_seconds"].median() if fits else None,
        "params": None if chosen is None else " ".join(repr(candidates[chosen]).split()),
    }


def to_markdown(result: dict, title: str) -> str:
    """The hold-out table, the rule's choice and its test scores, as Markdown.

    ``result`` is what :func:`run_selection` returned; ``title``, a paragraph
    put first (data, device, versions, command).
    """
    selection = SELECTIONS[result["selection"]]
    chosen, n = result["chosen"], result["holdout_size"]
    about = (
        f"Each candidate was fitted on all but the last {n:,} training images at "
        f"{selection.seeds} seed(s) and scored on those {n:,}; the rule, fixed before the run: "
        f"{selection.description}."
    )
    if selection.time_limit is not None:
        about += (
            f" Only candidates whose fit on all the training images would take at most "
            f"{selection.time_limit:g} s (the hold-out fit's time, scaled by the images) "
            "take part."
        )
    if not result["target_reached"] and chosen is not None:
        about += f" No candidate reached {selection.target:.1%}, so the most accurate was taken."
    if result["max_epochs"] is not None:
        about += (
            f" Every fit was cut to {result['max_epochs']} epoch(s) (a quick run): the names "
            "give the epochs of a full run."
        )
    rows = []
    for row in result["holdout"]:
        if row["complete"]:
            mark = "**chosen**" if row["config"] == chosen else ""
            if not row["in_time"]:
                mark = f"over the {selection.time_limit:g} s limit on all the training images"
            accuracy = [f"{row['accuracy']:.2%}", f"{row['accuracy_min']:.2%}"]
            rows.append([row["config"], *accuracy, f"{row['fit_seconds']:.2f}", mark])
        else:
            mark = "no score at some seed: it raised, or the budget ran out"
            rows.append([row["config"], "–", "–", "–", mark])
    header = ["candidate", "hold-out accuracy (mean)", "(min)", "fit (s, median)", "chosen"]
    text = markdown_table(header, rows, align="lrrrl", title=f"{title}\n\n{about}") + "\n"
    if chosen is None:
        return text + "No candidate has a score at every seed: none was fitted on all the data.\n"
    if not selection.final_seeds:
        text += "The chosen configuration's test scores come from the `minutes` suite."
    elif result["accuracy_mean"] is None:
        text += f"The chosen configuration has no test score: {result['stopped']}."
    else:
        text += (
            f"The chosen configuration on the whole training set, scored on the test set at "
            f"{len(result['final'])} of {selection.final_seeds} seed(s): "
            f"**{result['accuracy_mean']:.2%}** mean test accuracy (min "
            f"{result['accuracy_min']:.2%}), fit {result['fit_seconds_median']:.2f} s (median)."
            + (f" {result['stopped']}." if result["stopped"] else "")
        )
    return text + f"\n\n`{result['params']}`\n"
