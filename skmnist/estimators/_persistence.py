"""Saving fitted estimators in a format that loads without running code.

A model file is one `safetensors <https://huggingface.co/docs/safetensors>`_
file: the network's weights as tensors, and in its header's metadata the
estimator's class name, its parameters, its fitted attributes and its
per-epoch history as JSON. Unlike pickle or joblib, loading it cannot execute
code; only skmnist's own estimator classes and :mod:`torch.optim` classes
are ever looked up by name.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import safetensors
import safetensors.torch
import torch
from skorch.history import History

from .._version import __version__
from ._base import BaseMNISTClassifier, resolve_device

FORMAT = "skmnist-model"
FORMAT_VERSION = 1
# torch namespaces from which classes given as parameters may be stored
_CLASS_NAMESPACES = {"torch.optim": torch.optim, "torch.optim.lr_scheduler": torch.optim.lr_scheduler}


def _estimator_classes():
    classes, todo = {}, [BaseMNISTClassifier]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("skmnist."):
                classes[sub.__name__] = sub
            todo.append(sub)
    return classes


def _encode_param(name, value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(v, (int, float, str)) for v in value):
        return {"tuple": list(value)}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _encode_param(f"{name}[{k!r}]", v) for k, v in value.items()}}
    if isinstance(value, type):
        for namespace, module in _CLASS_NAMESPACES.items():
            if getattr(module, value.__name__, None) is value:
                return {"class": f"{namespace}.{value.__name__}"}
    if isinstance(value, torch.device):
        return str(value)
    raise TypeError(
        f"parameter {name}={value!r} cannot be stored safely (only numbers, strings, tuples, "
        "dicts and torch.optim classes can); save this model with joblib.dump instead."
    )


def _decode_param(value):
    if not isinstance(value, dict):
        return value
    if "tuple" in value:
        return tuple(value["tuple"])
    if "dict" in value:
        return {k: _decode_param(v) for k, v in value["dict"].items()}
    namespace, _, name = value["class"].rpartition(".")
    if namespace not in _CLASS_NAMESPACES or not hasattr(_CLASS_NAMESPACES[namespace], name):
        raise ValueError(f"unknown class {value['class']!r} in the model file")
    return getattr(_CLASS_NAMESPACES[namespace], name)


def save_model(estimator, path):
    """Save a fitted skmnist estimator to ``path`` as a safetensors file.

    Parameters
    ----------
    estimator : BaseMNISTClassifier
        A fitted :class:`~skmnist.LeNet5Classifier`, :class:`~skmnist.CNNClassifier`
        or :class:`~skmnist.MLPNetClassifier`. Custom ``callbacks`` cannot be
        stored; their estimator needs :func:`joblib.dump`.
    path : str or path-like
        The file to write (``.safetensors`` by convention).

    Examples
    --------
    >>> import tempfile, os
    >>> from skmnist import LeNet5Classifier, load_mnist_sample, save_model, load_model
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = LeNet5Classifier(max_epochs=1, random_state=0).fit(X[:500], y[:500])
    >>> path = os.path.join(tempfile.mkdtemp(), "lenet5.safetensors")
    >>> save_model(clf, path)
    >>> (load_model(path).predict(X[:50]) == clf.predict(X[:50])).all()
    np.True_
    """
    if not isinstance(estimator, BaseMNISTClassifier):
        raise TypeError(f"save_model saves skmnist estimators; got {type(estimator).__name__}.")
    estimator.check_is_fitted()
    params = estimator.get_params(deep=False)
    if params.pop("callbacks", None):
        raise TypeError(
            "an estimator with custom callbacks cannot be stored safely; save it with "
            "joblib.dump instead."
        )
    classes = np.asarray(estimator.classes_)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skmnist_version": __version__,
        "class": type(estimator).__name__,
        "params": {name: _encode_param(name, value) for name, value in params.items()},
        "classes": classes.tolist(),
        "classes_dtype": classes.dtype.str if classes.dtype != object else "object",
        "n_features_in": int(estimator.n_features_in_),
        "feature_names_in": getattr(estimator, "feature_names_in_", np.array([])).tolist() or None,
        "image_shape": list(estimator.image_shape_),
        "history": [
            {k: v for k, v in row.items() if k != "batches"} for row in estimator.history
        ],
    }
    state = {k: v.detach().cpu().contiguous() for k, v in estimator.module_.state_dict().items()}
    Path(path).write_bytes(safetensors.torch.save(state, metadata={FORMAT: json.dumps(header)}))


def load_model(path, *, device=None):
    """Load an estimator saved by :func:`save_model`; no code in the file is run.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save_model`.
    device : str or None, default=None
        Where to put the model; None keeps the saved ``device`` parameter,
        falling back to the CPU when that device is not available here (a
        model trained on CUDA loads on a CPU-only machine).

    Returns
    -------
    estimator : BaseMNISTClassifier
        The fitted estimator, predicting as the saved one did.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmnist import MLPNetClassifier, load_mnist_sample, load_model, save_model
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = MLPNetClassifier(max_epochs=2, random_state=0).fit(X[:500], y[:500])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "mlp.safetensors")
    ...     save_model(clf, path)
    ...     loaded = load_model(path, device="cpu")
    >>> loaded
    MLPNetClassifier(device='cpu', max_epochs=2, random_state=0)
    >>> len(loaded.history_), (loaded.predict_proba(X[:20]) == clf.predict_proba(X[:20])).all()
    (2, np.True_)
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}")
    try:
        with safetensors.safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
            state = {key: f.get_tensor(key) for key in f.keys()}
    except (safetensors.SafetensorError, OSError, ValueError) as exc:
        raise ValueError(f"{path} is not a complete safetensors model file: {exc}") from None
    if FORMAT not in metadata:
        raise ValueError(f"{path} is a safetensors file but not an skmnist model (no {FORMAT!r} header).")
    header = json.loads(metadata[FORMAT])
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{path} has model format version {header.get('format_version')}; this skmnist "
            f"({__version__}) reads version {FORMAT_VERSION}."
        )
    classes = _estimator_classes()
    if header["class"] not in classes:
        raise ValueError(f"{path} holds a {header['class']!r}, which is no skmnist estimator.")
    params = {name: _decode_param(value) for name, value in header["params"].items()}
    if device is not None:
        params["device"] = device
    elif params.get("device") not in (None, "auto") and not _available(params["device"]):
        warnings.warn(
            f"the model was saved with device={params['device']!r}, which is not available "
            "here; it is loaded on the CPU.", UserWarning, stacklevel=2,
        )
        params["device"] = "cpu"
    estimator = classes[header["class"]](**params)
    dtype = object if header["classes_dtype"] == "object" else np.dtype(header["classes_dtype"])
    estimator.classes_inferred_ = np.asarray(header["classes"], dtype=dtype)
    estimator.n_features_in_ = header["n_features_in"]
    if header["feature_names_in"]:
        estimator.feature_names_in_ = np.asarray(header["feature_names_in"], dtype=object)
    estimator.image_shape_ = tuple(header["image_shape"])
    estimator.initialize()
    try:
        estimator.module_.load_state_dict(state)
    except RuntimeError as exc:
        raise ValueError(
            f"the weights in {path} do not fit a {header['class']} with the saved parameters "
            f"(an incompatible architecture): {str(exc).splitlines()[0]} ..."
        ) from None
    estimator.module_.to(resolve_device(estimator.device))
    estimator.history = History(header["history"])
    return estimator


def _available(device):
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.is_available()
    if device.type == "mps":
        return torch.backends.mps.is_available()
    return True
