"""The estimators: skorch ``NeuralNetClassifier`` subclasses with scikit-learn's contract."""

from ._augment import PRESETS as AUGMENT_PRESETS
from ._augment import augment_batch, resolve_augment
from ._base import BaseMNISTClassifier
from ._constraints import OPTIMIZERS
from ._devices import resolve_device
from ._callbacks import BatchAccuracy
from ._cnn import CNNClassifier
from ._lenet import LeNet5Classifier
from ._mlp import MLPNetClassifier
from ._persistence import load_model, save_model
from ._summary import model_summary

__all__ = [
    "AUGMENT_PRESETS",
    "augment_batch",
    "resolve_augment",
    "OPTIMIZERS",
    "BaseMNISTClassifier",
    "BatchAccuracy",
    "CNNClassifier",
    "LeNet5Classifier",
    "MLPNetClassifier",
    "load_model",
    "model_summary",
    "save_model",
    "resolve_device",
]
