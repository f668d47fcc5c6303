"""Plots of skmnist estimators.

The displays follow scikit-learn's: a ``from_estimator`` (or ``from_history``)
class method computes and plots, ``plot`` redraws, and the result keeps
``figure_`` and its Axes.

- :class:`TrainingHistoryDisplay`: loss, accuracy and learning rate per epoch.
"""

from ._history import TrainingHistoryDisplay

__all__ = ["TrainingHistoryDisplay"]
