"""The estimators: skorch ``NeuralNetClassifier`` subclasses with scikit-learn's contract."""

from ._augment import PRESETS as AUGMENT_PRESETS
from ._augment import augment_batch, resolve_augment
from ._base import BaseMNISTClassifier
from ._callbacks import BatchAccuracy
from ._cnn import CNNClassifier
from ._devices import resolve_device
from ._lenet import LeNet5Classifier
from ._mlp import MLPNetClassifier
from ._options import OPTIMIZERS, training_budget
from ._persistence import load_model, save_model
from ._summary import model_summary

#: The estimators by the short names the command line (``skmnist train --model``) and
#: the development tools know them by.
ESTIMATORS = {"mlp": MLPNetClassifier, "lenet5": LeNet5Classifier, "cnn": CNNClassifier}

__all__ = [
    "AUGMENT_PRESETS",
    "ESTIMATORS",
    "OPTIMIZERS",
    "BaseMNISTClassifier",
    "BatchAccuracy",
    "CNNClassifier",
    "LeNet5Classifier",
    "MLPNetClassifier",
    "augment_batch",
    "load_model",
    "model_summary",
    "resolve_augment",
    "resolve_device",
    "save_model",
    "training_budget",
]
