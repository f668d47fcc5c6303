"""The shared base of the skmnist estimators: one class, read top to bottom.

:class:`BaseMNISTClassifier` is a :class:`skorch.NeuralNetClassifier` that
keeps scikit-learn's contract: parameters are stored untouched (and never
changed afterwards), everything learned ends in ``_``, labels keep their own
values in ``classes_``, and the data is validated once with
:func:`~sklearn.utils.validation.validate_data`. This module holds the class
and what it does, in this order: its parameters, scikit-learn's contract on
skorch's net, ``fit``, ``partial_fit`` and the predictions, the skorch hooks
it overrides, and the steps of a fit. What it is made from are plain
functions and small classes in the modules beside it, none of which reads or
changes an estimator's private state:

- :mod:`._options`: each training parameter's declaration and documentation,
  the vocabularies (optimizers, schedules, the "auto" budget), and the
  optimizer, schedule and callbacks made from the options;
- :mod:`._data`: ``X`` and ``y`` checked, device tensors and batches;
- :mod:`._augment`: augmentation on the device; :mod:`._devices`: devices;
  :mod:`._graphs`: the training step replayed from a CUDA graph;
  :mod:`._callbacks`: skmnist's skorch callbacks; and :mod:`._checkpoint`: the
  training state that ``checkpoint_dir`` keeps.

A new architecture is a :mod:`skmnist.nets` module plus a subclass that names
its parameters and implements :meth:`BaseMNISTClassifier._build_module`.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import difflib
import functools
import inspect
import math
import numbers
import types
import warnings
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import sklearn
import torch
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    InvalidParameterError,
    validate_parameter_constraints,
)
from skorch import NeuralNetClassifier
from skorch.callbacks import Callback
from skorch.dataset import get_len
from skorch.utils import to_tensor

from ..exceptions import TrainingDivergedError
from . import _data
from ._augment import resolve_augment
from ._callbacks import MONITOR, SCHEDULE, EarlyStop
from ._checkpoint import CALLBACK_NAME as CHECKPOINT_CALLBACK
from ._devices import AUTO, check_device, device_budget, is_auto, resolve_device, seeded
from ._docs import BASE_DOC, document
from ._graphs import TrainingGraph
from ._options import (
    AUTO_BATCH_SIZE,
    OPTIMIZER_KERNELS,
    TRAINING_PARAMETERS,
    ScheduleOptions,
    captures_graphs,
    default_callbacks,
    epochs_before_data,
    host_step_counts,
    make_optimizer,
    make_schedule,
    monitored_loss,
    optimizer_settings,
    parameters_rebuilding,
    plateau_stop_after,
    resolve_step_mode,
    step_kernels,
    training_budget,
    training_constraints,
)
from ._summary import epoch_rows, model_summary

#: skorch settings that each skmnist estimator fixes: they are not parameters.
FIXED_SKORCH_SETTINGS = (
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
#: skorch's prefixed settings the estimators take: ``PREFIX__NAME`` for these prefixes
#: (``optimizer__betas``, ``criterion__label_smoothing``, ``callbacks__print_log``, ...)...
SKORCH_PREFIXES = ("optimizer", "criterion", "callbacks", "compile")
#: ... and these settings of skorch's iterators, whose batches the estimators cut themselves.
SKORCH_ITERATOR_SETTINGS = ("iterator_train__batch_size", "iterator_valid__batch_size")
# skorch's NeuralNet.__init__ sets these, which are not parameters (see __init__)
_SKORCH_INIT_STATE = ("history_", "initialized_", "virtual_params_")
# skorch's prefixed settings whose change leaves the callbacks as they are (the optimizer
# and the criterion take them)
_KEEP_CALLBACKS_PREFIXES = ("optimizer__", "criterion__")
# skorch's callback methods called for every batch
_PER_BATCH_METHODS = ("on_batch_begin", "on_grad_computed", "on_batch_end")


#: The (channels, height, width) of an MNIST digit, which the convolutional networks are
#: built for, and the classes an unfitted estimator's network is built with (``summary``,
#: ``initialize``).
MNIST_IMAGE_SHAPE = (1, 28, 28)
MNIST_CLASSES = 10


class BaseMNISTClassifier(NeuralNetClassifier):
    __doc__ = BASE_DOC  # its training parameters written in by ._docs.document

    #: (channels, height, width) the network is built for; conv nets frame
    #: smaller images to it, None for networks that take any flat input.
    _native_image_shape: tuple[int, int, int] | None = MNIST_IMAGE_SHAPE

    # skorch's NeuralNet.__init__ stores its unfitted state on the instance;
    # scikit-learn wants __init__ to set parameters only, so the unfitted
    # state lives here on the class until ``initialize`` sets it.
    history_ = None
    initialized_ = False
    virtual_params_: Mapping[str, Any] = types.MappingProxyType({})
    #: set by fit, partial_fit, initialize and predictions: see the Attributes
    device_: torch.device
    # The estimator's private state, declared here (None until a fit sets it). Kept with
    # the fitted estimator: the training batches per epoch (the one-cycle schedule's
    # steps), the integer seed random_state resolves to (None: unseeded), augment's
    # settings checked against the data, and the settings the parts were built with
    # (what _apply_changed_settings compares)...
    _batches_per_epoch: int | None = None
    _seed: int | None = None
    _augment_settings: dict | None = None
    _built_with: dict  # set by every build
    # ... of a fit under way only: the shuffling's and the augmentation's generators, and
    # the training step's CUDA graph (step_mode="graph"); and a cache of the callbacks
    # that do something in each per-batch method, for the callbacks it was found for
    _generators: tuple | None = None
    _graph: TrainingGraph | None = None
    _listeners_of: tuple | None = None
    # unpickled with torch's map_location (skorch adds module_, criterion_ and
    # optimizer_), so that a model trained on a GPU loads on a CPU-only machine: the
    # callbacks hold device tensors too (batch counts, a scheduler's optimizer)
    cuda_dependent_attributes_ = ["callbacks_"]

    #: What each parameter takes (scikit-learn's declarations); subclasses add
    #: their architecture's. Checked when ``fit`` starts.
    _parameter_constraints: dict = training_constraints()

    def __init__(
        self,
        *,
        optimizer="adam",
        lr=1e-3,
        momentum=0.9,
        weight_decay=0.0,
        batch_size="auto",
        max_epochs="auto",
        device="auto",
        random_state=None,
        class_weight=None,
        verbose=0,
        augment=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
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
        checkpoint_dir=None,
        compile=False,
        step_mode="auto",
        **kwargs,
    ):
        _check_skorch_settings(type(self), kwargs)
        super().__init__(
            None,  # the module: built by _build_module
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
        self.class_weight = class_weight
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
        self.checkpoint_dir = checkpoint_dir
        self.step_mode = step_mode
        for name in _SKORCH_INIT_STATE:  # the class holds them until initialize
            self.__dict__.pop(name, None)

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
        cls.__init__.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        cls.__doc__ = document(cls)

    # ------------------------------------------------------------------
    # scikit-learn's contract on skorch's net

    def get_params(self, deep=True, **kwargs):
        """The estimator's parameters, as for any scikit-learn estimator.

        skorch's prefixed settings (``optimizer__betas``, ...) are parameters
        too; the settings each skmnist estimator fixes (``module``,
        ``criterion``, ``train_split``, ...) are not.

        Parameters
        ----------
        deep : bool, default=True
            Also list the parameters of the callbacks, as skorch does.
        **kwargs : dict
            Passed on to skorch's ``get_params``.

        Returns
        -------
        params : dict
            Parameter names and their values.
        """
        params = super().get_params(deep=deep, **kwargs)
        return {
            name: value
            for name, value in params.items()
            if name not in FIXED_SKORCH_SETTINGS and not name.startswith("_")
        }

    def set_params(self, **params):
        """Set parameters, as for any scikit-learn estimator.

        Unlike skorch, every value is stored as it is and used when training
        starts: a new ``fit`` builds the network, optimizer and callbacks from
        them; with ``warm_start`` (and in ``partial_fit``) changed training
        settings are applied to the trained network, and a changed
        architecture is refused.

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
        plain = {k: v for k, v in params.items() if "__" not in k}
        prefixed = {k: v for k, v in params.items() if "__" in k}
        _check_skorch_settings(type(self), prefixed, ValueError)
        BaseEstimator.set_params(self, **plain)
        for name, value in prefixed.items():
            setattr(self, name, value)
        return self

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

    # ------------------------------------------------------------------
    # Fitting

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Train the network on ``X`` and ``y`` for ``max_epochs`` epochs.

        With ``max_epochs="auto"`` (the default) the epochs, and with
        ``batch_size="auto"`` the batch size, are chosen from the number of
        training images and kept in ``max_epochs_`` and ``batch_size_``;
        training stops early on a plateau of the training loss then.

        Each batch's loss is the mean of its samples' losses, weighted by
        ``sample_weight`` times the weights of ``class_weight`` when they are
        given, as scikit-learn weighs samples; the validation loss that
        ``early_stopping`` and the ``"plateau"`` schedule watch is weighted
        too, each held-out image keeping its weight.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), (n_samples, height, width) \
                or (n_samples, channels, height, width)
            Images as flat rows of pixels or as 2-D images, of any real dtype.
            Integer pixels are read as 0-255 intensities and scaled to [0, 1];
            floating-point pixels are used as given.
        y : array-like of shape (n_samples,)
            Labels of any kind scikit-learn accepts (ints, strings, ...).
        sample_weight : array-like of shape (n_samples,), float or None, default=None
            Weight of each sample in the loss: finite and non-negative, not
            all zero. None weighs every sample alike. Metadata routing
            (``set_fit_request(sample_weight=True)``) passes it on through
            scikit-learn's pipelines and searches.
        **fit_params : dict
            Refused, naming them: no other keyword is taken.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        _refuse_fit_params("fit", fit_params, ("sample_weight",))
        self._check_params()  # before anything changes
        continuing = self.warm_start and self.__sklearn_is_fitted__()
        with self._unchanged_on_error():
            data = self._training_data(X, y, sample_weight, reset=not continuing)
            if continuing:
                self._apply_changed_settings()
            else:
                self._build()
            self.notify("on_train_begin", X=data, y=None)
            self._train(data, self.max_epochs_ - self._resume(data))
        return self

    def partial_fit(self, X, y, classes=None, sample_weight=None, **fit_params):
        """Train for one epoch, continuing from the current weights.

        The parameters are checked on the first call, and on a later call
        only when they changed since the one before.

        Parameters
        ----------
        X : array-like
            Images, as for :meth:`fit`.
        y : array-like of shape (n_samples,)
            Labels.
        classes : array-like of shape (n_classes,), default=None
            Every label that any call may see. Required on the first call,
            ignored afterwards.
        sample_weight : array-like of shape (n_samples,), float or None, default=None
            Weight of each sample in the loss, as for :meth:`fit`.
            ``class_weight="balanced"`` is refused here, since one call's
            labels do not tell how rare each class is; a dict of weights works.
        **fit_params : dict
            Refused, naming them: no other keyword is taken.

        Returns
        -------
        self : object
            The estimator.
        """
        _refuse_fit_params("partial_fit", fit_params, ("classes", "sample_weight"))
        first_call = not self.__sklearn_is_fitted__()
        if first_call and classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: every label "
                "that later calls may contain."
            )
        if first_call or self._changed_parameters():
            self._check_params()
        with self._unchanged_on_error():
            data = self._training_data(
                X, y, sample_weight, reset=first_call, classes=classes, partial=True
            )
            if first_call:
                self._build()
            else:
                self._apply_changed_settings()
            # a schedule goes on across the calls, as it would across the epochs of a fit
            self.notify("on_train_begin", X=data, y=None, resume=not first_call)
            self._train(data, 1)
        return self

    # ------------------------------------------------------------------
    # Predicting and inspecting

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
        return pd.DataFrame(epoch_rows(self.history)).set_index("epoch")

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
            module = self.module_
        else:
            module = self._build_module(self._module_input_shape(), MNIST_CLASSES)
        return model_summary(module, self._sample_input_shape(), as_text=as_text)

    def load_params(
        self,
        f_params=None,
        f_optimizer=None,
        f_criterion=None,
        f_history=None,
        checkpoint=None,
        use_safetensors=False,
        **kwargs,
    ):
        """Load what skorch's ``save_params`` saved into this estimator, onto ``device_``.

        The files are those of :meth:`skorch.net.NeuralNet.load_params`. The
        estimator must be built for the same network first (fitted, or
        :meth:`initialize`-d with the same parameters, which happens here
        when it is not); the file of another network is refused, saying so,
        and a refused file leaves the estimator as it was. skorch's files hold
        no ``classes_``: an estimator that was never fitted gets the weights
        in ``module_``, and predicts only once fitted. A model saved with
        :func:`~skmnist.save_model` loads with :func:`~skmnist.load_model`
        instead.

        Parameters
        ----------
        f_params : file-like, str or None, default=None
            The module's weights (``f_module`` is the same).
        f_optimizer, f_criterion : file-like, str or None, default=None
            The optimizer's and the criterion's state.
        f_history : file-like, str or None, default=None
            The history, as JSON.
        checkpoint : skorch.callbacks.Checkpoint or None, default=None
            A checkpoint whose files to load; ``f_*`` arguments given too
            take precedence.
        use_safetensors : bool, default=False
            Whether the files were saved with ``use_safetensors=True``.
        **kwargs : dict
            ``f_module``, or ``f_pickle`` (ignored, as skorch ignores it).
        """
        unknown = sorted(k for k in kwargs if k not in ("f_module", "f_pickle"))
        if unknown:
            raise TypeError(f"load_params got unexpected arguments {unknown}")
        with self._unchanged_on_error():
            if not self.initialized_:
                self.initialize()
            files = {}
            if checkpoint is not None:
                files.update(checkpoint.get_formatted_files(self))
            given = {
                "f_params": f_params or kwargs.get("f_module"),
                "f_optimizer": f_optimizer,
                "f_criterion": f_criterion,
                "f_history": f_history,
            }
            files.update({key: file for key, file in given.items() if file is not None})
            # skorch's files are read beside skmnist's own model files, whose module
            # imports this one
            from ._persistence import load_skorch_files

            load_skorch_files(self, files, use_safetensors=use_safetensors)

    # ------------------------------------------------------------------
    # skorch's hooks

    def initialize(self):
        """Build the module, criterion, optimizer and callbacks from the parameters.

        ``fit`` and ``partial_fit`` call this; call it yourself to use an
        unfitted estimator's network, built for one channel of 28x28 images
        and 10 classes.

        Returns
        -------
        self : object
            The initialized estimator.
        """
        self._check_params()
        self._build()
        return self

    def initialize_module(self):
        """Build the network for the fitted input shape and number of classes.

        Returns
        -------
        self : object
            The estimator, with ``module_`` set.
        """
        n_classes = len(self.classes_) if hasattr(self, "classes_inferred_") else MNIST_CLASSES
        module = self._build_module(self._module_input_shape(), n_classes)
        self.module_ = self.torch_compile(module.to(self.device_), name="module")
        return self

    def initialize_criterion(self):
        """Create the cross-entropy criterion (with its ``criterion__*`` settings).

        Returns
        -------
        self : object
            The estimator, with ``criterion_`` set.
        """
        criterion = self.criterion(**self.get_params_for("criterion"))
        self.criterion_ = criterion.to(self.device_)
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
        cls, args, settings, given = self._optimizer_arguments()
        self.optimizer_ = make_optimizer(cls, args, settings, given=given)
        return self

    def _initialize_module(self, reason=None):
        # skorch's version moves the module to ``device``, the parameter ("auto"
        # included); initialize_module puts it on ``device_`` itself
        with self._current_init_context("module"):
            self.initialize_module()
        return self

    def _initialize_criterion(self, reason=None):
        # as _initialize_module
        with self._current_init_context("criterion"):
            self.initialize_criterion()
        return self

    @property
    def _default_callbacks(self):
        return default_callbacks(
            early_stopping=self.early_stopping,
            n_iter_no_change=self.n_iter_no_change,
            tol=self.tol,
            plateau_after=plateau_stop_after(self.max_epochs, self.lr_schedule),
            schedule=make_schedule(
                self.lr_schedule,
                self.lr_schedule_params,
                ScheduleOptions(
                    lr=self.lr,
                    factor=self.lr_factor,
                    patience=self.lr_patience,
                    epochs=self._epochs(),
                    steps_per_epoch=self._batches_per_epoch or 1,
                    monitor=self._monitor_name(),
                ),
            ),
            clip_grad_norm=self.clip_grad_norm,
            checkpoint_dir=self.checkpoint_dir,
        )

    def notify(self, method_name, **cb_kwargs):
        """Call ``method_name`` on the net and every callback (skorch's ``notify``).

        After ``on_epoch_end`` has reached every callback, training ends
        when the training monitor says to stop, so that the last epoch is
        logged and seen by the user's callbacks like every other. The
        per-batch methods skip the callbacks that leave them as skorch's
        :class:`~skorch.callbacks.Callback` has them (doing nothing).

        Parameters
        ----------
        method_name : str
            The callback method, such as "on_epoch_end".
        **cb_kwargs : dict
            Passed on to each callback.
        """
        if method_name not in _PER_BATCH_METHODS:
            super().notify(method_name, **cb_kwargs)
            if method_name == "on_epoch_end" and getattr(self._monitor(), "stop_", False):
                raise EarlyStop()
            return
        getattr(self, method_name)(self, **cb_kwargs)
        for callback in self._listeners(method_name):
            getattr(callback, method_name)(self, **cb_kwargs)

    def _listeners(self, method_name):
        """The callbacks that do something in the per-batch ``method_name``, found once
        per list of callbacks."""
        cached = self._listeners_of
        if cached is None or cached[0] is not self.callbacks_:
            cached = self._listeners_of = (self.callbacks_, {})
        found: dict[str, list] = cached[1]
        if method_name not in found:
            found[method_name] = [cb for _, cb in self.callbacks_ if _overrides(cb, method_name)]
        return found[method_name]

    def check_data(self, X, y):
        """Do nothing: ``X`` and ``y`` were validated before skorch sees them.

        Parameters
        ----------
        X : DeviceData
            The validated data.
        y : None
            Unused: the encoded labels travel with ``X``.
        """

    def get_split_datasets(self, X, y=None, **fit_params):
        """Hold out a stratified ``validation_fraction`` when ``early_stopping`` is on.

        The split is a plain random one where some class has too few images
        for a stratified one.

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
        if not (isinstance(X, _data.DeviceData) and self.early_stopping):
            return super().get_split_datasets(X, y, **fit_params)
        y_encoded = X.labels()
        n_valid = self._n_valid(len(y_encoded))
        splitter = StratifiedShuffleSplit(1, test_size=n_valid, random_state=self._seed)
        n_classes = len(self.classes_)
        if min(n_valid, len(y_encoded) - n_valid) < n_classes or np.bincount(y_encoded).min() < 2:
            splitter = ShuffleSplit(1, test_size=n_valid, random_state=self._seed)
        train, valid = next(splitter.split(np.empty(len(y_encoded)), y_encoded))
        return X.subset(np.sort(train)), X.subset(np.sort(valid))

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
        if not isinstance(dataset, _data.DeviceData):
            return super().get_iterator(dataset, training=training)
        shuffle_generator = augment_generator = None
        if training and self._generators is not None:
            shuffle_generator, augment_generator = self._generators
        prepare = functools.partial(
            _data.prepare_batch,
            image_shape=self.image_shape_,
            frame=self._module_input_shape()[1:],
            flat=self._native_image_shape is None,
            augment=self._augment_settings if training else None,
            generator=augment_generator,
        )
        return _data.DeviceBatches(
            dataset,
            self.batch_size_ if training else self._predict_batch_size(),
            shuffle=training,
            generator=shuffle_generator,
            prepare=prepare,
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
        key, size_key, rows = f"{prefix}_loss", f"{prefix}_batch_size", []
        try:
            for batch in iterator:
                self.notify("on_batch_begin", batch=batch, training=training)
                step = step_fn(batch, **fit_params)
                row = self.history[-1]["batches"][-1]  # what record_batch writes to
                row[key] = step["loss"].detach()
                row[size_key] = len(batch[0]) if torch.is_tensor(batch[0]) else get_len(batch[0])
                rows.append(row)
                self.notify("on_batch_end", batch=batch, training=training, **step)
        finally:
            if rows:
                losses = torch.stack([row[key] for row in rows]).float().cpu().tolist()
                for row, loss in zip(rows, losses, strict=True):
                    row[key] = loss
        self.history.record(f"{prefix}_batch_count", len(rows))

    def train_step_single(self, batch, **fit_params):
        """Forward, loss and backward for one training batch (skorch's ``train_step_single``).

        As skorch's, but the modules are put in training mode only when they
        are not in it already (after a validation pass), not for every batch;
        with ``step_mode="graph"`` on a CUDA device, full-size batches are
        replayed from a CUDA graph.

        Parameters
        ----------
        batch : tuple of torch.Tensor
            Module input and encoded labels, and the samples' weights for
            weighted data.
        **fit_params : dict
            Passed on to the module's ``forward``.

        Returns
        -------
        step : dict
            ``loss`` and ``y_pred`` of the batch, as skorch's callbacks expect.
        """
        if not self.module_.training:
            self._set_training(True)
        graph = self._graph
        if graph is not None and not fit_params:
            loss, y_pred = graph(*batch)
        else:
            loss, y_pred = self._forward_backward(*batch, **fit_params)
        return {"loss": loss, "y_pred": y_pred}

    def _zero_grad_optimizer(self, set_to_none=None):
        # skorch's hook for how gradients are cleared: in place while a CUDA graph's
        # replays write them (the graph owns their memory), else as torch does
        graph = self._graph
        if graph is not None and graph.holds_grads:
            set_to_none = False
        super()._zero_grad_optimizer(set_to_none=set_to_none)

    def _forward_backward(self, Xi, yi, weights=None, **fit_params):
        """Loss and logits of one training batch, after the loss's backward pass."""
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True, sample_weight=weights)
        loss.backward()
        return loss, y_pred

    def validation_step(self, batch, **fit_params):
        """Loss and logits of one held-out batch (skorch's ``validation_step``).

        As skorch's, but the batch may carry the samples' weights, which
        weight its loss, and the modules' mode is set only when it changes.

        Parameters
        ----------
        batch : tuple of torch.Tensor
            Module input, encoded labels and, for weighted data, weights.
        **fit_params : dict
            Passed on to the module's ``forward``.

        Returns
        -------
        step : dict
            ``loss`` and ``y_pred`` of the batch, as skorch's callbacks expect.
        """
        Xi, yi, *weights = batch
        with torch.no_grad():
            if self.module_.training:
                self._set_training(False)
            y_pred = self.infer(Xi, **fit_params)
            weights = weights[0] if weights else None
            loss = self.get_loss(y_pred, yi, X=Xi, training=False, sample_weight=weights)
        return {"loss": loss, "y_pred": y_pred}

    def evaluation_step(self, batch, training=False):
        """The module's output for one batch of a prediction (skorch's ``evaluation_step``).

        As skorch's, but the modules' train or evaluation mode is set only
        when it changes, not by a walk over every layer for every batch.

        Parameters
        ----------
        batch : tuple of torch.Tensor
            The batch's module input (and labels, unused).
        training : bool, default=False
            Whether to run the module in training mode (dropout on).

        Returns
        -------
        y_infer : torch.Tensor
            The module's output.
        """
        with torch.set_grad_enabled(training):
            if self.module_.training != training:
                self._set_training(training)
            return self.infer(batch[0])

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
        x = to_tensor(x, device=self.device_)
        if not self.mixed_precision:
            return self.module_(x, **fit_params)
        # without autocast's cache of cast weights, which a CUDA graph cannot capture
        # (each weight is cast once per forward pass anyway)
        with torch.autocast(
            device_type=self.device_.type, dtype=torch.bfloat16, cache_enabled=False
        ):
            return self.module_(x, **fit_params).float()

    def get_loss(self, y_pred, y_true, X=None, training=False, sample_weight=None):
        """Cross-entropy of the logits ``y_pred`` against the encoded labels ``y_true``.

        Parameters
        ----------
        y_pred : torch.Tensor
            The module's logits.
        y_true : torch.Tensor
            Encoded labels.
        X : None
            Unused; skorch passes the batch.
        training : bool, default=False
            Unused; skorch passes whether the net trains.
        sample_weight : torch.Tensor or None, default=None
            The samples' weights.

        Returns
        -------
        loss : torch.Tensor
            The mean loss of the batch, weighted by ``sample_weight`` when given:
            the sum of each sample's loss times its weight, over the sum of
            the weights (the criterion's own class weights, from
            ``criterion__weight``, multiply both).
        """
        y_true = to_tensor(y_true, device=self.device_)
        if sample_weight is None:
            return self.criterion_(y_pred, y_true)
        return _weighted_loss(self.criterion_, y_pred, y_true, sample_weight)

    def forward_iter(self, X, training=False, device="cpu"):
        """Yield the module's outputs batch by batch (skorch's ``forward_iter``).

        Parameters
        ----------
        X : array-like, DeviceData or dataset
            Input data: images as for :meth:`predict` (checked as it checks
            them), or data already on the device.
        training : bool, default=False
            Whether to run the module in training mode.
        device : str or torch.device, default="cpu"
            Where each output is put; "auto" (skorch's callbacks pass the
            ``device`` parameter) means ``device_``.

        Yields
        ------
        y_infer : torch.Tensor
            The output of each batch.
        """
        if not isinstance(X, torch.utils.data.Dataset):
            X = self._inference_data(X)
        if is_auto(device):
            device = self.device_
        yield from super().forward_iter(X, training=training, device=device)

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_graph", None)  # a CUDA graph of a fit under way is not kept
        state.pop("_listeners_of", None)
        return state

    def __setstate__(self, state):
        state = {"step_mode": AUTO, **state}  # files of older skmnist lack it
        # skorch maps the tensors to ``device``; "auto" is resolved on this machine for
        # that, and the parameter keeps its value
        requested = state["device"]
        auto = is_auto(requested)
        wanted = str(resolve_device(AUTO)) if auto else requested
        super().__setstate__({**state, "device": wanted})
        landed = torch.device(vars(self)["device"])  # where skorch put the tensors
        # skorch falls back to the CPU, with a warning, when this machine lacks the
        # device; the estimator is then made for the CPU, as load_model makes it
        fell_back = landed != torch.device(wanted)
        self.device = AUTO if auto else "cpu" if fell_back else requested
        if self.initialized_:
            self.device_ = landed

    # ------------------------------------------------------------------
    # Hooks for subclasses

    def _build_module(self, input_shape, n_classes):
        """Return the :mod:`torch.nn` module for ``input_shape`` (c, h, w) and ``n_classes``."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # The steps of a fit

    def _check_params(self):
        """Check every parameter against ``_parameter_constraints``, unless scikit-learn's
        ``set_config(skip_parameter_validation=True)`` says not to.

        A bad value is an :class:`~sklearn.utils._param_validation.InvalidParameterError`
        (a ``ValueError``) naming the parameter, what it takes and what it got.
        """
        if sklearn.get_config()["skip_parameter_validation"]:
            return
        # skorch's batch sizes take what ``batch_size`` takes
        iterators = dict.fromkeys(
            SKORCH_ITERATOR_SETTINGS, self._parameter_constraints["batch_size"]
        )
        validate_parameter_constraints(
            {**self._parameter_constraints, **iterators},
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )
        try:
            resolve_augment(self.augment)
        except ValueError as exc:
            raise InvalidParameterError(
                f"The 'augment' parameter of {type(self).__name__}: {exc}"
            ) from None

    @contextmanager
    def _unchanged_on_error(self):
        """Put the estimator back as it was if the block raises, unless the error is a
        :class:`~skmnist.exceptions.TrainingDivergedError` (whose message says which
        weights were kept).

        Checking X and y and building the network set fitted attributes one by
        one (``n_features_in_``, ``image_shape_``, ``classes_``, ``module_``,
        ...), which bind new objects: a shallow copy of the attributes puts
        them back. Continuing training changes the network, the criterion, the
        optimizer, the schedule and the history in place: copies of their
        states put those back, on the device they were on.
        """
        saved = dict(self.__dict__)
        device = saved.get("device_")
        parts = [saved.get(name) for name in ("module_", "criterion_", "optimizer_")]
        schedule = dict(saved.get("callbacks_") or {}).get(SCHEDULE)
        scheduler = getattr(schedule, "lr_scheduler_", None)
        parts.append(scheduler if hasattr(scheduler, "state_dict") else None)
        states = [copy.deepcopy(p.state_dict()) if p is not None else None for p in parts]
        history = saved.get("history_")
        rows = list(history) if history is not None else None
        try:
            yield
        except TrainingDivergedError:
            raise
        except BaseException:
            module, criterion = parts[:2]
            if module is not None and device is not None:
                module.to(device)
                if criterion is not None:
                    criterion.to(device)
            for part, state in zip(parts, states, strict=True):
                if part is not None:
                    part.load_state_dict(state)
            if schedule is not None:
                schedule.lr_scheduler_ = scheduler
                _follow_optimizer(saved.get("callbacks_"), saved.get("optimizer_"))
            if history is not None:
                history[:] = rows  # a new fit clears skorch's history in place
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _training_data(self, X, y, sample_weight=None, *, reset, classes=None, partial=False):
        """Validated ``X``, encoded ``y`` and the samples' weights as :class:`DeviceData`
        on ``device_``, and the training budget for it (``batch_size_``, ``max_epochs_``)."""
        self.device_ = check_device(self.device)
        name = type(self).__name__
        X, sample_shape = _data.check_X(self, X, reset=reset)
        pixel_range = _data.pixel_range(X, fitting=True)
        y = _data.check_y(y, len(X), name=name)
        if reset:
            self.image_shape_ = _data.image_shape(
                sample_shape, native_shape=self._native_image_shape, name=name
            )
            self.pixel_range_ = pixel_range
            self.classes_inferred_ = _data.class_labels(y, classes, name=name)
        else:
            _data.check_image_shape(sample_shape, self.image_shape_, name=name)
            _data.check_pixel_scale(pixel_range, self.pixel_range_)
        weights = _data.sample_weights(
            sample_weight, self.class_weight, y, self.classes_, partial=partial
        )
        data = _data.DeviceData(
            X,
            _data.encode_labels(y, self.classes_),
            weights,
            device=self.device_,
            budget_bytes=device_budget(self.device_, self.device_data_budget),
        )
        n_train = len(data) - (self._n_valid(len(data)) if self.early_stopping else 0)
        if n_train < 1:
            raise ValueError(
                f"early_stopping holds out {self._n_valid(len(data))} of the {len(data)} "
                "images for validation, which leaves none to train on; pass more images, "
                "or set early_stopping=False."
            )
        batch_size = self.get_params_for("iterator_train").get("batch_size", self.batch_size)
        self.batch_size_, self.max_epochs_ = training_budget(batch_size, self.max_epochs, n_train)
        self._batches_per_epoch = math.ceil(n_train / self.batch_size_)
        return data

    def _build(self):
        """Build the network, criterion, optimizer and callbacks, seeded from
        ``random_state``."""
        self.device_ = check_device(self.device)
        self._check_mixed_precision()
        self.step_mode_ = resolve_step_mode(self.step_mode, self.device_, compile=self.compile)
        self._seed = _seed_of(self.random_state)
        self._augment_settings = self._checked_augment()
        with self._seeded(0):
            super().initialize()
        self._built_with = self._settings()

    def _changed_parameters(self):
        """The names of the parameters that changed since the parts were built."""
        built = self._built_with
        return {
            k
            for k, v in self.get_params(deep=False).items()
            if k in built and not _same(v, built[k])
        }

    def _apply_changed_settings(self):
        """Before training continues, apply what changed since the parts were built.

        A changed architecture cannot apply to the trained network and is
        refused; then a changed device moves the network, a changed optimizer
        setting updates the optimizer (a new optimizer class starts afresh,
        with a warning), changed ``criterion__*`` settings make a new
        criterion, and other training settings (``lr``, which a one-cycle
        schedule peaks at, the callbacks, and the budget resolved from the data
        included) rebuild the callbacks. Whatever raises, the caller puts the
        estimator back as it was.
        """
        built, now = self._built_with, self._settings()
        changed = {k for k in now if not _same(now[k], built.get(k))}
        architecture = sorted(
            changed
            & (
                {*self._parameter_constraints} - {*TRAINING_PARAMETERS}
                | parameters_rebuilding("network")
            )
        )
        if architecture:
            raise ValueError(
                f"{', '.join(architecture)} changed since the network was built; warm_start "
                "and partial_fit continue training that network. Set them back, or fit with "
                "warm_start=False to build a new network."
            )
        augment = self._checked_augment()
        self._follow_device()
        self._check_mixed_precision()
        self.step_mode_ = resolve_step_mode(self.step_mode, self.device_, compile=self.compile)
        settings_changed = bool(changed & parameters_rebuilding("optimizer")) or any(
            k.startswith("optimizer__") for k in changed
        )
        if settings_changed or changed & parameters_rebuilding("kernels"):
            self._update_optimizer(built["optimizer"], settings_changed)
        if any(k.startswith("criterion__") for k in changed):
            self.initialize_criterion()
        self._augment_settings = augment
        self._seed = _seed_of(self.random_state) if "random_state" in changed else self._seed
        keep = {*TRAINING_PARAMETERS} - parameters_rebuilding("callbacks")
        if {k for k in changed - keep if not k.startswith(_KEEP_CALLBACKS_PREFIXES)}:
            for group in self.optimizer_.param_groups:
                # a schedule added now resumes at this epoch from the current rate
                group.setdefault("initial_lr", group["lr"])
            self.initialize_callbacks()
        self._built_with = now

    def _resume(self, data):
        """With ``checkpoint_dir``, put back the training state it holds for this fit, if
        any (:class:`~._checkpoint.TrainingCheckpoint`); returns the epochs done already."""
        checkpoint = dict(self.callbacks_).get(CHECKPOINT_CALLBACK)
        if checkpoint is None:
            return 0
        self._seed, done = checkpoint.resume(self, data, epochs=self.max_epochs_, seed=self._seed)
        return done

    def _train(self, data, epochs):
        """Run skorch's loop for ``epochs`` epochs on ``data`` (``on_train_begin`` was sent)."""
        monitor = self._monitor()
        with self._seeded(len(self.history) + 1) as generators:
            self._generators = generators
            checkpoint = dict(self.callbacks_).get(CHECKPOINT_CALLBACK)
            if checkpoint is not None:  # a resumed fit's generators take their saved states
                checkpoint.use_generators(generators)
            if captures_graphs(self.step_mode_):
                learnable = [p for _, p in self.get_all_learnable_params()]
                self._graph = TrainingGraph(self._forward_backward, self.device_, learnable)
            try:
                try:
                    self.fit_loop(data, None, epochs=epochs)
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
                graph, self._generators, self._graph = self._graph, None, None
                if graph is not None:
                    graph.release()

    def _checked_augment(self):
        """``augment`` as the settings the batches are augmented with, checked against X."""
        settings = resolve_augment(self.augment)
        if settings is not None and self._native_image_shape is None:
            c, h, w = self.image_shape_
            if c * h * w != self.n_features_in_:
                raise ValueError(
                    f"augment needs images, but the {self.n_features_in_} features per sample "
                    "are no square image; pass X as (n_samples, height, width)."
                )
        return settings

    def _check_mixed_precision(self):
        """Refuse ``mixed_precision`` on a GPU ``device_`` without bfloat16."""
        if self.mixed_precision and self.device_.type == "cuda":
            with torch.cuda.device(self.device_):
                supported = torch.cuda.is_bf16_supported()
            if not supported:
                raise ValueError(
                    "mixed_precision uses bfloat16, which this GPU does not support; "
                    "use mixed_precision=False."
                )

    def _follow_device(self):
        """Put the network (and the optimizer's state) on the device ``device`` names now."""
        device = check_device(self.device)
        current = next(self.module_.parameters(), torch.empty(0)).device
        if current.type == device.type and device.index in (None, current.index):
            # "cuda" takes the GPU the network is on: the data goes there too
            self.device_ = current if device.index is None else device
            return
        self.module_.to(device)
        self.criterion_.to(device)
        # loading its own state moves the optimizer's state to its parameters' device
        self.optimizer_.load_state_dict(self.optimizer_.state_dict())
        self.device_ = device

    def _update_optimizer(self, previous, settings_changed):
        """Apply the optimizer settings to ``optimizer_``, keeping its state where it can.

        A new optimizer class starts afresh. Otherwise new kernels (``step_mode``,
        ``device``) make a new optimizer of the class that takes the trained one's
        state and current rates; then, when ``settings_changed``, the settings are
        applied to its parameter groups.
        """
        cls, args, settings, given = self._optimizer_arguments()
        if type(self.optimizer_) is not cls:
            self.optimizer_ = make_optimizer(cls, args, settings, given=given)
            warnings.warn(
                f"optimizer changed from {previous!r} to {self.optimizer!r} while training "
                f"continues: the new {cls.__name__} starts with no state (no moment "
                "estimates or momentum).",
                UserWarning,
                stacklevel=4,
            )
            return
        group = self.optimizer_.param_groups[0]
        if any(bool(group.get(k)) != bool(settings.get(k)) for k in OPTIMIZER_KERNELS):
            # torch chooses an optimizer's kernels when it is made: a new one takes the
            # trained one's state (moved to where the new kernels keep it) and groups
            state = self.optimizer_.state_dict()
            for saved in state["param_groups"]:
                saved.update({k: settings.get(k) for k in OPTIMIZER_KERNELS})
            self.optimizer_ = make_optimizer(cls, args, settings, given=given)
            self.optimizer_.load_state_dict(state)
            host_step_counts(self.optimizer_)
            _follow_optimizer(self.callbacks_, self.optimizer_)
        if not settings_changed:
            return
        # the settings are checked on a new optimizer of the same class before the
        # trained one takes them
        make_optimizer(cls, ([torch.zeros(1, requires_grad=True)],), settings, given=given)
        groups = args[0] if isinstance(args[0], list) else []
        for i, group in enumerate(self.optimizer_.param_groups):
            # skorch's parameter groups (``optimizer__param_groups``) keep their own settings
            own = groups[i] if i < len(groups) and isinstance(groups[i], dict) else {}
            given_here = {**settings, **{k: v for k, v in own.items() if k != "params"}}
            group.update({k: v for k, v in given_here.items() if k in group})
            if "initial_lr" in group:  # where a schedule starts from
                group["initial_lr"] = group["lr"]

    def _optimizer_arguments(self):
        """The optimizer's class, positional arguments (skorch's parameter groups) and
        settings, and the settings the user gave (named in error messages)."""
        cls, settings, given = optimizer_settings(self.get_params(deep=False))
        settings = {**settings, **step_kernels(cls, self.step_mode_, self.device_, given)}
        args, _ = self.get_params_for_optimizer("optimizer", self.get_all_learnable_params())
        return cls, args, settings, given

    def _settings(self):
        """The parameters as they are now, and what the callbacks were made for (the
        budget resolved from the data): what :meth:`_apply_changed_settings` compares."""
        settings = self.get_params(deep=False)
        settings["max_epochs_"] = self._epochs()
        settings["batches_per_epoch"] = self._batches_per_epoch
        return settings

    @contextmanager
    def _seeded(self, offset):
        """Seed torch's global generator (weights, dropout) from ``random_state`` plus
        ``offset`` and restore it afterwards.

        Yields the generators of the shuffling (on the CPU, so that a seed gives
        the same batches on every device) and of the augmentation (on
        ``device_``); None when ``random_state`` is None.
        """
        if self._seed is None:
            yield None
            return
        seed = self._seed + offset
        with seeded(self.device_, seed):
            yield (
                torch.Generator().manual_seed(seed),
                torch.Generator(self.device_).manual_seed(seed),
            )

    def _monitor(self):
        """The :class:`~._callbacks.TrainingMonitor` among the callbacks."""
        return dict(self.callbacks_)[MONITOR]

    def _epochs(self):
        """The epochs ``fit`` trains at most: ``max_epochs_`` once resolved from the data;
        before (a model loaded from a file), what "auto" is on large data."""
        resolved = getattr(self, "max_epochs_", None)
        if resolved is not None:
            return resolved
        return epochs_before_data(self.max_epochs)

    def _predict_batch_size(self):
        """Images per prediction batch: ``iterator_valid__batch_size``, else ``batch_size``
        (all at once for -1), with ``AUTO_BATCH_SIZE`` for "auto"."""
        batch_size = self.get_params_for("iterator_valid").get("batch_size", self.batch_size)
        return AUTO_BATCH_SIZE if is_auto(batch_size) else batch_size

    def _n_valid(self, n_samples):
        """Samples ``early_stopping`` holds out of ``n_samples``."""
        return max(1, round(self.validation_fraction * n_samples))

    def _monitor_name(self):
        return monitored_loss(self.early_stopping)

    def _module_input_shape(self):
        """(channels, height, width) of what the module receives."""
        native = self._native_image_shape
        shape = getattr(self, "image_shape_", native if native else MNIST_IMAGE_SHAPE)
        if native is None:
            return shape
        c, h, w = shape
        return (c, max(h, native[1]), max(w, native[2]))

    def _sample_input_shape(self):
        """Shape of one sample as the module takes it."""
        if self._native_image_shape is None:
            # flat rows, as they are: no padding to a square image
            n_features = getattr(self, "n_features_in_", math.prod(self._module_input_shape()))
            return (n_features,)
        return self._module_input_shape()

    def _logits(self, X):
        """Logits for ``X`` on ``device_``, in one pass of batches."""
        data = self._inference_data(X)
        with torch.inference_mode():  # no autograd bookkeeping, as a raw model runs
            # skorch's forward, without its per-batch device moves (the outputs are on
            # device_ already)
            batches = self.get_iterator(data, training=False)
            return torch.cat([self.evaluation_step(batch) for batch in batches])

    def _inference_data(self, X):
        """``X`` checked against what the estimator was fitted on, as :class:`DeviceData`
        on ``device_`` (which follows ``device``)."""
        self.check_is_fitted()
        self._follow_device()
        X, sample_shape = _data.check_X(self, X, reset=False)
        _data.check_image_shape(sample_shape, self.image_shape_, name=type(self).__name__)
        fitted_range = getattr(self, "pixel_range_", None)  # files of older skmnist lack it
        _data.check_pixel_scale(_data.pixel_range(X, fitting=False), fitted_range)
        return _data.DeviceData(
            X,
            device=self.device_,
            budget_bytes=device_budget(self.device_, self.device_data_budget),
        )


