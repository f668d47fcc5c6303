"""cv_results_frame: one row per candidate, parameters as columns, best first."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from skmnist.model_selection import cv_results_frame


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=120, n_features=6, random_state=0)


def test_columns_rows_and_order(data):
    X, y = data
    search = GridSearchCV(LogisticRegression(), {"C": [1e-4, 1.0, 1e-2]}, cv=3).fit(X, y)
    frame = cv_results_frame(search)
    assert list(frame.columns) == [
        "C",
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "mean_fit_time",
    ]
    assert frame.index.name == "candidate"
    assert frame["rank_test_score"].tolist() == sorted(frame["rank_test_score"])
    # each row keeps its candidate's position in cv_results_
    for candidate, row in frame.iterrows():
        assert search.cv_results_["params"][candidate] == {"C": row["C"]}
        assert search.cv_results_["mean_test_score"][candidate] == row["mean_test_score"]


def test_list_of_grids_and_categorical_values(data):
    X, y = data
    grid = [
        {"C": [0.1, 1.0]},
        {"C": [1.0], "fit_intercept": [False], "class_weight": [None, "balanced"]},
    ]
    frame = cv_results_frame(GridSearchCV(LogisticRegression(), grid, cv=2).fit(X, y))
    assert len(frame) == 4
    by_candidate = frame.sort_index()
    assert by_candidate["C"].dtype == float
    assert by_candidate["fit_intercept"].isna().tolist() == [True, True, False, False]
    # NaN where the grid lacks the parameter; None where the grid says None
    class_weight = by_candidate["class_weight"].tolist()
    assert np.isnan(class_weight[0]) and np.isnan(class_weight[1])
    assert class_weight[2:] == [None, "balanced"]


def test_several_metrics_sort_by_the_refit_metric(data):
    X, y = data
    search = GridSearchCV(
        LogisticRegression(),
        {"C": [1e-4, 1.0]},
        cv=2,
        scoring={"acc": "accuracy", "nll": "neg_log_loss"},
        refit="nll",
        return_train_score=True,
    ).fit(X, y)
    frame = cv_results_frame(search)
    for name in ("mean_test_acc", "rank_test_nll", "mean_train_nll", "std_train_acc"):
        assert name in frame
    assert frame["rank_test_nll"].tolist() == [1, 2]
    assert np.all(np.diff(frame["mean_test_nll"]) <= 0)


def test_unfitted_search():
    with pytest.raises(NotFittedError):
        cv_results_frame(GridSearchCV(LogisticRegression(), {"C": [1.0]}))
