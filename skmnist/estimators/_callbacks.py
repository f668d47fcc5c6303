"""Callbacks the estimators install by default."""

import copy
import math
import re
import sys
from contextlib import contextmanager

import torch
from skorch.callbacks import Callback, LRScheduler, PrintLog

from ..exceptions import TrainingDivergedError

_ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")

#: The names in ``callbacks_`` of the default callbacks that the estimator and its
#: training state look up: the training monitor and the learning-rate schedule.
MONITOR = "monitor"
SCHEDULE = "lr_schedule"


class EpochLog(PrintLog):
    """skorch's :class:`~skorch.callbacks.PrintLog`: a table row per epoch, the best values
    in colour on a terminal, and without colour codes in a log file or a pipe."""

    def table(self, row):
        text = super().table(row)
        return text if sys.stdout.isatty() else _ANSI_CODES.sub("", text)


class BatchAccuracy(Callback):
    """Record the epoch's accuracy from the predictions made on each batch.

    Counting happens on the device, with one synchronisation per epoch; the
    training accuracy is the running one (dropout and augmentation active),
    as Keras reports it.

    Parameters
    ----------
    on_train : bool, default=True
        Count the training batches (``train_acc``) or the validation batches
        (``valid_acc``).

    Examples
    --------
    Every skmnist estimator installs two, for ``train_acc`` and ``valid_acc``:

    >>> from skmnist import MLPNetClassifier, load_mnist_sample
    >>> from skmnist.estimators import BatchAccuracy
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = MLPNetClassifier(max_epochs=1, random_state=0).fit(X[:500], y[:500])
    >>> callbacks = dict(clf.callbacks_)
    >>> isinstance(callbacks["train_acc"], BatchAccuracy)
    True
    >>> 0.0 <= clf.history[-1, "train_acc"] <= 1.0
    True
    """

    def __init__(self, on_train=True):
        self.on_train = on_train

    @property
    def name(self):
        return "train_acc" if self.on_train else "valid_acc"

    def on_epoch_begin(self, net, **kwargs):
        self.correct_ = None
        self.total_ = 0

    def on_batch_end(self, net, batch=None, training=None, y_pred=None, **kwargs):
        if training != self.on_train or y_pred is None or batch[1] is None:
            return
        y_true = batch[1]
        correct = (y_pred.argmax(dim=1) == y_true).sum()
        self.correct_ = correct if self.correct_ is None else self.correct_ + correct
        self.total_ += len(y_true)

    def on_epoch_end(self, net, **kwargs):
        if self.total_ and self.correct_ is not None:
            net.history.record(self.name, float(self.correct_) / self.total_)

    def get_params(self, deep=True):
        """The callback's parameters, as for a scikit-learn estimator.

        Parameters
        ----------
        deep : bool, default=True
            Ignored: the callback holds no estimators.

        Returns
        -------
        params : dict
            ``{"on_train": on_train}``.
        """
        return {"on_train": self.on_train}


class LearningRateRecorder(Callback):
    """Record the learning rate each epoch starts with as ``lr`` in the history."""

    def on_epoch_begin(self, net, **kwargs):
        net.history.record("lr", net.optimizer_.param_groups[0]["lr"])


