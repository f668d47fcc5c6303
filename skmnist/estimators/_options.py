"""The training options: what each parameter takes, what it means, and what it becomes.

Every training parameter the estimators share is declared once, in
:data:`TRAINING_PARAMETERS`: the values it takes (scikit-learn's constraint
declarations, checked when ``fit`` starts and by ``skmnist train -p`` before
any data is read) and its documentation, from which every estimator's
docstring is made (its default comes from the signature). The vocabularies
some of them name are declared here too, each once: the optimizers
(:data:`OPTIMIZERS`), the learning-rate schedules (:data:`SCHEDULES`) and
the training budget of ``batch_size="auto"`` and ``max_epochs="auto"``
(:func:`training_budget`); the augmentation presets live with the
augmentation (:mod:`._augment`) and the devices with the devices
(:mod:`._devices`).

The functions at the end turn options into skorch's parts: the optimizer,
the schedule's callback and the default callbacks. They take values and
return objects; none of them reads or changes an estimator.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect
import math
import os
from collections.abc import Callable, Mapping
from numbers import Integral, Real
from typing import Any, NamedTuple

import numpy as np
import torch
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
)
from skorch.callbacks import EpochTimer, GradientNormClipping, PassthroughScoring

from ._augment import PRESETS, describe_augment
from ._callbacks import (
    MONITOR,
    SCHEDULE,
    BatchAccuracy,
    EpochLog,
    EpochProgressBar,
    LearningRateRecorder,
    OneCycleScheduler,
    Schedule,
    TrainingMonitor,
)
from ._checkpoint import CALLBACK_NAME as CHECKPOINT_CALLBACK
from ._checkpoint import TrainingCheckpoint
from ._devices import AUTO, describe_devices, is_auto, parse_device
from ._graphs import WARMUP_BATCHES

# ---------------------------------------------------------------------------
# Optimizers

#: The optimizers the ``optimizer`` parameter names, from name to class.
OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
    "adagrad": torch.optim.Adagrad,
    "nadam": torch.optim.NAdam,
    "radam": torch.optim.RAdam,
}


def _names(vocabulary) -> str:
    """``"a", "b" or "c"``: the names of a vocabulary, as a docstring lists them."""
    quoted = [f'"{name}"' for name in vocabulary]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def optimizer_class(optimizer) -> type:
    """The :class:`torch.optim.Optimizer` class that ``optimizer`` (a name or a class) means."""
    return OPTIMIZERS[optimizer.lower()] if isinstance(optimizer, str) else optimizer


def _takes(cls, argument) -> bool:
    """Whether the optimizer class ``cls`` has an argument named ``argument``."""
    try:
        return argument in inspect.signature(cls).parameters
    except (TypeError, ValueError):  # a class without a readable signature
        return False


def optimizer_settings(params: Mapping) -> tuple[type, dict, dict]:
    """The optimizer an estimator's parameters ``params`` (``get_params``) describe.

    Returns its class; its keyword arguments: ``lr``, ``momentum`` and
    ``weight_decay`` where it takes them (by its signature), then the
    ``optimizer__*`` settings (skorch's ``optimizer__param_groups`` aside,
    which are positional); and those ``optimizer__*`` settings as the user
    wrote them, for messages.
    """
    cls = optimizer_class(params["optimizer"])
    given = {k: v for k, v in params.items() if k.startswith("optimizer__")}
    settings = {}
    for name in TRAINING_PARAMETERS:  # lr, momentum, weight_decay: what the optimizer takes
        if "optimizer" in TRAINING_PARAMETERS[name].rebuilds and name != "optimizer":
            if name == "lr" or _takes(cls, name):
                settings[name] = params[name]
    for key, value in given.items():
        if key != "optimizer__param_groups":
            settings[key.split("__", 1)[1]] = value
    return cls, settings, given


def make_optimizer(cls, args, settings: Mapping, *, given: Mapping) -> torch.optim.Optimizer:
    """``cls(*args, **settings)``, or a ValueError that names the settings it refuses.

    ``args`` holds the parameters to optimize (skorch's parameter groups);
    ``given``, the ``optimizer__*`` settings as the user wrote them, named in the
    message: torch's own message for them ("tuple index out of range") says little.
    """
    try:
        return cls(*args, **settings)
    except (TypeError, ValueError, IndexError, KeyError, RuntimeError) as exc:
        shown = ", ".join(f"{k}={v!r}" for k, v in given.items()) or "its settings"
        raise InvalidParameterError(
            f"{cls.__name__} refuses {shown} (with lr={settings.get('lr')!r}): {exc}"
        ) from None


# ---------------------------------------------------------------------------
# Training steps


class _StepMode(NamedTuple):
    description: str


#: The optimizer whose fused kernels torch has for the CPU only.
_FUSED_ON_CPU_ONLY = torch.optim.Adagrad


#: What ``step_mode="auto"`` is: the fused optimizer kernels, faster than torch's
#: default on the CPU (docs/benchmarks/speed-cpu.md) and torch's fastest on CUDA;
#: "graph" is chosen by name, since no measurement on a GPU has yet compared them.
AUTO_STEP_MODE = "fused"

#: How the training step runs (the ``step_mode`` parameter, whose "auto" is
#: :data:`AUTO_STEP_MODE`): each name and what it does.
STEP_MODES = {
    "eager": _StepMode(
        "torch's default optimizer implementation: on a GPU its multi-tensor (foreach) "
        "kernels, on the CPU a loop over the parameters"
    ),
    "fused": _StepMode(
        "the optimizer's fused kernels where torch has them ("
        + _names([name for name, cls in OPTIMIZERS.items() if _takes(cls, "fused")])
        + f"; {_FUSED_ON_CPU_ONLY.__name__} on the CPU only), its multi-tensor "
        "(foreach) kernels otherwise: a few kernel launches per step instead of several "
        "per parameter"
    ),
    "graph": _StepMode(
        '"fused", and on a CUDA device the forward pass, loss and backward pass of '
        "every full-size training batch replayed from a CUDA graph captured once per "
        f"fit (after {WARMUP_BATCHES} eager warm-up batches), so that one launch replaces the "
        "network's dozens; the last, smaller batch of an epoch and validation run "
        "eagerly (and every batch, with a warning, if the capture fails). Elsewhere it "
        'is "fused"'
    ),
}
_EAGER, _FUSED, _GRAPH = STEP_MODES  # its names, in order


def resolve_step_mode(step_mode: str, device: torch.device, *, compile: bool = False) -> str:
    """The step that ``step_mode`` means on ``device``: "eager", "fused" or "graph".

    "graph" needs a CUDA device, and captures the module as it is: with
    ``compile=True`` (whose compiled code captures graphs of its own, with
    ``mode="reduce-overhead"``) it is refused.
    """
    mode = AUTO_STEP_MODE if step_mode == AUTO else step_mode
    if mode == _GRAPH and compile:
        raise ValueError(
            'step_mode="graph" captures the module as it is and cannot capture a '
            'torch.compile\'d one; use step_mode="fused" with compile=True, or '
            "compile=False."
        )
    if mode == _GRAPH and device.type != "cuda":
        return _FUSED
    return mode


def captures_graphs(mode: str) -> bool:
    """Whether the resolved step ``mode`` replays CUDA graphs."""
    return mode == _GRAPH


#: The arguments of torch's optimizers that choose their kernels.
OPTIMIZER_KERNELS = ("fused", "foreach")


def step_kernels(cls, mode: str, device: torch.device, given: Mapping) -> dict:
    """The optimizer settings that select the kernels of the step ``mode`` (resolved).

    ``{"fused": True}`` where ``cls`` has fused kernels for ``device``,
    ``{"foreach": True}`` where it has multi-tensor ones, nothing for "eager"
    or when the user chose (``optimizer__fused``, ``optimizer__foreach``).
    """
    if mode == _EAGER or {f"optimizer__{k}" for k in OPTIMIZER_KERNELS} & set(given):
        return {}
    cpu_only = issubclass(cls, _FUSED_ON_CPU_ONLY) and device.type != "cpu"
    if _takes(cls, "fused") and not cpu_only:
        return {"fused": True}
    return {"foreach": True} if _takes(cls, "foreach") else {}


def host_step_counts(optimizer) -> None:
    """Keep the step counts of an optimizer without fused or capturable kernels on the
    host, where torch keeps them (loading a state leaves them where they were)."""
    for group in optimizer.param_groups:
        if group.get("fused") or group.get("capturable"):
            continue
        for p in group["params"]:
            state = optimizer.state.get(p, {})
            if torch.is_tensor(state.get("step")) and state["step"].device.type != "cpu":
                state["step"] = state["step"].cpu()


# ---------------------------------------------------------------------------
# Learning-rate schedules


class ScheduleOptions(NamedTuple):
    """What a named schedule is made from: the training settings it depends on."""

    lr: float
    factor: float
    patience: int
    epochs: int
    steps_per_epoch: int
    monitor: str


class _Schedule(NamedTuple):
    doc: str
    make: Callable[[ScheduleOptions, dict], Any]


def _plateau(o, params):
    policy = torch.optim.lr_scheduler.ReduceLROnPlateau
    return {"policy": policy, "monitor": o.monitor, "patience": o.patience, "factor": o.factor}


def _cosine(o, params):
    return {"policy": torch.optim.lr_scheduler.CosineAnnealingLR, "T_max": o.epochs}


def _step(o, params):
    policy = torch.optim.lr_scheduler.StepLR
    return {"policy": policy, "step_size": max(1, o.epochs // 3), "gamma": o.factor}


def _onecycle(o, params):
    return {"max_lr": o.lr, "total_steps": o.steps_per_epoch * o.epochs}


#: The learning-rate schedules the ``lr_schedule`` parameter names: what each
#: does, and the scheduler settings it is made with (``lr_schedule_params``
#: override them).
SCHEDULES = {
    "plateau": _Schedule(
        "multiply the rate by ``lr_factor`` after ``lr_patience`` epochs without "
        "improvement of the validation loss (of the training loss without "
        "``early_stopping``)",
        _plateau,
    ),
    "cosine": _Schedule("cosine annealing over ``max_epochs``", _cosine),
    "onecycle": _Schedule("one cycle peaking at ``lr``, stepped every batch", _onecycle),
    "step": _Schedule("multiply by ``lr_factor`` every third of ``max_epochs``", _step),
}
_ONECYCLE = "onecycle"


def make_schedule(lr_schedule, lr_schedule_params, options: ScheduleOptions):
    """The skorch callback for ``lr_schedule`` (a name, a scheduler class or None).

    The scheduler itself is made when training starts, on the estimator's
    optimizer; settings it refuses are reported then, naming
    ``lr_schedule`` and ``lr_schedule_params``.
    """
    params = dict(lr_schedule_params) if isinstance(lr_schedule_params, dict) else {}
    described = f"lr_schedule={lr_schedule!r}, lr_schedule_params={lr_schedule_params!r}"
    if isinstance(lr_schedule, type):
        return Schedule(policy=lr_schedule, description=described, **params)
    if not (isinstance(lr_schedule, str) and lr_schedule in SCHEDULES):
        # None; or a value fit refuses before anything is made (get_params, which
        # lists the callbacks, takes any value)
        return None
    settings = {**SCHEDULES[lr_schedule].make(options, params), **params}
    if lr_schedule == _ONECYCLE:
        return OneCycleScheduler(description=described, **settings)
    return Schedule(description=described, **settings)


def check_options(params: Mapping, name: str) -> None:
    """Make the optimizer and the schedule that ``params`` describe, once, on a stand-in.

    ``params`` are an estimator's (``get_params``), ``name`` its class's name.
    A ValueError says what torch refuses: ``skmnist train -p`` checks them
    so before it reads any data, where ``fit`` makes the real ones.
    """
    cls, settings, given = optimizer_settings(params)
    optimizer = make_optimizer(cls, ([torch.zeros(1, requires_grad=True)],), settings, given=given)
    options = ScheduleOptions(
        lr=params["lr"],
        factor=params["lr_factor"],
        patience=params["lr_patience"],
        epochs=epochs_before_data(params["max_epochs"]),
        steps_per_epoch=1,
        monitor=monitored_loss(params["early_stopping"]),
    )
    schedule = make_schedule(params["lr_schedule"], params["lr_schedule_params"], options)
    if schedule is not None:
        schedule.check(optimizer, name)


# ---------------------------------------------------------------------------
# The training budget: batch_size="auto" and max_epochs="auto"

#: The batch size of large data sets (``AUTO_BATCHES_PER_EPOCH`` batches of it or
#: more), and of predictions.
AUTO_BATCH_SIZE = 128
#: The smallest batch size "auto" picks.
AUTO_MIN_BATCH_SIZE = 16
#: A smaller data set gets batches of ``n_train // AUTO_BATCHES_PER_EPOCH`` images.
AUTO_BATCHES_PER_EPOCH = 100
#: "auto" trains at least this many epochs (all of them on large data)...
AUTO_MIN_EPOCHS = 10
#: ... and at most this many...
AUTO_MAX_EPOCHS = 200
#: ... and in between, enough epochs for this many training images in all.
AUTO_SAMPLES = 200_000


def epochs_before_data(max_epochs) -> int:
    """The epochs ``max_epochs`` means before the training data resolves "auto".

    An integer as it is; "auto" (and any value ``fit`` will refuse, which
    ``get_params`` still lists) what "auto" is on large data,
    :data:`AUTO_MIN_EPOCHS`: a schedule checked or made before any fit spans
    them.
    """
    return int(max_epochs) if isinstance(max_epochs, Integral) else AUTO_MIN_EPOCHS


def training_budget(batch_size, max_epochs, n_train):
    """The batch size and the epochs that ``fit`` trains with on ``n_train`` images.

    ``batch_size`` and ``max_epochs`` are the parameters: an integer is used
    as given (a batch size of -1 is the whole data set), ``"auto"`` is
    resolved from the size of the training data, by the constants of this
    module:

    - ``batch_size="auto"``: ``n_train // AUTO_BATCHES_PER_EPOCH``, between
      ``AUTO_MIN_BATCH_SIZE`` and ``AUTO_BATCH_SIZE``, so that a small data
      set gets about ``AUTO_BATCHES_PER_EPOCH`` optimizer steps per epoch.
    - ``max_epochs="auto"``: enough epochs for ``AUTO_SAMPLES`` training
      images in all, at least ``AUTO_MIN_EPOCHS`` and at most
      ``AUTO_MAX_EPOCHS``. Beyond ``AUTO_MIN_EPOCHS`` epochs, training also
      stops once the training loss has not improved by ``tol`` for
      ``n_iter_no_change`` epochs, and the last weights are kept (not under
      the one-cycle schedule, whose cycle spans all the epochs).

    The examples show the numbers.

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
    if is_auto(batch_size):
        batch_size = min(
            AUTO_BATCH_SIZE, max(AUTO_MIN_BATCH_SIZE, n_train // AUTO_BATCHES_PER_EPOCH)
        )
    elif batch_size == -1:
        batch_size = n_train
    if is_auto(max_epochs):
        max_epochs = min(AUTO_MAX_EPOCHS, max(AUTO_MIN_EPOCHS, math.ceil(AUTO_SAMPLES / n_train)))
    return int(batch_size), int(max_epochs)


def plateau_stop_after(max_epochs, lr_schedule) -> int | None:
    """The epochs after which a plateau of the training loss ends training, or None.

    ``max_epochs="auto"`` trains :data:`AUTO_MIN_EPOCHS` epochs at least, then
    stops on a plateau; not under the one-cycle schedule, which is laid out
    over all ``max_epochs_`` epochs and reaches its small rates only at their
    end. An integer ``max_epochs`` trains that many epochs.
    """
    return AUTO_MIN_EPOCHS if is_auto(max_epochs) and lr_schedule != _ONECYCLE else None


# ---------------------------------------------------------------------------
# The default callbacks


def monitored_loss(early_stopping) -> str:
    """The loss that keeps the best weights, stops early and drives the plateau
    schedule: the validation loss with ``early_stopping``, else the training loss
    (also for any value ``fit`` will refuse, which ``get_params`` still lists)."""
    on = isinstance(early_stopping, (bool, np.bool_)) and bool(early_stopping)
    return "valid_loss" if on else "train_loss"


def default_callbacks(
    *,
    early_stopping,
    n_iter_no_change,
    tol,
    plateau_after,
    schedule,
    clip_grad_norm,
    checkpoint_dir=None,
):
    """skorch's ``(name, callback)`` list that every skmnist estimator trains with.

    ``plateau_after``: the epochs after which a plateau of the training loss
    ends training (``max_epochs="auto"``), or None; ``schedule``: the
    callback :func:`make_schedule` made, or None; ``checkpoint_dir``: the
    folder of the training state, or None.
    """
    callbacks = [
        ("epoch_timer", EpochTimer()),
        ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
        ("train_acc", BatchAccuracy(on_train=True)),
        ("valid_loss", PassthroughScoring(name="valid_loss")),
        ("valid_acc", BatchAccuracy(on_train=False)),
        (
            MONITOR,
            TrainingMonitor(
                monitor=monitored_loss(early_stopping),
                early_stopping=early_stopping,
                n_iter_no_change=n_iter_no_change,
                tol=tol,
                plateau_after=plateau_after,
            ),
        ),
    ]
    if schedule is not None:
        callbacks.append((SCHEDULE, schedule))
    if clip_grad_norm is not None:
        callbacks.append(("clip_grad_norm", GradientNormClipping(clip_grad_norm)))
    # after the schedule, which may set the epoch's first rate when it starts
    callbacks += [
        ("lr", LearningRateRecorder()),
        ("progress_bar", EpochProgressBar()),
    ]
    if checkpoint_dir is not None:
        # after the monitor, whose stop it reads when an epoch ends; the state it writes
        # when the next epoch begins comes before any user callback draws a random number
        callbacks.append((CHECKPOINT_CALLBACK, TrainingCheckpoint(checkpoint_dir)))
    callbacks.append(("print_log", EpochLog()))
    return callbacks


# ---------------------------------------------------------------------------
# What each training parameter takes, and its documentation


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
    """A value of the ``device`` parameter (see :mod:`._devices`)."""

    def is_satisfied_by(self, val):
        return is_auto(val) or parse_device(val) is not None

    def __str__(self):
        return describe_devices()


def _with_momentum() -> str:
    return _names([name for name, cls in OPTIMIZERS.items() if _takes(cls, "momentum")])


#: What a change of a training parameter rebuilds when training continues
#: (``warm_start``, ``partial_fit``): the words ``_Parameter.rebuilds`` takes.
REBUILDS = {
    "optimizer": "its settings are applied to the optimizer, which keeps its state",
    "kernels": "a new optimizer of the same class, with the kernels of the step, takes the "
    "state of the old one",
    "callbacks": "the callbacks are made anew (the schedule resumes from the current rate)",
    "network": "refused: the trained network cannot take it",
}


class _Parameter(NamedTuple):
    constraints: list
    type: str
    doc: str
    #: what a change of it rebuilds when training continues (see :data:`REBUILDS`);
    #: nothing for a value read afresh by every fit or batch
    rebuilds: tuple[str, ...] = ("callbacks",)


def parameters_rebuilding(part: str) -> set[str]:
    """The training parameters whose change rebuilds ``part`` (one of :data:`REBUILDS`)."""
    return {name for name, p in TRAINING_PARAMETERS.items() if part in p.rebuilds}


_PROBABILITY_OPEN = Interval(Real, 0, 1, closed="neither")
#: A dropout probability, in [0, 1): the architectures' dropout parameters take it.
DROPOUT = [Interval(Real, 0, 1, closed="left")]

#: The training parameters every estimator shares: what each takes and what it does.
TRAINING_PARAMETERS = {
    "optimizer": _Parameter(
        [StrOptions(set(OPTIMIZERS)), SubclassOf(torch.optim.Optimizer)],
        "str or torch.optim.Optimizer class",
        f"{_names(OPTIMIZERS)}, or an optimizer class. Its other arguments go "
        "as ``optimizer__name=value``.",
        rebuilds=("optimizer",),
    ),
    "lr": _Parameter(
        [Interval(Real, 0, None, closed="neither")],
        "float",
        "Learning rate.",
        # a one-cycle schedule peaks at it
        rebuilds=("optimizer", "callbacks"),
    ),
    "momentum": _Parameter(
        [Interval(Real, 0, 1, closed="both")],
        "float",
        f"Momentum of the optimizers that take one ({_with_momentum()}, and optimizer "
        "classes with a ``momentum`` argument); ignored by the others.",
        rebuilds=("optimizer",),
    ),
    "weight_decay": _Parameter(
        [Interval(Real, 0, None, closed="left")],
        "float",
        "L2 penalty applied by the optimizer.",
        rebuilds=("optimizer",),
    ),
    "batch_size": _Parameter(
        [
            Interval(Integral, 1, None, closed="left"),
            Options(Integral, {-1}),  # -1: all at once
            StrOptions({AUTO}),
        ],
        'int or "auto"',
        "Samples per training and prediction batch; -1 is all at once. "
        f'"auto" trains in batches of ``n_train // {AUTO_BATCHES_PER_EPOCH}`` images, '
        f"between {AUTO_MIN_BATCH_SIZE} and {AUTO_BATCH_SIZE} "
        f"({AUTO_BATCH_SIZE} from {AUTO_BATCH_SIZE * AUTO_BATCHES_PER_EPOCH:,} training "
        f"images on), and predicts in batches of {AUTO_BATCH_SIZE}; the batch size "
        "used is ``batch_size_`` (``iterator_train__batch_size``, when set, trains "
        "with its own).",
        rebuilds=(),
    ),
    "max_epochs": _Parameter(
        [Interval(Integral, 1, None, closed="left"), StrOptions({AUTO})],
        'int or "auto"',
        "Passes over the training data in :meth:`fit`. "
        f'"auto" is enough epochs for {AUTO_SAMPLES:,} training images in all, at '
        f"least {AUTO_MIN_EPOCHS} and at most {AUTO_MAX_EPOCHS} ({AUTO_MIN_EPOCHS} from "
        f"{AUTO_SAMPLES // AUTO_MIN_EPOCHS:,} training images on); after the "
        f"{AUTO_MIN_EPOCHS}th, training stops once the training loss has not improved "
        "by ``tol`` for ``n_iter_no_change`` epochs (with ``early_stopping``, the "
        'validation loss decides instead; under ``lr_schedule="onecycle"``, whose '
        "cycle spans all the epochs, it does not stop on a plateau). The budget is "
        "``max_epochs_``, the epochs trained ``len(history_)``. An integer trains "
        "exactly that many epochs, unless ``early_stopping`` stops sooner.",
    ),
    "device": _Parameter(
        [Device()],
        "str or torch.device",
        f"Where to train and predict: {describe_devices()}. The parameter keeps its "
        "value; the device a fitted estimator uses is ``device_``.",
        rebuilds=("kernels",),
    ),
    "random_state": _Parameter(
        ["random_state"],
        "int, RandomState instance or None",
        "Seeds weight initialisation, shuffling, dropout and augmentation. On the "
        "CPU the same seed gives identical predictions. Shuffling and augmentation "
        "draw from generators of their own; weight initialisation and dropout draw "
        "from torch's global generator (torch has no other way), seeded while the "
        "estimator trains and restored afterwards. Fits training at the same time "
        "in threads of one process share that global state, so they are not "
        "reproducible: run parallel searches in processes (joblib's default) for "
        "that.",
        rebuilds=(),
    ),
    "class_weight": _Parameter(
        [None, StrOptions({"balanced"}), dict],
        'dict, "balanced" or None',
        "Weights of the classes in the loss, multiplied with :meth:`fit`'s "
        "``sample_weight``: a dict from labels (the user's own, as in ``classes_``) to "
        'weights, the classes it leaves out weighing 1; "balanced" weighs each '
        "class by ``n_samples / (n_classes * n_samples_of_class)`` in the data "
        "passed to :meth:`fit`, as scikit-learn's "
        ":func:`~sklearn.utils.class_weight.compute_sample_weight` does; None "
        "weighs all classes alike.",
        rebuilds=(),
    ),
    "verbose": _Parameter(
        ["verbose"],
        "int",
        "0 is silent; 1 shows a progress bar during each epoch (running loss and "
        "accuracy; on a terminal only) and prints a table row per epoch.",
    ),
    "augment": _Parameter(
        [None, StrOptions(set(PRESETS)), dict],
        "None, str or dict",
        "Random augmentation of the training batches, done batched on the device: "
        + "a preset ("
        + "; ".join(f'"{name}": {describe_augment(s)}' for name, s in PRESETS.items())
        + ") or a dict of settings, see :func:`skmnist.estimators.resolve_augment`. "
        "Never applied when predicting.",
        rebuilds=(),
    ),
    "early_stopping": _Parameter(
        ["boolean"],
        "bool",
        "Hold out a stratified ``validation_fraction`` of the training data, stop "
        "once the validation loss has not improved by more than ``tol`` for "
        "``n_iter_no_change`` epochs, and keep the weights of the best validation "
        "epoch. Without it nothing is held out and the weights of the last epoch "
        "are kept.",
    ),
    "validation_fraction": _Parameter(
        [_PROBABILITY_OPEN],
        "float",
        "Fraction of the training data held out with ``early_stopping``.",
    ),
    "n_iter_no_change": _Parameter(
        [Interval(Integral, 1, None, closed="left")],
        "int",
        "Epochs without improvement before ``early_stopping``, or the training-loss "
        'plateau of ``max_epochs="auto"``, stops training.',
    ),
    "tol": _Parameter(
        [Interval(Real, 0, None, closed="left")],
        "float",
        "Smallest decrease of the validation loss (or of the training loss, for the "
        'plateau of ``max_epochs="auto"``) that counts as improvement.',
    ),
    "lr_schedule": _Parameter(
        [
            None,
            StrOptions(set(SCHEDULES)),
            SubclassOf(torch.optim.lr_scheduler.LRScheduler),
            SubclassOf(torch.optim.lr_scheduler.ReduceLROnPlateau),
        ],
        "None, str or torch.optim.lr_scheduler class",
        "Learning-rate schedule: "
        + ", ".join(f'"{name}" ({s.doc})' for name, s in SCHEDULES.items())
        + ", or a scheduler class, stepped every epoch.",
    ),
    "lr_patience": _Parameter(
        [Interval(Integral, 0, None, closed="left")],
        "int",
        "Epochs without improvement before the plateau schedule lowers the rate.",
    ),
    "lr_factor": _Parameter(
        [_PROBABILITY_OPEN],
        "float",
        "Factor the plateau and step schedules multiply the rate by.",
    ),
    "lr_schedule_params": _Parameter(
        [None, dict],
        "dict or None",
        "Further arguments of the scheduler, overriding those above "
        "(``{'gamma': 0.9}`` for :class:`torch.optim.lr_scheduler.ExponentialLR`).",
    ),
    "clip_grad_norm": _Parameter(
        [None, Interval(Real, 0, None, closed="neither")],
        "float or None",
        "Clip the norm of the gradients to this value before each step.",
    ),
    "mixed_precision": _Parameter(
        ["boolean", StrOptions({"bf16"})],
        'bool or "bf16"',
        "Run the forward passes under bfloat16 autocast (:class:`torch.autocast`); "
        "a CUDA device must support bfloat16.",
    ),
    "device_data_budget": _Parameter(
        [None, Interval(Real, 0, None, closed="left")],
        "float or None",
        "Largest training or prediction set, in GiB, copied to the device in one "
        "piece; a larger one streams to it one batch at a time. None means half the "
        "free memory of a CUDA device and no limit elsewhere.",
    ),
    "callbacks": _Parameter(
        [None, list],
        "list of skorch callbacks or None",
        'Extra :mod:`skorch.callbacks`, as ``[("name", callback), ...]``.',
    ),
    "warm_start": _Parameter(
        ["boolean"], "bool", "Whether :meth:`fit` continues from the previous weights."
    ),
    "checkpoint_dir": _Parameter(
        [None, str, os.PathLike],
        "str, path-like or None",
        "A folder where :meth:`fit` keeps the whole state of its training (weights, "
        "optimizer, schedule, early-stopping monitor, history, random generators) after "
        "each epoch, replaced atomically, so that a fit that is killed can go on: "
        "calling :meth:`fit` again with the same parameters and data resumes after the "
        "last completed epoch, and ends with the model an uninterrupted fit gives (on the "
        "CPU bit for bit; on a GPU as closely as two runs of one training agree). A state "
        "of other parameters, data or versions is refused, saying what differs. The "
        "state is removed when the fit completes and kept when it is interrupted or "
        "fails; one folder serves one fit at a time. ``partial_fit`` leaves it alone.",
    ),
    "compile": _Parameter(
        ["boolean"],
        "bool",
        "Compile the module with :func:`torch.compile`.",
        rebuilds=("network",),
    ),
    "step_mode": _Parameter(
        [StrOptions({AUTO, *STEP_MODES})],
        "str",
        f'How each training step runs: "{AUTO}" is "{AUTO_STEP_MODE}"; '
        + "; ".join(f'"{name}": {m.description}' for name, m in STEP_MODES.items())
        + ". Every mode trains the same network with the same updates, up to "
        "floating-point rounding; the step used is ``step_mode_``.",
        rebuilds=("kernels",),
    ),
}


def training_constraints() -> dict:
    """``_parameter_constraints`` of the training parameters (scikit-learn's format)."""
    return {name: parameter.constraints for name, parameter in TRAINING_PARAMETERS.items()}