BaseMNISTClassifier.__doc__ = document(BaseMNISTClassifier)


def _check_skorch_settings(cls, settings, error=TypeError):
    """Refuse keyword arguments that are neither parameters of ``cls`` nor skorch settings
    it takes (:data:`SKORCH_PREFIXES`, :data:`SKORCH_ITERATOR_SETTINGS`), naming them."""
    for name in settings:
        prefix, sep, rest = name.partition("__")
        if (sep and rest and prefix in SKORCH_PREFIXES) or name in SKORCH_ITERATOR_SETTINGS:
            continue
        parameters = [p for p in inspect.signature(cls).parameters if p != "kwargs"]
        if name in FIXED_SKORCH_SETTINGS:
            raise error(
                f"{cls.__name__} has no parameter {name!r}: it sets skorch's {name} itself. "
                "Use skorch.NeuralNetClassifier directly to change it."
            )
        close = difflib.get_close_matches(name, [*parameters, *SKORCH_ITERATOR_SETTINGS], n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise error(
            f"{cls.__name__} has no parameter {name!r}{hint}; its parameters are: "
            f"{', '.join(sorted(parameters))}; and of skorch's settings, "
            f"{', '.join(f'{p}__NAME' for p in SKORCH_PREFIXES)}, "
            f"{', '.join(SKORCH_ITERATOR_SETTINGS)}."
        )


def _refuse_fit_params(method, fit_params, taken):
    """Refuse keyword arguments of ``method`` other than those it ``taken``, naming them."""
    if fit_params:
        raise TypeError(
            f"{method} got unexpected keyword arguments {sorted(fit_params)}; it takes X, y, "
            f"{', '.join(taken)}. (skorch's fit parameters for the module's forward are not "
            "taken: the estimators build their module themselves.)"
        )


def _weighted_loss(criterion, y_pred, y_true, weights):
    """The mean of ``criterion``'s per-sample losses weighted by ``weights``.

    The losses are the criterion's own (its class weights, label smoothing and
    ignored index included, as a :class:`torch.nn.CrossEntropyLoss` computes
    them with ``reduction="none"``); its class weights also weigh the
    denominator, as its ``"mean"`` reduction does. A batch whose weights are
    all zero has loss 0 and trains nothing.
    """
    losses = torch.nn.functional.cross_entropy(
        y_pred,
        y_true,
        weight=criterion.weight,
        ignore_index=criterion.ignore_index,
        label_smoothing=criterion.label_smoothing,
        reduction="none",
    )
    weights = weights.to(losses.dtype)
    total = weights.masked_fill(y_true == criterion.ignore_index, 0)
    if criterion.weight is not None:
        total = total * criterion.weight[y_true.clamp(0, len(criterion.weight) - 1)]
    return (losses * weights).sum() / total.sum().clamp_min(torch.finfo(total.dtype).tiny)


def _overrides(callback, method_name):
    """Whether ``callback`` does something in ``method_name`` (skorch's callbacks do
    nothing in the methods they do not define)."""
    return method_name in vars(callback) or (
        getattr(type(callback), method_name, None) is not getattr(Callback, method_name)
    )


def _follow_optimizer(callbacks, optimizer):
    """Point the schedule's scheduler at ``optimizer``, which replaces the one it was
    made for, so that the schedule goes on where it was."""
    scheduler = getattr(dict(callbacks or ()).get(SCHEDULE), "lr_scheduler_", None)
    if scheduler is not None and hasattr(scheduler, "optimizer"):
        scheduler.optimizer = optimizer


def _same(a, b):
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays, tensors: compared as objects
        return a is b


def _seed_of(random_state):
    """``random_state`` as the integer seed of torch's generators (None: unseeded)."""
    if random_state is None or isinstance(random_state, numbers.Integral):
        return None if random_state is None else int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
