"""Image layout: how flat rows, images and images with channels are read as images.

One home for the reading the estimators, the transformers and the plots share:
a flat row of ``n`` pixels is an ``s x s`` image with ``s = ceil(sqrt(n))``,
zero-padded at its end; ``(n, h, w)`` is one channel; ``(n, c, h, w)`` as given.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import torch
from torch.nn import functional as F


def image_shape_from(sample_shape, *, min_size=None, name="the network"):
    """Read a sample's shape as ``(channels, height, width)``.

    A flat row of ``n`` features is an ``s x s`` image with
    ``s = ceil(sqrt(n))``, zero-padded at its end when ``n`` is not a square;
    that padding is refused when the row holds more pixels than the network's
    native image (``min_size``), because then no image layout can be guessed.

    Examples
    --------
    >>> from skmnist._layout import image_shape_from
    >>> image_shape_from((784,)), image_shape_from((28, 28)), image_shape_from((3, 32, 32))
    ((1, 28, 28), (1, 28, 28), (3, 32, 32))
    >>> image_shape_from((64,))
    (1, 8, 8)
    """
    if len(sample_shape) == 1:
        n_features = sample_shape[0]
        side = math.isqrt(n_features)
        if side * side != n_features:
            if min_size is not None and n_features > min_size[0] * min_size[1]:
                raise ValueError(
                    f"X has {n_features} features per sample: not a square number of "
                    f"pixels, and more than {name}'s {min_size[0]}x{min_size[1]} input, so "
                    "its image layout cannot be guessed. Pass the images as an array of "
                    "shape (n_samples, height, width) or (n_samples, channels, height, width)."
                )
            side += 1
        return (1, side, side)
    if len(sample_shape) == 2:
        return (1, *sample_shape)
    if len(sample_shape) == 3:
        return tuple(sample_shape)
    raise ValueError(
        f"X must have 2 to 4 dimensions (rows of pixels, images, or images with "
        f"channels); got an array with {len(sample_shape) + 1} dimensions."
    )


def to_images(x, image_shape, frame_size=None):
    """Reshape rows to images ``(n, c, h, w)``, centred in ``frame_size``.

    ``x`` is a tensor or an array of rows (or of images). Rows shorter than
    ``c * h * w`` (a non-square number of features) are zero-padded at their
    end; images smaller than ``frame_size`` (height, width) are centred in a
    zero frame of that size. An array gives an array, a tensor a tensor.

    Examples
    --------
    >>> import numpy as np
    >>> from skmnist._layout import to_images
    >>> to_images(np.ones((2, 5), dtype=np.uint8), (1, 3, 3))[0, 0]
    array([[1, 1, 1],
           [1, 1, 0],
           [0, 0, 0]], dtype=uint8)
    >>> to_images(np.ones((1, 4)), (1, 2, 2), frame_size=(4, 4)).shape
    (1, 1, 4, 4)
    """
    if not isinstance(x, torch.Tensor):
        return to_images(torch.from_numpy(np.ascontiguousarray(x)), image_shape, frame_size).numpy()
    c, h, w = image_shape
    n = x.shape[0]
    x = x.reshape(n, -1)
    missing = c * h * w - x.shape[1]
    if missing:
        x = F.pad(x, (0, missing))
    x = x.reshape(n, c, h, w)
    if frame_size is not None and (frame_size[0] > h or frame_size[1] > w):
        dh, dw = max(frame_size[0] - h, 0), max(frame_size[1] - w, 0)
        x = F.pad(x, (dw // 2, dw - dw // 2, dh // 2, dh - dh // 2))
    return x
