"""Training options: the optimizer, the schedule, the callbacks and the loop around skorch's.

What ``optimizer``, ``lr_schedule``, ``early_stopping``, ``clip_grad_norm``
and the other training parameters become: skorch callbacks and a torch
optimizer, built from the parameters when training starts (their values are
checked by :mod:`._constraints` first). When training continues
(``warm_start``, ``partial_fit``), changed settings are applied to what was
built, or refused with a message when they cannot be.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings
from contextlib import contextmanager
from typing import cast

import numpy as np
import torch
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import check_random_state
from skorch.callbacks import (
    EpochTimer,
    GradientNormClipping,
    LRScheduler,
    PassthroughScoring,
    PrintLog,
)
from skorch.dataset import get_len

from ..exceptions import TrainingDivergedError
from ._augment import resolve_augment
from ._budget import AUTO_MIN_EPOCHS
from ._callbacks import (
    BatchAccuracy,
    EarlyStop,
    EpochProgressBar,
    LearningRateRecorder,
    OneCycleScheduler,
    TrainingMonitor,
)
from ._constraints import TRAINING_CONSTRAINTS, check_params, optimizer_class
from ._data import DeviceData
from ._devices import require_device
from ._net_base import _NetBase
from ._threads import cpu_thread_share, take_thread_share

_WITH_MOMENTUM = (torch.optim.SGD, torch.optim.RMSprop)
#: parameters read by the optimizer: applied to it when training continues
_OPTIMIZER_SETTINGS = ("optimizer", "lr", "momentum", "weight_decay")


def _is_auto(value):
    # a parameter may hold anything until fit checks it (scikit-learn's checks set arrays)
    return isinstance(value, str) and value == "auto"


def _same(a, b):
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays, tensors: compared as objects
        return a is b


class _TrainingMixin(_NetBase):
    """How a skmnist estimator turns its training parameters into skorch's parts."""

    @property
    def _default_callbacks(self):
        callbacks = [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
            ("train_acc", BatchAccuracy(on_train=True)),
            ("valid_loss", PassthroughScoring(name="valid_loss")),
            ("valid_acc", BatchAccuracy(on_train=False)),
            (
                "monitor",
                TrainingMonitor(
                    early_stopping=self.early_stopping,
                    n_iter_no_change=self.n_iter_no_change,
                    tol=self.tol,
                    # max_epochs="auto": a plateau of the training loss ends training too,
                    # once the first AUTO_MIN_EPOCHS epochs are done
                    plateau_after=AUTO_MIN_EPOCHS if _is_auto(self.max_epochs) else None,
                ),
            ),
        ]
        scheduler = self._lr_scheduler_callback()
        if scheduler is not None:
            callbacks.append(("lr_schedule", scheduler))
        if self.clip_grad_norm is not None:
            callbacks.append(("clip_grad_norm", GradientNormClipping(self.clip_grad_norm)))
        # after the scheduler, which may set the epoch's first rate when it starts
        callbacks += [
            ("lr", LearningRateRecorder()),
            ("progress_bar", EpochProgressBar()),
            ("print_log", PrintLog()),
        ]
        return callbacks

    def on_epoch_begin(self, net, **kwargs):
        super().on_epoch_begin(net, **kwargs)
        # fits training side by side in threads share the CPU (see _threads.py)
        take_thread_share()

    def _lr_scheduler_callback(self):
        """The skorch LRScheduler for ``lr_schedule``, or None."""
        # get_params calls this: it must not raise; _check_training_params reports bad values
        schedule, extra = self.lr_schedule, self.lr_schedule_params
        extra = dict(extra) if isinstance(extra, dict) else {}
        schedulers = torch.optim.lr_scheduler
        if isinstance(schedule, type):
            return LRScheduler(policy=schedule, **extra)
        if not isinstance(schedule, str):
            return None
        if schedule == "plateau":
            return LRScheduler(
                policy=schedulers.ReduceLROnPlateau,
                monitor=self._monitor_name(),
                **{"patience": self.lr_patience, "factor": self.lr_factor, **extra},
            )
        epochs = self._epoch_budget()
        if schedule == "cosine":
            return LRScheduler(policy=schedulers.CosineAnnealingLR, **{"T_max": epochs, **extra})
        if schedule == "step":
            return LRScheduler(
                policy=schedulers.StepLR,
                **{"step_size": max(1, epochs // 3), "gamma": self.lr_factor, **extra},
            )
        if schedule == "onecycle":
            return OneCycleScheduler(**{"max_lr": self.lr, **extra})
        return None  # an unknown name is reported by initialize

    def _n_valid(self, n_samples):
        """Samples ``early_stopping`` holds out of ``n_samples``."""
        return max(1, round(self.validation_fraction * n_samples))

    def _monitor_name(self):
        return "valid_loss" if self.early_stopping else "train_loss"

    def _check_params(self):
        """Check every parameter against ``_parameter_constraints``, and the optimizer's
        and schedule's settings by making them once; a ValueError names the parameter."""
        check_params(self)

    def _check_training_params(self):
        """Clear errors for the parameters and the device, raised when training starts."""
        self._check_params()
        device = require_device(self.device)
        if self.mixed_precision and device.type == "cuda" and not torch.cuda.is_bf16_supported():
            raise ValueError(
                "mixed_precision uses bfloat16, which this GPU does not support; "
                "use mixed_precision=False."
            )

    def initialize_optimizer(self, triggered_directly=None):
        """Create the optimizer named by ``optimizer`` with ``lr``, ``momentum``, ``weight_decay``.

        Parameters
        ----------
        triggered_directly : None
            Ignored; skorch's deprecated argument.

        Returns
        -------
        self : object
            The estimator, with ``optimizer_`` set.
        """
        args, settings = self._optimizer_arguments()
        self.optimizer_ = optimizer_class(self.optimizer)(*args, **settings)
        return self

    def get_split_datasets(self, X, y=None, **fit_params):
        """Hold out a stratified ``validation_fraction`` when ``early_stopping`` is on.

        Parameters
        ----------
        X : DeviceData or dataset
            The validated training data (skorch's datasets are split by skorch).
        y : None
            Unused: the labels travel with ``X``.
        **fit_params : dict
            Passed on to skorch for other datasets.

        Returns
        -------
        dataset_train, dataset_valid : DeviceData
            The training part and the held-out part (None without
            ``early_stopping``), sharing ``X``'s memory.
        """
        if not (isinstance(X, DeviceData) and self.early_stopping):
            return super().get_split_datasets(X, y, **fit_params)
        labels = cast(torch.Tensor, X.y)  # training data always has labels
        y_encoded = (labels if X.indices is None else labels[X.indices]).cpu().numpy()
        n_valid = self._n_valid(len(y_encoded))
        splitter = StratifiedShuffleSplit(1, test_size=n_valid, random_state=self._seed)
        if n_valid < len(self.classes_) or np.bincount(y_encoded).min() < 2:
            splitter = ShuffleSplit(1, test_size=n_valid, random_state=self._seed)
        train, valid = next(splitter.split(np.empty(len(y_encoded)), y_encoded))
        return X.subset(np.sort(train)), X.subset(np.sort(valid))

    def _train(self, data, epochs, **fit_params):
        """Run skorch's loop for ``epochs`` epochs on validated ``data``."""
        monitor = dict(self.callbacks_)["monitor"]
        with (
            self._seeded(len(self.history) + 1) as generator,
            cpu_thread_share(self.device),
        ):
            self._shuffle_generator = generator
            try:
                self.notify("on_train_begin", X=data, y=None)
                try:
                    self.fit_loop(data, None, epochs=epochs, **fit_params)
                except EarlyStop:
                    if self.early_stopping:  # else a plateau of the training loss: kept as is
                        monitor.restore_best(self)
                except KeyboardInterrupt:
                    kept = (
                        f"the weights of epoch {monitor.best_epoch_} (best {self._monitor_name()})"
                        if monitor.restore_best(self)
                        else "the weights reached so far"
                    )
                    warnings.warn(
                        f"Training was interrupted in epoch {len(self.history)}; {kept} were kept.",
                        UserWarning,
                        stacklevel=3,
                    )
                except TrainingDivergedError:
                    monitor.restore_safe(self)
                    raise
                else:
                    if self.early_stopping:
                        monitor.restore_best(self)
                self.notify("on_train_end", X=data, y=None)
            finally:
                monitor.forget()
                del self._shuffle_generator

    @contextmanager
    def _seeded(self, offset):
        """Seed torch's global RNG from ``random_state`` (plus ``offset``) and restore it after.

        Yields a generator for the shuffling, or None when ``random_state`` is None.
        The generator is a CPU one on every device, so that a seed gives the
        same batches on the CPU and on a GPU.
        """
        seed = getattr(self, "_seed", None)
        if seed is None:
            yield None
            return
        device = torch.device(self.device)
        devices = [device] if device.type == "cuda" else []
        with torch.random.fork_rng(devices=devices):
            torch.manual_seed(seed + offset)
            yield torch.Generator().manual_seed(seed + offset)

    def _settings(self):
        """The parameters as they are now, and the budget resolved from the data (a
        schedule over ``max_epochs_`` depends on it): what :meth:`_apply_changed_settings`
        compares."""
        settings = {k: v for k, v in self.get_params(deep=False).items() if k != "callbacks"}
        settings["max_epochs_"] = self._epoch_budget()
        return settings

    def _apply_changed_settings(self):
        """Before training continues, apply what changed since the parts were built.

        A changed optimizer setting updates the optimizer (a new optimizer class
        starts afresh, with a warning), a changed device moves the network, other
        training settings rebuild the callbacks; a changed architecture cannot
        apply to the trained network and is refused.
        """
        built, now = getattr(self, "_built_with", None), self._settings()
        self._built_with = now
        if built is None:  # an estimator pickled before skmnist recorded its settings
            return
        changed = {k for k in now if not _same(now[k], built.get(k))}
        architecture = sorted(
            changed & ({*self._parameter_constraints} - {*TRAINING_CONSTRAINTS} | {"compile"})
        )
        if architecture:
            self._built_with = built
            raise ValueError(
                f"{', '.join(architecture)} changed since the network was built; warm_start "
                "and partial_fit continue training that network. Set them back, or fit with "
                "warm_start=False to build a new network."
            )
        if "device" in changed:
            self._follow_device()
        if changed & {*_OPTIMIZER_SETTINGS} or any(k.startswith("optimizer__") for k in changed):
            self._update_optimizer(built["optimizer"])
        if "augment" in changed:
            self._resolve_augment()
        if "random_state" in changed:
            self._resolve_seed()
        if changed - {
            "optimizer",
            "momentum",
            "weight_decay",
            "device",
            "augment",
            "batch_size",
            "random_state",
        }:
            for group in self.optimizer_.param_groups:
                # a schedule added now resumes at this epoch from the current rate
                group.setdefault("initial_lr", group["lr"])
            self.initialize_callbacks()

    def _resolve_seed(self):
        """``random_state`` as the integer seed of torch's generators (None: unseeded)."""
        rs = self.random_state
        if rs is None or isinstance(rs, numbers.Integral):
            self._seed = None if rs is None else int(rs)
        else:
            self._seed = int(check_random_state(rs).randint(np.iinfo(np.int32).max))

    def _resolve_augment(self):
        """``augment`` as the settings the batches are augmented with, checked against X."""
        self._augment_settings = resolve_augment(self.augment)
        if self._augment_settings is not None and self._native_image_shape is None:
            c, h, w = self.image_shape_
            if c * h * w != self.n_features_in_:
                raise ValueError(
                    f"augment needs images, but the {self.n_features_in_} features per sample "
                    "are no square image; pass X as (n_samples, height, width)."
                )

    def _update_optimizer(self, previous):
        """Apply the optimizer settings to ``optimizer_``, keeping its state where it can."""
        if type(self.optimizer_) is not optimizer_class(self.optimizer):
            self.initialize_optimizer()
            warnings.warn(
                f"optimizer changed from {previous!r} to {self.optimizer!r} while training "
                f"continues: the new {type(self.optimizer_).__name__} starts with no state "
                "(no moment estimates or momentum).",
                UserWarning,
                stacklevel=4,
            )
            return
        _, settings = self._optimizer_arguments()
        for group in self.optimizer_.param_groups:
            group.update({k: v for k, v in settings.items() if k in group})
            if "initial_lr" in group:  # where a schedule starts from
                group["initial_lr"] = group["lr"]

    def _optimizer_arguments(self):
        """The optimizer's positional arguments and its settings, ``optimizer__*`` last."""
        optimizer = optimizer_class(self.optimizer)
        args, kwargs = self.get_params_for_optimizer("optimizer", self.get_all_learnable_params())
        defaults = {"weight_decay": self.weight_decay}
        if isinstance(optimizer, type) and issubclass(optimizer, _WITH_MOMENTUM):
            defaults["momentum"] = self.momentum
        return args, {**defaults, **kwargs}

    def infer(self, x, **fit_params):
        """The module's output for one batch, under bfloat16 autocast when asked for.

        Parameters
        ----------
        x : torch.Tensor
            One batch, as the module takes it.
        **fit_params : dict
            Passed on to the module's ``forward``.

        Returns
        -------
        logits : torch.Tensor
            The module's output, as float32 under ``mixed_precision``.
        """
        if not self.mixed_precision:
            return super().infer(x, **fit_params)
        with torch.autocast(device_type=torch.device(self.device).type, dtype=torch.bfloat16):
            return super().infer(x, **fit_params).float()

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        """One pass over ``iterator``, reading the batch losses from the device once.

        skorch's loop records ``loss.item()`` after every batch, which makes
        the host wait for the GPU each time. Here each batch's loss is
        recorded as a device tensor and the whole epoch's losses are read in
        one transfer when the pass ends (or is cut short), so that the history
        holds the same floats as skorch's. Callbacks get the loss tensor as
        ``loss`` in ``on_batch_end``, as in skorch.

        Parameters
        ----------
        iterator : iterable of (torch.Tensor, torch.Tensor) or None
            The batches; None skips the pass.
        training : bool
            Whether this is the training pass.
        prefix : str
            "train" or "valid": the history keys are ``{prefix}_loss``,
            ``{prefix}_batch_size`` and ``{prefix}_batch_count``.
        step_fn : callable
            ``train_step`` or ``validation_step``.
        **fit_params : dict
            Passed on to ``step_fn``.
        """
        if iterator is None:
            return
        key, rows = f"{prefix}_loss", []
        try:
            for batch in iterator:
                self.notify("on_batch_begin", batch=batch, training=training)
                step = step_fn(batch, **fit_params)
                self.history.record_batch(key, step["loss"].detach())
                self.history.record_batch(f"{prefix}_batch_size", get_len(batch[0]))
                rows.append(self.history[-1]["batches"][-1])
                self.notify("on_batch_end", batch=batch, training=training, **step)
        finally:
            if rows:
                losses = torch.stack([row[key] for row in rows]).float().cpu().tolist()
                for row, loss in zip(rows, losses, strict=True):
                    row[key] = loss
        self.history.record(f"{prefix}_batch_count", len(rows))
