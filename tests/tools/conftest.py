"""Fixtures of the benchmark tests."""

import pytest

from skmnist import load_mnist_sample
from tools import gpu_check


@pytest.fixture
def sample_loads(monkeypatch):
    """Make the GPU check read the shipped sample whatever data set a step asks for.

    Its first 500 images train and the next 200 test. Returns the list of
    the data sets the check asked for, in order.
    """
    loaded = []

    def fake_load(name):
        loaded.append(name)
        sample = load_mnist_sample()
        return sample.data[:500], sample.target[:500], sample.data[500:700], sample.target[500:700]

    monkeypatch.setattr(gpu_check, "_load", fake_load)
    return loaded
