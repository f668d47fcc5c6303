"""Default parameters on small data: scikit-learn's ``load_digits``.

The defaults ``batch_size="auto"`` and ``max_epochs="auto"`` choose the
batch size and the epochs from the number of training images (see
:func:`skmnist.estimators.training_budget`). This benchmark trains each
estimator with its default parameters ("defaults") and with fixed integers
(``batch_size=128, max_epochs=10``, "fixed") on scikit-learn's
:func:`~sklearn.datasets.load_digits`, 8x8 images with pixels divided by 16,
the first 1,400 images to train and the other 397 to test, beside
scikit-learn's own ``MLPClassifier()`` (seeded like the others) and
``SVC()``. (On MNIST-sized data the defaults are scored on a hold-out of the
training set by the selections of ``tools/selection.py`` that chose them.)

``--settings batch-128`` adds an alternative to the defaults' choice, to
show what it is measured against: 200 epochs of 128-image batches. Each fit
is timed alone, one after the other. Run it with::

    python -m tools.small_data --seeds 0 1 2 --out docs/benchmarks/small-data
    python -m tools.small_data --estimators mlp lenet5 --settings batch-128 \\
        --no-references --name digits-alternatives --out docs/benchmarks/small-data
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import argparse
import os
import platform
import sys
import warnings
from pathlib import Path

import pandas as pd
import torch

from skmnist import __version__
from skmnist._files import write_text
from skmnist.benchmarks._evaluation import fit_and_score
from skmnist.benchmarks._tables import markdown_table
from skmnist.estimators import ESTIMATORS

#: The settings ``--settings`` takes: the defaults, fixed integers ("fixed"), and an
#: alternative to the defaults' choice: 200 epochs without smaller batches.
SETTINGS = {
    "defaults": {},
    "fixed": {"batch_size": 128, "max_epochs": 10},
    "batch-128": {"batch_size": 128, "max_epochs": 200},
}


def digits_split():
    """scikit-learn's digits: the first 1,400 images train, the other 397 test.

    Returns
    -------
    X_train, y_train, X_test, y_test : ndarray
        Flat 64-pixel rows divided by 16 (pixels in [0, 1]) and labels.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data / 16, digits.target
    return X[:1400], y[:1400], X[1400:], y[1400:]


