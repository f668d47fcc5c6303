"""A three-block convolutional network with BatchNorm and dropout."""

from collections.abc import Sequence

from torch import nn

from ._layers import FeaturesThenClassifier, make_activation


class CNN(FeaturesThenClassifier):
    """Three ``conv -> [BatchNorm] -> activation -> max-pool -> dropout`` blocks and a head.

    With ``convs_per_block=2`` each block holds two ``conv -> [BatchNorm] ->
    activation`` layers before its pooling (VGG-style).

    Convolutions use "same" padding; the head is
    ``Flatten -> Linear(hidden) -> activation -> Dropout -> Linear(n_classes)``.
    The output is raw logits.

    Parameters
    ----------
    n_classes : int, default=10
        Number of output logits.
    in_channels : int, default=1
        Channels of the input images.
    image_size : tuple of int, default=(28, 28)
        Height and width of the input.
    channels : sequence of 3 int, default=(32, 64, 128)
        Feature maps of the three blocks.
    kernel_size : int, default=3
        Odd convolution size.
    dropout : float, default=0.25
        Dropout after each block; twice this (at most 0.5) in the head.
    batch_norm : bool, default=True
        Whether to normalise after each convolution.
    convs_per_block : int, default=1
        Convolutions in each block, each with its BatchNorm and activation.
    hidden_size : int, default=128
        Width of the head's hidden layer.
    activation : str, default="relu"
        Activation after each convolution and in the head.

    Examples
    --------
    >>> import torch
    >>> from skmnist.nets import CNN
    >>> net = CNN()
    >>> net(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    """

    def __init__(
        self,
        n_classes: int = 10,
        in_channels: int = 1,
        image_size: tuple[int, int] = (28, 28),
        channels: Sequence[int] = (32, 64, 128),
        kernel_size: int = 3,
        dropout: float = 0.25,
        batch_norm: bool = True,
        convs_per_block: int = 1,
        hidden_size: int = 128,
        activation: str = "relu",
    ):
        super().__init__()
        if len(channels) != 3:
            raise ValueError(f"channels must hold 3 numbers of feature maps; got {channels!r}.")
        if kernel_size % 2 != 1:
            raise ValueError(f"kernel_size must be odd; got {kernel_size!r}.")
        layers: list[nn.Module] = []
        c_in = in_channels
        h, w = image_size
        for c_out in channels:
            for i in range(convs_per_block):
                layers.append(
                    nn.Conv2d(
                        c_in if i == 0 else c_out,
                        c_out,
                        kernel_size,
                        padding=kernel_size // 2,
                        bias=not batch_norm,
                    )
                )
                if batch_norm:
                    layers.append(nn.BatchNorm2d(c_out))
                layers.append(make_activation(activation))
            layers.append(nn.MaxPool2d(2))
            if dropout:
                layers.append(nn.Dropout(dropout))
            c_in, h, w = c_out, h // 2, w // 2
        self.features = nn.Sequential(*layers)
        head_dropout = min(2 * dropout, 0.5)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c_in * h * w, hidden_size),
            make_activation(activation),
            *([nn.Dropout(head_dropout)] if head_dropout else []),
            nn.Linear(hidden_size, n_classes),
        )
