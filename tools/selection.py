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
  batches' kernels costs, so fewer, larger batches can be faster), two of
  them also with ``step_mode="graph"`` (the same training, fewer launches on
  a GPU); the rule
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

from .deadline import Deadline, OutOfTime


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
        # the same training, its step replayed from a CUDA graph ("fused" off CUDA)
        ("fast_recipe, graph step", fast_recipe().set_params(step_mode="graph")),
        ("batch 512, 2 epochs, graph step", variant(512, 2).set_params(step_mode="graph")),
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


def _unscored(stage, config, seed, **reason):
    return {
        "stage": stage,
        "config": config,
        "seed": seed,
        **dict.fromkeys(_SCORES, np.nan),
        **reason,
    }


class _Fitter:
    """Fits configurations at seeds against the deadline, reporting each row as it ends."""

    def __init__(
        self, X, y, X_score, y_score, device, max_epochs, on_result, stage, deadline, warm_up
    ):
        self.data = (X, y, X_score, y_score)
        self.device, self.max_epochs, self.warm_up = device, max_epochs, warm_up
        self.on_result, self.stage, self.deadline = on_result, stage, deadline
        self.rows: list[dict] = []
        self.stopped: str | None = None  # why fits were left out for lack of time

    def _add(self, row):
        self.rows.append(row)
        if self.on_result is not None:
            self.on_result(row)

    def run(self, config, estimator, seeds, *, needs=0.0, reserve=0.0, reserve_ratio=0.0):
        """Fit ``config`` at ``seeds``; False once the deadline stopped or skipped a fit.

        A fit starts only with more than ``needs`` (an estimate of its own
        time, 0 when unknown) plus ``reserve`` seconds left, and is stopped as
        soon as it cannot end leaving ``max(reserve, reserve_ratio * its
        time)`` free (:class:`~tools.deadline.FinishBy`).
        """
        estimator = clone(estimator).set_params(device=self.device, verbose=0)
        if self.max_epochs is not None:
            estimator.set_params(max_epochs=self.max_epochs)
        failure = None
        try:
            if self.warm_up:
                _warm_up(estimator, *self.data[:2])
        except Exception as exc:
            failure = exc
        for seed in seeds:
            left = self.deadline.left()
            if failure is None and left <= needs + reserve:
                self.stopped = (
                    f"{config} at seed {seed} not started: {max(left, 0):.0f} s left before the "
                    f"deadline, it needs about {needs:.0f} s and {reserve:.0f} s must stay free"
                )
                for rest in seeds[seeds.index(seed) :]:
                    self._add(_unscored(self.stage, config, rest, skipped=self.stopped))
                return False
            try:
                if failure is not None:
                    raise failure
                fitted = self.deadline.bound(
                    clone(estimator).set_params(random_state=seed),
                    reserve=reserve,
                    reserve_ratio=reserve_ratio,
                )
                scores, _ = fit_and_score(fitted, *self.data)
                row = {"stage": self.stage, "config": config, "seed": seed, **scores}
            except OutOfTime as exc:
                self.stopped = f"{config} at seed {seed} {exc}"
                self._add(_unscored(self.stage, config, seed, stopped=self.stopped))
                for rest in seeds[seeds.index(seed) + 1 :]:
                    self._add(_unscored(self.stage, config, rest, skipped=self.stopped))
                return False
            except Exception as exc:  # a candidate that fails (diverges, ...) is not chosen
                row = _unscored(self.stage, config, seed, error=f"{type(exc).__name__}: {exc}")
            self._add(row)
            needs = max(needs, row["fit_seconds"]) if np.isfinite(row["fit_seconds"]) else needs
        return True


