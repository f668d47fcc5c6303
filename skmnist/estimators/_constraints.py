"""What each estimator parameter takes, declared once, in scikit-learn's way.

Every estimator has a ``_parameter_constraints`` dict (the training
parameters here, each subclass adds its architecture's) checked by
:func:`check_params` when training starts, before anything is changed, and
by ``skmnist train -p`` before any data is loaded. A bad value is an
:class:`~sklearn.utils._param_validation.InvalidParameterError` (a
``ValueError``) naming the parameter, what it takes and what it got.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)

from ._augment import PRESETS, resolve_augment

OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
    "adagrad": torch.optim.Adagrad,
    "nadam": torch.optim.NAdam,
    "radam": torch.optim.RAdam,
}
LR_SCHEDULES = ("plateau", "cosine", "onecycle", "step")


class _Custom(HasMethods):
    # scikit-learn takes only its own constraint types; a custom one derives from one of
    # them and replaces its test and its description
    def __init__(self):
        super().__init__([])


class SubclassOf(_Custom):
    """A class deriving from ``base`` (an optimizer class, a scheduler class)."""

    def __init__(self, base):
        super().__init__()
        self.base = base

    def is_satisfied_by(self, val):
        return isinstance(val, type) and issubclass(val, self.base)

    def __str__(self):
        return f"a subclass of {self.base.__module__}.{self.base.__qualname__}"


class PositiveInts(_Custom):
    """A tuple (or list) of integers >= 1: ``length`` of them, or at least one."""

    def __init__(self, length=None):
        super().__init__()
        self.length = length

    def is_satisfied_by(self, val):
        return (
            isinstance(val, (tuple, list))
            and (len(val) == self.length if self.length else len(val) >= 1)
            and all(
                isinstance(v, Integral) and not isinstance(v, bool) and int(v) >= 1 for v in val
            )
        )

    def __str__(self):
        count = f"{self.length}" if self.length else "one or more"
        return f"a tuple of {count} integers >= 1"


class Device(_Custom):
    """ "auto", a :class:`torch.device`, or a name torch reads as one ("cpu", "cuda:1")."""

    def is_satisfied_by(self, val):
        if isinstance(val, torch.device) or val == "auto":
            return True
        if not isinstance(val, str):
            return False
        try:
            torch.device(val)
        except (RuntimeError, ValueError):
            return False
        return True

    def __str__(self):
        return '"auto", a device name such as "cpu", "cuda" or "cuda:1", or a torch.device'


_PROBABILITY = Interval(Real, 0, 1, closed="left")

#: The training parameters every estimator shares.
TRAINING_CONSTRAINTS = {
    "optimizer": [StrOptions(set(OPTIMIZERS)), SubclassOf(torch.optim.Optimizer)],
    "lr": [Interval(Real, 0, None, closed="neither")],
    "momentum": [Interval(Real, 0, 1, closed="both")],
    "weight_decay": [Interval(Real, 0, None, closed="left")],
    "batch_size": [
        Interval(Integral, 1, None, closed="left"),
        Options(Integral, {-1}),  # -1: all at once
        StrOptions({"auto"}),
    ],  # from the data: _budget.training_budget
    "max_epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "device": [Device()],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
    "augment": [None, StrOptions(set(PRESETS)), dict],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "lr_schedule": [
        None,
        StrOptions(set(LR_SCHEDULES)),
        SubclassOf(torch.optim.lr_scheduler.LRScheduler),
        SubclassOf(torch.optim.lr_scheduler.ReduceLROnPlateau),
    ],
    "lr_patience": [Interval(Integral, 0, None, closed="left")],
    "lr_factor": [Interval(Real, 0, 1, closed="neither")],
    "lr_schedule_params": [None, dict],
    "clip_grad_norm": [None, Interval(Real, 0, None, closed="neither")],
    "mixed_precision": ["boolean", StrOptions({"bf16"})],
    "device_data_budget": [None, Interval(Real, 0, None, closed="left")],
    "callbacks": [None, list],
    "warm_start": ["boolean"],
    "compile": ["boolean"],
}
#: A dropout probability: in [0, 1).
DROPOUT = [Interval(Real, 0, 1, closed="left")]


def check_params(estimator):
    """Check ``estimator``'s parameters against its declarations, then what several decide.

    Raises an :class:`~sklearn.utils._param_validation.InvalidParameterError`
    (a ``ValueError``) naming the parameter; changes nothing.
    """
    name = type(estimator).__name__
    params = estimator.get_params(deep=False)
    validate_parameter_constraints(estimator._parameter_constraints, params, caller_name=name)
    try:
        resolve_augment(params["augment"])
    except ValueError as exc:
        raise InvalidParameterError(f"The 'augment' parameter of {name}: {exc}") from None
    optimizer = _optimizer_for_checks(estimator)
    _check_schedule(estimator, optimizer, name)


def optimizer_class(optimizer):
    """The :class:`torch.optim.Optimizer` class that ``optimizer`` (a name or class) means."""
    return OPTIMIZERS[optimizer.lower()] if isinstance(optimizer, str) else optimizer


def _optimizer_for_checks(estimator):
    """The optimizer with its ``optimizer__`` arguments, on a stand-in parameter."""
    cls = optimizer_class(estimator.optimizer)
    kwargs = estimator.get_params_for("optimizer")
    defaults = {"lr": estimator.lr, "weight_decay": estimator.weight_decay}
    if issubclass(cls, (torch.optim.SGD, torch.optim.RMSprop)):
        defaults["momentum"] = estimator.momentum
    try:
        return cls([torch.zeros(1, requires_grad=True)], **{**defaults, **kwargs})
    except (TypeError, ValueError, IndexError, RuntimeError) as exc:
        given = ", ".join(f"optimizer__{k}={v!r}" for k, v in kwargs.items()) or "its settings"
        raise InvalidParameterError(
            f"{cls.__name__} refuses {given} (with lr={estimator.lr!r}): {exc}"
        ) from None


def _check_schedule(estimator, optimizer, name):
    """Build the learning-rate schedule once on ``optimizer``: its settings are checked too."""
    callback = estimator._lr_scheduler_callback()
    if callback is None:
        return
    kwargs = dict(callback.kwargs)
    kwargs.pop("monitor", None)
    if callback.policy is torch.optim.lr_scheduler.OneCycleLR:
        kwargs.setdefault("total_steps", 1)
    try:
        callback.policy(optimizer, **kwargs)
    except (TypeError, ValueError, KeyError) as exc:
        raise InvalidParameterError(
            f"The learning-rate schedule of {name} (lr_schedule={estimator.lr_schedule!r}, "
            f"lr_schedule_params={estimator.lr_schedule_params!r}) cannot be made: {exc}"
        ) from None
