"""The LeNet-5 estimator."""

from sklearn.utils._param_validation import StrOptions

from ..nets import LeNet5
from ..nets._layers import ACTIVATIONS, POOLINGS
from ._base import BaseMNISTClassifier
from ._docs import ATTRIBUTES_DOC, NOTES_DOC, PARAMETERS_DOC
from ._options import DROPOUT


class LeNet5Classifier(BaseMNISTClassifier):
    __doc__ = f"""LeNet-5 (LeCun et al., 1998) for 28x28 digits, trained with PyTorch.

    Two 5x5 convolutions with 6 and 16 feature maps, each followed by
    pooling, then 120-84-n_classes fully connected layers: 61,706 parameters.
    By default it uses ReLU and max pooling and trains with Adam under a
    one-cycle schedule peaking at lr 1e-2 (chosen on a hold-out of MNIST's
    training set, ``tools/selection.py``); ``activation="tanh",
    pooling="avg"`` is the network of 1998, the same size. ``conv_dropout=0.2,
    fc_dropout=0.5`` adds dropout, and ``batch_norm=True`` batch
    normalisation.

    Images smaller than 28x28 (scikit-learn's 8x8 ``load_digits``, say) are
    centred in a 28x28 zero frame, as LeNet-5 itself centred MNIST's 28x28
    digits in 32x32; larger images get a network sized for them. A flat row
    of ``n`` features is read as a square image (zero-padded to the next
    square number when ``n`` is not one, and refused when that would exceed
    28x28).

    Parameters
    ----------
    activation : str, default="relu"
        Activation after each convolution and hidden layer ("tanh", "relu", ...).
    pooling : {{{", ".join(f'"{name}"' for name in POOLINGS)}}}, default="max"
        Subsampling after each convolution (see :data:`skmnist.nets.POOLINGS`).
    conv_dropout : float, default=0.0
        Dropout after each convolution block.
    fc_dropout : float, default=0.0
        Dropout after each hidden fully connected layer.
    batch_norm : bool, default=False
        Batch normalisation after convolutions and hidden layers.
    {PARAMETERS_DOC}

    Attributes
    ----------
    {ATTRIBUTES_DOC}

    See Also
    --------
    MLPNetClassifier : A dense network on flattened images.
    CNNClassifier : A deeper convolutional network.

    Notes
    -----
    {NOTES_DOC}

    Examples
    --------
    >>> from skmnist import LeNet5Classifier, load_mnist_sample
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = LeNet5Classifier(max_epochs=3, random_state=0).fit(X, y)
    >>> int(clf.summary()["n_params"].sum())
    61706
    >>> clf.predict(X[:5]).shape
    (5,)
    """

    _parameter_constraints: dict = {
        **BaseMNISTClassifier._parameter_constraints,
        "activation": [StrOptions(set(ACTIVATIONS))],
        "pooling": [StrOptions(set(POOLINGS))],
        "conv_dropout": DROPOUT,
        "fc_dropout": DROPOUT,
        "batch_norm": ["boolean"],
    }

    def __init__(
        self,
        *,
        activation="relu",
        pooling="max",
        conv_dropout=0.0,
        fc_dropout=0.0,
        batch_norm=False,
        lr=1e-2,
        lr_schedule="onecycle",
        **kwargs,
    ):
        self.activation = activation
        self.pooling = pooling
        self.conv_dropout = conv_dropout
        self.fc_dropout = fc_dropout
        self.batch_norm = batch_norm
        super().__init__(lr=lr, lr_schedule=lr_schedule, **kwargs)

    def _build_module(self, input_shape, n_classes):
        c, h, w = input_shape
        return LeNet5(
            n_classes=n_classes,
            in_channels=c,
            image_size=(h, w),
            activation=self.activation,
            pooling=self.pooling,
            conv_dropout=self.conv_dropout,
            fc_dropout=self.fc_dropout,
            batch_norm=self.batch_norm,
        )
