"""skmnist: scikit-learn compatible neural networks for MNIST-family images."""

from .datasets import (
    fetch_fashion_mnist,
    fetch_kmnist,
    fetch_mnist,
    load_idx_folder,
    load_mnist_sample,
)
from .estimators import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from .preprocessing import PixelNormalizer

__version__ = "0.1.0"

__all__ = [
    "CNNClassifier",
    "LeNet5Classifier",
    "MLPNetClassifier",
    "PixelNormalizer",
    "fetch_fashion_mnist",
    "fetch_kmnist",
    "fetch_mnist",
    "load_idx_folder",
    "load_mnist_sample",
    "__version__",
]
