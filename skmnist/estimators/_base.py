"""The shared base of the skmnist estimators.

:class:`BaseMNISTClassifier` is a :class:`skorch.NeuralNetClassifier` that
keeps scikit-learn's contract: parameters are stored untouched, everything
learned ends in ``_``, labels keep their own values in ``classes_``, and the
data is validated once with :func:`~sklearn.utils.validation.validate_data`.
A new architecture is a :mod:`skmnist.nets` module plus a subclass that names
its parameters and implements :meth:`BaseMNISTClassifier._build_module`.
"""

import functools
import inspect
import math
import numbers
import types
import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    column_or_1d,
    validate_data,
)
from skorch import NeuralNetClassifier
from skorch.dataset import get_len
from skorch.callbacks import (
    EpochTimer,
    GradientNormClipping,
    LRScheduler,
    PassthroughScoring,
    PrintLog,
)

from ..exceptions import TrainingDivergedError
from ._augment import augment_batch, resolve_augment
from ._constraints import TRAINING_CONSTRAINTS, check_params, optimizer_class
from ._callbacks import (
    BatchAccuracy,
    EarlyStop,
    EpochProgressBar,
    LearningRateRecorder,
    OneCycleScheduler,
    TrainingMonitor,
)
from ._data import DeviceBatches, DeviceData, image_shape_from, to_float, to_images
from ._docs import ATTRIBUTES, NOTES, TRAINING_PARAMETERS
from ._summary import model_summary
from ._threads import cpu_thread_share, take_thread_share

_WITH_MOMENTUM = (torch.optim.SGD, torch.optim.RMSprop)

# skorch settings that each skmnist estimator fixes: they are not parameters.
_FIXED_SKORCH_SETTINGS = (
    "module",
    "criterion",
    "train_split",
    "iterator_train",
    "iterator_valid",
    "dataset",
    "predict_nonlinearity",
    "use_caching",
    "torch_load_kwargs",
    "classes",
)


def resolve_device(device) -> torch.device:
    """The :class:`torch.device` for ``device``; ``"auto"`` picks CUDA, then MPS, then CPU.

    Parameters
    ----------
    device : str, torch.device or None
        "auto", a device name such as "cpu", "cuda" or "cuda:1", or a
        device; None means the CPU.

    Returns
    -------
    device : torch.device
        The device; "auto" resolved to the best one this machine has.

    Examples
    --------
    >>> from skmnist.estimators import resolve_device
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if device is None:
        return torch.device("cpu")
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    return torch.device(device)


def _on_resolved_device(method):
    """Run ``method`` with ``self.device`` resolved from ``"auto"`` to a real device.

    skorch reads ``self.device`` in many places (moving modules, batches and
    outputs); the parameter itself must stay as the user set it, so it is
    resolved only while the method runs and restored afterwards.
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.device != "auto":
            return method(self, *args, **kwargs)
        self.device = str(resolve_device("auto"))
        try:
            return method(self, *args, **kwargs)
        finally:
            self.device = "auto"

    return wrapper


