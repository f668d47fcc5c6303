"""The training budget: ``batch_size="auto"`` and ``max_epochs="auto"`` resolved from the data.

A fit on MNIST-sized data trains 10 epochs of 128-image batches; a small data
set gets smaller batches and more epochs, ended by a plateau of the training
loss (the :class:`~skmnist.estimators._callbacks.TrainingMonitor` built by
:mod:`._training`).
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import math
import numbers

from ._net_base import _NetBase

# ``batch_size="auto"`` and ``max_epochs="auto"``: the training budget for the data at hand
#: the batch size of data sets of 12,800 images or more, and of predictions
AUTO_BATCH_SIZE = 128
#: the smallest batch size "auto" picks
AUTO_MIN_BATCH_SIZE = 16
#: a smaller data set gets batches of n_train // AUTO_BATCHES_PER_EPOCH images
AUTO_BATCHES_PER_EPOCH = 100
#: "auto" trains at least this many epochs (all of them on 20,000 images or more)
AUTO_MIN_EPOCHS = 10
#: ... and at most this many
AUTO_MAX_EPOCHS = 200
#: ... and in between, enough epochs for this many training images in all
AUTO_SAMPLES = 200_000


def training_budget(batch_size, max_epochs, n_train):
    """The batch size and the epochs that ``fit`` trains with on ``n_train`` images.

    ``batch_size`` and ``max_epochs`` are the parameters: an integer is used
    as given (a batch size of -1 is the whole data set), ``"auto"`` is
    resolved from the size of the training data:

    - ``batch_size="auto"``: ``n_train // 100``, between 16 and 128, so that
      a small data set gets about 100 optimizer steps per epoch; 128 from
      12,800 images on.
    - ``max_epochs="auto"``: enough epochs for 200,000 training images in
      all, at least 10 and at most 200; 10 from 20,000 images on. Beyond the
      tenth epoch, training also stops once the training loss has not
      improved by ``tol`` for ``n_iter_no_change`` epochs, and the last
      weights are kept.

    On the full MNIST (50,000 or 60,000 training images) "auto" is 10 epochs
    of 128-image batches, as the integer defaults were before.

    Parameters
    ----------
    batch_size : int or "auto"
        The ``batch_size`` parameter.
    max_epochs : int or "auto"
        The ``max_epochs`` parameter.
    n_train : int
        Images that train: those left after ``early_stopping`` holds its
        validation part out.

    Returns
    -------
    batch_size, max_epochs : int
        What ``fit`` stores as ``batch_size_`` and ``max_epochs_``.

    Examples
    --------
    >>> from skmnist.estimators import training_budget
    >>> training_budget("auto", "auto", 60_000), training_budget("auto", "auto", 1_400)
    ((128, 10), (16, 143))
    >>> training_budget(64, 5, 1_400), training_budget("auto", "auto", 30)
    ((64, 5), (16, 200))
    """
    n_train = max(int(n_train), 1)
    if batch_size == "auto":
        batch_size = min(
            AUTO_BATCH_SIZE, max(AUTO_MIN_BATCH_SIZE, n_train // AUTO_BATCHES_PER_EPOCH)
        )
    elif batch_size == -1:
        batch_size = n_train
    if max_epochs == "auto":
        max_epochs = min(AUTO_MAX_EPOCHS, max(AUTO_MIN_EPOCHS, math.ceil(AUTO_SAMPLES / n_train)))
    return int(batch_size), int(max_epochs)


class _BudgetMixin(_NetBase):
    """The batch size and the epochs a fit trains with, resolved from its data."""

    def _epoch_budget(self):
        """The epochs ``fit`` trains at most: ``max_epochs_`` once resolved from the data.

        Before (a check of the parameters, a model loaded from a file), "auto"
        counts as ``AUTO_MIN_EPOCHS``, which is what it is on large data.
        """
        resolved = getattr(self, "max_epochs_", None)
        if resolved is not None:
            return resolved
        return self.max_epochs if isinstance(self.max_epochs, numbers.Integral) else AUTO_MIN_EPOCHS

    def _training_batch_size(self):
        """Images per training batch: ``batch_size_`` once resolved from the data."""
        resolved = getattr(self, "batch_size_", None)
        if resolved is not None:
            return resolved
        return self.batch_size if isinstance(self.batch_size, numbers.Integral) else AUTO_BATCH_SIZE

    def _resolve_budget(self, data):
        """Set ``batch_size_`` and ``max_epochs_`` for training on ``data`` (see
        :func:`training_budget`); ``early_stopping``'s validation part does not train."""
        n_train = len(data)
        if self.early_stopping:
            n_train -= self._n_valid(n_train)
        self.batch_size_, self.max_epochs_ = training_budget(
            self.batch_size, self.max_epochs, n_train
        )
