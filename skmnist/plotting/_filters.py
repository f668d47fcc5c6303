"""The filters of a convolutional network's first layer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.axes import Axes
from sklearn.base import BaseEstimator

from ._common import draw_grid, final_estimator


class FilterDisplay:
    """Filter visualization: the kernels of a convolution as a grid of images.

    Use :meth:`from_estimator` to show the first convolution of a fitted
    network. All filters share one colour scale, symmetric around 0, so
    that they can be compared; each is titled with its output channel.

    Parameters
    ----------
    filters : ndarray of shape (n_filters, height, width)
        The kernels, one per output channel.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
        The grid of Axes; those beyond the last filter are hidden.
    figure_ : matplotlib Figure
        The figure holding the grid.

    Examples
    --------
    >>> import numpy as np
    >>> from skmnist.plotting import FilterDisplay
    >>> filters = np.random.default_rng(0).normal(size=(6, 5, 5))
    >>> disp = FilterDisplay(filters).plot()
    >>> sum(len(ax.images) for ax in disp.axes_.ravel())
    6
    """

    def __init__(self, filters):
        self.filters = filters

    def plot(
        self,
        *,
        n_cols: int | None = None,
        cmap: str = "RdBu_r",
        ax: Axes | Sequence[Axes] | None = None,
    ) -> FilterDisplay:
        """Plot the filters.

        Parameters
        ----------
        n_cols : int, default=None
            Columns of the grid; None makes it about square. Ignored when
            ``ax`` is given.
        cmap : str or matplotlib Colormap, default="RdBu_r"
            Colormap; a diverging one shows the sign of the weights.
        ax : array-like of matplotlib Axes, default=None
            At least one Axes per filter. If None, a new figure is created.

        Returns
        -------
        display : FilterDisplay
            The display, with ``axes_`` and ``figure_`` set.

        Examples
        --------
        >>> import numpy as np
        >>> from skmnist.plotting import FilterDisplay
        >>> disp = FilterDisplay(np.ones((4, 3, 3))).plot(n_cols=4)
        >>> disp.axes_.shape
        (1, 4)
        """
        limit = np.abs(self.filters).max()
        titles = [str(i) for i in range(len(self.filters))]
        self.figure_, self.axes_ = draw_grid(
            self.filters,
            titles,
            ["black"] * len(titles),
            n_cols=n_cols,
            ax=ax,
            cmap=cmap,
            vmin=-limit,
            vmax=limit,
        )
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator: BaseEstimator,
        *,
        n_cols: int | None = None,
        cmap: str = "RdBu_r",
        ax: Axes | Sequence[Axes] | None = None,
    ) -> FilterDisplay:
        """Plot the filters of the first convolution of a fitted network.

        The first :class:`torch.nn.Conv2d` in ``estimator.module_`` is shown:
        one filter per output channel, its first input channel.

        Parameters
        ----------
        estimator : estimator instance
            A fitted convolutional skmnist estimator (such as
            :class:`~skmnist.LeNet5Classifier` or
            :class:`~skmnist.CNNClassifier`) or skorch net, or a fitted
            :class:`~sklearn.pipeline.Pipeline` whose last step is one.
        n_cols : int, default=None
            Columns of the grid; None makes it about square.
        cmap : str or matplotlib Colormap, default="RdBu_r"
            Colormap; a diverging one shows the sign of the weights.
        ax : array-like of matplotlib Axes, default=None
            At least one Axes per filter. If None, a new figure is created.

        Returns
        -------
        display : FilterDisplay
            The display, plotted.

        Raises
        ------
        ValueError
            If the network has no convolution, as for
            :class:`~skmnist.MLPNetClassifier`.

        Examples
        --------
        >>> from skmnist import LeNet5Classifier, load_mnist_sample
        >>> from skmnist.plotting import FilterDisplay
        >>> X, y = load_mnist_sample(return_X_y=True)
        >>> clf = LeNet5Classifier(max_epochs=1, random_state=0).fit(X[:300], y[:300])
        >>> disp = FilterDisplay.from_estimator(clf)
        >>> disp.filters.shape
        (6, 5, 5)
        """
        final = final_estimator(estimator)
        layers = final.module_.modules()
        conv = next((m for m in layers if isinstance(m, torch.nn.Conv2d)), None)
        if conv is None:
            raise ValueError(
                f"{type(final).__name__}'s network has no convolution "
                "(torch.nn.Conv2d), so it has no filters to show."
            )
        filters = conv.weight.detach()[:, 0].cpu().numpy()
        return cls(filters).plot(n_cols=n_cols, cmap=cmap, ax=ax)
