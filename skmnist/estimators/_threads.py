"""Torch's CPU threads, shared by the fits that run side by side in one process.

Worker processes need nothing from the estimators: joblib's default "loky"
backend starts its workers with ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``, ...
set to ``cpu_count() // n_jobs``, Dask's nanny starts its workers with 1, and
torch takes its thread count from them when it starts in the worker. Threads
are another matter: each thread that starts using torch takes the process's
whole thread count, so ``k`` fits in ``k`` threads (joblib's "threading"
backend, ``n_jobs`` of Optuna's ``Study.optimize`` and ``OptunaSearchCV``,
Dask workers with several threads) would run ``k`` times as many threads as
there are cores, and oversubscribed OpenMP threads spin instead of working.

So while ``k`` fits train on the CPU in one process, each takes ``n // k``
threads at the start of every epoch (at least 1), ``n`` being torch's thread
count when the first of them started; a thread whose count was lowered gets
``n`` back when its fit ends. A fit that runs alone changes nothing.
"""

import threading
from contextlib import contextmanager

import torch

_lock = threading.Lock()
_running = 0  # CPU fits training now in this process
_total = 1  # torch's thread count when the first of them started
# .fit: the CPU fit training in this thread, if any
_this_thread = threading.local()


class _Fit:
    """A CPU fit training in this thread: the total it shares, and whether it changed."""

    def __init__(self, total):
        self.total = total
        self.changed = False


@contextmanager
def cpu_thread_share(device):
    """Count a fit on ``device`` among those running while it trains in this thread.

    Only fits on the CPU are counted; :func:`take_thread_share` sets their
    thread counts.
    """
    if torch.device(device).type != "cpu":
        yield
        return
    global _running, _total
    with _lock:
        if _running == 0:
            _total = torch.get_num_threads()
        _running += 1
        fit = _Fit(_total)
    outer, _this_thread.fit = getattr(_this_thread, "fit", None), fit
    try:
        yield
    finally:
        with _lock:
            _running -= 1
        if fit.changed:
            torch.set_num_threads(fit.total)
        _this_thread.fit = outer


def take_thread_share():
    """Set this thread's torch threads to its fit's share; call as each epoch starts.

    Does nothing in a thread with no CPU fit under :func:`cpu_thread_share`.
    """
    fit = getattr(_this_thread, "fit", None)
    if fit is None:
        return
    share = max(1, fit.total // _running)
    if share != torch.get_num_threads():
        torch.set_num_threads(share)
        fit.changed = True
