"""Devices: "auto" resolved, availability checked once, and the data budget on each.

The ``device`` parameter stays as the user set it ("auto" included); the
estimators resolve it only while a method runs (:func:`on_resolved_device`),
because skorch reads ``self.device`` in many places.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import functools
import math

import torch

from ._net_base import _NetBase


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


def device_available(device) -> bool:
    """Whether this machine (and this torch build) has ``device``'s kind of device."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.is_available()
    if device.type == "mps":
        return torch.backends.mps.is_available()
    return True


def require_device(device, name="device"):
    """``torch.device(device)``, with a clear ValueError when this machine lacks it."""
    resolved = torch.device(device)
    if not device_available(resolved):
        kind = {
            "cuda": "CUDA device (or this torch build has no CUDA)",
            "mps": "Apple MPS device",
        }.get(resolved.type, f"{resolved.type} device")
        raise ValueError(
            f"{name}={device!r}, but this machine has no {kind}; use {name}='auto' or 'cpu'."
        )
    return resolved


def device_budget(device, budget_gib=None):
    """Bytes of training data to keep on ``device`` at once (``budget_gib`` GiB if given).

    By default half of a GPU's free memory; no limit on the CPU.
    """
    if budget_gib is not None:
        return float(budget_gib) * 2**30
    device = torch.device(device)
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return free / 2
    return math.inf


def on_resolved_device(method):
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


class _DeviceMixin(_NetBase):
    """How a skmnist estimator keeps its network on ``device``, "auto" included."""

    def __setstate__(self, state):
        requested = state["device"]
        if requested == "auto":
            state["device"] = str(resolve_device("auto"))
        super().__setstate__(state)
        if requested == "auto":
            self.device = "auto"

    @on_resolved_device
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

    @on_resolved_device
    def load_params(self, *args, **kwargs):
        """skorch's ``load_params``, with ``device="auto"`` resolved to this machine's device.

        Parameters
        ----------
        *args, **kwargs
            As for :meth:`skorch.net.NeuralNet.load_params`: ``f_params``,
            ``f_optimizer``, ``f_history``, ``checkpoint``, ...
        """
        return super().load_params(*args, **kwargs)

    def _follow_device(self):
        """Move the network (and the optimizer's state) to ``device`` if it is elsewhere."""
        device = require_device(self.device)
        current = next(self.module_.parameters(), torch.empty(0)).device
        if current.type == device.type and device.index in (None, current.index):
            return
        self.module_.to(device)
        self.criterion_.to(device)
        # loading its own state moves the optimizer's state to its parameters' device
        self.optimizer_.load_state_dict(self.optimizer_.state_dict())
