"""A deadline for the GPU check: the time left, and fits that stop once they cannot end in time.

A GPU machine is lent for minutes, and a command run there is killed at its
limit. The check therefore runs against a :class:`Deadline`: a step starts
only when enough time is left, and a fit in progress carries a
:class:`FinishBy` callback that stops it (raising :class:`OutOfTime`, which
undoes the fit) at the end of the first epoch after which the fit, projected
from its epochs so far, could no longer end before the deadline with the time
it must leave free. Nothing is cut short silently: a stopped fit is an error
with its reason, never a model trained on part of its schedule.
"""

from __future__ import annotations

import math
import time

from skorch.callbacks import Callback

__all__ = ["Deadline", "FinishBy", "OutOfTime", "clock"]


def clock() -> float:
    """The clock every deadline reads (seconds; :func:`time.perf_counter`)."""
    return time.perf_counter()


class OutOfTime(Exception):
    """Raised by a fit, or a step, that could not end before the deadline."""


class Deadline:
    """A fixed time ``seconds`` from now, or none.

    Parameters
    ----------
    seconds : float or None
        Seconds from now; None: no deadline (:meth:`left` is infinite).
    """

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.end = None if seconds is None else clock() + seconds

    def left(self) -> float:
        """Seconds left (may be negative); infinite without a deadline."""
        return math.inf if self.end is None else self.end - clock()

    def bound(self, estimator, reserve: float = 0.0, reserve_ratio: float = 0.0):
        """``estimator`` with a :class:`FinishBy` added to its ``callbacks`` (as is without one).

        Parameters
        ----------
        estimator : skmnist estimator
            Set in place; its own callbacks are kept.
        reserve, reserve_ratio : float, default=0.0
            See :class:`FinishBy`.

        Returns
        -------
        estimator : skmnist estimator
            The same estimator.
        """
        if self.end is None:
            return estimator
        finish = FinishBy(self.end, reserve=reserve, reserve_ratio=reserve_ratio)
        return estimator.set_params(callbacks=[*(estimator.callbacks or []), ("deadline", finish)])


class FinishBy(Callback):
    """A skorch callback that stops a fit which can no longer end before ``end``.

    After each epoch, the fit's end is projected from the mean time of its
    epochs so far (``max_epochs`` in all; early stopping can only end it
    sooner). When that end, plus the time that must stay free after it, is
    past ``end``, it raises :class:`OutOfTime` (the estimator then undoes the
    fit).

    Parameters
    ----------
    end : float
        The deadline, a time of :func:`clock`.
    reserve : float, default=0.0
        Seconds that must stay free after the fit.
    reserve_ratio : float, default=0.0
        Seconds that must stay free after the fit per second of the fit
        (projected); the larger of this and ``reserve`` is kept free. For a
        candidate that may have to be fitted again on more data.
    """

    def __init__(self, end: float, reserve: float = 0.0, reserve_ratio: float = 0.0):
        self.end = end
        self.reserve = reserve
        self.reserve_ratio = reserve_ratio

    def on_train_begin(self, net, **kwargs):
        self.started_ = clock()
        self.epochs_ = 0

    def on_epoch_end(self, net, **kwargs):
        self.epochs_ += 1
        now = clock()
        spent = now - self.started_
        total = spent / self.epochs_ * max(net.max_epochs, self.epochs_)
        free = max(self.reserve, self.reserve_ratio * total)
        if self.started_ + total + free > self.end:
            raise OutOfTime(
                f"stopped after {self.epochs_} of {net.max_epochs} epochs ({spent:.0f} s): at "
                f"that pace it needs {total - spent:.0f} s more"
                + (f" and {free:.0f} s must stay free after it" if free else "")
                + f", with {self.end - now:.0f} s left before the deadline"
            )
