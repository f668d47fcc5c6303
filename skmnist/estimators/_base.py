"""The shared base of the skmnist estimators.

:class:`BaseMNISTClassifier` is a :class:`skorch.NeuralNetClassifier` that
keeps scikit-learn's contract: parameters are stored untouched, everything
learned ends in ``_``, labels keep their own values in ``classes_``, and the
data is validated once with :func:`~sklearn.utils.validation.validate_data`.
A new architecture is a :mod:`skmnist.nets` module plus a subclass that names
its parameters and implements :meth:`BaseMNISTClassifier._build_module`.
"""

import inspect
import types
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

import torch
from skorch import NeuralNetClassifier

from ._budget import _BudgetMixin
from ._constraints import TRAINING_CONSTRAINTS
from ._contract import _FIXED_SKORCH_SETTINGS, _ContractMixin
from ._devices import _DeviceMixin, on_resolved_device
from ._docs import ATTRIBUTES, NOTES, TRAINING_PARAMETERS
from ._summary import _InspectionMixin
from ._training import _TrainingMixin
from ._validation import _InputMixin


class BaseMNISTClassifier(
    _ContractMixin,
    _InputMixin,
    _TrainingMixin,
    _BudgetMixin,
    _DeviceMixin,
    _InspectionMixin,
    NeuralNetClassifier,
):
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

    _net: type[torch.nn.Module] | None = None
    #: (channels, height, width) the network is built for; conv nets frame
    #: smaller images to it, None for networks that take any flat input.
    _native_image_shape: tuple[int, int, int] | None = (1, 28, 28)

    # skorch's NeuralNet.__init__ stores its unfitted state on the instance;
    # scikit-learn wants __init__ to set parameters only, so the unfitted
    # state lives here on the class until ``initialize`` sets it.
    history_ = None
    initialized_ = False
    virtual_params_: Mapping[str, Any] = types.MappingProxyType({})
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
        batch_size="auto",
        max_epochs="auto",
        device="auto",
        random_state=None,
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
    # Signature

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

    # ------------------------------------------------------------------
    # skorch hooks

    @on_resolved_device
    def initialize(self):
        """Build the module, criterion, optimizer and callbacks.

        Training parameters are checked here, when training starts, with a
        clear error for a bad value.

        Returns
        -------
        self : object
            The initialized estimator.
        """
        self._resolve_seed()
        self._check_training_params()
        self._resolve_augment()
        with self._seeded(0):
            super().initialize()
        self._built_with = self._settings()
        return self

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

    # ------------------------------------------------------------------
    # Fitting and predicting

    @on_resolved_device
    def fit(self, X, y, **fit_params):
        """Train the network on ``X`` and ``y`` for ``max_epochs`` epochs.

        With ``max_epochs="auto"`` (the default) the epochs, and with
        ``batch_size="auto"`` the batch size, are chosen from the number of
        training images and kept in ``max_epochs_`` and ``batch_size_``;
        training stops early on a plateau of the training loss then.

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
            self._resolve_budget(data)  # batch_size_, max_epochs_
            if reset:
                self.initialize()
            else:
                self._apply_changed_settings()
        self._train(data, self.max_epochs_, **fit_params)
        return self

    @on_resolved_device
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
            self._resolve_budget(data)
            if first_call:
                self.initialize()
            else:
                self._apply_changed_settings()
        self._train(data, 1, **fit_params)
        return self

    @on_resolved_device
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

    @on_resolved_device
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

    # ------------------------------------------------------------------
    # Hooks for subclasses

    def _build_module(self, input_shape, n_classes):
        """Return the :mod:`torch.nn` module for ``input_shape`` (c, h, w) and ``n_classes``."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Internals

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
