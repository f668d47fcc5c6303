"""SearchResultsDisplay: one Axes per parameter, a point with an error bar per candidate."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.datasets import make_classification
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV

from skmnist import MLPNetClassifier
from skmnist.plotting import SearchResultsDisplay

RESULTS = pd.DataFrame(
    {
        "lr": [1e-4, 1e-2, 1e-4, 1e-2],
        # object: pandas would read the None among strings as missing
        "lr_schedule": pd.Series([None, None, "plateau", "plateau"], dtype=object),
        "hidden_layer_sizes": [(64,), (64,), (128, 64), (128, 64)],
        "optimizer": [torch.optim.SGD, torch.optim.SGD, "adam", "adam"],
        "mean_test_score": [0.91, 0.95, 0.42, 0.88],
        "std_test_score": [0.01, 0.02, 0.05, 0.01],
    }
)


def _points(container):
    """(x, y) of an errorbar's points and the half-lengths of its bars."""
    data_line, _, (bars,) = container.lines
    segments = bars.get_segments()
    return data_line.get_xydata().tolist(), [(s[1, 1] - s[0, 1]) / 2 for s in segments]


def test_numeric_and_categorical_parameters():
    disp = SearchResultsDisplay(RESULTS, ["lr", "lr_schedule", "hidden_layer_sizes"]).plot()
    lr_ax, schedule_ax, sizes_ax = disp.axes_
    assert [ax.get_xlabel() for ax in disp.axes_] == ["lr", "lr_schedule", "hidden_layer_sizes"]
    assert lr_ax.get_ylabel() == "mean test score"
    assert lr_ax.get_xscale() == "log" and schedule_ax.get_xscale() == "linear"
    xy, errors = _points(disp.errorbars_["lr"][0])
    np.testing.assert_allclose(xy, [[1e-4, 0.91], [1e-2, 0.95], [1e-4, 0.42], [1e-2, 0.88]])
    np.testing.assert_allclose(errors, [0.01, 0.02, 0.05, 0.01])
    # categories in order of appearance, None among them
    assert [t.get_text() for t in schedule_ax.get_xticklabels()] == ["None", "plateau"]
    assert [t.get_text() for t in sizes_ax.get_xticklabels()] == ["(64,)", "(128, 64)"]
    xy, _ = _points(disp.errorbars_["lr_schedule"][0])
    assert [x for x, _ in xy] == [0, 0, 1, 1]
    assert schedule_ax.get_xlim() == (-0.5, 1.5)
    assert disp.figure_ is lr_ax.figure
    assert lr_ax.get_shared_y_axes().joined(lr_ax, sizes_ax)
    # classes by their name
    disp = SearchResultsDisplay(RESULTS, ["optimizer"]).plot()
    assert [t.get_text() for t in disp.axes_[0].get_xticklabels()] == ["SGD", "adam"]


def test_from_search_plots_the_parameters_that_vary():
    X, y = make_classification(n_samples=80, n_features=6, random_state=0)
    grid = [
        {"C": [0.01, 1.0], "fit_intercept": [True, False], "max_iter": [100]},
        {"C": [1.0], "class_weight": ["balanced"], "max_iter": [100]},
    ]
    search = GridSearchCV(LogisticRegression(), grid, cv=2).fit(X, y)
    disp = SearchResultsDisplay.from_search(search)
    assert [ax.get_xlabel() for ax in disp.axes_] == ["C", "fit_intercept", "class_weight"]
    # a candidate whose grid lacks the parameter has no point on its axes
    assert len(disp.errorbars_["C"][0].lines[0].get_xdata()) == 5
    assert len(disp.errorbars_["class_weight"][0].lines[0].get_xdata()) == 1
    assert [t.get_text() for t in disp.axes_[1].get_xticklabels()] == ["True", "False"]


def test_halving_iterations_are_separate_series():
    X, y = make_classification(n_samples=200, n_features=6, random_state=0)
    search = HalvingGridSearchCV(
        LogisticRegression(),
        {"C": [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0]},
        cv=2,
        factor=3,
        min_resources=40,
        random_state=0,
    ).fit(X, y)
    disp = SearchResultsDisplay.from_search(search)
    (ax,) = disp.axes_
    assert len(disp.errorbars_["C"]) == search.n_iterations_
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        f"iter {i}" for i in range(search.n_iterations_)
    ]


def test_metric_and_given_axes():
    X, y = make_classification(n_samples=80, n_features=6, random_state=0)
    search = GridSearchCV(
        LogisticRegression(),
        {"C": [0.01, 1.0]},
        cv=2,
        scoring={"acc": "accuracy", "nll": "neg_log_loss"},
        refit="nll",
    ).fit(X, y)
    _, ax = plt.subplots()
    disp = SearchResultsDisplay.from_search(search, ax=ax)
    assert disp.axes_[0] is ax and ax.get_ylabel() == "mean test nll"
    candidates = disp.results.index  # best nll first
    np.testing.assert_allclose(
        ax.lines[0].get_ydata(), search.cv_results_["mean_test_nll"][candidates]
    )
    disp = SearchResultsDisplay.from_search(search, score_name="acc")
    np.testing.assert_allclose(
        disp.errorbars_["C"][0].lines[0].get_ydata(),
        search.cv_results_["mean_test_acc"][candidates],
    )


def test_errors():
    with pytest.raises(ValueError, match="ax must hold 2 Axes"):
        SearchResultsDisplay(RESULTS, ["lr", "lr_schedule"]).plot(ax=plt.subplots(1, 3)[1])
    with pytest.raises(ValueError, match="no 'mean_test_acc' column"):
        SearchResultsDisplay(RESULTS, ["lr"], score_name="acc").plot()
    X, y = make_classification(n_samples=60, n_features=6, random_state=0)
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2).fit(X, y)
    with pytest.raises(ValueError, match="No parameter takes more than one value"):
        SearchResultsDisplay.from_search(search)


def test_a_search_over_a_network(mnist):
    X, y = mnist
    clf = MLPNetClassifier(max_epochs=1, batch_size=32, random_state=0)
    search = GridSearchCV(clf, {"lr": [1e-6, 1e-2], "optimizer": ["adam", "sgd"]}, cv=2)
    disp = SearchResultsDisplay.from_search(search.fit(X[:200], y[:200]))
    assert [ax.get_xlabel() for ax in disp.axes_] == ["lr", "optimizer"]
    xy, _ = _points(disp.errorbars_["lr"][0])
    best = max(xy, key=lambda point: point[1])
    assert best[0] == 1e-2
