"""Input validation and label encoding: what ``X`` and ``y`` must be, checked once.

``X`` is read as flat rows of pixels whatever its layout (flat rows, images,
images with channels, a DataFrame of pixel columns); the image layout is
remembered in ``image_shape_`` and the pixel range in ``pixel_range_``, so
that prediction input on another scale is noticed. ``y`` keeps the user's
labels in ``classes_`` and is encoded as their indices.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import math
import numbers
import warnings

import numpy as np
import torch
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    column_or_1d,
    validate_data,
)

from .._layout import image_shape_from, to_images
from ._augment import augment_batch
from ._budget import AUTO_BATCH_SIZE
from ._data import DeviceBatches, DeviceData, to_float
from ._devices import device_budget, require_device
from ._net_base import _NetBase


def _nullable_integer_dtype(X):
    """NumPy dtype of a DataFrame of pandas nullable integer columns, else None.

    scikit-learn's validation turns "Int64", "UInt8", ... columns into float64
    (to map ``pd.NA`` to NaN), which would make their 0-255 integer pixels
    floats used as given; the estimators read them as integer pixels instead.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "__iter__"):
        return None
    from pandas.api.types import is_extension_array_dtype, is_integer_dtype

    dtypes = list(dtypes)
    if not dtypes or not all(is_integer_dtype(d) for d in dtypes):
        return None
    if not any(is_extension_array_dtype(d) for d in dtypes):
        return None
    return np.result_type(*(getattr(d, "numpy_dtype", d) for d in dtypes))