def _timed_out(rows):
    return {row["config"] for row in rows if "stopped" in row or "skipped" in row}


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
    deadline: Deadline | None = None,
    warm_up: bool = True,
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
    deadline : tools.deadline.Deadline, default=None
        When to be done. The candidates run in their order while the time
        left allows each fit and, kept free, the final fits of the candidate
        the rule would take so far (its hold-out fit time times the final
        seeds and the ratio of the whole training set to the fitted part); a
        fit that can no longer end so is stopped after an epoch. The first
        candidate stopped or left out for lack of time ends the hold-out
        stage; only candidates whose every hold-out fit ran can be chosen.
        The final fits then run while there is time for them. None: no
        deadline.
    warm_up : bool, default=True
        Train a copy of each configuration on a few images before timing
        its fits (compiled kernels, allocations); False for a quick run,
        whose times mean nothing.

    Returns
    -------
    result : dict
        ``rows`` (every fit: ``stage`` "holdout" or "test", ``config``,
        ``seed``, ``accuracy``, ``fit_seconds``, ...; a fit that raised has
        NaN scores and its ``error``, one stopped by the deadline its
        ``stopped`` reason, one not started for lack of time its
        ``skipped`` reason), ``holdout`` (the candidates' mean and
        minimum hold-out accuracy and median fit), ``chosen`` (None when no
        candidate could be), ``target``, ``target_reached``, ``stopped``
        (why fits were left out for lack of time, else None), and the
        chosen configuration's test ``accuracy_mean``, ``accuracy_min``,
        ``fit_seconds_median`` (None when no final fit ended), ``final_fits``
        (how many ended) and ``params`` (its repr).

    Raises
    ------
    ValueError
        For an unknown selection, or a hold-out that leaves no training
        image (or holds none out).
    """
    if name not in SELECTIONS:
        raise ValueError(f"no selection {name!r}; the selections are {sorted(SELECTIONS)}.")
    selection = SELECTIONS[name]
    deadline = deadline if deadline is not None else Deadline(None)
    X_train, y_train = _as_array(X_train), np.asarray(y_train)
    if not 0 < holdout < len(y_train):
        raise ValueError(
            f"holdout must be between 1 and the {len(y_train)} training images; got {holdout}."
        )
    cut = len(y_train) - holdout
    # a fit on the whole training set takes about this many times a hold-out fit, per final seed
    final_ratio = len(y_train) / cut * selection.final_seeds
    stage = _Fitter(
        X_train[:cut],
        y_train[:cut],
        X_train[cut:],
        y_train[cut:],
        device,
        max_epochs,
        on_result,
        "holdout",
        deadline,
        warm_up,
    )
    reserve = 0.0  # the final fits of the candidate the rule takes so far
    for config, estimator in selection.candidates():
        if not stage.run(
            config,
            estimator,
            list(range(selection.seeds)),
            reserve=reserve,
            reserve_ratio=final_ratio,
        ):
            break
        chosen, summary = _choose(stage.rows, selection)
        if chosen is not None:
            reserve = final_ratio * float(summary.set_index("config").loc[chosen, "fit_seconds"])
    chosen, holdout_summary = _choose(stage.rows, selection)
    eligible = holdout_summary[holdout_summary["config"].isin(_eligible(stage.rows))]
    reached = selection.target is None or bool((eligible["accuracy"] >= selection.target).any())
    configs = dict(selection.candidates())
    final = _Fitter(
        X_train, y_train, X_test, y_test, device, max_epochs, on_result, "test", deadline, warm_up
    )
    if chosen is not None:
        seconds = float(holdout_summary.set_index("config").loc[chosen, "fit_seconds"])
        final.run(
            chosen,
            configs[chosen],
            list(range(selection.final_seeds)),
            needs=seconds * len(y_train) / cut,
        )
    done = pd.DataFrame([row for row in final.rows if np.isfinite(row["accuracy"])])
    params = None
    if chosen is not None:
        params = clone(configs[chosen])
        if max_epochs is not None:
            params.set_params(max_epochs=max_epochs)
    return {
        "selection": name,
        "target": selection.target,
        "holdout_size": holdout,
        "target_reached": reached,
        "max_epochs": max_epochs,
        "rows": stage.rows + final.rows,
        "holdout": holdout_summary,
        "chosen": chosen,
        "stopped": stage.stopped or final.stopped,
        "final_fits": len(done),
        "accuracy_mean": float(done["accuracy"].mean()) if len(done) else None,
        "accuracy_min": float(done["accuracy"].min()) if len(done) else None,
        "fit_seconds_median": float(done["fit_seconds"].median()) if len(done) else None,
        "params": None if params is None else " ".join(repr(params).split()),
    }


def _eligible(rows):
    """The candidates that can be chosen: every hold-out fit ran, and one scored."""
    timed_out = _timed_out(rows)
    return [
        config
        for config in dict.fromkeys(row["config"] for row in rows)
        if config not in timed_out
        and any(np.isfinite(r["accuracy"]) for r in rows if r["config"] == config)
    ]


def _choose(rows, selection):
    """The candidate the rule takes among the eligible (None if none is), and the summary."""
    summary = summarize(pd.DataFrame(rows, columns=None if rows else ["config", *_SCORES]))
    eligible = summary[summary["config"].isin(_eligible(rows))]
    return (choose(eligible, selection) if len(eligible) else None), summary


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
    chosen = result["chosen"]
    holdout_rows = [row for row in result["rows"] if row["stage"] == "holdout"]
    lines = [
        title,
        "",
        f"Each candidate was fitted on all but the last {result['holdout_size']:,} training "
        f"images at {selection.seeds} seed(s) and scored on those {result['holdout_size']:,}; "
        f"the rule, fixed before the run: {selection.description}."
        + (
            ""
            if result["target_reached"] or chosen is None
            else f" No candidate reached {selection.target:.1%}, so the most accurate was taken."
        )
        + (
            f" Every fit was cut to {result['max_epochs']} epoch(s) (a quick run): the names "
            "give the epochs of a full run."
            if result["max_epochs"] is not None
            else ""
        )
        + (f" The deadline left fits out: {result['stopped']}." if result.get("stopped") else ""),
        "",
        "| candidate | hold-out accuracy (mean) | (min) | fit (s, median) | chosen |",
        "|---|---:|---:|---:|---|",
    ]
    for row in summary.itertuples():
        lines.append(
            f"| {row.config} | {_percent(row.accuracy)} | {_percent(row.accuracy_min)} | "
            f"{_number(row.fit_seconds)} | {_mark(row.config, chosen, holdout_rows)} |"
        )
    for config, _ in selection.candidates():
        if config not in set(summary["config"]):
            lines.append(f"| {config} | | | | not started (deadline) |")
    lines.append("")
    if chosen is None:
        lines.append(
            "No candidate could be chosen, so nothing was fitted on the whole training set."
        )
    elif not result["final_fits"]:
        lines.append(
            f"The chosen configuration was not fitted on the whole training set before the "
            f"deadline: no test score.\n\n`{result['params']}`"
        )
    else:
        lines += [
            f"The chosen configuration on the whole training set, scored on the test set at "
            f"{result['final_fits']} of {selection.final_seeds} "
            f"seed(s): **{result['accuracy_mean']:.2%}** mean test accuracy (min "
            f"{result['accuracy_min']:.2%}), fit {result['fit_seconds_median']:.2f} s (median).",
            "",
            f"`{result['params']}`",
        ]
    return "\n".join(lines) + "\n"


def _percent(value):
    return f"{value:.2%}" if np.isfinite(value) else "–"


def _number(value):
    return f"{value:.2f}" if np.isfinite(value) else "–"


def _mark(config, chosen, rows):
    """The last column: chosen, or why a candidate has no score."""
    if config == chosen:
        return "**chosen**"
    own = [row for row in rows if row["config"] == config]
    if any("stopped" in row for row in own):
        return "stopped by the deadline"
    if any("skipped" in row for row in own):
        return "not started (deadline)" if all("skipped" in r for r in own) else "cut (deadline)"
    if own and all("error" in row for row in own):
        return "failed"
    return ""
