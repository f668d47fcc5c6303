"""A grid of images titled with their true and predicted labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.utils import _safe_indexing, check_consistent_length

from ._common import as_display_images, draw_grid, final_estimator


class ImageGridDisplay:
    """Image grid visualization, titled ``"true: 5 / pred: 3"``.

    Use :meth:`from_estimator` or :meth:`from_predictions` to create one;
    they accept images in any layout. A title holds the parts known: the
    true label, the predicted label and the predicted class's probability,
    as in ``"true: 5 / pred: 3 (0.98)"``; it is red when the prediction is
    wrong.

    Parameters
    ----------
    images : ndarray of shape (n_images, height, width) or \
            (n_images, height, width, channels)
        The images, as :meth:`matplotlib.axes.Axes.imshow` draws them.
    y_true : array-like of shape (n_images,), default=None
        True labels.
    y_pred : array-like of shape (n_images,), default=None
        Predicted labels.
    confidence : array-like of shape (n_images,), default=None
        Probability of each predicted label.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
        The grid of Axes; those beyond the last image are hidden.
    figure_ : matplotlib Figure
        The figure holding the grid.

    See Also
    --------
    sklearn.metrics.ConfusionMatrixDisplay : Counts of each (true,
        predicted) pair, re-exported by :mod:`skmnist.plotting`.

    Examples
    --------
    >>> import numpy as np
    >>> from skmnist.plotting import ImageGridDisplay
    >>> images = np.zeros((2, 28, 28))
    >>> disp = ImageGridDisplay(images, y_true=[7, 1], y_pred=[7, 4]).plot()
    >>> [(ax.get_title(), ax.title.get_color()) for ax in disp.axes_.ravel()]
    [('true: 7 / pred: 7', 'black'), ('true: 1 / pred: 4', 'red')]
    """

    def __init__(self, images, *, y_true=None, y_pred=None, confidence=None):
        self.images = images
        self.y_true = y_true
        self.y_pred = y_pred
        self.confidence = confidence

    def plot(
        self,
        *,
        n_cols: int | None = None,
        cmap: str = "gray",
        ax: Axes | Sequence[Axes] | None = None,
    ) -> ImageGridDisplay:
        """Plot the images.

        Parameters
        ----------
        n_cols : int, default=None
            Columns of the grid; None makes it about square. Ignored when
            ``ax`` is given.
        cmap : str or matplotlib Colormap, default="gray"
            Colormap of one-channel images.
        ax : array-like of matplotlib Axes, default=None
            At least one Axes per image. If None, a new figure is created.

        Returns
        -------
        display : ImageGridDisplay
            The display, with ``axes_`` and ``figure_`` set.

        Examples
        --------
        >>> import numpy as np
        >>> from skmnist.plotting import ImageGridDisplay
        >>> disp = ImageGridDisplay(np.zeros((5, 28, 28))).plot(n_cols=3)
        >>> disp.axes_.shape
        (2, 3)
        """
        n = len(self.images)
        titles = []
        for i in range(n):
            parts = []
            if self.y_true is not None:
                parts.append(f"true: {self.y_true[i]}")
            if self.y_pred is not None:
                pred = f"pred: {self.y_pred[i]}"
                if self.confidence is not None:
                    pred += f" ({self.confidence[i]:.2f})"
                parts.append(pred)
            titles.append(" / ".join(parts))
        if self.y_true is None or self.y_pred is None:
            colors = ["black"] * n
        else:
            colors = [
                "red" if true != pred else "black"
                for true, pred in zip(self.y_true, self.y_pred, strict=False)
            ]
        self.figure_, self.axes_ = draw_grid(
            self.images, titles, colors, n_cols=n_cols, ax=ax, cmap=cmap
        )
        return self

    @classmethod
    def from_predictions(
        cls,
        images: ArrayLike,
        y_true: ArrayLike | None = None,
        y_pred: ArrayLike | None = None,
        *,
        confidence: ArrayLike | None = None,
        n_images: int = 25,
        n_cols: int | None = None,
        cmap: str = "gray",
        ax: Axes | Sequence[Axes] | None = None,
    ) -> ImageGridDisplay:
        """Plot the first images with their true and predicted labels.

        Parameters
        ----------
        images : array-like of shape (n_samples, n_pixels), \
                (n_samples, height, width) or (n_samples, channels, height, width)
            Images of any dtype, as arrays or a DataFrame. Flat rows are read
            as square images (zero-padded at their end when not square).
        y_true : array-like of shape (n_samples,), default=None
            True labels.
        y_pred : array-like of shape (n_samples,), default=None
            Predicted labels.
        confidence : array-like of shape (n_samples,), default=None
            Probability of each predicted label, shown after it.
        n_images : int, default=25
            How many of the first images to show.
        n_cols : int, default=None
            Columns of the grid; None makes it about square.
        cmap : str or matplotlib Colormap, default="gray"
            Colormap of one-channel images.
        ax : array-like of matplotlib Axes, default=None
            At least one Axes per image shown. If None, a new figure is created.

        Returns
        -------
        display : ImageGridDisplay
            The display, plotted.

        Examples
        --------
        >>> from skmnist import load_mnist_sample
        >>> from skmnist.plotting import ImageGridDisplay
        >>> X, y = load_mnist_sample(return_X_y=True)
        >>> disp = ImageGridDisplay.from_predictions(X, y_true=y, n_images=3)
        >>> [ax.get_title() for ax in disp.axes_.ravel()]
        ['true: 9', 'true: 2', 'true: 2', '']
        """
        check_consistent_length(images, y_true, y_pred, confidence)

        def head(values):
            return None if values is None else np.asarray(values)[:n_images]

        display = cls(
            as_display_images(head(images)),
            y_true=head(y_true),
            y_pred=head(y_pred),
            confidence=head(confidence),
        )
        return display.plot(n_cols=n_cols, cmap=cmap, ax=ax)

    @classmethod
    def from_estimator(
        cls,
        estimator: BaseEstimator,
        X: ArrayLike,
        y: ArrayLike | None = None,
        *,
        n_images: int = 25,
        errors_only: bool = False,
        n_cols: int | None = None,
        cmap: str = "gray",
        ax: Axes | Sequence[Axes] | None = None,
    ) -> ImageGridDisplay:
        """Plot images with the classifier's predictions and their probability.

        The prediction is the most probable class of ``predict_proba``.

        Parameters
        ----------
        estimator : estimator instance
            A fitted classifier with ``predict_proba`` (a skmnist estimator,
            or a :class:`~sklearn.pipeline.Pipeline` ending in one). Flat
            rows are read as its ``image_shape_`` when it has one.
        X : array-like of shape (n_samples, n_pixels), \
                (n_samples, height, width) or (n_samples, channels, height, width)
            Images of any dtype the estimator accepts, as arrays or a DataFrame.
        y : array-like of shape (n_samples,), default=None
            True labels; titles show them and wrong predictions are red.
        n_images : int, default=25
            How many images to show: the first ones, or with ``errors_only``
            the most confidently wrong ones.
        errors_only : bool, default=False
            Show only misclassified images (``y`` is required), the most
            probable wrong prediction first.
        n_cols : int, default=None
            Columns of the grid; None makes it about square.
        cmap : str or matplotlib Colormap, default="gray"
            Colormap of one-channel images.
        ax : array-like of matplotlib Axes, default=None
            At least one Axes per image shown. If None, a new figure is created.

        Returns
        -------
        display : ImageGridDisplay
            The display, plotted.

        Examples
        --------
        >>> from skmnist import MLPNetClassifier, load_mnist_sample
        >>> from skmnist.plotting import ImageGridDisplay
        >>> X, y = load_mnist_sample(return_X_y=True)
        >>> clf = MLPNetClassifier(max_epochs=2, random_state=0).fit(X[:300], y[:300])
        >>> disp = ImageGridDisplay.from_estimator(
        ...     clf, X[300:600], y[300:600], n_images=9, errors_only=True
        ... )
        >>> {ax.title.get_color() for ax in disp.axes_.ravel()}
        {'red'}
        """
        image_shape = getattr(final_estimator(estimator), "image_shape_", None)
        check_consistent_length(X, y)
        if errors_only and y is None:
            raise ValueError("errors_only=True needs the true labels y.")
        rows = slice(None) if errors_only else slice(n_images)
        X = _safe_indexing(X, rows)
        y = None if y is None else np.asarray(y)[rows]
        proba = estimator.predict_proba(X)
        y_pred = estimator.classes_[proba.argmax(axis=1)]
        confidence = proba.max(axis=1)
        shown = np.arange(len(y_pred))
        if errors_only:
            shown = np.flatnonzero(y_pred != y)
            shown = shown[np.argsort(-confidence[shown], kind="stable")][:n_images]
            if len(shown) == 0:
                raise ValueError("The estimator classifies every image of X correctly.")
        display = cls(
            as_display_images(_safe_indexing(X, shown), image_shape),
            y_true=None if y is None else y[shown],
            y_pred=y_pred[shown],
            confidence=confidence[shown],
        )
        return display.plot(n_cols=n_cols, cmap=cmap, ax=ax)
