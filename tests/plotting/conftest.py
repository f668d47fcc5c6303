"""Plotting tests' fixtures: the Agg backend, closed figures, small fitted nets."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from skmnist import LeNet5Classifier, load_mnist_sample


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def mnist():
    """The shipped sample's 3,000 training images (flat uint8 rows) and labels."""
    return load_mnist_sample(return_X_y=True)


@pytest.fixture(scope="session")
def lenet(mnist):
    """LeNet-5 trained briefly on 300 images: right on some, wrong on many."""
    X, y = mnist
    return LeNet5Classifier(max_epochs=2, random_state=0).fit(X[:300], y[:300])