class EpochProgressBar(Callback):
    """A tqdm progress bar per epoch, with the running loss and accuracy.

    Shown when the estimator's ``verbose`` is 1 or more and its stream
    (standard error) is a terminal: a log file or a pipe gets the table rows
    of :class:`~skorch.callbacks.PrintLog` only, without the bar's redraws.
    The running loss and accuracy are read from the device every ``refresh``
    batches.
    """

    def __init__(self, refresh=10):
        self.refresh = refresh

    def on_epoch_begin(self, net, dataset_train=None, **kwargs):
        from tqdm.auto import tqdm

        total = None
        if dataset_train is not None:
            total = len(net.get_iterator(dataset_train, training=True))
        epochs = getattr(net, "max_epochs_", net.max_epochs)
        self.bar_ = tqdm(
            total=total,
            desc=f"epoch {len(net.history)}/{epochs}",
            unit="batch",
            leave=False,
            # None: tqdm shows the bar on a terminal only
            disable=None if net.verbose else True,
        )
        self.loss_sum_, self.batches_ = None, 0

    def on_batch_end(self, net, training=None, loss=None, **kwargs):
        if not training or self.bar_.disable:
            return
        # summed on the device, read every ``refresh`` batches
        loss = loss.detach()
        self.loss_sum_ = loss if self.batches_ == 0 else self.loss_sum_ + loss
        self.batches_ += 1
        self.bar_.update()
        if self.batches_ % self.refresh == 0:
            postfix = {"loss": f"{float(self.loss_sum_) / self.batches_:.4f}"}
            accuracy = dict(net.callbacks_).get("train_acc")
            if accuracy is not None and accuracy.total_:
                postfix["acc"] = f"{float(accuracy.correct_) / accuracy.total_:.4f}"
            self.bar_.set_postfix(postfix, refresh=False)

    def on_epoch_end(self, net, **kwargs):
        self._close()

    def on_train_end(self, net, **kwargs):
        self._close()  # an epoch cut short (Ctrl-C) left its bar open

    def _close(self):
        if getattr(self, "bar_", None) is not None:
            self.bar_.close()
        self.bar_ = None  # it holds its stream, which cannot be pickled

    def __getstate__(self):
        # whatever happened to training, a fitted estimator pickles
        return {**self.__dict__, "bar_": None}


class Schedule(LRScheduler):
    """skorch's :class:`~skorch.callbacks.LRScheduler`, saying what it is when it cannot be made.

    The scheduler is made when training starts, on the estimator's optimizer;
    settings the scheduler class refuses become a ValueError that names
    ``description`` (the estimator's ``lr_schedule`` and
    ``lr_schedule_params``) instead of torch's bare message.
    """

    def __init__(self, policy, *, description="the learning-rate schedule", **kwargs):
        super().__init__(policy=policy, **kwargs)
        self.description = description

    @property
    def kwargs(self):
        return {k: v for k, v in super().kwargs.items() if k != "description"}

    def on_train_begin(self, net, resume=False, **kwargs):
        # ``resume``: a later ``partial_fit`` call, which goes on with the scheduler
        # it has (unless the optimizer was replaced)
        scheduler = getattr(self, "lr_scheduler_", None)
        if resume and getattr(scheduler, "optimizer", None) is net.optimizer_:
            return
        with self._explained(type(net).__name__):
            self._make(net)

    def check(self, optimizer, name):
        """Make the scheduler once on ``optimizer`` (a stand-in), as training would: a
        ValueError says what it refuses, naming the estimator ``name``."""
        with self._explained(name):
            self.initialize().policy_(optimizer, **self._settings(optimizer))

    def _settings(self, optimizer):
        """The scheduler's settings on ``optimizer``."""
        return self.kwargs

    def _make(self, net):
        super().on_train_begin(net)

    @contextmanager
    def _explained(self, name):
        try:
            yield
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError(
                f"The learning-rate schedule of {name} ({self.description}) cannot be made: {exc}"
            ) from None


class OneCycleScheduler(Schedule):
    """A :class:`Schedule` with :class:`~torch.optim.lr_scheduler.OneCycleLR`, stepped per batch.

    Each fit runs one whole cycle of ``total_steps`` batches from a new
    scheduler, and the calls of ``partial_fit`` run one cycle together; past
    its end, training goes on at the cycle's final rate. The momentum (or
    beta1) cycles against the rate, as torch's scheduler does, in optimizers
    that have one: not in those without (Adagrad, say), nor in SGD with a
    momentum of 0; ``cycle_momentum`` in ``lr_schedule_params`` decides
    instead when given.
    """

    def __init__(self, **kwargs):
        super().__init__(policy=torch.optim.lr_scheduler.OneCycleLR, step_every="batch", **kwargs)

    def _settings(self, optimizer):
        settings = self.kwargs
        if "cycle_momentum" not in settings:
            defaults = optimizer.defaults
            has_one = "betas" in defaults or defaults.get("momentum", 0) > 0
            settings = {**settings, "cycle_momentum": has_one}
        return settings

    def _make(self, net):
        self.lr_scheduler_ = self.policy_(net.optimizer_, **self._settings(net.optimizer_))

    def on_batch_end(self, net, training, **kwargs):
        # OneCycleLR refuses to step past its total
        scheduler = self.lr_scheduler_
        if training and scheduler is not None and scheduler.last_epoch + 1 < scheduler.total_steps:
            scheduler.step()


