"""Building blocks shared by the networks: activations and pooling by name, a conv net's shape."""

from torch import nn

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "logistic": nn.Sigmoid,
    "gelu": nn.GELU,
    "elu": nn.ELU,
    "leaky_relu": nn.LeakyReLU,
    "selu": nn.SELU,
    "silu": nn.SiLU,
}

POOLINGS = {"avg": nn.AvgPool2d, "max": nn.MaxPool2d}


def make_activation(name: str) -> nn.Module:
    """Return a fresh activation module for ``name`` (one of ``ACTIVATIONS``)."""
    try:
        return ACTIVATIONS[name]()
    except (KeyError, TypeError):
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}; got {name!r}."
        ) from None


def make_pooling(name: str, kernel_size: int = 2) -> nn.Module:
    """Return a pooling module (one of ``POOLINGS``) of the given size."""
    try:
        return POOLINGS[name](kernel_size)
    except (KeyError, TypeError):
        raise ValueError(f"pooling must be one of {sorted(POOLINGS)}; got {name!r}.") from None


def conv_output_size(size: int, kernel_size: int, padding: int = 0, stride: int = 1) -> int:
    """Spatial size after a convolution or pooling layer."""
    return (size + 2 * padding - kernel_size) // stride + 1


class FeaturesThenClassifier(nn.Module):
    """A network of two parts: ``features`` (convolutions) then ``classifier`` (dense layers).

    The base of :class:`LeNet5` and :class:`CNN`: a subclass sets
    ``self.features`` and ``self.classifier`` in ``__init__``, and
    ``forward`` runs one after the other.

    Parameters
    ----------
    *args, **kwargs
        Passed on to :class:`torch.nn.Module`.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from skmnist.nets import FeaturesThenClassifier
    >>> class Tiny(FeaturesThenClassifier):
    ...     def __init__(self, n_classes=10):
    ...         super().__init__()
    ...         self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2))
    ...         self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(4 * 13 * 13, n_classes))
    >>> Tiny()(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    """

    features: nn.Module
    classifier: nn.Module

    def forward(self, x):
        """Compute the logits of a batch.

        Parameters
        ----------
        x : torch.Tensor
            A batch of images of shape (n, in_channels, height, width).

        Returns
        -------
        logits : torch.Tensor of shape (n, n_classes)
            Raw scores, before softmax.
        """
        return self.classifier(self.features(x))
