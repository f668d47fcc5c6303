"""The estimators' shared docstring sections, made from the parameters' declarations.

Each estimator's docstring puts in :data:`PARAMETERS_DOC`, :data:`ATTRIBUTES_DOC`
and :data:`NOTES_DOC`; :func:`document` then writes the training parameters'
entries where :data:`PARAMETERS_DOC` stands, from
:data:`~._options.TRAINING_PARAMETERS` (each parameter's type and text) and the
defaults of the estimator's own signature, so that an estimator that trains
with other defaults documents its own. :data:`BASE_DOC` is the base class's.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect
import textwrap

from ._options import TRAINING_PARAMETERS

#: Where an estimator's docstring lists the training parameters (see :func:`document`).
PARAMETERS_DOC = "<the training parameters>"


def _default(value):
    return f'"{value}"' if isinstance(value, str) else repr(value)


def document(cls) -> str | None:
    """``cls``'s docstring, the training parameters listed where :data:`PARAMETERS_DOC` is.

    Each entry has the parameter's type and text and its default in the
    signature of ``cls.__init__``.
    """
    if cls.__doc__ is None or PARAMETERS_DOC not in cls.__doc__:
        return cls.__doc__
    signature = inspect.signature(cls.__init__).parameters
    entries = []
    for name, parameter in TRAINING_PARAMETERS.items():
        text = "\n        ".join(textwrap.wrap(parameter.doc, 72, break_on_hyphens=False))
        default = _default(signature[name].default)
        entries.append(f"{name} : {parameter.type}, default={default}\n        {text}")
    return cls.__doc__.replace(PARAMETERS_DOC, "\n    ".join(entries))


#: The Attributes entries every estimator shares.
ATTRIBUTES_DOC = """classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit``, in sorted order.
    n_features_in_ : int
        Number of pixels per sample (all channels).
    feature_names_in_ : ndarray of str
        Column names, when ``X`` was a DataFrame with string column names.
    image_shape_ : tuple of int
        (channels, height, width) the samples are read as.
    device_ : torch.device
        The device the network trains and predicts on: ``device`` resolved
        on this machine ("auto" to the best it has).
    batch_size_ : int
        Images per training batch in the last :meth:`fit` or
        :meth:`partial_fit`: ``batch_size`` (or ``iterator_train__batch_size``),
        resolved from the number of training images when it is "auto".
    max_epochs_ : int
        Epochs the last :meth:`fit` trains at most: ``max_epochs``, resolved
        from the number of training images when it is "auto".
    step_mode_ : str
        The training step used on ``device_``: "eager", "fused" or "graph"
        (``step_mode`` resolved: "graph" is "fused" off CUDA devices).
    pixel_range_ : tuple of float or None
        Lowest and highest training pixel as the network read it (integer
        pixels divided by 255); prediction input far outside it (0-255
        floats after training on 0-1, say) gets a warning that names the fix.
    module_ : torch.nn.Module
        The trained network.
    history_ : skorch.History
        Per-epoch records: ``train_loss``, ``train_acc``, ``dur``, ..."""

#: The Notes every estimator shares.
NOTES_DOC = """Besides these parameters, the estimator takes skorch's prefixed settings
    as keyword arguments, such as ``optimizer__betas=(0.9, 0.99)``,
    ``criterion__label_smoothing=0.1`` or ``callbacks__print_log=None``; they
    are parameters too (``get_params``, ``set_params``, grid searches). Any
    other keyword argument is refused when the estimator is made.

    Methods that skmnist does not change, such as ``score`` and
    ``save_params``, are those of :class:`skorch.NeuralNetClassifier` and
    scikit-learn's :class:`~sklearn.base.ClassifierMixin`."""

#: The base class's docstring.
BASE_DOC = f"""Base class of the skmnist estimators: a new architecture, briefly.

    Not meant to be used directly. A subclass names its architecture
    parameters in ``__init__`` (stored unchanged, the other keyword arguments
    passed on to this class) and builds the network in
    ``_build_module(input_shape, n_classes)``, ``input_shape`` being
    (channels, height, width). Everything else comes from this class:
    validation, label encoding, devices, batches and the training options
    below, shared by :class:`~skmnist.LeNet5Classifier`,
    :class:`~skmnist.MLPNetClassifier` and :class:`~skmnist.CNNClassifier`.

    ``_native_image_shape`` is the (channels, height, width) a convolutional
    network is built for: smaller images are centred in a frame of that size.
    A network that takes flat rows of any length sets it to None.

    Parameters
    ----------
    {PARAMETERS_DOC}
    **kwargs
        skorch's prefixed settings, see Notes. Subclasses list their own
        parameters and these in their signature.

    Attributes
    ----------
    {ATTRIBUTES_DOC}

    Notes
    -----
    {NOTES_DOC}

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
