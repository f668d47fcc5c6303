"""Small generated data and estimator factories shared by the estimator tests.

Training on tiny arrays for a few epochs keeps the fast tests to seconds; the
real MNIST is only used by the tests marked ``slow`` (``test_mnist.py``).
"""

import numpy as np
from skorch.callbacks import Callback

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from skmnist.estimators import ESTIMATORS

ESTIMATOR_CLASSES = list(ESTIMATORS.values())
CONV_CLASSES = [LeNet5Classifier, CNNClassifier]
#: One network of each kind the shared code tells apart: flat rows (the MLP) and images
#: (the conv nets, which share every path but their _build_module). Tests of behaviour
#: the estimators share run on these; tests of an architecture, on its own class.
KINDS = [MLPNetClassifier, LeNet5Classifier]


#: LeNet5Classifier set up as plain skorch trains skmnist.nets.LeNet5: the module's own
#: defaults (tanh, average pooling) and Adam at skorch's lr 1e-3, at a constant rate.
PLAIN_LENET = {"activation": "tanh", "pooling": "avg", "lr": 1e-3, "lr_schedule": None}


def make_estimator(cls, **params):
    """``cls`` with settings that train in a fraction of a second on tiny data, at a
    constant learning rate (the estimators' own one-cycle schedule where a test asks)."""
    defaults = {"max_epochs": 2, "batch_size": 16, "random_state": 0, "lr_schedule": None}
    if cls is CNNClassifier:
        defaults["channels"] = (4, 8, 16)
    return cls(**{**defaults, **params})


def block_images(n_samples=60, n_classes=3, side=28, seed=0, dtype=np.uint8):
    """Easily separable images: class ``c`` has a bright square at its own place.

    Returns ``X`` of shape ``(n_samples, side, side)`` with 0-255 pixel values
    in ``dtype`` (dim noise plus one 255-valued square) and ``y`` of integer
    classes ``0 .. n_classes - 1``, each class equally often, shuffled.
    """
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % n_classes
    rng.shuffle(y)
    X = rng.integers(0, 40, size=(n_samples, side, side))
    block = max(side // 4, 1)
    for i, c in enumerate(y):
        r = (c * block) % (side - block + 1)
        X[i, r : r + block, r : r + block] = 255
    return X.astype(dtype), y


class InterruptAfter(Callback):
    """Ctrl-C when epoch ``epoch`` ends: the fit returns, keeping what it trained."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt
