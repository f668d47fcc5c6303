"""Fit on the training set, score once on the test set (re-exported by the suites; used by
``skmnist train`` too)."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import time

import numpy as np
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
