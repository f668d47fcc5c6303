"""Fit on the training set, score once on the test set, and score the soft vote of several fits
(re-exported by the suites; ``fit_and_score`` is used by ``skmnist train`` too)."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score

from ..plotting._common import final_estimator


def count_parameters(estimator) -> int:
    """Trainable parameters of a fitted skmnist estimator (or Pipeline ending in one).

    Parameters
    ----------
    estimator : estimator instance
        A fitted skmnist estimator, or a fitted Pipeline whose last step is one.

    Returns
    -------
    n_params : int
        The number of trainable parameters of its network.

    Examples
    --------
    >>> from skmnist import MLPNetClassifier, load_mnist_sample
    >>> from skmnist.benchmarks.suites import count_parameters
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = MLPNetClassifier(hidden_layer_sizes=(82, 56, 28), activation="tanh", max_epochs=1)
    >>> count_parameters(clf.fit(X[:500], y[:500]))
    70904
    """
    final = final_estimator(estimator)
    return sum(p.numel() for p in final.module_.parameters() if p.requires_grad)


def fit_and_score(estimator, X_train, y_train, X_test, y_test) -> tuple[dict, np.ndarray]:
    """Fit ``estimator`` on the training set, then score it once on the test set.

    Parameters
    ----------
    estimator : estimator instance
        An unfitted classifier: a skmnist estimator, a Pipeline ending in
        one, or any other scikit-learn classifier; it is fitted in place.
    X_train, y_train : array-like
        Training images and labels.
    X_test, y_test : array-like
        Test images and labels, only predicted and scored.

    Returns
    -------
    scores : dict
        ``accuracy``, ``macro_f1``, ``fit_seconds``, ``predict_images_per_s``
        (of ``predict`` on the whole test set), ``n_params`` and ``epochs``
        (the epochs trained, fewer than ``max_epochs`` after early stopping;
        both None for a classifier that is not a skmnist estimator).
    y_pred : ndarray
        The predictions for ``X_test``.

    Examples
    --------
    >>> from skmnist import MLPNetClassifier, load_mnist_sample
    >>> from skmnist.benchmarks.suites import fit_and_score
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> test = load_mnist_sample(subset="test")
    >>> scores, y_pred = fit_and_score(
    ...     MLPNetClassifier(max_epochs=3, random_state=0), X, y, test.data, test.target
    ... )
    >>> sorted(scores)
    ['accuracy', 'epochs', 'fit_seconds', 'macro_f1', 'n_params', 'predict_images_per_s']
    >>> scores["accuracy"] > 0.8, scores["epochs"], y_pred.shape
    (True, 3, (1000,))

    Any scikit-learn classifier is scored the same way:

    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> scores, _ = fit_and_score(KNeighborsClassifier(), X, y, test.data, test.target)
    >>> scores["accuracy"] > 0.8, scores["n_params"], scores["epochs"]
    (True, None, None)
    """
    start = time.perf_counter()
    estimator.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = estimator.predict(X_test)
    predict_seconds = time.perf_counter() - start
    final = final_estimator(estimator)
    network = hasattr(final, "module_")
    scores = {
        "accuracy": float(accuracy_score(y_test, y_pred)),
        "macro_f1": float(f1_score(y_test, y_pred, average="macro")),
        "fit_seconds": fit_seconds,
        "predict_images_per_s": len(y_pred) / max(predict_seconds, 1e-9),
        "n_params": count_parameters(final) if network else None,
        "epochs": len(final.history_) if network else None,
    }
    return scores, y_pred


def probabilities_file(folder, config: str, seed: int | None) -> Path:
    """Where :func:`~skmnist.benchmarks.suites.run_suite` keeps one fit's test-set probabilities.

    One ``.npz`` file per configuration and seed, named after both, holding
    ``probabilities`` (the fitted model's ``predict_proba`` on the test set)
    and ``classes`` (its ``classes_``, the order of their columns).

    Parameters
    ----------
    folder : str or path-like
        The folder given to ``run_suite(probabilities=...)``.
    config : str
        The configuration's name in its suite.
    seed : int or None
        The fit's ``random_state`` (None for an unseeded fit, which
        :func:`soft_votes` leaves out).

    Returns
    -------
    path : pathlib.Path
        The file's path.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import probabilities_file
    >>> probabilities_file("out", "30 min: half_hour_recipe()", 2).name
    '30-min-half_hour_recipe-seed2.npz'
    """
    name = re.sub(r"[^0-9A-Za-z_]+", "-", config).strip("-")
    return Path(folder) / f"{name}-seed{seed}.npz"


def soft_votes(results: pd.DataFrame, folder, y_test) -> pd.DataFrame:
    """The test accuracy of the soft vote of each configuration's seeds.

    The soft vote predicts, for each test image, the class of the largest
    mean of the models' probabilities (as scikit-learn's
    ``VotingClassifier(voting="soft")`` does). It is computed from the files
    :func:`probabilities_file` names, so the models of runs made at
    different times vote together.

    Parameters
    ----------
    results : pandas.DataFrame
        The table :func:`~skmnist.benchmarks.suites.run_suite` returns (or
        several of them concatenated): its ``config`` and ``seed`` columns.
    folder : str or path-like
        Where the runs kept their probabilities.
    y_test : array-like of shape (n_test,)
        The test labels.

    Returns
    -------
    votes : pandas.DataFrame
        One row per configuration with the files of at least two of its
        seeds: ``config``, ``seeds`` (those that voted, as text) and
        ``accuracy``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, tempfile
    >>> from skmnist.benchmarks.suites import probabilities_file, soft_votes
    >>> folder = tempfile.mkdtemp()
    >>> for seed, p in enumerate([[[0.6, 0.4], [0.6, 0.4]], [[0.3, 0.7], [0.1, 0.9]]]):
    ...     np.savez(probabilities_file(folder, "a", seed), probabilities=p, classes=[3, 5])
    >>> results = pd.DataFrame({"config": ["a", "a"], "seed": [0, 1]})
    >>> soft_votes(results, folder, y_test=[3, 5]).to_numpy().tolist()
    [['a', '0, 1', 0.5]]
    """
    y_test = np.asarray(y_test)
    rows = []
    for config, group in results.groupby("config", sort=False):
        found = [
            (int(seed), path)
            for seed in sorted(group["seed"].dropna().unique())
            if (path := probabilities_file(folder, config, int(seed))).is_file()
        ]
        if len(found) < 2:
            continue
        kept = [_load_probabilities(path) for _, path in found]
        shapes = {probabilities.shape for probabilities, _ in kept}
        if shapes != {(len(y_test), len(kept[0][1]))}:
            raise ValueError(
                f"the probabilities kept for {config!r} in {folder} have shapes "
                f"{sorted(shapes)}, not one row per test image ({len(y_test)}) and a column per "
                "class: they come from another test set; remove them and run those seeds again."
            )
        total = sum(probabilities for probabilities, _ in kept)
        classes = kept[0][1]
        accuracy = float(np.mean(classes[np.argmax(total, axis=1)] == y_test))
        rows.append((config, ", ".join(str(seed) for seed, _ in found), accuracy))
    return pd.DataFrame(rows, columns=["config", "seeds", "accuracy"])


def _load_probabilities(path):
    """The ``probabilities`` and ``classes`` of a :func:`probabilities_file`."""
    with np.load(path) as fit:
        return fit["probabilities"], fit["classes"]
