"""``-p NAME=VALUE``: estimator parameters from the command line, checked before any work.

A value is read as a Python literal when it is one (``5``, ``1e-3``, ``True``,
``None``, ``(32, 64, 128)``, ``{"rotation": 15}``), else as a string
(``relu``, ``cuda:0``); words such as ``yes`` are read as booleans where the
parameter's declaration takes one. Each value is then checked by the
estimator's own declarations (its ``_parameter_constraints``, see
:mod:`skmnist.estimators._options`), so that ``-p max_epochs=abc`` fails
at once, before any data is loaded, with the message ``fit`` would give.
"""

import argparse
import ast

from ..estimators._devices import check_device
from ..estimators._options import PositiveInts, check_options
from ._errors import UsageError

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


def checked_device(value, option="-p device"):
    """``value`` if this machine has that device ("auto" included); else a UsageError."""
    try:
        check_device(value, name=option)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return value


def build_estimator(estimator_class, params):
    """An instance of ``estimator_class`` with ``params``, checked before any data; raises
    UsageError.

    The estimator refuses names that are not its parameters, its declarations
    refuse bad values, this machine a device it lacks, and the optimizer and
    schedule, made once on a stand-in, settings torch does not take. Sizes
    that depend on the images (a kernel larger than them) are checked once
    the data is read.
    """
    constraints = estimator_class._parameter_constraints
    checked = {name: _read(name, value, constraints) for name, value in params.items()}
    try:
        estimator = estimator_class(**checked)
        estimator._check_params()
        check_device(estimator.device)
        check_options(estimator.get_params(deep=False), estimator_class.__name__)
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    return estimator
