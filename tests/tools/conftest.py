"""Fixtures of the development tools' tests: data for the GPU check, and a fake clock."""

import pytest
from tools_helpers import FakeTime

from skmnist import load_mnist_sample
from tools import budget, gpu_check


@pytest.fixture
def sample_data(monkeypatch):
    """Make the GPU check train on the shipped sample whatever data set a step asks for.

    Its first 500 images train and the next 200 test. Returns the list of
    the data sets the check asked for, in order.
    """
    asked = []

    def fake_data(args, dataset):
        asked.append(dataset)
        sample = load_mnist_sample()
        return sample.data[:500], sample.target[:500], sample.data[500:700], sample.target[500:700]

    monkeypatch.setattr(gpu_check, "_data", fake_data)
    return asked


@pytest.fixture
def fake_time(monkeypatch):
    """The budgets' clock, moved on only by the test (and by :class:`Tick`)."""
    FakeTime.now = 1000.0
    monkeypatch.setattr(budget, "clock", lambda: FakeTime.now)
    return FakeTime