def _check_columns(X):
    """Refuse a DataFrame with non-numeric columns, naming them."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(X, "columns"):
        return
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    text = [
        str(c)
        for c, d in zip(X.columns, dtypes, strict=True)
        if not (is_numeric_dtype(d) or is_bool_dtype(d))
    ]
    if text:
        shown = ", ".join(repr(c) for c in text[:5]) + (", ..." if len(text) > 5 else "")
        raise ValueError(
            f"X has {len(text)} non-numeric column(s): {shown}. Pass only the pixel columns, "
            f"e.g. X.drop(columns=[{shown}])."
        )


def _pixel_range(X):
    """(lowest, highest) pixel of flat rows ``X`` as the network reads them, or None."""
    if X.size == 0:
        return None
    lo, hi = float(X.min()), float(X.max())
    if X.dtype.kind in "iu":
        if lo < 0 or hi > 255:
            warnings.warn(
                f"X holds integer pixels from {lo:g} to {hi:g}, outside 0-255; integer pixels "
                "are read as 0-255 intensities (divided by 255). Rescale them to 0-255, or "
                "pass floats, which are used as given.",
                UserWarning,
                stacklevel=6,
            )
        return lo / 255, hi / 255
    return lo, hi


def _check_labels(y):
    """Refuse labels that mix kinds (numbers and strings), which cannot be sorted."""
    if y.dtype != object:
        return
    kinds = {
        "string"
        if isinstance(v, str)
        else "number"
        if isinstance(v, numbers.Number)
        else type(v).__name__
        for v in y
    }
    if len(kinds) > 1:
        raise ValueError(
            f"y mixes labels of different kinds ({', '.join(sorted(kinds))}), which cannot "
            "be ordered into classes_; make them one kind, e.g. y.astype(str)."
        )


class _InputMixin(_NetBase):
    """How a skmnist estimator validates ``X``, encodes ``y`` and checks pixel scales."""

    def _validate_X(self, X, *, reset):
        """Validate ``X`` once and return it as flat rows (a view where possible)."""
        if isinstance(X, torch.Tensor):
            X = X.detach().cpu().numpy()
        elif isinstance(X, (list, tuple)):
            # an array-like without ``ndim`` (a list of images, say): its
            # dimensions decide the path below, as an array's would
            X = np.asarray(X)
        _check_columns(X)
        if getattr(X, "ndim", 2) > 2:
            X = check_array(X, allow_nd=True, dtype="numeric", estimator=self, input_name="X")
            sample_shape = X.shape[1:]
            X = X.reshape(len(X), -1)
            validate_data(self, X, reset=reset, skip_check_array=True)
        else:
            integer_dtype = _nullable_integer_dtype(X)
            X = validate_data(self, X, reset=reset, dtype="numeric")
            if integer_dtype is not None and X.dtype.kind == "f":
                # finite by now: back to the integer pixels the columns held
                X = X.astype(integer_dtype)
            sample_shape = X.shape[1:]
        pixel_range = _pixel_range(X)
        if reset:
            native = self._native_image_shape
            self.image_shape_ = image_shape_from(
                sample_shape,
                min_size=None if native is None else native[1:],
                name=type(self).__name__,
            )
            self.pixel_range_ = pixel_range
        else:
            self._check_pixel_scale(pixel_range)
        return X

    def _check_pixel_scale(self, pixel_range):
        """Warn when pixels lie far outside the range the network was trained on."""
        trained = getattr(self, "pixel_range_", None)
        if trained is None or pixel_range is None:
            return
        (lo, hi), (trained_lo, trained_hi) = pixel_range, trained
        span = max(trained_hi - trained_lo, 1e-12)
        if hi > trained_hi + span or lo < trained_lo - span:
            warnings.warn(
                f"X's pixels range from {lo:.4g} to {hi:.4g} as the network reads them, but "
                f"its training pixels ranged from {trained_lo:.4g} to {trained_hi:.4g}: "
                "predictions for pixels on another scale are unreliable. Scale X as the "
                "training data was (X / 255 for 0-255 floats after training on uint8 images "
                "or on 0-1 floats, say), or pass uint8 images, which are read as 0-255.",
                UserWarning,
                stacklevel=6,
            )

    def _encode_y(self, y, n_samples, *, reset, classes=None):
        """``y`` as indices into ``classes_`` (set from ``y`` or ``classes`` when ``reset``)."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y = column_or_1d(y, warn=True)
        check_consistent_length(np.empty(n_samples), y)
        _check_labels(y)
        check_classification_targets(y)
        if reset:
            labels = np.unique(y if classes is None else np.asarray(classes))
            if len(labels) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes; y holds "
                    f"only one class: {labels[0]!r}."
                )
            self.classes_inferred_ = labels
        encoded = np.searchsorted(self.classes_, y)
        unknown = (encoded >= len(self.classes_)) | (
            self.classes_[np.minimum(encoded, len(self.classes_) - 1)] != y
        )
        if unknown.any():
            raise ValueError(
                f"y contains labels not among classes_ {self.classes_.tolist()}: "
                f"{np.unique(y[unknown]).tolist()}."
            )
        return encoded

    def _training_data(self, X, y, *, reset, classes=None):
        """Validated ``X`` and encoded ``y`` as :class:`DeviceData` on the training device."""
        require_device(self.device)
        X = self._validate_X(X, reset=reset)
        y = self._encode_y(y, len(X), reset=reset, classes=classes)
        return DeviceData(
            X,
            y,
            device=self.device,
            budget_bytes=device_budget(self.device, self.device_data_budget),
        )

    def check_data(self, X, y):
        """Do nothing: ``X`` and ``y`` were validated before skorch sees them.

        Parameters
        ----------
        X : DeviceData
            The validated data.
        y : None
            Unused: the encoded labels travel with ``X``.
        """

    def get_iterator(self, dataset, training=False):
        """Batches sliced on the device for array data; skorch's iterator otherwise.

        Parameters
        ----------
        dataset : DeviceData or dataset
            The data to iterate over.
        training : bool, default=False
            Whether the batches are for training: shuffled, and augmented
            when ``augment`` is set.

        Returns
        -------
        batches : iterable of (torch.Tensor, torch.Tensor)
            Module input and encoded labels, batch by batch, on the device.
        """
        if not isinstance(dataset, DeviceData):
            return super().get_iterator(dataset, training=training)
        kwargs = self.get_params_for("iterator_train" if training else "iterator_valid")
        if training:
            batch_size = self._training_batch_size()  # "auto" resolved from the data
        else:  # predictions: batch_size, or AUTO_BATCH_SIZE for "auto"
            batch_size = self.batch_size if self.batch_size != "auto" else AUTO_BATCH_SIZE
        return DeviceBatches(
            dataset,
            kwargs.get("batch_size", batch_size),
            shuffle=training,
            generator=getattr(self, "_shuffle_generator", None) if training else None,
            prepare=self._prepare_batch,
            training=training,
        )

    def _module_input_shape(self):
        """(channels, height, width) of what the module receives."""
        native = self._native_image_shape
        shape = getattr(self, "image_shape_", native if native else (1, 28, 28))
        if native is None:
            return shape
        c, h, w = shape
        return (c, max(h, native[1]), max(w, native[2]))

    def _sample_input_shape(self):
        """Shape of one sample as :meth:`_prepare_batch` hands it to the module."""
        if self._native_image_shape is None:
            # flat rows, as they are: no padding to a square image
            n_features = getattr(self, "n_features_in_", math.prod(self._module_input_shape()))
            return (n_features,)
        return self._module_input_shape()

    def _prepare_batch(self, Xb, training):
        """Raw batch rows to module input, on the device: cast, reshape, frame, augment."""
        x = to_float(Xb)
        augment = training and getattr(self, "_augment_settings", None) is not None
        if self._native_image_shape is None and not augment:
            return x.reshape(len(x), -1)
        x = to_images(x, self.image_shape_, self._module_input_shape()[1:])
        if augment:
            x = augment_batch(x, self._augment_settings)
        return x

    def _logits(self, X):
        """Logits for ``X`` on the device, in one pass of batches."""
        self.check_is_fitted()
        self._follow_device()
        if not isinstance(X, DeviceData):
            X = DeviceData(
                self._validate_X(X, reset=False),
                device=self.device,
                budget_bytes=device_budget(self.device, self.device_data_budget),
            )
        return self.forward(X, training=False, device=self.device)
