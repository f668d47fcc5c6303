"""Plots of skmnist estimators: training history, images, errors, filters.

The displays follow scikit-learn's: a ``from_estimator`` (and
``from_predictions`` or ``from_history``) class method computes and plots,
``plot`` redraws, and the result keeps ``figure_`` and its Axes.

- :class:`TrainingHistoryDisplay`: loss, accuracy and learning rate per epoch.
- :class:`ImageGridDisplay`: images titled ``"true: 5 / pred: 3 (0.98)"``,
  wrong predictions in red; ``errors_only=True`` shows the most confidently
  wrong ones.
- :class:`FilterDisplay`: the filters of a network's first convolution.
"""

from ._filters import FilterDisplay
from ._history import TrainingHistoryDisplay
from ._images import ImageGridDisplay

__all__ = ["FilterDisplay", "ImageGridDisplay", "TrainingHistoryDisplay"]
