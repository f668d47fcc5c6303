"""``-p NAME=VALUE``: estimator parameters from the command line, checked before any work.

A value is read as a Python literal when it is one (``5``, ``1e-3``, ``True``,
``None``, ``(32, 64, 128)``, ``{"rotation": 15}``), else as a string
(``relu``, ``cuda:0``); words such as ``yes`` are read as booleans where the
parameter's declaration takes one. Each value is then checked by the
estimator's own declarations (its ``_parameter_constraints``, see
:mod:`skmnist.estimators._constraints`), so that ``-p max_epochs=abc`` fails
at once, before any data is loaded, with the message ``fit`` would give.
"""

import argparse
import ast
import difflib
import inspect

from ..estimators._constraints import PositiveInts
from ..estimators._devices import device_available
from ._errors import UsageError

# skorch's prefixed settings (``optimizer__betas=(0.9, 0.99)`` and the like)
_PREFIXES = (
    "optimizer",
    "criterion",
    "module",
    "iterator_train",
    "iterator_valid",
    "callbacks",
    "dataset",
    "compile",
)
# parameters that cannot be given on the command line
_REFUSED = {"callbacks": "callbacks are Python objects; they cannot be given on the command line"}
_WORDS = {True: ("true", "yes", "on"), False: ("false", "no", "off")}


def parse_param(text):
    """argparse type of ``-p``: ``"name=value"`` to ``(name, value)``."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.replace("__", "_").isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE (such as max_epochs=5), got {text!r}"
        )
    try:
        return name, ast.literal_eval(value.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return name, value.strip()


def _as_flag(text):
    """True or False for words such as ``true`` or ``off``; other text as it is."""
    for flag, words in _WORDS.items():
        if text.lower() in words:
            return flag
    return text


def _read(name, value, constraints):
    """``value`` as the parameter's declaration reads it: ``true`` for a boolean, a list as a
    tuple of sizes; whether it is right is for the declaration to say (:meth:`_check_params`)."""
    if name in _REFUSED:
        raise UsageError(f"-p {name}: {_REFUSED[name]}")
    kinds = constraints.get(name, ())
    if "boolean" in kinds and isinstance(value, str):
        return _as_flag(value)
    if isinstance(value, list) and any(isinstance(k, PositiveInts) for k in kinds):
        return tuple(value)
    return value


def check_device(value, option="-p device"):
    """Refuse a device name torch does not know, or a device this machine lacks."""
    import torch

    if value == "auto":
        return
    try:
        device = torch.device(value)
    except (RuntimeError, ValueError, TypeError):
        raise UsageError(f"{option} {value!r} is not a device (auto, cpu, cuda, mps)") from None
    if not device_available(device):
        kind = {"cuda": "CUDA", "mps": "Apple MPS"}.get(device.type, device.type)
        raise UsageError(f"{option} {value!r}: {kind} is not available on this machine")


def build_estimator(estimator_class, params):
    """An instance of ``estimator_class`` with ``params`` checked; raises UsageError."""
    signature = inspect.signature(estimator_class).parameters
    defaults = {name: p.default for name, p in signature.items() if p.kind is p.KEYWORD_ONLY}
    constraints = estimator_class._parameter_constraints
    checked = {}
    for name, value in params.items():
        if name in defaults:
            checked[name] = _read(name, value, constraints)
        elif "__" in name and name.split("__")[0] in _PREFIXES:
            checked[name] = value
        else:
            close = difflib.get_close_matches(name, defaults, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageError(
                f"{estimator_class.__name__} has no parameter {name!r}{hint}; its "
                f"parameters are: {', '.join(sorted(defaults))}"
            )
    if isinstance(checked.get("device"), str):
        check_device(checked["device"])
    try:
        estimator = estimator_class(**checked)
        estimator._check_params()  # the estimator's own declarations, before any data
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    return estimator
