"""The estimators learn real MNIST digits.

The fast tests use the sample shipped with skmnist (3,000 training and 1,000
test images). The ``slow`` tests train on the full MNIST (60,000 training
images, scored on the 10,000 test images), found by the ``mnist_data_home``
fixture. Each bar sits below what the settings reach (measured on 2 CPU cores
with torch 2.13, noted at each test), and far above what a broken network
could reach (0.10 for guessing, ~0.92 for a linear model on MNIST).
"""

import time

import numpy as np
import pytest

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from skmnist.datasets import fetch_mnist

# ----------------------------------------------------------------------
# The shipped sample (fast)


@pytest.mark.parametrize(
    "clf, min_accuracy",
    [
        # held-out accuracy over seeds 0-2: 0.890-0.898
        (MLPNetClassifier(max_epochs=5, random_state=0), 0.85),
        # 0.882-0.888
        (LeNet5Classifier(max_epochs=5, random_state=0), 0.85),
        # 0.926-0.952 after 3 epochs; 2 epochs keep it quick
        (CNNClassifier(max_epochs=2, random_state=0), 0.85),
    ],
    ids=lambda p: type(p).__name__ if not isinstance(p, float) else str(p),
)
def test_learns_the_shipped_sample(mnist_sample, clf, min_accuracy):
    (X_train, y_train), (X_test, y_test) = mnist_sample(), mnist_sample(subset="test")
    clf.fit(X_train, y_train)
    np.testing.assert_array_equal(clf.classes_, np.arange(10))
    assert clf.score(X_test, y_test) > min_accuracy


# ----------------------------------------------------------------------
# The full MNIST (slow)


@pytest.fixture(scope="module")
def mnist(mnist_data_home):
    X_train, y_train = fetch_mnist(
        data_home=mnist_data_home, subset="train", return_X_y=True, download_if_missing=False
    )
    X_test, y_test = fetch_mnist(
        data_home=mnist_data_home, subset="test", return_X_y=True, download_if_missing=False
    )
    assert X_train.shape == (60_000, 784) and X_test.shape == (10_000, 784)
    assert X_train.dtype == np.uint8
    return X_train, y_train, X_test, y_test


def _train_and_score(clf, mnist, n_train=None):
    X_train, y_train, X_test, y_test = mnist
    if n_train is not None:
        X_train, y_train = X_train[:n_train], y_train[:n_train]
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    accuracy = clf.score(X_test, y_test)
    print(
        f"{type(clf).__name__} on {len(X_train)} images: test accuracy {accuracy:.4f} "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return accuracy


@pytest.mark.slow
def test_lenet5_on_full_mnist(mnist):
    # 1 epoch on 60,000 images: 0.9877 (seeds 1, 2: 0.9865, 0.9848)
    accuracy = _train_and_score(LeNet5Classifier(max_epochs=1, random_state=0), mnist)
    assert accuracy > 0.98


@pytest.mark.slow
def test_mlp_on_full_mnist(mnist):
    # 2 epochs on 60,000 images: 0.9550 (seeds 1, 2: 0.9508, 0.9565); 1-5 s
    accuracy = _train_and_score(MLPNetClassifier(max_epochs=2, random_state=0), mnist)
    assert accuracy > 0.95
