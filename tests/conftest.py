"""Shared fixtures: where the full MNIST lives, and the devices to test on."""

import os
from pathlib import Path

import pytest
import torch

from skmnist import load_mnist_sample

REPO = Path(__file__).resolve().parents[1]

if os.environ.get("PYTEST_XDIST_WORKER"):
    # pytest -n N: the workers share the machine's cores, each runs torch on its share
    _workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // _workers))


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


@pytest.fixture(scope="session")
def mnist_sample():
    """``mnist_sample(n, subset="train")``: the first ``n`` images of the shipped sample's
    ``subset`` (flat uint8 rows) and their labels; ``n=None`` for all of them."""
    subsets = {name: load_mnist_sample(subset=name, return_X_y=True) for name in ("train", "test")}

    def sample(n=None, subset="train"):
        X, y = subsets[subset]
        return X[:n], y[:n]

    return sample


CUDA_SKIP_REASON = "no CUDA device here (torch.cuda.is_available() is False)"

#: The devices a ``device``-parametrized test runs on: the CPU always, CUDA when this
#: machine has it (``pytest -m cuda`` selects the CUDA cases).
DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)]


@pytest.fixture(params=DEVICES)
def device(request):
    """Each device this machine has: "cpu", and "cuda" when CUDA is available."""
    return request.param


def pytest_collection_modifyitems(config, items):
    # every test marked ``cuda`` (the "cuda" case of ``device`` too) needs a GPU
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason=CUDA_SKIP_REASON)
    for item in items:
        if item.get_closest_marker("cuda") is not None:
            item.add_marker(skip)
