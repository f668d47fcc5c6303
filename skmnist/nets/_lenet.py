"""LeNet-5 for 28x28 digits."""

from torch import nn

from ._layers import FeaturesThenClassifier, conv_output_size, make_activation, make_pooling


class LeNet5(FeaturesThenClassifier):
    """LeNet-5 (LeCun et al., 1998) adapted to 28x28 input.

    ``conv(6, 5x5, padding 2) -> pool -> conv(16, 5x5) -> pool -> 120 -> 84 ->
    n_classes``. The padding of the first convolution plays the role of the
    original's 32x32 frame around MNIST's 28x28 digits. With the defaults
    (tanh, average pooling) it has 61,706 parameters for 10 classes. The output
    is raw logits.

    Parameters
    ----------
    n_classes : int, default=10
        Number of output logits.
    in_channels : int, default=1
        Channels of the input images.
    image_size : tuple of int, default=(28, 28)
        Height and width of the input images (at least 28x28: smaller images
        are framed by the estimator).
    activation : str, default="tanh"
        Activation after every convolution and hidden linear layer.
    pooling : str, default="avg"
        Subsampling after each convolution, one of :data:`POOLINGS`.
    conv_dropout : float, default=0.0
        Dropout after each convolution block.
    fc_dropout : float, default=0.0
        Dropout after each hidden fully connected layer.
    batch_norm : bool, default=False
        Add ``BatchNorm2d``/``BatchNorm1d`` after convolutions and hidden
        linear layers.

    Examples
    --------
    >>> import torch
    >>> from skmnist.nets import LeNet5
    >>> net = LeNet5()
    >>> sum(p.numel() for p in net.parameters())
    61706
    >>> net(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    """

    def __init__(
        self,
        n_classes: int = 10,
        in_channels: int = 1,
        image_size: tuple[int, int] = (28, 28),
        activation: str = "tanh",
        pooling: str = "avg",
        conv_dropout: float = 0.0,
        fc_dropout: float = 0.0,
        batch_norm: bool = False,
    ):
        super().__init__()

        def conv_block(c_in, c_out, padding):
            layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, 5, padding=padding)]
            if batch_norm:
                layers.append(nn.BatchNorm2d(c_out))
            layers += [make_activation(activation), make_pooling(pooling, 2)]
            if conv_dropout:
                layers.append(nn.Dropout(conv_dropout))
            return layers

        def fc_block(n_in, n_out):
            layers: list[nn.Module] = [nn.Linear(n_in, n_out)]
            if batch_norm:
                layers.append(nn.BatchNorm1d(n_out))
            layers.append(make_activation(activation))
            if fc_dropout:
                layers.append(nn.Dropout(fc_dropout))
            return layers

        h, w = image_size
        h, w = conv_output_size(h, 5, padding=2) // 2, conv_output_size(w, 5, padding=2) // 2
        h, w = conv_output_size(h, 5) // 2, conv_output_size(w, 5) // 2
        self.features = nn.Sequential(
            *conv_block(in_channels, 6, padding=2), *conv_block(6, 16, padding=0)
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            *fc_block(16 * h * w, 120),
            *fc_block(120, 84),
            nn.Linear(84, n_classes),
        )
