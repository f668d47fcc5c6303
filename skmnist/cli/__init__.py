"""The ``skmnist`` command: ``skmnist train``, ``predict``, ``benchmark``, ``info``."""

from ._main import main

__all__ = ["main"]
