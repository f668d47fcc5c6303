"""Plain :mod:`torch.nn` modules for MNIST-family images (no scikit-learn, no skorch)."""

from ._cnn import CNN
from ._layers import ACTIVATIONS, POOLINGS, FeaturesThenClassifier
from ._lenet import LeNet5
from ._mlp import MLP

__all__ = ["ACTIVATIONS", "CNN", "MLP", "POOLINGS", "FeaturesThenClassifier", "LeNet5"]
