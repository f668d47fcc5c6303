"""skmnist: scikit-learn compatible neural networks for MNIST-family images."""

from ._version import __version__
from .datasets import (
    fetch_fashion_mnist,
    fetch_kmnist,
    fetch_mnist,
    load_idx_folder,
    load_images,
    load_mnist_sample,
)
from .estimators import (
    CNNClassifier,
    LeNet5Classifier,
    MLPNetClassifier,
    load_model,
    save_model,
)
from .preprocessing import DigitNormalizer, PixelNormalizer

__all__ = [
    "CNNClassifier",
    "DigitNormalizer",
    "LeNet5Classifier",
    "MLPNetClassifier",
    "PixelNormalizer",
    "__version__",
    "fetch_fashion_mnist",
    "fetch_kmnist",
    "fetch_mnist",
    "load_idx_folder",
    "load_images",
    "load_mnist_sample",
    "load_model",
    "save_model",
]
