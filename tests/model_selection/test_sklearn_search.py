"""scikit-learn's searches over a Pipeline of PixelNormalizer and a network, on the sample."""

import numpy as np
import pytest
from scipy.stats import loguniform, uniform
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.metrics import classification_report
from sklearn.model_selection import (
    GridSearchCV,
    HalvingRandomSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
)
from sklearn.pipeline import Pipeline

from skmnist import MLPNetClassifier, PixelNormalizer
from skmnist.model_selection import cv_results_frame


@pytest.fixture(scope="module")
def sample(mnist_sample):
    """600 training and 300 test images of the shipped sample."""
    return *mnist_sample(600), *mnist_sample(300, subset="test")


def _pipeline(**params):
    # a constant rate unless a grid says otherwise
    defaults = {"max_epochs": 2, "batch_size": 32, "random_state": 0, "lr_schedule": None}
    clf = MLPNetClassifier(**{**defaults, **params})
    return Pipeline([("norm", PixelNormalizer()), ("clf", clf)])


def test_grid_search_with_stratified_folds_picks_the_good_learning_rate(sample):
    X, y, X_test, y_test = sample
    search = GridSearchCV(_pipeline(), {"clf__lr": [1e-6, 1e-2]}, cv=StratifiedKFold(3))
    search.fit(X, y)
    assert search.best_params_ == {"clf__lr": 1e-2}
    frame = cv_results_frame(search)
    bad, good = frame.set_index("clf__lr").loc[[1e-6, 1e-2], "mean_test_score"]
    assert good > 0.75 and bad < 0.3
    report = classification_report(y_test, search.predict(X_test), output_dict=True)
    assert report["accuracy"] > 0.75


def test_architecture_and_training_parameters_in_one_grid(sample):
    X, y, _, _ = sample
    grid = {
        "clf__dropout": [0.0, 0.3],
        "clf__optimizer": ["adam", "sgd"],
        "clf__lr_schedule": [None, "plateau"],
        "clf__lr": [1e-2],
    }
    search = GridSearchCV(_pipeline(max_epochs=1), grid, cv=StratifiedKFold(2)).fit(X, y)
    assert len(cv_results_frame(search)) == 8
    best = search.best_estimator_.named_steps["clf"]
    # the refitted network was built and trained with the chosen settings
    assert type(best.optimizer_).__name__.lower() == search.best_params_["clf__optimizer"]
    assert ("lr_schedule" in dict(best.callbacks_)) == (
        search.best_params_["clf__lr_schedule"] == "plateau"
    )


def test_randomized_search_samples_distributions(sample):
    X, y, _, _ = sample
    distributions = {"clf__lr": loguniform(1e-4, 1e-1), "clf__dropout": uniform(0, 0.5)}
    search = RandomizedSearchCV(
        _pipeline(max_epochs=1), distributions, n_iter=3, cv=StratifiedKFold(2), random_state=0
    ).fit(X, y)
    frame = cv_results_frame(search)
    assert len(frame) == 3
    assert frame["clf__lr"].between(1e-4, 1e-1).all()
    assert np.isfinite(frame["mean_test_score"]).all()


def test_halving_search_spends_epochs_as_its_resource(sample):
    X, y, _, _ = sample
    search = HalvingRandomSearchCV(
        _pipeline(),
        {"clf__lr": loguniform(1e-4, 1e-1)},
        resource="clf__max_epochs",
        min_resources=1,
        max_resources=3,
        factor=3,
        n_candidates=3,
        cv=StratifiedKFold(2),
        random_state=0,
    ).fit(X, y)
    frame = cv_results_frame(search)
    # 3 candidates trained 1 epoch, the best of them 3 epochs
    assert frame.groupby("iter")["n_resources"].agg(["first", "size"]).values.tolist() == [
        [1, 3],
        [3, 1],
    ]
    assert search.best_estimator_.named_steps["clf"].max_epochs == 3
    assert len(search.best_estimator_.named_steps["clf"].history_) == 3
