"""GridSearchCV on a Dask cluster of worker processes, through joblib's dask backend."""

import joblib
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import Pipeline

from skmnist import MLPNetClassifier, PixelNormalizer, load_mnist_sample

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def data():
    X, y = load_mnist_sample(return_X_y=True)
    return X[:300], y[:300]


@pytest.fixture
def one_torch_thread():
    """The workers' thread count (Dask starts them with OMP_NUM_THREADS=1) for serial runs.

    Bitwise-equal results need equal thread counts: threads split float sums.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _pipeline():
    clf = MLPNetClassifier(max_epochs=2, batch_size=32, random_state=0)
    return Pipeline([("norm", PixelNormalizer()), ("clf", clf)])


def test_grid_search_on_the_cluster_equals_the_serial_search(client, data, one_torch_thread):
    X, y = data
    grid = {"clf__lr": [1e-3, 1e-2], "clf__dropout": [0.0, 0.3]}
    search = GridSearchCV(_pipeline(), grid, cv=StratifiedKFold(3))
    with distributed.get_task_stream(client) as tasks, joblib.parallel_config(backend="dask"):
        on_cluster = clone(search).fit(X, y)
    assert len(tasks.data) >= 12  # the 4 x 3 fits ran on the workers
    serial = clone(search).fit(X, y)
    for key in (
        "split0_test_score",
        "split1_test_score",
        "split2_test_score",
        "mean_test_score",
        "rank_test_score",
    ):
        np.testing.assert_array_equal(on_cluster.cv_results_[key], serial.cv_results_[key])
    assert on_cluster.best_params_ == serial.best_params_


def test_fitted_pipelines_travel_both_ways(client, data, one_torch_thread):
    X, y = data
    with joblib.parallel_config(backend="dask"):
        fitted_there = cross_validate(_pipeline(), X, y, cv=2, return_estimator=True)["estimator"]
    fitted_here = cross_validate(_pipeline(), X, y, cv=2, return_estimator=True)["estimator"]
    for there, here in zip(fitted_there, fitted_here, strict=False):
        np.testing.assert_array_equal(there.predict_proba(X), here.predict_proba(X))
        # and a fitted pipeline predicts the same on a worker
        np.testing.assert_array_equal(client.submit(here.predict, X).result(), here.predict(X))
    assert fitted_there[0].named_steps["clf"].device == "auto"
