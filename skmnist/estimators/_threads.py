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


@contextmanager
def cpu_thread_share(device):
    """Count a fit on ``device`` among those running; yield what sets its share.

    The yielded function, called at the start of each epoch, sets the calling
    thread's torch threads to its share of the CPU. On other devices it does
    nothing.
    """
    if torch.device(device).type != "cpu":
        yield lambda: None
        return
    global _running, _total
    with _lock:
        if _running == 0:
            _total = torch.get_num_threads()
        _running += 1
        total = _total
    changed = False

    def take_share():
        nonlocal changed
        share = max(1, total // _running)
        if share != torch.get_num_threads():
            torch.set_num_threads(share)
            changed = True

    try:
        yield take_share
    finally:
        with _lock:
            _running -= 1
        if changed:
            torch.set_num_threads(total)
