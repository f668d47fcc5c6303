"""The multi-layer perceptron estimator."""

import numbers
from numbers import Integral

from sklearn.utils._param_validation import Interval, StrOptions

from ..nets import MLP
from ..nets._layers import ACTIVATIONS
from ._base import BaseMNISTClassifier
from ._docs import ATTRIBUTES_DOC, NOTES_DOC, PARAMETERS_DOC
from ._options import DROPOUT, PositiveInts


class MLPNetClassifier(BaseMNISTClassifier):
    __doc__ = f"""Multi-layer perceptron on flattened images, trained with PyTorch.

    Covers the classic dense networks for digits: 784-128-10 ReLU (the
    default), 784-256-128-10, or the 784-82-56-28-10 tanh "CustomMLP". The
    network outputs logits and trains with cross-entropy, by default with
    Adam under a one-cycle schedule peaking at lr 1e-2 (chosen on a hold-out
    of MNIST's training set, ``tools/selection.py``). Named so as not to
    clash with :class:`sklearn.neural_network.MLPClassifier`.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(128,)
        Width of each hidden layer.
    activation : str, default="relu"
        "relu", "tanh", "sigmoid" (or "logistic"), "gelu", "elu", "leaky_relu",
        "selu" or "silu".
    dropout : float, default=0.0
        Dropout after each hidden activation.
    batch_norm : bool, default=False
        Batch normalisation after each hidden linear layer.
    {PARAMETERS_DOC}

    Attributes
    ----------
    {ATTRIBUTES_DOC}

    See Also
    --------
    LeNet5Classifier : The convolutional classic.
    CNNClassifier : A deeper convolutional network.

    Notes
    -----
    {NOTES_DOC}

    Examples
    --------
    >>> from skmnist import MLPNetClassifier, load_mnist_sample
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = MLPNetClassifier(max_epochs=5, random_state=0).fit(X, y)
    >>> clf.summary()["n_params"].sum()
    np.int64(101770)
    >>> clf.score(X, y) > 0.9
    True
    """

    _native_image_shape = None

    _parameter_constraints: dict = {
        **BaseMNISTClassifier._parameter_constraints,
        "hidden_layer_sizes": [PositiveInts(), Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": DROPOUT,
        "batch_norm": ["boolean"],
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(128,),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
        lr=1e-2,
        lr_schedule="onecycle",
        **kwargs,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.batch_norm = batch_norm
        super().__init__(lr=lr, lr_schedule=lr_schedule, **kwargs)

    def _build_module(self, input_shape, n_classes):
        c, h, w = input_shape
        n_features = getattr(self, "n_features_in_", c * h * w)
        sizes = self.hidden_layer_sizes
        return MLP(
            n_features,
            n_classes,
            # a single width is one hidden layer, as in scikit-learn's MLPClassifier
            hidden_layer_sizes=[
                int(n) for n in ((sizes,) if isinstance(sizes, numbers.Integral) else sizes)
            ],
            activation=self.activation,
            dropout=self.dropout,
            batch_norm=self.batch_norm,
        )
