"""A multi-layer perceptron over flattened images."""

from collections.abc import Sequence

from torch import nn

from ._layers import make_activation


class MLP(nn.Module):
    """Fully connected network: flatten, hidden layers, logits.

    Each hidden layer is ``Linear -> [BatchNorm1d] -> activation -> [Dropout]``.
    The last layer outputs raw logits (no softmax): train it with
    :class:`torch.nn.CrossEntropyLoss`.

    Parameters
    ----------
    n_features : int
        Number of input features (pixels per image, all channels).
    n_classes : int
        Number of output logits.
    hidden_layer_sizes : sequence of int, default=(128,)
        Width of each hidden layer; empty for a linear model.
    activation : str, default="relu"
        Name of the activation, see :data:`skmnist.nets.ACTIVATIONS`.
    dropout : float, default=0.0
        Dropout probability after each hidden activation.
    batch_norm : bool, default=False
        Whether to put a ``BatchNorm1d`` after each hidden linear layer.

    Examples
    --------
    >>> import torch
    >>> from skmnist.nets import MLP
    >>> net = MLP(784, 10, hidden_layer_sizes=(82, 56, 28), activation="tanh")
    >>> sum(p.numel() for p in net.parameters())
    70904
    >>> net(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        hidden_layer_sizes: Sequence[int] = (128,),
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
    ):
        super().__init__()
        layers: list[nn.Module] = [nn.Flatten()]
        width = n_features
        for size in hidden_layer_sizes:
            layers.append(nn.Linear(width, size))
            if batch_norm:
                layers.append(nn.BatchNorm1d(size))
            layers.append(make_activation(activation))
            if dropout:
                layers.append(nn.Dropout(dropout))
            width = size
        layers.append(nn.Linear(width, n_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        """Compute the logits of a batch.

        Parameters
        ----------
        x : torch.Tensor
            A batch of samples of shape (n, n_features), or any shape that flattens to it.

        Returns
        -------
        logits : torch.Tensor of shape (n, n_classes)
            Raw scores, before softmax.
        """
        return self.layers(x)
