"""Devices: the ``device`` parameter's vocabulary, resolved and checked in one place.

``device="auto"`` picks the first kind of :data:`DEVICE_KINDS` this machine
has; a name ("cpu", "cuda:1", ...) or a :class:`torch.device` is used as
given once this machine is known to have it. The parameter itself never
changes: a fitted estimator keeps the device it trains and predicts on in
``device_``.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

import torch

#: The value that lets skmnist decide: of ``device`` (from the machine), and of
#: ``batch_size`` and ``max_epochs`` (from the data, see :mod:`._options`).
AUTO = "auto"


class _Kind(NamedTuple):
    name: str  # what a message calls it: "this machine has no ..."
    available: Callable[[], bool]


#: The kinds of device ``device="auto"`` tries, in this order: what each is
#: called, and how to tell whether this machine (and this torch build) has one.
#: Other kinds torch knows ("xpu", ...) are used as given.
DEVICE_KINDS = {
    "cuda": _Kind("CUDA GPU (or this torch build has no CUDA)", lambda: torch.cuda.is_available()),
    "mps": _Kind("Apple MPS device", lambda: torch.backends.mps.is_available()),
    "cpu": _Kind("CPU", lambda: True),
}


def is_auto(value) -> bool:
    """Whether ``value`` is :data:`AUTO` (a parameter may hold anything until fit checks
    it: scikit-learn's checks set arrays, which ``==`` would compare elementwise)."""
    return isinstance(value, str) and value == AUTO


def parse_device(device) -> torch.device | None:
    """The :class:`torch.device` that ``device`` names; None for "auto" or what names none."""
    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str) or is_auto(device):
        return None
    try:
        return torch.device(device)
    except (RuntimeError, ValueError):
        return None


def describe_devices() -> str:
    """The values ``device`` takes, in words: for docstrings, messages and the CLI's help."""
    kinds = ", ".join(f'"{kind}"' for kind in DEVICE_KINDS)
    return (
        f'"{AUTO}" (the first of {kinds} that this machine has), a device name such as '
        '"cuda:1", or a torch.device'
    )


def resolve_device(device) -> torch.device:
    """The :class:`torch.device` for ``device``; ``"auto"`` picks the best this machine has.

    Parameters
    ----------
    device : str, torch.device or None
        "auto", a device name such as "cpu", "cuda" or "cuda:1", or a
        device; None means the CPU.

    Returns
    -------
    device : torch.device
        The device; "auto" resolved to the first of ``DEVICE_KINDS`` ("cuda",
        "mps", "cpu") that this machine has.

    Examples
    --------
    >>> from skmnist.estimators import resolve_device
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if device is None:
        return torch.device("cpu")
    if is_auto(device):
        return torch.device(next(name for name, kind in DEVICE_KINDS.items() if kind.available()))
    return torch.device(device)


def check_device(device, name="device") -> torch.device:
    """``device`` resolved, or a ValueError that says what is wrong and what to use instead.

    The one check of a device: the estimators make it when they start to
    train or predict, :func:`~skmnist.load_model` before it reads a file,
    and the command line before any work.
    """
    if is_auto(device):
        return resolve_device(device)
    resolved = parse_device(device)
    if resolved is None:
        raise ValueError(f"{name}={device!r} is not a device; use {describe_devices()}.")
    kind = DEVICE_KINDS.get(resolved.type)
    if kind is not None and not kind.available():
        raise ValueError(
            f"{name}={device!r}, but this machine has no {kind.name}; use {name}='auto' or 'cpu'."
        )
    if resolved.type == "cuda" and resolved.index is not None:
        count = torch.cuda.device_count()
        if resolved.index >= count:
            raise ValueError(
                f"{name}={device!r}, but this machine has {count} CUDA GPU"
                f"{'s' if count != 1 else ''} (numbered from 0); use {name}='cuda' or "
                f"'cuda:{count - 1}'."
            )
    return resolved


def device_budget(device: torch.device, budget_gib=None) -> float:
    """Bytes of data to keep on ``device`` at once (``budget_gib`` GiB if given).

    By default half of a GPU's free memory; no limit elsewhere.
    """
    if budget_gib is not None:
        return float(budget_gib) * 2**30
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return free / 2
    return math.inf


@contextmanager
def seeded(device: torch.device, seed: int) -> Iterator[None]:
    """Seed the generators that work on ``device`` draws from, and put them back afterwards.

    Those are the CPU's and, for a GPU or MPS device, that device's:
    ``torch.manual_seed`` would reseed every device this machine has (and
    leave them reseeded).
    """
    accelerator = device.type in ("cuda", "mps")
    with torch.random.fork_rng(
        devices=[device] if accelerator else [],
        device_type=device.type if accelerator else "cuda",
    ):
        torch.default_generator.manual_seed(seed)
        if device.type == "cuda":
            with torch.cuda.device(device):
                torch.cuda.manual_seed(seed)
        elif device.type == "mps":
            torch.mps.manual_seed(seed)
        yield
