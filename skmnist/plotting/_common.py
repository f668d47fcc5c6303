"""Helpers shared by the displays: the estimator a display reads, images as imshow draws
them, a grid of Axes."""

import math

import matplotlib.pyplot as plt
import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .._layout import image_shape_from, to_images


def final_estimator(estimator):
    """The fitted estimator itself, or the last step of a fitted Pipeline.

    Raises :class:`~sklearn.exceptions.NotFittedError` when it is not fitted.
    """
    check_is_fitted(estimator)
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


def as_display_images(X, image_shape=None):
    """Images in any layout as an array imshow draws.

    ``X`` is flat rows of pixels, ``(n, height, width)`` or
    ``(n, channels, height, width)``. Flat rows are read as ``image_shape``
    (channels, height, width) when given, else as the smallest square,
    zero-padded at their end as the estimators read them. Returns
    ``(n, height, width)``, or ``(n, height, width, channels)`` for colour.
    """
    X = np.asarray(X)
    if X.ndim == 2:
        n_pixels = X.shape[1]
        c, h, w = image_shape_from(X.shape[1:]) if image_shape is None else image_shape
        if c * h * w < n_pixels:
            raise ValueError(
                f"Rows of {n_pixels} pixels are no {c}x{h}x{w} images; pass X as "
                "(n_samples, height, width) or (n_samples, channels, height, width)."
            )
        X = to_images(X, (c, h, w))
    if X.ndim == 3:
        return X
    if X.ndim == 4:
        return X[:, 0] if X.shape[1] == 1 else X.transpose(0, 2, 3, 1)
    raise ValueError(
        f"Images must have 2 to 4 dimensions (rows of pixels, images, or images "
        f"with channels); got an array with {X.ndim} dimensions."
    )


def draw_grid(images, titles, colors, *, n_cols, ax, **imshow_kw):
    """Draw each image in its own Axes, titled; returns ``(figure, axes)``.

    ``ax`` is None (a new figure with ``n_cols`` columns, default about
    square), one Axes, or an array-like of at least ``len(images)`` Axes;
    the Axes left over are hidden.
    """
    n = len(images)
    if n == 0:
        raise ValueError("There are no images to show.")
    if ax is None:
        n_cols = n_cols or math.ceil(math.sqrt(n))
        n_rows = math.ceil(n / n_cols)
        _, ax = plt.subplots(
            n_rows,
            n_cols,
            figsize=(1.6 * n_cols, 1.7 * n_rows),
            squeeze=False,
            layout="constrained",
        )
    axes = np.atleast_1d(np.asarray(ax, dtype=object))
    flat = axes.ravel()
    if len(flat) < n:
        raise ValueError(f"ax holds {len(flat)} Axes for {n} images.")
    for axis in flat:
        # no ticks at all, not just hidden ones: the layout then measures no tick labels
        axis.set(xticks=[], yticks=[])
        axis.set_axis_off()
    for axis, image, title, color in zip(flat, images, titles, colors, strict=False):
        axis.imshow(image, **imshow_kw)
        axis.set_title(title, color=color, fontsize=8)
    return flat[0].figure, axes
