"""The three-block convolutional network estimator."""

from numbers import Integral

from sklearn.utils._param_validation import Interval

from ..nets import CNN
from ._base import BaseMNISTClassifier
from ._docs import ATTRIBUTES_DOC, NOTES_DOC, PARAMETERS_DOC
from ._options import DROPOUT, PositiveInts


class CNNClassifier(BaseMNISTClassifier):
    __doc__ = f"""Convolutional network with BatchNorm and dropout, trained with PyTorch.

    Three blocks of ``conv -> BatchNorm -> ReLU -> max-pool -> dropout``
    (``convs_per_block`` convolutions, each with its BatchNorm and ReLU,
    before the pooling),
    then a ``Linear(128) -> ReLU -> dropout -> Linear(n_classes)`` head.
    Inputs are handled as by :class:`LeNet5Classifier` (small images are
    framed to 28x28). By default it trains with AdamW (weight decay 1e-4)
    under a one-cycle schedule peaking at lr 3e-3 (chosen on a hold-out of
    MNIST's training set, ``tools/selection.py``).

    Parameters
    ----------
    channels : tuple of 3 int, default=(32, 64, 128)
        Feature maps of the three blocks.
    kernel_size : int, default=3
        Odd size of the convolutions ("same" padding).
    dropout : float, default=0.25
        Dropout after each block; twice this, at most 0.5, in the head.
    batch_norm : bool, default=True
        Batch normalisation after each convolution.
    convs_per_block : int, default=1
        Convolutions in each block before its pooling; 2 makes VGG-style
        blocks (:func:`~skmnist.benchmarks.suites.record_recipe`).
    {PARAMETERS_DOC}

    Attributes
    ----------
    {ATTRIBUTES_DOC}

    See Also
    --------
    LeNet5Classifier : The convolutional classic.
    MLPNetClassifier : A dense network on flattened images.

    Notes
    -----
    {NOTES_DOC}

    Examples
    --------
    >>> from skmnist import CNNClassifier, load_mnist_sample
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = CNNClassifier(max_epochs=2, random_state=0).fit(X[:1000], y[:1000])
    >>> clf.predict_proba(X[:3]).shape
    (3, 10)
    """

    _parameter_constraints: dict = {
        **BaseMNISTClassifier._parameter_constraints,
        "channels": [PositiveInts(3)],
        "kernel_size": [Interval(Integral, 1, None, closed="left")],
        "dropout": DROPOUT,
        "batch_norm": ["boolean"],
        "convs_per_block": [Interval(Integral, 1, 4, closed="both")],
    }

    def __init__(
        self,
        *,
        channels=(32, 64, 128),
        kernel_size=3,
        dropout=0.25,
        batch_norm=True,
        convs_per_block=1,
        optimizer="adamw",
        lr=3e-3,
        weight_decay=1e-4,
        lr_schedule="onecycle",
        **kwargs,
    ):
        self.channels = channels
        self.kernel_size = kernel_size
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.convs_per_block = convs_per_block
        super().__init__(
            optimizer=optimizer,
            lr=lr,
            weight_decay=weight_decay,
            lr_schedule=lr_schedule,
            **kwargs,
        )

    def _build_module(self, input_shape, n_classes):
        c, h, w = input_shape
        # the third block convolves maps of a quarter of the image's size
        smallest = min(h, w) // 4
        if self.kernel_size > smallest:
            raise ValueError(
                f"kernel_size={self.kernel_size} is larger than the {smallest}x{smallest} "
                f"feature maps of the third block for {h}x{w} images; use at most {smallest}."
            )
        return CNN(
            n_classes=n_classes,
            in_channels=c,
            image_size=(h, w),
            channels=self.channels,
            kernel_size=self.kernel_size,
            dropout=self.dropout,
            batch_norm=self.batch_norm,
            convs_per_block=self.convs_per_block,
        )
