"""Named studies: lists of (name, estimator) configurations, trained and scored alike.

A suite is data: a function returning ``[(name, estimator), ...]``, each
estimator set up for the full 60,000-image data sets (its ``max_epochs`` is
the number of epochs it is meant to train there). :func:`run_suite` trains
every configuration on the training set and scores it on the test set;
``skmnist benchmark --suite NAME`` calls it and writes the tables and plot.

Suites
------
- ``optimizers``: the 784-128-10 MLP with sigmoid + SGD, tanh + Adam,
  ReLU + Adam, ReLU + SGD, ReLU + SGD with momentum 0.9 and ReLU + AdamW.
- ``lenet``: LeNet-5 (tanh, average pooling, SGD with momentum), the
  784-82-56-28-10 tanh MLP, and LeNet-5 with dropout (conv 0.2, fc 0.5) and
  Adam.
- ``cnn``: the CNN, LeNet-5, and the best recipe (:func:`best_recipe`).
- ``fast``: the fastest honest 99% (:func:`fast_recipe`), over 5 seeds.
- ``fashion``: the Fashion-MNIST study's MLPs (784-128-10 and
  784-256-128-10 with Adam at lr 1e-2 for 5 epochs, 784-256-128-10 at lr
  1e-3 for 15), the CNN, and :func:`fashion_recipe`; meant for
  Fashion-MNIST but runs on any MNIST-format data set.
- ``minutes``: accuracy per minute of fit time, over 3 seeds: the recipe
  of each budget of fit time on a 2-core CPU (10 s: :func:`fast_recipe`,
  1 min: :func:`minute_recipe`, 5 min: :func:`five_minute_recipe`, 30 min:
  :func:`half_hour_recipe`) beside the estimators' defaults; its plot draws
  test accuracy against fit time with the published figures of
  :data:`PUBLISHED`.
- ``fashion-minutes``: the same on Fashion-MNIST, with the recipes chosen
  for it (10 s: ``fast_recipe(1)``).

Epochs
------
Each configuration trains for its own ``max_epochs`` on a training set of
at least :data:`SMALL_TRAINING_SET` images. On a smaller one (the shipped
sample of 3,000 images, say) it trains for at most
:data:`SMALL_DATA_MAX_EPOCHS`, so that a suite on the sample takes seconds
rather than minutes. ``max_epochs`` given to :func:`run_suite` (the
command's ``--max-epochs``) overrides both for every configuration.

Seeds
-----
A suite trains each configuration once, with ``random_state``; a suite with
``seeds=k`` (``fast``) trains it with ``random_state``, ``random_state + 1``,
... ``random_state + k - 1``, one row per seed, and :func:`summarize` gives
the mean and minimum accuracy and the median fit time over the seeds.
With a folder for ``probabilities``, each fit's test-set probabilities are
kept, and :func:`soft_votes` scores the soft vote of each configuration's
seeds, from runs made at different times too.

Honest evaluation
-----------------
The test set is used once per configuration, to score the fitted model.
Early stopping and learning-rate schedules that watch a validation loss
hold out part of the *training* set (``early_stopping=True,
validation_fraction=0.1``); nothing is selected on the test set.

Examples
--------
>>> from skmnist.benchmarks.suites import get_suite
>>> [name for name, _ in get_suite("lenet")]
['LeNet-5 (tanh, avg pool, SGD, cosine)', 'MLP 784-82-56-28-10 tanh', 'LeNet-5 + dropout + Adam']
>>> _, clf = get_suite("cnn")[-1]
>>> clf.augment, clf.lr_schedule, clf.early_stopping
('affine', 'onecycle', True)
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Collection
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import clone

from ..estimators import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from ._evaluation import count_parameters, fit_and_score, probabilities_file, soft_votes
from ._recipes import (
    best_recipe,
    fashion_recipe,
    fast_recipe,
    five_minute_recipe,
    half_hour_recipe,
    minute_recipe,
    record_recipe,
)
from ._tables import plot_frontier, plot_results, summarize, to_markdown

__all__ = [
    "COLUMNS",
    "PUBLISHED",
    "SMALL_DATA_MAX_EPOCHS",
    "SMALL_TRAINING_SET",
    "SUITES",
    "Suite",
    "best_recipe",
    "count_parameters",
    "epochs_for",
    "fashion_recipe",
    "fast_recipe",
    "fit_and_score",
    "five_minute_recipe",
    "get_suite",
    "half_hour_recipe",
    "minute_recipe",
    "plot_frontier",
    "plot_results",
    "probabilities_file",
    "record_recipe",
    "run_suite",
    "soft_votes",
    "summarize",
    "to_markdown",
]

#: Training sets smaller than this many images get at most
#: :data:`SMALL_DATA_MAX_EPOCHS` epochs per configuration.
SMALL_TRAINING_SET = 10_000
#: The epochs each configuration trains for on a small training set.
SMALL_DATA_MAX_EPOCHS = 3

#: The columns of :func:`run_suite`'s table, in order.
COLUMNS = (
    "config",
    "estimator",
    "seed",
    "accuracy",
    "macro_f1",
    "fit_seconds",
    "predict_images_per_s",
    "n_params",
    "epochs",
    "params",
)


#: What the estimators trained with before their defaults moved to one-cycle schedules
#: (and LeNet-5 to ReLU and max pooling): the studies below are written in it.
_CONSTANT_RATE = {"lr_schedule": None}
_ADAM = {"optimizer": "adam", "lr": 1e-3, "weight_decay": 0.0, **_CONSTANT_RATE}
_CLASSIC_LENET = {"activation": "tanh", "pooling": "avg"}


def _optimizers():
    def mlp(**params):
        return MLPNetClassifier(
            hidden_layer_sizes=(128,), max_epochs=10, **_CONSTANT_RATE, **params
        )

    return [
        (
            "sigmoid + SGD (lr 0.1)",
            mlp(activation="sigmoid", optimizer="sgd", lr=0.1, momentum=0.0),
        ),
        ("tanh + Adam (lr 1e-3)", mlp(activation="tanh", optimizer="adam", lr=1e-3)),
        ("ReLU + Adam (lr 1e-3)", mlp(activation="relu", optimizer="adam", lr=1e-3)),
        ("ReLU + SGD (lr 0.1)", mlp(activation="relu", optimizer="sgd", lr=0.1, momentum=0.0)),
        (
            "ReLU + SGD momentum 0.9 (lr 0.01)",
            mlp(activation="relu", optimizer="sgd", lr=0.01, momentum=0.9),
        ),
        (
            "ReLU + AdamW (lr 1e-3, wd 1e-2)",
            mlp(activation="relu", optimizer="adamw", lr=1e-3, weight_decay=1e-2),
        ),
    ]


def _lenet():
    return [
        (
            "LeNet-5 (tanh, avg pool, SGD, cosine)",
            LeNet5Classifier(
                **_CLASSIC_LENET,
                optimizer="sgd",
                lr=0.05,
                momentum=0.9,
                lr_schedule="cosine",
                max_epochs=20,
            ),
        ),
        (
            "MLP 784-82-56-28-10 tanh",
            MLPNetClassifier(
                hidden_layer_sizes=(82, 56, 28),
                activation="tanh",
                lr=1e-3,
                max_epochs=15,
                **_CONSTANT_RATE,
            ),
        ),
        (
            "LeNet-5 + dropout + Adam",
            LeNet5Classifier(
                **_CLASSIC_LENET,
                **_CONSTANT_RATE,
                conv_dropout=0.2,
                fc_dropout=0.5,
                optimizer="adam",
                lr=1e-3,
                max_epochs=15,
            ),
        ),
    ]


def _cnn():
    return [
        ("CNN", CNNClassifier(max_epochs=15, **_ADAM)),
        ("LeNet-5", LeNet5Classifier(max_epochs=15, **_CLASSIC_LENET, **_ADAM)),
        ("CNN best recipe", best_recipe()),
    ]


def _fast():
    return [("fast recipe", fast_recipe())]


def _minutes():
    return [
        ("10 s: fast_recipe()", fast_recipe()),
        ("1 min: minute_recipe()", minute_recipe()),
        ("5 min: five_minute_recipe()", five_minute_recipe()),
        ("30 min: half_hour_recipe()", half_hour_recipe()),
        ("MLPNetClassifier() defaults", MLPNetClassifier()),
        ("LeNet5Classifier() defaults", LeNet5Classifier()),
        ("CNNClassifier() defaults", CNNClassifier()),
    ]


def _fashion_minutes():
    fashion = "fashion-mnist"
    return [
        ("10 s: fast_recipe(1)", fast_recipe(max_epochs=1)),
        ('1 min: minute_recipe("fashion-mnist")', minute_recipe(fashion)),
        ('5 min: five_minute_recipe("fashion-mnist")', five_minute_recipe(fashion)),
        ('30 min: half_hour_recipe("fashion-mnist")', half_hour_recipe(fashion)),
    ]


#: Published test accuracies that the frontier plots mark, by data set.
PUBLISHED = {
    "mnist": {
        "784-128-10 MLP (the Keras tutorial)": 0.978,
        "LeNet-5 (LeCun et al., 1998)": 0.9905,
        "one CNN, 45 epochs (Deotte, 2018)": 0.9964,
    },
    # from the benchmark table of zalandoresearch/fashion-mnist's README
    "fashion-mnist": {
        "MLP 256-128-64 (Fashion-MNIST benchmark table)": 0.900,
        "2 conv layers, <100K parameters (same table)": 0.925,
        "WRN-28-10 + random erasing, 36.5M parameters (same table)": 0.963,
    },
}


def _fashion():
    # the Fashion-MNIST study's MLPs as it describes them (Adam; its "3 layers" read as
    # 784-256-128-10, the deeper MLP it names), then the CNN and the Fashion recipe
    def mlp(hidden, lr, epochs):
        sizes = "-".join(str(n) for n in (784, *hidden, 10))
        return (
            f"MLP {sizes} (Adam, lr {lr:g})",
            MLPNetClassifier(hidden_layer_sizes=hidden, lr=lr, max_epochs=epochs, **_CONSTANT_RATE),
        )

    return [
        mlp((128,), 1e-2, 5),
        mlp((256, 128), 1e-2, 5),
        mlp((256, 128), 1e-3, 15),
        ("CNN", CNNClassifier(max_epochs=15, **_ADAM)),
        ("Fashion recipe", fashion_recipe()),
    ]


class Suite(NamedTuple):
    """A named study: what it compares, and the function building its configurations.

    Parameters
    ----------
    description : str
        One line on what the suite compares.
    build : callable
        Returns the suite's configurations, ``[(name, estimator), ...]``,
        each estimator new and set up for the full data sets.
    seeds : int, default=1
        Seeds each configuration is trained with (see the module's "Seeds").
    frontier : bool, default=False
        Whether ``skmnist benchmark`` also plots test accuracy against fit
        time (:func:`plot_frontier`), with the data set's :data:`PUBLISHED`
        figures.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import SUITES
    >>> SUITES["lenet"].description
    'LeNet-5, a deeper tanh MLP, and LeNet-5 with dropout and Adam'
    >>> [type(clf).__name__ for _, clf in SUITES["lenet"].build()]
    ['LeNet5Classifier', 'MLPNetClassifier', 'LeNet5Classifier']
    """

    description: str
    build: Callable[[], list]
    seeds: int = 1
    frontier: bool = False


#: The suites by name.
SUITES = {
    "optimizers": Suite("the 784-128-10 MLP with several activations and optimizers", _optimizers),
    "lenet": Suite("LeNet-5, a deeper tanh MLP, and LeNet-5 with dropout and Adam", _lenet),
    "cnn": Suite("the CNN, LeNet-5 and the best CNN recipe", _cnn),
    "fast": Suite("the fastest honest 99% (fast_recipe), over 5 seeds", _fast, seeds=5),
    "fashion": Suite("the Fashion-MNIST study's MLPs, the CNN and the Fashion recipe", _fashion),
    "minutes": Suite(
        "accuracy per minute of fit time: each budget's recipe and the defaults, 3 seeds",
        _minutes,
        seeds=3,
        frontier=True,
    ),
    "fashion-minutes": Suite(
        "accuracy per minute of fit time on Fashion-MNIST: each budget's recipe, 3 seeds",
        _fashion_minutes,
        seeds=3,
        frontier=True,
    ),
}


def epochs_for(configured: int, n_train: int | None = None, max_epochs: int | None = None) -> int:
    """The epochs a configuration trains for; see the module's "Epochs" section.

    Parameters
    ----------
    configured : int
        The configuration's own ``max_epochs``, meant for the full data sets.
    n_train : int, default=None
        Size of the training set; under :data:`SMALL_TRAINING_SET` the
        epochs are capped at :data:`SMALL_DATA_MAX_EPOCHS`.
    max_epochs : int, default=None
        Epochs that override both.

    Returns
    -------
    epochs : int
        The epochs to train for.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import epochs_for
    >>> epochs_for(15, n_train=60_000), epochs_for(15, n_train=3_000)
    (15, 3)
    >>> epochs_for(15, n_train=3_000, max_epochs=1)
    1
    """
    if max_epochs is not None:
        return max_epochs
    if n_train is not None and n_train < SMALL_TRAINING_SET:
        return min(configured, SMALL_DATA_MAX_EPOCHS)
    return configured


def get_suite(
    name: str,
    *,
    n_train: int | None = None,
    max_epochs: int | None = None,
    **params,
) -> list:
    """The configurations of suite ``name`` as ``[(config name, estimator), ...]``.

    Parameters
    ----------
    name : str
        One of :data:`SUITES`.
    n_train : int, default=None
        Size of the training set; a small one caps the epochs (see
        :func:`epochs_for`). None: the epochs meant for the full data sets.
    max_epochs : int, default=None
        Epochs for every configuration, overriding their own.
    **params
        Parameters set on every estimator, such as ``random_state=0``,
        ``device="cpu"`` or ``verbose=1``.

    Returns
    -------
    configs : list of (str, estimator)
        Unfitted estimators, new on every call.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import get_suite
    >>> for name, clf in get_suite("optimizers", n_train=3_000, random_state=0)[:2]:
    ...     print(f"{name}: {clf.optimizer}, lr {clf.lr}, {clf.max_epochs} epochs")
    sigmoid + SGD (lr 0.1): sgd, lr 0.1, 3 epochs
    tanh + Adam (lr 1e-3): adam, lr 0.001, 3 epochs
    """
    if name not in SUITES:
        raise ValueError(f"unknown suite {name!r}; choose one of {', '.join(SUITES)}.")
    configs = []
    for config, estimator in SUITES[name].build():
        epochs = epochs_for(estimator.max_epochs, n_train, max_epochs)
        configs.append((config, estimator.set_params(max_epochs=epochs, **params)))
    return configs


def _warm_up(estimator, X, y, n=256):
    """Train a copy of ``estimator`` for one epoch on ``n`` images and predict some."""
    rows = np.random.default_rng(0).permutation(len(y))[:n]
    X, y = _take(X, rows), _take(y, rows)
    copy = clone(estimator).set_params(max_epochs=1, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copy.fit(X, y).predict(X)


def _take(values, rows):
    return values.iloc[rows] if hasattr(values, "iloc") else np.asarray(values)[rows]


def run_suite(
    name: str,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    max_epochs: int | None = None,
    random_state: int | None = 0,
    device: str = "auto",
    verbose: int = 0,
    on_result: Callable[[int, int, dict], None] | None = None,
    warm_up: bool = True,
    configs: Collection[str] | None = None,
    done: Collection[tuple[str, int]] = (),
    seeds: int | None = None,
    probabilities=None,
) -> pd.DataFrame:
    """Train every configuration of suite ``name`` and score it on the test set.

    Parameters
    ----------
    name : str
        One of :data:`SUITES`: "optimizers", "lenet", "cnn", "fashion".
    X_train, y_train : array-like
        Training images (any layout the estimators take) and labels. Only
        they are used for fitting, early stopping and schedules.
    X_test, y_test : array-like
        Test images and labels, used only to score each fitted model.
    max_epochs : int, default=None
        Epochs for every configuration; None: each its own, capped on small
        training sets (see the module's "Epochs" section).
    random_state : int or None, default=0
        Seed of every configuration; a suite of several seeds (``fast``)
        trains each with ``random_state``, ``random_state + 1``, ...
    device : str, default="auto"
        Where to train, for every configuration.
    verbose : int, default=0
        The estimators' verbosity (1: progress bar and a line per epoch).
    on_result : callable, default=None
        Called as ``on_result(i, n, row)`` after each configuration, ``i``
        counting from 1 to ``n``; ``row`` is its row of the table as a dict.
    warm_up : bool, default=True
        Before timing a configuration, train a copy of it for one epoch on
        (at most) 256 training images and predict a few, so that one-time
        costs (PyTorch's first use of a layer type or optimizer) are not
        counted in the first configurations' times.
    configs : collection of str, default=None
        Run only the configurations of these names (all by default); an
        unknown name is a ValueError listing the suite's.
    done : collection of (str, int), default=()
        ``(config, seed)`` pairs not to run again: rows an earlier run wrote,
        so that a long suite can be finished in several runs.
    seeds : int, default=None
        Seeds per configuration instead of the suite's own (see the module's
        "Seeds"): fewer for a first look, the rest later with ``done``.
    probabilities : str or path-like, default=None
        A folder to keep each fit's ``predict_proba`` on the test set in, one
        file per configuration and seed (:func:`probabilities_file`), for
        :func:`soft_votes`; None keeps none.

    Returns
    -------
    results : pandas.DataFrame
        One row per configuration and seed run, in the suite's order, with the
        columns :data:`COLUMNS`: ``config``, ``estimator`` (class name), ``seed``,
        ``accuracy``, ``macro_f1``, ``fit_seconds``,
        ``predict_images_per_s``, ``n_params``, ``epochs`` (trained) and
        ``params`` (the estimator's repr).

    Examples
    --------
    >>> from skmnist.benchmarks.suites import run_suite
    >>> from skmnist.datasets import load_mnist_sample
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> results = run_suite("lenet", X[:500], y[:500], X[500:700], y[500:700], max_epochs=1)
    >>> results[["config", "epochs"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['LeNet-5 (tanh, avg pool, SGD, cosine)', 1], ['MLP 784-82-56-28-10 tanh', 1],
     ['LeNet-5 + dropout + Adam', 1]]
    """
    built = get_suite(
        name,
        n_train=len(y_train),
        max_epochs=max_epochs,
        random_state=random_state,
        device=device,
        verbose=verbose,
    )
    names = [config for config, _ in built]
    unknown = [config for config in configs or () if config not in names]
    if unknown:
        raise ValueError(
            f"suite {name!r} has no configuration {', '.join(map(repr, unknown))}; its "
            f"configurations are {', '.join(map(repr, names))}."
        )
    n_seeds = seeds or SUITES[name].seeds
    seed_values = (
        [random_state]
        if random_state is None
        else list(range(random_state, random_state + n_seeds))
    )
    done = set(done)
    runs = [
        (config, estimator, seed)
        for config, estimator in built
        if configs is None or config in configs
        for seed in seed_values
        if (config, seed) not in done
    ]
    rows = []
    warmed = set()
    for i, (config, estimator, seed) in enumerate(runs, start=1):
        if warm_up and config not in warmed:
            _warm_up(estimator, X_train, y_train)
            warmed.add(config)
        estimator = clone(estimator).set_params(random_state=seed)
        scores, _ = fit_and_score(estimator, X_train, y_train, X_test, y_test)
        if probabilities is not None:
            os.makedirs(probabilities, exist_ok=True)
            np.savez(
                probabilities_file(probabilities, config, seed),
                probabilities=estimator.predict_proba(X_test).astype(np.float32),
                classes=estimator.classes_,
            )
        row = {
            "config": config,
            "estimator": type(estimator).__name__,
            "seed": seed,
            **scores,
            "params": " ".join(repr(estimator).split()),
        }
        rows.append(row)
        if on_result is not None:
            on_result(i, len(runs), row)
    return pd.DataFrame(rows, columns=list(COLUMNS))
