"""Saving fitted estimators in a format that loads without running code.

A model file is one `safetensors <https://huggingface.co/docs/safetensors>`_
file: the network's weights as tensors, and in its header's metadata the
estimator's class name, its parameters, its fitted attributes and its
per-epoch history as JSON. Unlike pickle or joblib, loading it cannot execute
code; only skmnist's own estimator classes and :mod:`torch.optim` classes
are ever looked up by name.
"""

import json
import math
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import safetensors
import safetensors.torch
import torch
from skorch.history import History

from .._files import read_safetensors, write_bytes
from .._version import __version__
from ._base import BaseMNISTClassifier, _check_skorch_settings
from ._devices import AUTO, check_device, parse_device
from ._summary import epoch_rows

FORMAT = "skmnist-model"
FORMAT_VERSION = 1
# torch namespaces from which classes given as parameters may be stored
_CLASS_NAMESPACES = {
    "torch.optim": torch.optim,
    "torch.optim.lr_scheduler": torch.optim.lr_scheduler,
}


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
            name = value.__name__
            if getattr(module, name, None) is value:
                return {"class": f"{namespace}.{name}"}
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, os.PathLike):  # checkpoint_dir
        return {"path": os.fspath(value)}
    raise TypeError(
        f"parameter {name}={value!r} cannot be stored safely (only numbers, strings, tuples, "
        "dicts, paths and torch.optim classes can); save this model with joblib.dump instead."
    )


