"""Fixtures of the plotting tests: the Agg backend, closed figures, the MNIST sample."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from skmnist import load_mnist_sample  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def mnist():
    """The shipped sample's 3,000 training images (flat uint8 rows) and labels."""
    return load_mnist_sample(return_X_y=True)

