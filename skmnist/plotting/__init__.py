"""Plots of skmnist estimators: training history, images, errors, filters, searches.

The displays follow scikit-learn's: a ``from_estimator`` (and
``from_predictions``, ``from_history`` or ``from_search``) class method
computes and plots, ``plot`` redraws, and the result keeps ``figure_`` and
its Axes.

- :class:`TrainingHistoryDisplay`: loss, accuracy and learning rate per epoch.
- :class:`ImageGridDisplay`: images titled ``"true: 5 / pred: 3 (0.98)"``,
  wrong predictions in red; ``errors_only=True`` shows the most confidently
  wrong ones.
- :class:`FilterDisplay`: the filters of a network's first convolution.
- :class:`SearchResultsDisplay`: a hyperparameter search's mean score against
  each parameter.

The confusion matrix needs no wrapper: skmnist estimators predict from images
in any layout (flat rows, ``(n, 28, 28)``, ``(n, 1, 28, 28)``, uint8 or float,
DataFrames), so scikit-learn's :class:`~sklearn.metrics.ConfusionMatrixDisplay`
takes them as they are. It is re-exported here.

Examples
--------
>>> from skmnist import MLPNetClassifier, load_mnist_sample
>>> from skmnist.plotting import ConfusionMatrixDisplay
>>> X, y = load_mnist_sample(return_X_y=True)
>>> clf = MLPNetClassifier(max_epochs=2, random_state=0).fit(X[:300], y[:300])
>>> test = load_mnist_sample(subset="test")
>>> disp = ConfusionMatrixDisplay.from_estimator(
...     clf, test.images[:300], test.target[:300], normalize="true"
... )
>>> disp.confusion_matrix.shape
(10, 10)
"""

from sklearn.metrics import ConfusionMatrixDisplay

from ._filters import FilterDisplay
from ._history import TrainingHistoryDisplay
from ._images import ImageGridDisplay
from ._search import SearchResultsDisplay

__all__ = [
    "ConfusionMatrixDisplay",
    "FilterDisplay",
    "ImageGridDisplay",
    "SearchResultsDisplay",
    "TrainingHistoryDisplay",
]