def _fit(estimator, X_train, y_train, X_test, y_test):
    """Accuracy, fit seconds and the training budget as resolved: batch size, epochs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's MLPClassifier warns at max_iter
        scores, _ = fit_and_score(estimator, X_train, y_train, X_test, y_test)
    budget: tuple = (None, None, None)
    if scores["epochs"] is not None:  # an skmnist estimator
        budget = (estimator.batch_size_, estimator.max_epochs_, scores["epochs"])
    elif hasattr(estimator, "loss_curve_"):  # scikit-learn's MLPClassifier
        auto = estimator.batch_size == "auto"
        batch_size = min(200, len(y_train)) if auto else estimator.batch_size
        budget = (batch_size, estimator.max_iter, estimator.n_iter_)
    return {
        **dict(zip(("batch_size", "max_epochs", "epochs"), budget, strict=True)),
        "accuracy": scores["accuracy"],
        "fit_seconds": scores["fit_seconds"],
    }


def run(
    *,
    estimators=tuple(ESTIMATORS),
    settings=("defaults", "fixed"),
    seeds=(0, 1, 2),
    references=True,
    device="cpu",
):
    """Train and score every estimator with every setting and seed on the digits.

    Parameters
    ----------
    estimators : sequence of str, default=("mlp", "lenet5", "cnn")
        Names in :data:`skmnist.estimators.ESTIMATORS`.
    settings : sequence of str, default=("defaults", "fixed")
        Names in ``SETTINGS``: ``"defaults"``, ``"fixed"``
        (``batch_size=128, max_epochs=10``), ``"batch-128"``
        (``batch_size=128, max_epochs=200``).
    seeds : sequence of int, default=(0, 1, 2)
        The ``random_state`` of each fit.
    references : bool, default=True
        Also scikit-learn's ``MLPClassifier(random_state=seed)``
        and ``SVC()`` (one fit: it has no randomness).
    device : str, default="cpu"
        The estimators' ``device``.

    Returns
    -------
    results : pandas.DataFrame
        One row per fit: ``model``, ``settings``, ``seed``, ``batch_size``
        and ``max_epochs`` (as resolved), ``epochs`` (trained),
        ``accuracy`` and ``fit_seconds``.
    """
    split = digits_split()
    fits = [
        (
            model.__name__,
            _label(setting),
            seed,
            model(**SETTINGS[setting], random_state=seed, device=device),
        )
        for model in (ESTIMATORS[name] for name in estimators)
        for setting in settings
        for seed in seeds
    ]
    if references:
        from sklearn.neural_network import MLPClassifier
        from sklearn.svm import SVC

        fits += [
            ("scikit-learn MLPClassifier()", "defaults", s, MLPClassifier(random_state=s))
            for s in seeds
        ]
        fits.append(("scikit-learn SVC()", "defaults", None, SVC()))
    rows = []
    for model, setting, seed, clf in fits:
        row = {"model": model, "settings": setting, "seed": seed, **_fit(clf, *split)}
        rows.append(row)
        print(
            f"{model} ({setting}, seed {seed}): {row['accuracy']:.4f} in "
            f"{row['fit_seconds']:.1f} s, {row['epochs']} epochs",
            flush=True,
        )
    return pd.DataFrame(rows)


def _label(setting):
    params = SETTINGS[setting]
    return ", ".join(f"{k}={v}" for k, v in params.items()) if params else setting


def _seeds(values):
    values = [int(v) for v in values if v is not None and not pd.isna(v)]
    if not values:
        return "-"
    return ", ".join(str(v) for v in values) if len(values) < 3 else f"{min(values)}-{max(values)}"


def _whole(values):
    values = [v for v in values if v is not None and not pd.isna(v)]
    if not values:
        return "-"
    lo, hi = int(min(values)), int(max(values))
    return str(lo) if lo == hi else f"{lo}-{hi}"


def to_markdown(results, *, title=None):
    """:func:`run`'s results in Markdown, after ``title``: the means over seeds, then each fit."""
    budget = ["batch size", "epoch budget", "epochs trained"]
    means = [
        [
            model,
            setting,
            _seeds(group["seed"]),
            f"{group['accuracy'].mean():.2%}",
            f"{group['accuracy'].min():.2%}",
            *(_whole(group[c]) for c in ("batch_size", "max_epochs", "epochs")),
            f"{group['fit_seconds'].mean():.1f}",
        ]
        for (model, setting), group in results.groupby(["model", "settings"], sort=False)
    ]
    each = [
        [
            row.model,
            row.settings,
            _whole([row.seed]),
            f"{row.accuracy:.2%}",
            *(_whole([v]) for v in (row.batch_size, row.max_epochs, row.epochs)),
            f"{row.fit_seconds:.1f}",
        ]
        for row in results.itertuples()
    ]
    header = ["model", "settings", "seeds", "accuracy (mean)", "accuracy (min)", *budget]
    return (
        markdown_table([*header, "fit (s, mean)"], means, align="lllrrrrrr", title=title)
        + "\nEach fit:\n\n"
        + markdown_table(
            ["model", "settings", "seed", "accuracy", *budget, "fit (s)"], each, align="llrrrrrr"
        )
    )


def _setup(seeds, device):
    return (
        "scikit-learn's load_digits (8x8, pixels / 16): the first 1,400 images train, the "
        f"other 397 test; random_state {', '.join(str(s) for s in seeds)}; device {device} "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, "
        f"{torch.get_num_threads()} torch threads); skmnist {__version__}, "
        f"torch {torch.__version__}."
    )


def main(argv=None):
    """``python -m tools.small_data``: print the tables; with ``--out``, write them there.

    ``<name>.md`` and ``<name>.csv`` go to ``--out`` (``--name`` defaults to
    ``digits``). Returns 0.
    """
    parser = argparse.ArgumentParser(
        prog="python -m tools.small_data", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--estimators", nargs="*", choices=list(ESTIMATORS), default=list(ESTIMATORS)
    )
    parser.add_argument(
        "--settings", nargs="+", choices=list(SETTINGS), default=["defaults", "fixed"]
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument(
        "--no-references",
        action="store_true",
        help="skip scikit-learn's MLPClassifier and SVC on digits",
    )
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", type=Path, help="folder for <name>.md and <name>.csv")
    parser.add_argument("--name", default="digits", help="the files' name in --out")
    args = parser.parse_args(argv)
    results = run(
        estimators=args.estimators,
        settings=args.settings,
        seeds=args.seeds,
        references=not args.no_references,
        device=args.device,
    )
    command = "python -m tools.small_data " + " ".join(sys.argv[1:] if argv is None else argv)
    table = to_markdown(
        results,
        title=_setup(args.seeds, args.device) + f"\n\nMade by `{command}`.",
    )
    print(table)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        write_text(args.out / f"{args.name}.md", table)
        write_text(args.out / f"{args.name}.csv", results.to_csv(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