def _nullable_integer_dtype(X):
    """NumPy dtype of a DataFrame of pandas nullable integer columns, else None.

    scikit-learn's validation turns "Int64", "UInt8", ... columns into float64
    (to map ``pd.NA`` to NaN), which would make their 0-255 integer pixels
    floats used as given; the estimators read them as integer pixels instead.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "__iter__"):
        return None
    from pandas.api.types import is_extension_array_dtype, is_integer_dtype

    dtypes = list(dtypes)
    if not dtypes or not all(is_integer_dtype(d) for d in dtypes):
        return None
    if not any(is_extension_array_dtype(d) for d in dtypes):
        return None
    return np.result_type(*(getattr(d, "numpy_dtype", d) for d in dtypes))


class BaseMNISTClassifier(NeuralNetClassifier):
    __doc__ = f"""Base class of the skmnist estimators: a new architecture in a few lines.

    Not meant to be used directly. A subclass sets ``_net`` to its
    :class:`torch.nn.Module` class, names its architecture parameters in
    ``__init__`` (stored unchanged, the other keyword arguments passed on to
    this class) and builds the network in ``_build_module(input_shape,
    n_classes)``, ``input_shape`` being (channels, height, width).
    Everything else comes from this class: validation, label encoding,
    devices, batches and the training options below, shared by
    :class:`~skmnist.LeNet5Classifier`, :class:`~skmnist.MLPNetClassifier`
    and :class:`~skmnist.CNNClassifier`.

    ``_native_image_shape`` is the (channels, height, width) a convolutional
    network is built for: smaller images are centred in a frame of that size.
    A network that takes flat rows of any length sets it to None.

    Parameters
    ----------
    {TRAINING_PARAMETERS}
    **kwargs
        skorch's prefixed settings, see Notes. Subclasses list their own
        parameters and these in their signature.

    Attributes
    ----------
    {ATTRIBUTES}

    Notes
    -----
    {NOTES}

    Examples
    --------
    Multinomial logistic regression on the pixels, as an skmnist estimator:

    >>> from torch import nn
    >>> from skmnist import load_mnist_sample
    >>> from skmnist.estimators import BaseMNISTClassifier
    >>> class Linear(nn.Module):
    ...     def __init__(self, n_features, n_classes, bias=True):
    ...         super().__init__()
    ...         self.linear = nn.Linear(n_features, n_classes, bias=bias)
    ...     def forward(self, x):
    ...         return self.linear(x.flatten(1))
    >>> class LinearClassifier(BaseMNISTClassifier):
    ...     _net = Linear
    ...     _native_image_shape = None  # flat rows of pixels, of any length
    ...     def __init__(self, *, bias=True, **kwargs):
    ...         self.bias = bias
    ...         super().__init__(**kwargs)
    ...     def _build_module(self, input_shape, n_classes):
    ...         c, h, w = input_shape
    ...         return Linear(c * h * w, n_classes, bias=self.bias)
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = LinearClassifier(lr=0.01, max_epochs=5, random_state=0).fit(X, y)
    >>> clf
    LinearClassifier(lr=0.01, max_epochs=5, random_state=0)
    >>> int(clf.summary()["n_params"].sum())
    7850
    >>> test = load_mnist_sample(subset="test")
    >>> clf.score(test.data, test.target) > 0.85
    True
    """

    _net = None
    #: (channels, height, width) the network is built for; conv nets frame
    #: smaller images to it, None for networks that take any flat input.
    _native_image_shape = (1, 28, 28)

    # skorch's NeuralNet.__init__ stores its unfitted state on the instance;
    # scikit-learn wants __init__ to set parameters only, so the unfitted
    # state lives here on the class until ``initialize`` sets it.
    history_ = None
    initialized_ = False
    virtual_params_ = types.MappingProxyType({})
    # unpickled with torch's map_location (skorch adds module_, criterion_ and
    # optimizer_), so that a model trained on a GPU loads on a CPU-only machine: the
    # callbacks hold device tensors too (batch counts, a scheduler's optimizer)
    cuda_dependent_attributes_ = ["callbacks_"]

    #: What each parameter takes (scikit-learn's declarations); subclasses add
    #: their architecture's. Checked by :meth:`_check_params`.
    _parameter_constraints: dict = dict(TRAINING_CONSTRAINTS)

    def __init__(
        self,
        *,
        optimizer="adam",
        lr=1e-3,
        momentum=0.9,
        weight_decay=0.0,
        batch_size=128,
        max_epochs=10,
        device="auto",
        random_state=None,
        verbose=0,
        augment=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        tol=1e-4,
        lr_schedule=None,
        lr_patience=2,
        lr_factor=0.1,
        lr_schedule_params=None,
        clip_grad_norm=None,
        mixed_precision=False,
        device_data_budget=None,
        callbacks=None,
        warm_start=False,
        compile=False,
        **kwargs,
    ):
        fixed = sorted(set(kwargs) & set(_FIXED_SKORCH_SETTINGS))
        if fixed:
            raise TypeError(
                f"{type(self).__name__} sets {', '.join(fixed)} itself; these are not "
                "parameters. Use skorch.NeuralNetClassifier directly to change them."
            )
        super().__init__(
            self._net,
            criterion=torch.nn.CrossEntropyLoss,
            train_split=None,
            optimizer=optimizer,
            lr=lr,
            batch_size=batch_size,
            max_epochs=max_epochs,
            device=device,
            verbose=verbose,
            callbacks=callbacks,
            warm_start=warm_start,
            compile=compile,
            **kwargs,
        )
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.random_state = random_state
        self.augment = augment
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.lr_schedule = lr_schedule
        self.lr_patience = lr_patience
        self.lr_factor = lr_factor
        self.lr_schedule_params = lr_schedule_params
        self.clip_grad_norm = clip_grad_norm
        self.mixed_precision = mixed_precision
        self.device_data_budget = device_data_budget
        for name in ("history_", "initialized_", "virtual_params_"):
            del self.__dict__[name]

    # ------------------------------------------------------------------
    # scikit-learn's contract

    def _get_param_names(self):
        return [
            name
            for name in super()._get_param_names()
            if name not in _FIXED_SKORCH_SETTINGS and not name.startswith("_")
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        tags.input_tags.three_d_array = True
        # scikit-learn's toy problems (a few features in blobs) are no images: framed
        # in a 28x28 field, conv nets do not learn them well in a few epochs
        tags.classifier_tags.poor_score = self._native_image_shape is not None
        return tags

    def __sklearn_is_fitted__(self):
        return bool(self.initialized_) and hasattr(self, "classes_inferred_")

    def set_params(self, **params):
        """Set parameters, as for any scikit-learn estimator.

        Unlike skorch, ``callbacks`` is stored like every other parameter and
        checked when training starts; an initialized estimator takes a new
        list of callbacks at once.

        Parameters
        ----------
        **params : dict
            Parameter names and their new values, skorch's prefixed settings
            (``optimizer__betas``) included.

        Returns
        -------
        self : object
            The estimator.
        """
        if "callbacks" in params:
            self.callbacks = params.pop("callbacks")
            if self.initialized_ and isinstance(self.callbacks, (list, type(None))):
                self.initialize_callbacks()
        return super().set_params(**params) if params else self

    def check_is_fitted(self, attributes=None, *args, **kwargs):
        """Raise :class:`~sklearn.exceptions.NotFittedError` unless ``fit`` was called.

        Parameters
        ----------
        attributes : list of str, default=None
            Ignored: an estimator is fitted once ``fit`` or ``partial_fit``
            has run, whatever attributes it has.
        *args, **kwargs
            Ignored; accepted as skorch's ``check_is_fitted`` accepts them.
        """
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    # scikit-learn's repr: the parameters that differ from their defaults
    __repr__ = BaseEstimator.__repr__

    def __init_subclass__(cls, **kwargs):
        # A subclass names its architecture parameters and forwards **kwargs here;
        # its signature lists both, so that scikit-learn (repr, checks), help() and
        # editors see every parameter with its default.
        super().__init_subclass__(**kwargs)
        if "__init__" not in vars(cls):
            return
        own = inspect.signature(cls.__init__).parameters.values()
        shared = inspect.signature(BaseMNISTClassifier.__init__).parameters.values()
        names = {p.name for p in own}
        params = [p for p in own if p.kind is not p.VAR_KEYWORD]
        params += [p for p in shared if p.name not in names and p.name != "self"]
        cls.__init__.__signature__ = inspect.Signature(params)

    def __setstate__(self, state):
        requested = state["device"]
        if requested == "auto":
            state["device"] = str(resolve_device("auto"))
        super().__setstate__(state)
        if requested == "auto":
            self.device = "auto"

    # ------------------------------------------------------------------
    # skorch hooks

    @property
    def _default_callbacks(self):
        callbacks = [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
            ("train_acc", BatchAccuracy(on_train=True)),
            ("valid_loss", PassthroughScoring(name="valid_loss")),
            ("valid_acc", BatchAccuracy(on_train=False)),
            ("monitor", TrainingMonitor(
                early_stopping=self.early_stopping,
                n_iter_no_change=self.n_iter_no_change,
                tol=self.tol,
            )),
        ]
        scheduler = self._lr_scheduler_callback()
        if scheduler is not None:
            callbacks.append(("lr_schedule", scheduler))
        if self.clip_grad_norm is not None:
            callbacks.append(("clip_grad_norm", GradientNormClipping(self.clip_grad_norm)))
        # after the scheduler, which may set the epoch's first rate when it starts
        callbacks += [("lr", LearningRateRecorder()), ("progress_bar", EpochProgressBar()), ("print_log", PrintLog())]
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
                policy=schedulers.ReduceLROnPlateau, monitor=self._monitor_name(),
                **{"patience": self.lr_patience, "factor": self.lr_factor, **extra},
            )
        if schedule == "cosine":
            return LRScheduler(policy=schedulers.CosineAnnealingLR,
                               **{"T_max": self.max_epochs, **extra})
        if schedule == "step":
            return LRScheduler(
                policy=schedulers.StepLR,
                **{"step_size": max(1, self.max_epochs // 3), "gamma": self.lr_factor, **extra},
            )
        if schedule == "onecycle":
            return OneCycleScheduler(**{"max_lr": self.lr, **extra})
        return None  # an unknown name is reported by initialize

    def _monitor_name(self):
        return "valid_loss" if self.early_stopping else "train_loss"

    def _require_device(self):
        """The training device, with a clear error when it is not on this machine."""
        device = torch.device(self.device)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(
                f"device={self.device!r}, but this machine has no CUDA device (or this torch "
                "build has no CUDA); use device='auto' or 'cpu'."
            )
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise ValueError(f"device={self.device!r}, but Apple MPS is not available here.")
        return device

    def _check_params(self):
        """Check every parameter against ``_parameter_constraints``, and the optimizer's
        and schedule's settings by making them once; a ValueError names the parameter."""
        check_params(self)

    def _check_training_params(self):
        """Clear errors for the parameters and the device, raised when training starts."""
        self._check_params()
        device = self._require_device()
        if (self.mixed_precision and device.type == "cuda"
                and not torch.cuda.is_bf16_supported()):
            raise ValueError(
                "mixed_precision uses bfloat16, which this GPU does not support; "
                "use mixed_precision=False."
            )

    @_on_resolved_device
    def initialize(self):
        """Build the module, criterion, optimizer and callbacks.

        Training parameters are checked here, when training starts, with a
        clear error for a bad value.

        Returns
        -------
        self : object
            The initialized estimator.
        """
        rs = self.random_state
        if rs is None or isinstance(rs, numbers.Integral):
            self._seed = rs
        else:
            self._seed = int(check_random_state(rs).randint(np.iinfo(np.int32).max))
        self._check_training_params()
        self._augment_settings = resolve_augment(self.augment)
        if self._augment_settings is not None and self._native_image_shape is None:
            c, h, w = self.image_shape_
            if c * h * w != self.n_features_in_:
                raise ValueError(
                    f"augment needs images, but the {self.n_features_in_} features per sample "
                    "are no square image; pass X as (n_samples, height, width)."
                )
        with self._seeded(0):
            return super().initialize()

    def initialize_module(self):
        """Build the network for the fitted input shape and number of classes.

        Returns
        -------
        self : object
            The estimator, with ``module_`` set.
        """
        n_classes = len(self.classes_) if hasattr(self, "classes_inferred_") else 10
        self.module_ = self._build_module(self._module_input_shape(), n_classes)
        return self

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
        optimizer = optimizer_class(self.optimizer)
        args, kwargs = self.get_params_for_optimizer("optimizer", self.get_all_learnable_params())
        defaults = {"weight_decay": self.weight_decay}
        if isinstance(optimizer, type) and issubclass(optimizer, _WITH_MOMENTUM):
            defaults["momentum"] = self.momentum
        self.optimizer_ = optimizer(*args, **{**defaults, **kwargs})
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
        y_encoded = X.y.cpu().numpy() if X.indices is None else X.y[X.indices].cpu().numpy()
        n_valid = max(1, int(round(self.validation_fraction * len(y_encoded))))
        splitter = StratifiedShuffleSplit(1, test_size=n_valid, random_state=self._seed)
        if n_valid < len(self.classes_) or np.bincount(y_encoded).min() < 2:
            splitter = ShuffleSplit(1, test_size=n_valid, random_state=self._seed)
        train, valid = next(splitter.split(np.empty(len(y_encoded)), y_encoded))
        return X.subset(np.sort(train)), X.subset(np.sort(valid))

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

    def history_frame(self):
        """The training history as a DataFrame, one row per epoch.

        Returns
        -------
        history : pandas.DataFrame
            Indexed by ``epoch``; columns such as ``train_loss``, ``train_acc``,
            ``valid_loss``, ``valid_acc`` (with early stopping), ``lr``,
            ``dur`` (seconds) and ``best``.
        """
        self.check_is_fitted()
        rows = [{k: v for k, v in row.items() if k != "batches"} for row in self.history]
        return pd.DataFrame(rows).set_index("epoch")

    def check_data(self, X, y):
        """Do nothing: ``X`` and ``y`` were validated before skorch sees them.

        Parameters
        ----------
        X : DeviceData
            The validated data.
        y : None
            Unused: the encoded labels travel with ``X``.
        """

    def get_iterator(self, dataset, training=False):
        """Batches sliced on the device for array data; skorch's iterator otherwise.

        Parameters
        ----------
        dataset : DeviceData or dataset
            The data to iterate over.
        training : bool, default=False
            Whether the batches are for training: shuffled, and augmented
            when ``augment`` is set.

        Returns
        -------
        batches : iterable of (torch.Tensor, torch.Tensor)
            Module input and encoded labels, batch by batch, on the device.
        """
        if not isinstance(dataset, DeviceData):
            return super().get_iterator(dataset, training=training)
        kwargs = self.get_params_for("iterator_train" if training else "iterator_valid")
        return DeviceBatches(
            dataset,
            kwargs.get("batch_size", self.batch_size),
            shuffle=training,
            generator=getattr(self, "_shuffle_generator", None) if training else None,
            prepare=self._prepare_batch,
            training=training,
        )

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

    # ------------------------------------------------------------------
    # Fitting and predicting

    @_on_resolved_device
    def fit(self, X, y, **fit_params):
        """Train the network on ``X`` and ``y`` for ``max_epochs`` epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), (n_samples, height, width) \
                or (n_samples, channels, height, width)
            Images as flat rows of pixels or as 2-D images, of any real dtype.
            Integer pixels are read as 0-255 intensities and scaled to [0, 1];
            floating-point pixels are used as given.
        y : array-like of shape (n_samples,)
            Labels of any kind scikit-learn accepts (ints, strings, ...).
        **fit_params : dict
            Passed on to the module's ``forward``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._check_params()  # before anything changes
        reset = not (self.warm_start and self.__sklearn_is_fitted__())
        with self._unchanged_on_error():
            data = self._training_data(X, y, reset=reset)
            if reset:
                self.initialize()
        self._train(data, self.max_epochs, **fit_params)
        return self

    @_on_resolved_device
    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train for one epoch, continuing from the current weights.

        Parameters
        ----------
        X : array-like
            Images, as for :meth:`fit`.
        y : array-like of shape (n_samples,)
            Labels.
        classes : array-like of shape (n_classes,), default=None
            Every label that any call may see. Required on the first call,
            ignored afterwards.
        **fit_params : dict
            Passed on to the module's ``forward``.

        Returns
        -------
        self : object
            The estimator.
        """
        self._check_params()  # before anything changes
        first_call = not self.__sklearn_is_fitted__()
        if first_call and classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: every label "
                "that later calls may contain."
            )
        with self._unchanged_on_error():
            data = self._training_data(X, y, reset=first_call, classes=classes)
            if first_call:
                self.initialize()
        self._train(data, 1, **fit_params)
        return self

    @_on_resolved_device
    def predict_proba(self, X):
        """Probability of each class, in the order of ``classes_``.

        Parameters
        ----------
        X : array-like
            Images, in any layout and dtype accepted by :meth:`fit` with the
            same number of pixels.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Softmax of the network's logits, as float32.
        """
        return torch.softmax(self._logits(X).float(), dim=1).cpu().numpy()

    @_on_resolved_device
    def predict(self, X):
        """Predicted labels, drawn from ``classes_``.

        Parameters
        ----------
        X : array-like
            Images, as for :meth:`predict_proba`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The label of the most probable class for each image.
        """
        indices = self._logits(X).argmax(dim=1).cpu().numpy()
        return self.classes_[indices]

    @_on_resolved_device
    def forward(self, X, training=False, device="cpu"):
        """The network's logits for all of ``X``, batch by batch (skorch's ``forward``).

        Parameters
        ----------
        X : array-like or DeviceData
            Input data.
        training : bool, default=False
            Whether to run the module in training mode.
        device : str or torch.device, default="cpu"
            Where the concatenated output is put.

        Returns
        -------
        y_infer : torch.Tensor
            The logits of every sample.
        """
        return super().forward(X, training=training, device=device)

    @_on_resolved_device
    def load_params(self, *args, **kwargs):
        """skorch's ``load_params``, with ``device="auto"`` resolved to this machine's device.

        Parameters
        ----------
        *args, **kwargs
            As for :meth:`skorch.net.NeuralNet.load_params`: ``f_params``,
            ``f_optimizer``, ``f_history``, ``checkpoint``, ...
        """
        return super().load_params(*args, **kwargs)

    def summary(self, *, as_text=False):
        """Each layer's output shape and parameter count.

        Works before fitting too, for the network's native input (one
        channel of 28x28, 10 classes).

        Parameters
        ----------
        as_text : bool, default=False
            Return a printable table with the totals instead of a DataFrame.

        Returns
        -------
        summary : pandas.DataFrame or str
            One row per layer: ``layer``, ``type``, ``output_shape``,
            ``n_params``.
        """
        if self.__sklearn_is_fitted__():
            module, n_classes = self.module_, len(self.classes_)
        else:
            n_classes = 10
            module = self._build_module(self._module_input_shape(), n_classes)
        return model_summary(module, self._sample_input_shape(), as_text=as_text)

    # ------------------------------------------------------------------
    # Hooks for subclasses

    def _build_module(self, input_shape, n_classes):
        """Return the :mod:`torch.nn` module for ``input_shape`` (c, h, w) and ``n_classes``."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Internals

    def _module_input_shape(self):
        """(channels, height, width) of what the module receives."""
        native = self._native_image_shape
        shape = getattr(self, "image_shape_", native if native else (1, 28, 28))
        if native is None:
            return shape
        c, h, w = shape
        return (c, max(h, native[1]), max(w, native[2]))

    def _sample_input_shape(self):
        """Shape of one sample as :meth:`_prepare_batch` hands it to the module."""
        if self._native_image_shape is None:
            # flat rows, as they are: no padding to a square image
            n_features = getattr(self, "n_features_in_", math.prod(self._module_input_shape()))
            return (n_features,)
        return self._module_input_shape()

    def _prepare_batch(self, Xb, training):
        """Raw batch rows to module input, on the device: cast, reshape, frame, augment."""
        x = to_float(Xb)
        augment = training and getattr(self, "_augment_settings", None) is not None
        if self._native_image_shape is None and not augment:
            return x.reshape(len(x), -1)
        x = to_images(x, self.image_shape_, self._module_input_shape()[1:])
        if augment:
            x = augment_batch(x, self._augment_settings)
        return x

    def _validate_X(self, X, *, reset):
        """Validate ``X`` once and return it as flat rows (a view where possible)."""
        if isinstance(X, torch.Tensor):
            X = X.detach().cpu().numpy()
        elif isinstance(X, (list, tuple)):
            # an array-like without ``ndim`` (a list of images, say): its
            # dimensions decide the path below, as an array's would
            X = np.asarray(X)
        if getattr(X, "ndim", 2) > 2:
            X = check_array(X, allow_nd=True, dtype="numeric", estimator=self, input_name="X")
            sample_shape = X.shape[1:]
            X = X.reshape(len(X), -1)
            validate_data(self, X, reset=reset, skip_check_array=True)
        else:
            integer_dtype = _nullable_integer_dtype(X)
            X = validate_data(self, X, reset=reset, dtype="numeric")
            if integer_dtype is not None and X.dtype.kind == "f":
                # finite by now: back to the integer pixels the columns held
                X = X.astype(integer_dtype)
            sample_shape = X.shape[1:]
        if reset:
            native = self._native_image_shape
            self.image_shape_ = image_shape_from(
                sample_shape,
                min_size=None if native is None else native[1:],
                name=type(self).__name__,
            )
        return X

    def _encode_y(self, y, n_samples, *, reset, classes=None):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y = column_or_1d(y, warn=True)
        check_consistent_length(np.empty(n_samples), y)
        check_classification_targets(y)
        if reset:
            labels = np.unique(y if classes is None else np.asarray(classes))
            if len(labels) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes; y holds "
                    f"only one class: {labels[0]!r}."
                )
            self.classes_inferred_ = labels
        encoded = np.searchsorted(self.classes_, y)
        unknown = (encoded >= len(self.classes_)) | (
            self.classes_[np.minimum(encoded, len(self.classes_) - 1)] != y
        )
        if unknown.any():
            raise ValueError(
                f"y contains labels not among classes_ {self.classes_.tolist()}: "
                f"{np.unique(y[unknown]).tolist()}."
            )
        return encoded

    def _training_data(self, X, y, *, reset, classes=None):
        self._require_device()
        X = self._validate_X(X, reset=reset)
        y = self._encode_y(y, len(X), reset=reset, classes=classes)
        return DeviceData(X, y, device=self.device, budget_bytes=self._device_budget())

    def _device_budget(self):
        if self.device_data_budget is not None:
            return float(self.device_data_budget) * 2**30
        device = torch.device(self.device)
        if device.type == "cuda":
            free, _ = torch.cuda.mem_get_info(device)
            return free / 2
        return math.inf

    def _logits(self, X):
        """Logits for ``X`` on the device, in one pass of batches."""
        self.check_is_fitted()
        if not isinstance(X, DeviceData):
            X = DeviceData(
                self._validate_X(X, reset=False),
                device=self.device,
                budget_bytes=self._device_budget(),
            )
        return self.forward(X, training=False, device=self.device)

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
                    monitor.restore_best(self)
                except KeyboardInterrupt:
                    kept = (
                        f"the weights of epoch {monitor.best_epoch_} (best {self._monitor_name()})"
                        if monitor.restore_best(self) else "the weights reached so far"
                    )
                    warnings.warn(
                        f"Training was interrupted in epoch {len(self.history)}; {kept} "
                        "were kept.", UserWarning, stacklevel=3,
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
    def _unchanged_on_error(self):
        """Put every attribute back as it was if the block raises.

        Checking X and y and building the network set fitted attributes one by
        one (``n_features_in_``, ``image_shape_``, ``classes_``, ``module_``,
        ...); a check that fails half-way must not leave a fitted estimator
        with new labels over its old weights. Those steps bind new objects
        rather than change the old ones, so a shallow copy is enough.
        """
        saved = dict(self.__dict__)
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

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
