"""Torch's threads in a parallel search: the workers' share of the cores, and no changes.

Worker processes take their share from the environment joblib and Dask give
them; fits in threads of one process leave torch's thread count as it is
(docs/benchmarks/process-settings.md: sharing the cores between them did not
make such fits faster).
"""

import threading

import joblib
import numpy as np
import pytest
import torch
from joblib.externals.loky import get_reusable_executor
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback, Checkpoint

from skmnist import MLPNetClassifier, load_mnist_sample

# the environment variables through which joblib and Dask limit their workers' threads
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# meeting point of the fits running in two threads (a module global: clone copies callbacks)
_BARRIER = threading.Barrier(2, timeout=60)


class ThreadProbe(Callback):
    """Record torch's thread count in the first epoch; ``meet``: with a second fit's thread."""

    def __init__(self, meet=False):
        self.meet = meet

    def on_train_begin(self, net, **kwargs):
        if self.meet:  # both fits have started before either trains
            _BARRIER.wait()

    def on_epoch_end(self, net, **kwargs):
        net.history.record("torch_threads", torch.get_num_threads())
        if self.meet:  # neither ends before both have recorded
            _BARRIER.wait()


def _torch_threads(estimator, X, y):
    """A scorer: the thread count the fold's fit trained with."""
    return estimator.history[-1, "torch_threads"]


def _threads_in_search(meet, n_jobs=2):
    X, y = load_mnist_sample(return_X_y=True)
    clf = MLPNetClassifier(
        max_epochs=1,
        batch_size=32,
        random_state=0,
        device="cpu",
        callbacks=[("probe", ThreadProbe(meet=meet))],
    )
    search = GridSearchCV(
        clf,
        {"lr": [1e-3, 1e-2]},
        cv=2,
        n_jobs=n_jobs,
        refit=False,
        scoring=_torch_threads,
        error_score="raise",
    ).fit(X[:200], y[:200])
    results = search.cv_results_
    return {int(t) for t in np.r_[results["split0_test_score"], results["split1_test_score"]]}


@pytest.fixture
def torch_threads():
    """Restore torch's thread count of the main thread and of new threads afterwards."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_loky_workers_get_their_share_of_the_cores(monkeypatch):
    # joblib's default backend starts its workers with OMP_NUM_THREADS (and
    # the like) at cpu_count() // n_jobs, unless this process has them set
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    try:
        assert _threads_in_search(meet=False) == {max(1, joblib.cpu_count() // 2)}
    finally:  # no idle workers left behind
        get_reusable_executor().shutdown(wait=True)


def test_fits_in_threads_leave_torch_threads_as_they_are(torch_threads):
    # new threads start with the process's count; two fits at a time in threads keep it
    torch.set_num_threads(4)
    with joblib.parallel_config(backend="threading"):
        assert _threads_in_search(meet=True) == {4}
    assert torch.get_num_threads() == 4
    seen = []
    worker = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
    worker.start()
    worker.join()
    assert seen == [4]


def test_a_fit_alone_keeps_torch_threads(torch_threads):
    torch.set_num_threads(3)
    assert _threads_in_search(meet=False, n_jobs=1) == {3}
    assert torch.get_num_threads() == 3


def test_a_training_estimator_still_pickles(tmp_path):
    # skorch's Checkpoint(f_pickle=...) pickles the net while it trains
    checkpoint = Checkpoint(
        monitor="train_loss_best",
        f_params=None,
        f_optimizer=None,
        f_criterion=None,
        f_history=None,
        f_pickle="net.pkl",
        dirname=str(tmp_path),
    )
    X, y = load_mnist_sample(return_X_y=True)
    MLPNetClassifier(max_epochs=1, device="cpu", callbacks=[("checkpoint", checkpoint)]).fit(
        X[:100], y[:100]
    )
    assert (tmp_path / "net.pkl").stat().st_size > 0
