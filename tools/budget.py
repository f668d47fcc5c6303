"""A time budget: the seconds left, and fits that stop as soon as they cannot end in time.

``python -m tools.gpu_check --budget SECONDS`` runs against a :class:`Budget`:
a step starts only when enough time is left, and every fit carries a
:class:`FinishBy` callback that stops it, raising :class:`OutOfTime`, at the
end of the first epoch after which, projected from its epochs so far, it could
no longer end in time. The estimator undoes a fit that raises, so a stopped
fit is reported with its reason, never kept half-trained. :func:`fit_seeds`
fits one configuration at several seeds within a budget.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import math
import time

from sklearn.base import clone
from skorch.callbacks import Callback

from skmnist.benchmarks._evaluation import fit_and_score


def clock() -> float:
    """The clock every budget reads, in seconds (:func:`time.perf_counter`)."""
    return time.perf_counter()


class OutOfTime(Exception):
    """Raised by a fit, or a step, that could not end within the budget."""


class Budget:
    """The time from now until ``seconds`` from now; no limit if ``seconds`` is None."""

    def __init__(self, seconds: float | None = None):
        self.end = None if seconds is None else clock() + seconds

    def left(self) -> float:
        """Seconds left (negative once spent); infinite without a limit."""
        return math.inf if self.end is None else self.end - clock()

    def bound(self, estimator, reserve_ratio: float = 0.0):
        """Add a :class:`FinishBy` to ``estimator``'s callbacks, in place; return it.

        Without a limit the estimator is returned unchanged. ``reserve_ratio``
        is passed on to :class:`FinishBy`.
        """
        if self.end is None:
            return estimator
        finish = FinishBy(self.end, reserve_ratio)
        return estimator.set_params(callbacks=[*(estimator.callbacks or []), ("budget", finish)])


class FinishBy(Callback):
    """A skorch callback that stops a fit which can no longer end by ``end``, a :func:`clock` time.

    A fit that would start at or after ``end`` raises :class:`OutOfTime` at
    once. After each epoch, the fit's end is projected from the mean time of
    its epochs so far over ``max_epochs`` (early stopping can only end it
    sooner); it raises when that end is past ``end`` less ``reserve_ratio``
    times the projected fit: the time a candidate needs free after it, to be
    fitted again on more data if it is chosen.
    """

    def __init__(self, end: float, reserve_ratio: float = 0.0):
        self.end = end
        self.reserve_ratio = reserve_ratio

    def on_train_begin(self, net, **kwargs):
        self.started_ = clock()
        self.epochs_ = 0
        if self.started_ >= self.end:
            raise OutOfTime("not started: no time left in the budget")

    def on_epoch_end(self, net, **kwargs):
        self.epochs_ += 1
        now = clock()
        spent = now - self.started_
        total = spent / self.epochs_ * max(net.max_epochs, self.epochs_)
        free = self.reserve_ratio * total
        if self.started_ + total + free > self.end:
            raise OutOfTime(
                f"stopped after {self.epochs_} of {net.max_epochs} epochs ({spent:.0f} s): at "
                f"that pace it needs {total - spent:.0f} s more"
                + (f" and {free:.0f} s must stay free after it" if free else "")
                + f", with {self.end - now:.0f} s left in the budget"
            )


def fit_seeds(estimator, seeds, data, budget, needs=0.0):
    """Fit and score ``estimator`` at each of ``seeds`` in turn, while ``budget`` allows.

    Each fit is a clone at ``random_state=seed``, fitted and scored by
    :func:`~skmnist.benchmarks.suites.fit_and_score` on ``data``,
    ``(X_train, y_train, X_test, y_test)``. It starts only with ``needs``
    seconds left, or as long as the longest fit so far took, and stops as
    soon as it cannot end in time; no fit follows one that did not end.

    Returns
    -------
    fits : list of (int, estimator, dict)
        The seed, the fitted estimator and its scores, for each fit that ended.
    stopped : str or None
        Why the fits from some seed on were not made, if they were not.
    """
    fits: list[tuple] = []
    for seed in seeds:
        needs = max([needs, *(scores["fit_seconds"] for *_, scores in fits)])
        clf = budget.bound(clone(estimator).set_params(random_state=seed))
        try:
            if budget.left() < needs:
                raise OutOfTime(
                    f"not started: {budget.left():.0f} s left, a fit takes {needs:.0f} s"
                )
            scores, _ = fit_and_score(clf, *data)
        except OutOfTime as exc:
            later = f" to {seeds[-1]}" if seed != seeds[-1] else ""
            return fits, f"random_state {seed}{later} not fitted: {exc}"
        fits.append((seed, clf, scores))
        print(f"  random_state {seed}: accuracy {scores['accuracy']:.4f}", flush=True)
    return fits, None
