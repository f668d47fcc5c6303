"""skmnist: scikit-learn compatible neural networks for MNIST-family images."""

from .estimators import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from .preprocessing import PixelNormalizer

__version__ = "0.1.0"

__all__ = [
    "CNNClassifier",
    "LeNet5Classifier",
    "MLPNetClassifier",
    "PixelNormalizer",
    "__version__",
]
