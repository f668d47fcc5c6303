"""Loss, accuracy and learning rate per epoch of a training history."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator
from sklearn.base import BaseEstimator

from ._common import final_estimator

# Each panel: its title and the history keys drawn in it, one line each.
_PANELS = (
    ("Loss", ("train_loss", "valid_loss")),
    ("Accuracy", ("train_acc", "valid_acc")),
    ("Learning rate", ("lr",)),
)


class TrainingHistoryDisplay:
    """Training history visualization: loss, accuracy and learning rate per epoch.

    Use :meth:`from_estimator` or :meth:`from_history` to create one. Each
    panel is drawn only when the history holds one of its series: loss
    (``train_loss``, ``valid_loss``), accuracy (``train_acc``,
    ``valid_acc``) and learning rate (``lr``). The ``valid_*`` series are
    there when the estimator held out validation data.

    Parameters
    ----------
    history : skorch.History, list of dict or pandas.DataFrame
        One record per epoch, with an ``epoch`` number (else epochs are
        counted from 1) and any of the series above.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
        One Axes per panel drawn, in the order loss, accuracy, learning rate.
    lines_ : dict of str to matplotlib Line2D
        The line of each series drawn, by its history key.
    figure_ : matplotlib Figure
        The figure holding the panels.

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : Score against the number
        of training samples, rather than against epochs.

    Examples
    --------
    >>> from skmnist.plotting import TrainingHistoryDisplay
    >>> history = [
    ...     {"epoch": 1, "train_loss": 0.9, "train_acc": 0.70},
    ...     {"epoch": 2, "train_loss": 0.4, "train_acc": 0.88},
    ... ]
    >>> disp = TrainingHistoryDisplay(history).plot()
    >>> [ax.get_title() for ax in disp.axes_]
    ['Loss', 'Accuracy']
    """

    def __init__(self, history):
        self.history = history

    def plot(self, *, ax: Axes | Sequence[Axes] | None = None) -> TrainingHistoryDisplay:
        """Plot the history.

        Parameters
        ----------
        ax : array-like of matplotlib Axes, default=None
            One Axes per panel drawn. If None, a new figure with the panels
            side by side is created.

        Returns
        -------
        display : TrainingHistoryDisplay
            The display, with ``axes_``, ``lines_`` and ``figure_`` set.

        Examples
        --------
        >>> from skmnist.plotting import TrainingHistoryDisplay
        >>> history = [{"epoch": 1, "train_loss": 0.9}, {"epoch": 2, "train_loss": 0.4}]
        >>> disp = TrainingHistoryDisplay(history).plot()
        >>> disp.lines_["train_loss"].get_xydata().tolist()
        [[1.0, 0.9], [2.0, 0.4]]
        """
        frame = pd.DataFrame(self.history)
        panels: list[tuple[str, list[str]]] = []
        for title, series in _PANELS:
            present = [key for key in series if key in frame and frame[key].notna().any()]
            if present:
                panels.append((title, present))
        if not panels:
            names = ", ".join(key for _, keys in _PANELS for key in keys)
            raise ValueError(f"The history holds none of the series {names}.")
        if ax is None:
            _, grid = plt.subplots(
                1,
                len(panels),
                figsize=(4.5 * len(panels), 3.5),
                squeeze=False,
                layout="constrained",
            )
            axes = np.asarray(grid, dtype=object).ravel()
        else:
            axes = np.asarray(ax, dtype=object).ravel()
        if len(axes) != len(panels):
            titles = ", ".join(title for title, _ in panels)
            raise ValueError(
                f"ax must hold {len(panels)} Axes, one per panel ({titles}); got {len(axes)}."
            )
        epochs = frame["epoch"] if "epoch" in frame else np.arange(1, len(frame) + 1)
        self.lines_ = {}
        for axis, (title, keys) in zip(axes, panels, strict=False):
            for key in keys:
                (self.lines_[key],) = axis.plot(epochs, frame[key], marker=".", label=key)
            axis.set(title=title, xlabel="epoch")
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
            axis.legend()
        self.axes_ = axes
        self.figure_ = axes[0].figure
        return self

    @classmethod
    def from_history(
        cls, history, *, ax: Axes | Sequence[Axes] | None = None
    ) -> TrainingHistoryDisplay:
        """Plot a training history.

        Parameters
        ----------
        history : skorch.History, list of dict or pandas.DataFrame
            One record per epoch, as for :class:`TrainingHistoryDisplay`.
        ax : array-like of matplotlib Axes, default=None
            One Axes per panel drawn. If None, a new figure is created.

        Returns
        -------
        display : TrainingHistoryDisplay
            The display, plotted.

        Examples
        --------
        >>> from skmnist.plotting import TrainingHistoryDisplay
        >>> history = [
        ...     {"epoch": 1, "train_loss": 0.9, "valid_loss": 1.0, "lr": 0.1},
        ...     {"epoch": 2, "train_loss": 0.4, "valid_loss": 0.6, "lr": 0.05},
        ... ]
        >>> disp = TrainingHistoryDisplay.from_history(history)
        >>> [ax.get_title() for ax in disp.axes_]
        ['Loss', 'Learning rate']
        >>> [line.get_label() for line in disp.axes_[0].lines]
        ['train_loss', 'valid_loss']
        """
        return cls(history).plot(ax=ax)

    @classmethod
    def from_estimator(
        cls, estimator: BaseEstimator, *, ax: Axes | Sequence[Axes] | None = None
    ) -> TrainingHistoryDisplay:
        """Plot the training history of a fitted estimator.

        Parameters
        ----------
        estimator : estimator instance
            A fitted skmnist estimator (or skorch net), or a fitted
            :class:`~sklearn.pipeline.Pipeline` whose last step is one.
        ax : array-like of matplotlib Axes, default=None
            One Axes per panel drawn. If None, a new figure is created.

        Returns
        -------
        display : TrainingHistoryDisplay
            The display, plotted from the estimator's ``history_``.

        Examples
        --------
        >>> from skmnist import MLPNetClassifier, load_mnist_sample
        >>> from skmnist.plotting import TrainingHistoryDisplay
        >>> X, y = load_mnist_sample(return_X_y=True)
        >>> clf = MLPNetClassifier(max_epochs=2, random_state=0).fit(X[:300], y[:300])
        >>> disp = TrainingHistoryDisplay.from_estimator(clf)
        >>> [ax.get_title() for ax in disp.axes_]
        ['Loss', 'Accuracy', 'Learning rate']
        >>> sorted(disp.lines_)
        ['lr', 'train_acc', 'train_loss']
        """
        return cls.from_history(final_estimator(estimator).history_, ax=ax)
