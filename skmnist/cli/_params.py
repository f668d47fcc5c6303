"""``-p NAME=VALUE``: estimator parameters from the command line, checked before any work.

A value is read as a Python literal when it is one (``5``, ``1e-3``, ``True``,
``None``, ``(32, 64, 128)``, ``{"rotation": 15}``), else as a string
(``relu``, ``cuda:0``). Each value is then checked against what its
parameter takes, judged from its default where the estimators' defaults say
enough, so that ``-p max_epochs=abc`` fails at once with a clear message
rather than deep inside training.
"""

import argparse
import ast
import difflib
import inspect
import numbers

from ._errors import UsageError

# skorch's prefixed settings (``optimizer__betas=(0.9, 0.99)`` and the like)
_PREFIXES = (
    "optimizer", "criterion", "module", "iterator_train", "iterator_valid", "callbacks",
    "dataset", "compile",
)
# parameters whose default does not tell all they take: name -> (kinds, wording)
_KINDS = {
    "random_state": ((int, type(None)), "an integer or None"),
    "mixed_precision": ((bool, "bf16"), "True, False or bf16"),
    "clip_grad_norm": ((numbers.Real, type(None)), "a number or None"),
    "device_data_budget": ((numbers.Real, type(None)), "a number (GiB) or None"),
    "augment": ((str, dict, type(None)), "a preset (affine, elastic, noise), a dict or None"),
    "lr_schedule": ((str, type(None)), "a schedule (plateau, cosine, onecycle, step) or None"),
    "lr_schedule_params": ((dict, type(None)), "a dict or None"),
    "optimizer": ((str,), "an optimizer name (sgd, adam, adamw, rmsprop, ...)"),
    "device": ((str,), "a device name (auto, cpu, cuda, cuda:1, mps)"),
}
# parameters that cannot be given on the command line
_REFUSED = {"callbacks": "callbacks are Python objects; they cannot be given on the command line"}
# integers that must be at least 1
_POSITIVE = ("max_epochs", "batch_size", "kernel_size", "n_iter_no_change")
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


def _is(value, kind):
    if isinstance(kind, str):
        return value == kind
    if kind is int or kind is numbers.Real:
        return isinstance(value, kind) and not isinstance(value, bool)
    return isinstance(value, kind)


def _as_flag(text):
    """True or False for words such as ``true`` or ``off``; other text as it is."""
    for flag, words in _WORDS.items():
        if text.lower() in words:
            return flag
    return text


def _check_value(name, value, default):
    """The value, converted where harmless (``true`` for True); raises UsageError."""
    if name in _REFUSED:
        raise UsageError(f"-p {name}: {_REFUSED[name]}")
    if name in _KINDS:
        kinds, wording = _KINDS[name]
        if bool in kinds and isinstance(value, str):
            value = _as_flag(value)
        if not any(_is(value, kind) for kind in kinds):
            raise UsageError(f"-p {name} takes {wording}; got {value!r}")
        return value
    if isinstance(default, bool):
        value = _as_flag(value) if isinstance(value, str) else value
        if not isinstance(value, bool):
            raise UsageError(f"-p {name} takes True or False; got {value!r}")
    elif isinstance(default, int):
        if not _is(value, int):
            raise UsageError(f"-p {name} takes an integer; got {value!r}")
        if name in _POSITIVE and value < 1:
            raise UsageError(f"-p {name} must be at least 1; got {value!r}")
    elif isinstance(default, float):
        if not _is(value, numbers.Real):
            raise UsageError(f"-p {name} takes a number; got {value!r}")
    elif isinstance(default, tuple):
        if not (isinstance(value, (tuple, list)) and all(_is(v, int) for v in value)):
            example = ", ".join(str(v) for v in default) + ("," if len(default) == 1 else "")
            raise UsageError(
                f"-p {name} takes a tuple of integers, such as '({example})'; got {value!r}"
            )
        return tuple(value)
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise UsageError(f"-p {name} takes a name, such as {default!r}; got {value!r}")
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
    if device.type == "cuda" and not torch.cuda.is_available():
        raise UsageError(f"{option} {value!r}: CUDA is not available on this machine")
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise UsageError(f"{option} {value!r}: Apple MPS is not available on this machine")


def build_estimator(estimator_class, params):
    """An instance of ``estimator_class`` with ``params`` checked; raises UsageError."""
    signature = inspect.signature(estimator_class).parameters
    defaults = {
        name: p.default for name, p in signature.items() if p.kind is p.KEYWORD_ONLY
    }
    checked = {}
    for name, value in params.items():
        if name in defaults:
            checked[name] = _check_value(name, value, defaults[name])
        elif "__" in name and name.split("__")[0] in _PREFIXES:
            checked[name] = value
        else:
            close = difflib.get_close_matches(name, defaults, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageError(
                f"{estimator_class.__name__} has no parameter {name!r}{hint}; its "
                f"parameters are: {', '.join(sorted(defaults))}"
            )
    if "device" in checked:
        check_device(checked["device"])
    try:
        return estimator_class(**checked)
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
