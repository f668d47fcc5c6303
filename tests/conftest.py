"""Shared fixtures: where the full MNIST lives for the tests that need it."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _full_mnist_home():
    """The data home holding ``mnist/*.gz``: ``SKMNIST_DATA``, else ``../shared/data``."""
    candidates = []
    if os.environ.get("SKMNIST_DATA"):
        candidates.append(Path(os.environ["SKMNIST_DATA"]))
    candidates.append(REPO.parent / "shared" / "data")
    for home in candidates:
        if (home / "mnist").is_dir():
            return home
    return None


@pytest.fixture(scope="session")
def mnist_data_home():
    """Data home with the real MNIST; skips (or fails in CI) when it is absent."""
    home = _full_mnist_home()
    if home is None:
        reason = (
            "the full MNIST was not found: set SKMNIST_DATA to a folder holding "
            "mnist/*.gz or place it at ../shared/data/mnist"
        )
        if os.environ.get("SKMNIST_REQUIRE_FULL_DATA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return home