def _decode_param(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((kind, content),) = value.items()
        if kind == "tuple" and isinstance(content, list):
            return tuple(_decode_param(v) for v in content)
        if kind == "dict" and isinstance(content, dict):
            return {k: _decode_param(v) for k, v in content.items()}
        if kind == "path" and isinstance(content, str):
            return Path(content)
        if kind == "class" and isinstance(content, str):
            namespace, _, name = content.rpartition(".")
            found = (
                getattr(_CLASS_NAMESPACES[namespace], name, None)
                if (namespace in _CLASS_NAMESPACES and not name.startswith("_"))
                else None
            )
            if not isinstance(found, type):
                raise ValueError(f"unknown class {content!r}")
            return found
    raise ValueError(f"a parameter value that no skmnist model file holds: {str(value)[:80]!r}")


def save_model(estimator, path):
    """Save a fitted skmnist estimator to ``path`` as a safetensors file.

    Parameters
    ----------
    estimator : BaseMNISTClassifier
        A fitted :class:`~skmnist.LeNet5Classifier`, :class:`~skmnist.CNNClassifier`
        or :class:`~skmnist.MLPNetClassifier`. Custom ``callbacks`` cannot be
        stored; their estimator needs :func:`joblib.dump`.
    path : str or path-like
        The file to write (``.safetensors`` by convention). It is written to
        a temporary file beside it, read back, and only then renamed onto
        ``path``: a write that fails (a full disk, say) leaves a file that was
        there as it was.

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
    header = {field: spec.dump(estimator) for field, spec in _HEADER.items()}
    state = {k: v.detach().cpu().contiguous() for k, v in estimator.module_.state_dict().items()}
    data = safetensors.torch.save(state, metadata={FORMAT: json.dumps(header)})

    def verify(written):
        # what is on disk reads back as the same header and tensors, before it replaces anything
        with safetensors.safe_open(str(written), framework="pt") as f:
            if f.metadata().get(FORMAT) != json.dumps(header) or set(f.keys()) != set(state):
                raise OSError(f"{path}: the model file did not read back as written")

    write_bytes(path, data, verify=verify)


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
    if device is not None:
        check_device(device)  # a bad device is the caller's, not the file's
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}")
    metadata, state = _read_file(path)
    header = _check_header(path, metadata)
    cls = _estimator_classes()[header["class"]]
    try:
        params = {name: _decode_param(value) for name, value in header["params"].items()}
        _check_params(cls, params)
        if device is not None:
            params["device"] = device
        elif params.get("device") not in (None, AUTO) and not _available(params["device"]):
            # a device this machine lacks; a value that names no device is refused below
            warnings.warn(
                f"the model was saved with device={params['device']!r}, which is not available "
                "here; it is loaded on the CPU.",
                UserWarning,
                stacklevel=2,
            )
            params["device"] = "cpu"
        estimator = cls(**params)
        for field, spec in _HEADER.items():
            if spec.load is not None:
                spec.load(estimator, header.get(field), header)
        estimator.initialize()
    except (ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(
            f"{path}: the saved parameters do not make a {header['class']}: {message}"
        ) from None
    try:
        estimator.module_.load_state_dict(state)
    except RuntimeError as exc:
        raise ValueError(
            f"the weights in {path} do not fit a {header['class']} with the saved parameters "
            f"(an incompatible architecture): {str(exc).splitlines()[0]} ..."
        ) from None
    estimator.history = History(header["history"])  # after initialize, which starts one
    return estimator


def _available(device):
    """Whether this machine has ``device``; True for what names no device (refused later)."""
    if parse_device(device) is None:
        return True
    try:
        check_device(device)
    except ValueError:
        return False
    return True


def _read_file(path):
    """The metadata and tensors of a safetensors file; ValueError if it is none."""
    try:
        return read_safetensors(path)
    except ValueError as exc:
        raise ValueError(f"{path} is not a complete safetensors model file: {exc}") from None


class _Field(NamedTuple):
    """One field of a model file's header, declared once: how :func:`save_model`
    writes it, the check :func:`load_model` makes of it, and how a fitted
    attribute is set from it before the network is built (None for the fields
    read otherwise: the class and parameters that make the estimator, the
    history that follows its weights); ``optional`` for a field that files
    written before it existed lack."""

    dump: Callable[[Any], Any]
    check: Callable[[Any], bool]
    load: Callable[[Any, Any, dict], None] | None = None
    optional: bool = False


def _is_int(v, low=None):
    return isinstance(v, int) and not isinstance(v, bool) and (low is None or v >= low)


def _is_finite_pair(v):
    return (
        isinstance(v, list)
        and len(v) == 2
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
        and all(math.isfinite(x) for x in v)
    )


def _stored_params(estimator):
    """The estimator's parameters as the header stores them; custom callbacks are refused."""
    params = estimator.get_params(deep=False)
    if params.pop("callbacks", None):
        raise TypeError(
            "an estimator with custom callbacks cannot be stored safely; save it with "
            "joblib.dump instead."
        )
    return {name: _encode_param(name, value) for name, value in params.items()}


def _classes_dtype(estimator):
    classes = np.asarray(estimator.classes_)
    return classes.dtype.str if classes.dtype != object else "object"


def _load_classes(estimator, classes, header):
    dtype = object if header["classes_dtype"] == "object" else np.dtype(header["classes_dtype"])
    estimator.classes_inferred_ = np.asarray(classes, dtype=dtype)


def _set(attribute, convert):
    """A ``load`` that sets ``attribute`` to ``convert(value)`` when the field has a value."""

    def load(estimator, value, header):
        if value is not None:
            setattr(estimator, attribute, convert(value))

    return load


#: The header of a model file, field by field.
_HEADER = {
    "format": _Field(lambda e: FORMAT, lambda v: v == FORMAT),
    "format_version": _Field(lambda e: FORMAT_VERSION, _is_int),
    "skmnist_version": _Field(lambda e: __version__, lambda v: isinstance(v, str)),
    "class": _Field(lambda e: type(e).__name__, lambda v: isinstance(v, str)),
    "params": _Field(_stored_params, lambda v: isinstance(v, dict)),
    "classes": _Field(
        lambda e: np.asarray(e.classes_).tolist(),
        lambda v: (
            isinstance(v, list)
            and len(v) >= 2
            and all(isinstance(c, (str, int, float, bool)) for c in v)
        ),
        _load_classes,
    ),
    "classes_dtype": _Field(_classes_dtype, lambda v: isinstance(v, str)),
    "n_features_in": _Field(
        lambda e: int(e.n_features_in_), lambda v: _is_int(v, 1), _set("n_features_in_", int)
    ),
    "feature_names_in": _Field(
        lambda e: getattr(e, "feature_names_in_", np.array([])).tolist() or None,
        lambda v: v is None or (isinstance(v, list) and all(isinstance(n, str) for n in v)),
        _set("feature_names_in_", lambda v: np.asarray(v, dtype=object)),
    ),
    "image_shape": _Field(
        lambda e: list(e.image_shape_),
        lambda v: isinstance(v, list) and len(v) == 3 and all(_is_int(n, 1) for n in v),
        _set("image_shape_", tuple),
    ),
    "pixel_range": _Field(
        lambda e: (
            None if getattr(e, "pixel_range_", None) is None else [float(x) for x in e.pixel_range_]
        ),
        lambda v: v is None or _is_finite_pair(v),
        _set("pixel_range_", tuple),
        optional=True,
    ),
    "history": _Field(
        lambda e: epoch_rows(e.history),
        lambda v: isinstance(v, list) and all(isinstance(row, dict) for row in v),
    ),
}


def _check_header(path, metadata):
    """The model header of ``metadata``, checked field by field against :data:`_HEADER`."""
    if FORMAT not in metadata:
        raise ValueError(
            f"{path} is a safetensors file but not an skmnist model (no {FORMAT!r} header)."
        )
    try:
        header = json.loads(metadata[FORMAT])
    except ValueError as exc:
        raise ValueError(f"{path}: the model header is not valid JSON ({exc}).") from None
    if not isinstance(header, dict):
        raise ValueError(
            f"{path}: the model header is a JSON {type(header).__name__}, not an object."
        )
    version = header.get("format_version")
    if version != FORMAT_VERSION:
        made_by = header.get("skmnist_version")
        raise ValueError(
            f"{path} has model format version {version!r}"
            + (f" (made by skmnist {made_by})" if isinstance(made_by, str) else "")
            + f"; this skmnist ({__version__}) reads version {FORMAT_VERSION}."
        )
    for field, spec in _HEADER.items():
        if field not in header:
            if spec.optional:
                continue
            raise ValueError(f"{path}: the model header has no {field!r} field.")
        if not spec.check(header[field]):
            raise ValueError(
                f"{path}: the model header's {field!r} is not valid: {str(header[field])[:80]!r}."
            )
    if header["class"] not in _estimator_classes():
        raise ValueError(f"{path} holds a {header['class']!r}, which is no skmnist estimator.")
    return header


def load_skorch_files(estimator, files, *, use_safetensors):
    """Load the states of skorch's ``save_params`` files into a built ``estimator``.

    ``files`` maps skorch's keys (``f_params``, ``f_optimizer``,
    ``f_criterion``, ``f_history``) to files; each state is read onto the
    host and loaded into its part (which puts it on the part's device). A
    state that does not fit its part is refused, saying whose it may be; the
    caller (the estimator's ``load_params``) undoes what was loaded before.
    """
    parts = {"f_params": "module_", "f_optimizer": "optimizer_", "f_criterion": "criterion_"}
    for key, attribute in parts.items():
        if files.get(key) is None:
            continue
        state = _load_state(files[key], use_safetensors, estimator.torch_load_kwargs)
        try:
            getattr(estimator, attribute).load_state_dict(state)
        except (RuntimeError, KeyError, ValueError) as exc:
            raise ValueError(
                f"{key}={files[key]!r} holds a state that does not fit this "
                f"{type(estimator).__name__}'s {attribute[:-1]}: the file is another "
                "network's, or one built with other parameters "
                f"({_first_line(exc)}). Build the estimator with the parameters it "
                "was saved with; a file written by skmnist.save_model loads with "
                "skmnist.load_model."
            ) from None
    if files.get("f_history") is not None:
        estimator.history = History.from_file(files["f_history"])


def _load_state(file, use_safetensors, torch_load_kwargs):
    """A state dict saved by skorch's ``save_params``, read onto the host."""
    if use_safetensors:
        if hasattr(file, "read"):
            return safetensors.torch.load(file.read())
        return safetensors.torch.load_file(file, device="cpu")
    return torch.load(file, map_location="cpu", **(torch_load_kwargs or {"weights_only": True}))


def _first_line(exc):
    lines = str(exc).strip().splitlines()
    return " ".join(lines[:2]) if lines else type(exc).__name__


def _check_params(cls, params):
    """Every saved parameter is one of ``cls``'s, or a skorch prefixed setting."""
    names = set(cls().get_params(deep=False))
    _check_skorch_settings(cls, [name for name in params if name not in names], ValueError)
