"""The ``skmnist`` command: ``skmnist train``, ``skmnist info``."""

from ._main import main

__all__ = ["main"]