class EarlyStop(Exception):
    """Ends training early: the estimator raises it once every callback has seen the
    epoch in which :class:`TrainingMonitor` set ``stop_`` (and catches it)."""


class TrainingMonitor(Callback):
    """Keep the best weights, stop early, and catch a diverging run.

    After each epoch the weights of the best epoch so far (lowest
    ``monitor``, or the training loss when the history has no ``monitor``)
    are kept; with ``early_stopping`` training ends once
    ``n_iter_no_change`` epochs in a row did not improve on the best by more
    than ``tol`` (the monitor sets ``stop_``; the estimator ends training once
    the other callbacks, the epoch's log line included, have seen that epoch).
    With ``plateau_after`` set it ends on such a plateau too,
    once ``plateau_after`` epochs of this training are done (the estimators'
    stop on a plateau of the training loss under ``max_epochs="auto"``).
    A training loss that is NaN, infinite or more than
    ``explode_factor`` times that of the first batch (at least 1) in any
    batch of an epoch raises :class:`~skmnist.exceptions.TrainingDivergedError`
    when that epoch ends (the losses are read from the device once per epoch). The estimator calls
    :meth:`restore_best` and :meth:`restore_safe` to put weights back.
    """

    def __init__(
        self,
        monitor="valid_loss",
        early_stopping=False,
        n_iter_no_change=5,
        tol=1e-4,
        explode_factor=100.0,
        plateau_after=None,
    ):
        self.monitor = monitor
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.explode_factor = explode_factor
        self.plateau_after = plateau_after

    def on_train_begin(self, net, **kwargs):
        self.first_epoch_ = len(net.history)  # epochs of earlier training (warm_start)
        self.best_score_ = math.inf
        self.best_epoch_ = None
        self.best_state_ = None
        self.wait_ = 0
        self.first_loss_ = None
        self.stop_ = False

    def on_epoch_begin(self, net, **kwargs):
        self.safe_state_ = _snapshot(net)

    def on_epoch_end(self, net, **kwargs):
        self._check_divergence(net)
        monitor = self.monitor if self.monitor in net.history[-1] else "train_loss"
        score = net.history[-1, monitor]
        if score < self.best_score_ - self.tol:
            self.best_score_, self.best_epoch_, self.wait_ = score, len(net.history), 0
            self.best_state_ = _snapshot(net)
        else:
            self.wait_ += 1
        net.history.record("best", self.best_epoch_ == len(net.history))
        trained = len(net.history) - self.first_epoch_
        plateau = self.plateau_after is not None and trained >= self.plateau_after
        self.stop_ = (self.early_stopping or plateau) and self.wait_ >= self.n_iter_no_change

    def _check_divergence(self, net):
        # the batch losses are read from the device once per epoch (see
        # ``BaseMNISTClassifier.run_single_epoch``), so they are checked here
        losses = [row["train_loss"] for row in net.history[-1]["batches"] if "train_loss" in row]
        if not losses:
            return
        if self.first_loss_ is None:
            self.first_loss_ = losses[0]
        limit = self.explode_factor * max(self.first_loss_, 1.0)
        for loss in losses:
            if not math.isfinite(loss) or loss > limit:
                epoch = len(net.history)
                raise TrainingDivergedError(
                    f"Training diverged in epoch {epoch}: the training loss reached {loss:.4g} "
                    f"(it started at {self.first_loss_:.4g}). Lower the learning rate (lr="
                    f"{net.lr:g} now), or clip gradients with clip_grad_norm. The weights of "
                    f"the start of epoch {epoch} were restored."
                )

    def forget(self):
        """Drop the weight snapshots once training is over (they are not model state)."""
        self.best_state_ = self.safe_state_ = None

    def restore_best(self, net):
        """Put back the weights of the best epoch; False if there was none."""
        if getattr(self, "best_state_", None) is None:
            return False
        _restore(net, self.best_state_)
        return True

    def restore_safe(self, net):
        """Put back the weights of the start of the current epoch."""
        _restore(net, self.safe_state_)


def _snapshot(net):
    return {
        "module": {k: v.detach().clone() for k, v in net.module_.state_dict().items()},
        "optimizer": copy.deepcopy(net.optimizer_.state_dict()),
    }


def _restore(net, state):
    net.module_.load_state_dict(state["module"])
    net.optimizer_.load_state_dict(state["optimizer"])
