"""skmnist: scikit-learn compatible neural networks for MNIST-family images."""

__version__ = "0.1.0"
