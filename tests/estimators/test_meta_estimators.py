"""The estimators inside scikit-learn's pipelines, model selection and ensembles."""

import numpy as np
import pytest
from estimator_helpers import block_images, make_estimator
from sklearn.base import clone
from sklearn.ensemble import StackingClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    cross_val_predict,
    cross_validate,
)
from sklearn.pipeline import Pipeline

from skmnist import LeNet5Classifier, MLPNetClassifier, PixelNormalizer

# Settings under which the MLP learns the toy problem in a few epochs.
QUICK_MLP = {"max_epochs": 5, "lr": 0.01}


@pytest.fixture
def data():
    X, y_codes = block_images(n_samples=60, n_classes=3)
    return X.reshape(len(X), -1), np.array(["0", "4", "9"])[y_codes]


def test_pipeline_with_pixel_normalizer(data):
    X, y = data
    pipe = Pipeline(
        [("norm", PixelNormalizer()), ("clf", LeNet5Classifier(max_epochs=1, random_state=0))]
    )
    pipe.fit(X, y)
    assert set(pipe.predict(X)) <= set(y)
    assert pipe.predict_proba(X).shape == (len(X), 3)
    np.testing.assert_array_equal(pipe.classes_, ["0", "4", "9"])
    # PixelNormalizer's float32 [0, 1] output is what the estimator makes of
    # the uint8 pixels itself
    alone = LeNet5Classifier(max_epochs=1, random_state=0).fit(X, y)
    np.testing.assert_allclose(pipe.predict_proba(X), alone.predict_proba(X), rtol=1e-4, atol=1e-5)


def test_pipeline_with_standardization_and_images(data):
    X, y = data
    images = X.reshape(-1, 28, 28)
    pipe = Pipeline(
        [("norm", PixelNormalizer(standardize="mnist")), ("clf", make_estimator(LeNet5Classifier))]
    ).fit(images, y)
    assert pipe.named_steps["clf"].image_shape_ == (1, 28, 28)
    # block images are easy: standardized pixels still learn them in two epochs
    assert pipe.score(images, y) == accuracy_score(y, pipe.predict(images)) > 0.9


def test_cross_validate_with_stratified_folds(data):
    X, y = data
    result = cross_validate(
        make_estimator(MLPNetClassifier, **QUICK_MLP),
        X,
        y,
        cv=StratifiedKFold(3),
        return_estimator=True,
        scoring=["accuracy", "neg_log_loss"],
    )
    assert len(result["test_accuracy"]) == 3
    assert np.all(result["test_accuracy"] > 0.9)
    assert np.all(np.isfinite(result["test_neg_log_loss"]))
    # each fold trained its own clone
    fitted = result["estimator"]
    assert len({id(est.module_) for est in fitted}) == 3


def test_cross_val_predict_proba(data):
    X, y = data
    proba = cross_val_predict(
        make_estimator(MLPNetClassifier, **QUICK_MLP), X, y, cv=3, method="predict_proba"
    )
    assert proba.shape == (len(X), 3)
    # columns in the order of the sorted labels, as for any sklearn classifier
    np.testing.assert_array_equal(np.array(["0", "4", "9"])[proba.argmax(axis=1)], y)


def test_grid_search_over_pipeline_parameters(data):
    X, y = data
    pipe = Pipeline([("norm", PixelNormalizer()), ("clf", make_estimator(MLPNetClassifier))])
    grid = {"clf__dropout": [0.0, 0.5], "clf__lr": [1e-3, 1e-2]}
    search = GridSearchCV(pipe, grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    best = search.best_estimator_.named_steps["clf"]
    assert best.dropout == search.best_params_["clf__dropout"]
    assert best.lr == search.best_params_["clf__lr"]
    # the refitted best network was built with the chosen settings
    assert best.optimizer_.param_groups[0]["lr"] == best.lr
    assert search.predict(X).shape == (len(X),)
    # the estimator in the search space was not fitted itself
    assert not hasattr(pipe.named_steps["clf"], "module_")


def test_grid_search_directly_on_the_estimator(data):
    X, y = data
    search = GridSearchCV(
        make_estimator(MLPNetClassifier), {"dropout": [0.0, 0.5], "lr": [1e-3, 1e-2]}, cv=2
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_estimator_.dropout in (0.0, 0.5)


def test_soft_voting_of_mlp_and_lenet5(data):
    X, y = data
    voting = VotingClassifier(
        [
            ("mlp", make_estimator(MLPNetClassifier, **QUICK_MLP)),
            ("lenet", make_estimator(LeNet5Classifier, max_epochs=5, lr=0.01)),
        ],
        voting="soft",
    ).fit(X, y)
    mlp, lenet = voting.estimators_
    np.testing.assert_allclose(
        voting.predict_proba(X),
        (mlp.predict_proba(X) + lenet.predict_proba(X)) / 2,
        rtol=1e-5,
        atol=1e-6,
    )
    np.testing.assert_array_equal(voting.classes_, ["0", "4", "9"])
    assert voting.score(X, y) > 0.9


def test_stacking(data):
    X, y = data
    stack = StackingClassifier(
        [
            ("mlp", make_estimator(MLPNetClassifier, **QUICK_MLP)),
            ("lenet", make_estimator(LeNet5Classifier)),
        ],
        final_estimator=LogisticRegression(),
        cv=2,
    ).fit(X, y)
    # the final estimator sees each base network's class probabilities
    assert stack.transform(X).shape == (len(X), 2 * 3)
    assert set(stack.predict(X)) <= set(y)
    assert stack.score(X, y) > 0.9


def test_clone_inside_meta_estimators_keeps_random_state(data):
    X, y = data
    clf = make_estimator(MLPNetClassifier, random_state=11)
    pipe = Pipeline([("clf", clf)])
    a = clone(pipe).fit(X, y).predict_proba(X)
    b = clone(pipe).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)


def test_cross_validate_in_parallel_worker_processes(data):
    # n_jobs=2 sends the unfitted estimator to worker processes and the
    # fitted ones back: both pickle, and the seeded results match the
    # sequential run's.
    X, y = data
    estimator = make_estimator(MLPNetClassifier, **QUICK_MLP)
    parallel = cross_validate(
        estimator, X, y, cv=StratifiedKFold(2), n_jobs=2, return_estimator=True
    )
    sequential = cross_validate(estimator, X, y, cv=StratifiedKFold(2), return_estimator=True)
    for a, b in zip(parallel["estimator"], sequential["estimator"], strict=False):
        # loky's workers run torch on 1 thread, this process on more: sums are added in
        # another order, so the last bits may differ (seen: 1e-11)
        np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=0, atol=1e-7)
    assert a.device == "auto"
