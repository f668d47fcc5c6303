"""Choosing a recipe on the training set only, then scoring the choice once on the test set.

A selection is a list of candidate configurations and a rule fixed before
anything runs. :func:`run_selection` fits every candidate on the first
``n - holdout`` training images and scores it on the last ``holdout`` (10,000
by default), at one or more seeds; the rule picks one candidate from those
hold-out scores alone; only then is the chosen configuration fitted on the
whole training set, at its final seeds, and scored on the test set. The test
set never takes part in the choice (the candidates themselves were written
with earlier results in mind, some of them on test sets, as any list of
candidates is).

Selections
----------
- ``fast``: :func:`~skmnist.benchmarks.suites.fast_recipe` and variants with
  larger batches and more epochs (on a GPU an epoch costs what launching its
  batches' kernels costs, so fewer, larger batches can be faster); the rule
  takes the one with the shortest median fit among those whose mean hold-out
  accuracy reaches 99.0%, and the final fits use 5 seeds.
- ``fashion``: the CNN as in the ``fashion`` suite, then one-cycle AdamW runs
  with left-right flips, with flips and shifts
  (:func:`~skmnist.benchmarks.suites.fashion_recipe`), and VGG-style blocks
  of twice the width with flips, with and without random erasing; the rule
  takes the most accurate on the hold-out, and the final fit uses 1 seed.
  Meant for Fashion-MNIST.

The GPU check runs them (``.ci/gpu-check --steps select --selection fast``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import clone

from skmnist import CNNClassifier
from skmnist.benchmarks.suites import (
    _warm_up,
    fashion_recipe,
    fast_recipe,
    fit_and_score,
    summarize,
)


class Selection(NamedTuple):
    """Candidates and the rule that chooses among them, fixed before the run.

    Parameters
    ----------
    description : str
        One line on what is chosen.
    candidates : callable
        Returns ``[(name, estimator), ...]``, each set up for the full
        training set.
    target : float or None
        With a target, the rule takes the candidate with the shortest median
        fit among those whose mean hold-out accuracy reaches it (the most
        accurate when none does); without one, the most accurate.
    seeds : int
        Seeds of each candidate's hold-out fits (0, 1, ...).
    final_seeds : int
        Seeds of the chosen configuration's fits on the whole training set.
    dataset : str
        What it is meant for: "mnist" or "fashion-mnist".
    """

    description: str
    candidates: Callable[[], list]
    target: float | None
    seeds: int
    final_seeds: int
    dataset: str


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
    ]


def _fashion_candidates():
    wide = dict(channels=(64, 128, 256), convs_per_block=2, dropout=0.3)
    return [
        ("CNN, 15 epochs", CNNClassifier(max_epochs=15)),
        ("CNN, flips, 30 epochs", fashion_recipe().set_params(augment={"hflip": 0.5})),
        ("fashion_recipe (flips and shifts, 30 epochs)", fashion_recipe()),
        ("wide VGG, flips, 30 epochs", fashion_recipe().set_params(augment={"hflip": 0.5}, **wide)),
        (
            "wide VGG, flips and erasing, 30 epochs",
            fashion_recipe().set_params(augment={"hflip": 0.5, "erase": 0.5}, **wide),
        ),
    ]


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
}


def choose(summary: pd.DataFrame, selection: Selection) -> str:
    """The configuration ``selection``'s rule takes from hold-out scores.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per candidate, with ``config``, ``accuracy`` (the mean over
        its seeds) and ``fit_seconds`` (the median).
    selection : Selection
        Whose rule to apply.

    Returns
    -------
    config : str
        The chosen candidate's name.
    """
    if selection.target is not None:
        reaching = summary[summary["accuracy"] >= selection.target]
        if len(reaching):
            return str(reaching.sort_values("fit_seconds", kind="stable")["config"].iloc[0])
    return str(summary.sort_values("accuracy", ascending=False, kind="stable")["config"].iloc[0])


_SCORES = ("accuracy", "macro_f1", "fit_seconds", "predict_images_per_s", "n_params", "epochs")


def _fits(configs, seeds, X, y, X_score, y_score, device, max_epochs, on_result, stage):
    rows = []
    for config, estimator in configs:
        estimator = clone(estimator).set_params(device=device, verbose=0)
        if max_epochs is not None:
            estimator.set_params(max_epochs=max_epochs)
        try:
            _warm_up(estimator, X, y)
            failure = None
        except Exception as exc:
            failure = exc
        for seed in range(seeds):
            try:
                if failure is not None:
                    raise failure
                scores, _ = fit_and_score(
                    clone(estimator).set_params(random_state=seed), X, y, X_score, y_score
                )
            except Exception as exc:  # a candidate that fails (diverges, ...) is not chosen
                scores = {key: float("nan") for key in _SCORES}
                scores["error"] = f"{type(exc).__name__}: {exc}"
            row = {"stage": stage, "config": config, "seed": seed, **scores}
            rows.append(row)
            if on_result is not None:
                on_result(row)
    return rows


def run_selection(
    name: str,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    holdout: int = 10_000,
    device: str = "auto",
    max_epochs: int | None = None,
    on_result: Callable[[dict], None] | None = None,
) -> dict:
    """Choose a configuration of selection ``name`` on a hold-out, then score it on the test set.

    Parameters
    ----------
    name : str
        One of ``SELECTIONS``: "fast" or "fashion".
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
        Epochs for every fit, overriding each configuration's own (for a
        quick run); None keeps them.
    on_result : callable, default=None
        Called with each fit's row (a dict) as it ends.

    Returns
    -------
    result : dict
        ``rows`` (every fit: ``stage`` "holdout" or "test", ``config``,
        ``seed``, ``accuracy``, ``fit_seconds``, ...; a fit that raised has
        NaN scores and its ``error``), ``holdout`` (the candidates' mean and
        minimum hold-out accuracy and median fit), ``chosen``, ``target``,
        ``target_reached``, and the chosen configuration's test
        ``accuracy_mean``, ``accuracy_min``, ``fit_seconds_median`` and
        ``params`` (its repr).

    Raises
    ------
    ValueError
        For an unknown selection, or a hold-out that leaves no training
        image (or holds none out).
    """
    if name not in SELECTIONS:
        raise ValueError(f"no selection {name!r}; the selections are {sorted(SELECTIONS)}.")
    selection = SELECTIONS[name]
    X_train, y_train = _as_array(X_train), np.asarray(y_train)
    if not 0 < holdout < len(y_train):
        raise ValueError(
            f"holdout must be between 1 and the {len(y_train)} training images; got {holdout}."
        )
    cut = len(y_train) - holdout
    fit = (X_train[:cut], y_train[:cut], X_train[cut:], y_train[cut:])
    rows = _fits(
        selection.candidates(), selection.seeds, *fit, device, max_epochs, on_result, "holdout"
    )
    holdout_summary = summarize(pd.DataFrame(rows))
    chosen = choose(holdout_summary, selection)
    reached = selection.target is None or bool(
        (holdout_summary["accuracy"] >= selection.target).any()
    )
    configs = dict(selection.candidates())
    final = _fits(
        [(chosen, configs[chosen])],
        selection.final_seeds,
        X_train,
        y_train,
        X_test,
        y_test,
        device,
        max_epochs,
        on_result,
        "test",
    )
    scores = pd.DataFrame(final)
    params = clone(configs[chosen])
    if max_epochs is not None:
        params.set_params(max_epochs=max_epochs)
    return {
        "selection": name,
        "target": selection.target,
        "holdout_size": holdout,
        "target_reached": reached,
        "max_epochs": max_epochs,
        "rows": rows + final,
        "holdout": holdout_summary,
        "chosen": chosen,
        "accuracy_mean": float(scores["accuracy"].mean()),
        "accuracy_min": float(scores["accuracy"].min()),
        "fit_seconds_median": float(scores["fit_seconds"].median()),
        "params": " ".join(repr(params).split()),
    }


def _as_array(X):
    return X.to_numpy() if hasattr(X, "to_numpy") else np.asarray(X)


def selection_markdown(result: dict, title: str) -> str:
    """The hold-out table, the rule's choice and its test scores, as Markdown.

    Parameters
    ----------
    result : dict
        What :func:`run_selection` returned.
    title : str
        A paragraph put first (data, device, versions, command).

    Returns
    -------
    text : str
        The Markdown.
    """
    selection = SELECTIONS[result["selection"]]
    summary = result["holdout"]
    lines = [
        title,
        "",
        f"Each candidate was fitted on all but the last {result['holdout_size']:,} training "
        f"images at {selection.seeds} seed(s) and scored on those {result['holdout_size']:,}; "
        f"the rule, fixed before the run: {selection.description}."
        + (
            ""
            if result["target_reached"]
            else f" No candidate reached {selection.target:.1%}, so the most accurate was taken."
        )
        + (
            f" Every fit was cut to {result['max_epochs']} epoch(s) (a quick run): the names "
            "give the epochs of a full run."
            if result["max_epochs"] is not None
            else ""
        ),
        "",
        "| candidate | hold-out accuracy (mean) | (min) | fit (s, median) | chosen |",
        "|---|---:|---:|---:|---|",
    ]
    for row in summary.itertuples():
        mark = "**chosen**" if row.config == result["chosen"] else ""
        lines.append(
            f"| {row.config} | {row.accuracy:.2%} | {row.accuracy_min:.2%} | "
            f"{row.fit_seconds:.2f} | {mark} |"
        )
    lines += [
        "",
        f"The chosen configuration on the whole training set, scored on the test set at "
        f"{selection.final_seeds} seed(s): **{result['accuracy_mean']:.2%}** mean test accuracy "
        f"(min {result['accuracy_min']:.2%}), fit {result['fit_seconds_median']:.2f} s (median).",
        "",
        f"`{result['params']}`",
    ]
    return "\n".join(lines) + "\n"
