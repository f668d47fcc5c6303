"""Scaling raw pixel intensities to float32 in [0, 1], optionally standardized."""

from math import prod, sqrt
from numbers import Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import Tags, gen_batches
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import check_is_fitted, validate_data

# Mean and standard deviation of the MNIST training pixels on the [0, 1] scale,
# the values used throughout the PyTorch ecosystem.
_MNIST_MEAN = 0.1307
_MNIST_STD = 0.3081

# Rows per batch when computing the pixel variance in float64 during fit.
_BATCH_ROWS = 1024


class PixelNormalizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale raw pixel intensities to float32 in [0, 1], optionally standardized.

    Each pixel value ``x`` is mapped to ``x / max_value``. With ``standardize``
    set, the scaled value is then shifted and divided by a single mean and
    standard deviation shared by all pixels, either the usual MNIST statistics
    or ones learned in :meth:`fit`.

    The layout of the input is kept: rows of flattened images of shape
    ``(n_samples, n_pixels)``, grey images of shape ``(n_samples, height,
    width)`` and channel-first images of shape ``(n_samples, channels, height,
    width)`` come out in the shape they came in. The output is always
    ``float32``, whatever the input dtype, and the input is never modified.

    Parameters
    ----------
    max_value : float, default=255.0
        The largest value a pixel can take, mapped to 1.0. Use 255.0 for 8-bit
        images such as MNIST and 16.0 for the 0-16 digits of
        :func:`sklearn.datasets.load_digits`. Values outside
        ``[0, max_value]`` are rejected.

    standardize : {"mnist", "fit"} or None, default=None
        What to do after scaling to [0, 1]:

        - None: nothing; the output lies in [0, 1].
        - "mnist": subtract 0.1307 and divide by 0.3081, the mean and standard
          deviation of the MNIST training pixels on the [0, 1] scale.
        - "fit": subtract the mean and divide by the standard deviation of all
          pixels of the data passed to :meth:`fit`, on the [0, 1] scale.

    Attributes
    ----------
    mean_ : float
        The value subtracted from every scaled pixel: 0.0 when ``standardize``
        is None.

    std_ : float
        The value every centered pixel is divided by: 1.0 when ``standardize``
        is None. When the pixels seen in :meth:`fit` are all equal, their
        standard deviation of 0 is replaced by 1.0.

    sample_shape_ : tuple of int
        The shape of one sample seen in :meth:`fit`, e.g. ``(784,)`` for rows,
        ``(28, 28)`` for grey images or ``(1, 28, 28)`` for channel-first
        images. :meth:`transform` requires the same.

    n_features_in_ : int
        Number of pixels per sample seen in :meth:`fit`, the product of
        ``sample_shape_``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in :meth:`fit`. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    sklearn.preprocessing.MinMaxScaler : Scale each feature to a range learned
        from the data.
    sklearn.preprocessing.StandardScaler : Standardize each feature
        separately.

    Notes
    -----
    Unlike :class:`~sklearn.preprocessing.StandardScaler`, the statistics are
    shared by all pixels, so that background pixels, constant across the
    training set, are not blown up. In :meth:`fit` they are computed in
    float64 over batches of rows, so memory stays small next to the data.

    Pandas output (``set_output(transform="pandas")``) needs 2-D input; the
    columns are then named after the input's features, or ``x0``, ``x1``, ...
    for unnamed pixels.

    Examples
    --------
    >>> import numpy as np
    >>> from skmnist.preprocessing import PixelNormalizer
    >>> X = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    >>> normalizer = PixelNormalizer().fit(X)
    >>> normalizer.transform(X)
    array([[[0. , 1. ],
            [0.2, 0.4]]], dtype=float32)
    >>> normalizer.n_features_in_
    4
    >>> standardizer = PixelNormalizer(standardize="fit").fit(X)
    >>> round(standardizer.mean_, 4), round(standardizer.std_, 4)
    (0.4, 0.3742)
    >>> standardizer.transform(X).round(2)
    array([[[-1.07,  1.6 ],
            [-0.53,  0.  ]]], dtype=float32)
    """

    _parameter_constraints: dict = {
        "max_value": [Interval(Real, 0, None, closed="neither")],
        "standardize": [StrOptions({"mnist", "fit"}), None],
    }

    def __init__(self, max_value: float = 255.0, standardize: str | None = None):
        self.max_value = max_value
        self.standardize = standardize

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None) -> "PixelNormalizer":
        """Check the images and, with ``standardize="fit"``, learn their statistics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_pixels), \
                (n_samples, height, width) or (n_samples, channels, height, width)
            Images with pixel values in ``[0, max_value]``.

        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted normalizer.
        """
        X = self._validate_pixels(X, reset=True)
        self.sample_shape_ = X.shape[1:]
        self.n_features_in_ = prod(self.sample_shape_)
        if self.standardize is None:
            self.mean_, self.std_ = 0.0, 1.0
        elif self.standardize == "mnist":
            self.mean_, self.std_ = _MNIST_MEAN, _MNIST_STD
        elif self.standardize == "fit":
            mean, std = _pixel_mean_std(X)
            self.mean_ = mean / self.max_value
            self.std_ = std / self.max_value
            if self.std_ < np.finfo(np.float32).eps:
                self.std_ = 1.0
        return self

    def transform(self, X) -> np.ndarray:
        """Scale the images to [0, 1], then standardize them if asked.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_pixels), \
                (n_samples, height, width) or (n_samples, channels, height, width)
            Images with pixel values in ``[0, max_value]``, in the layout seen
            in :meth:`fit`.

        Returns
        -------
        X_out : ndarray of float32, same shape as X
            The normalized images: a new array, X is left untouched.
        """
        check_is_fitted(self)
        X = self._validate_pixels(X, reset=False)
        self._check_sample_shape(X)
        self._check_output_layout(X)
        out = np.divide(X, self.max_value, dtype=np.float32)
        if (self.mean_, self.std_) != (0.0, 1.0):
            out -= np.float32(self.mean_)
            out /= np.float32(self.std_)
        return out

    def _validate_pixels(self, X, *, reset: bool) -> np.ndarray:
        """Validate X as a 2-D, 3-D or 4-D array of pixels in [0, max_value]."""
        name = type(self).__name__
        X = validate_data(
            self,
            X,
            reset=reset,
            dtype="numeric",
            ensure_2d=False,
            allow_nd=True,
            ensure_all_finite=False,
        )
        if X.ndim not in (2, 3, 4):
            raise ValueError(
                f"{name} expects images as a 2-D array (n_samples, n_pixels), a "
                "3-D array (n_samples, height, width) or a 4-D array (n_samples, "
                f"channels, height, width); got a {X.ndim}-D array of shape "
                f"{X.shape}. Reshape your data, e.g. with X.reshape(1, -1) for a "
                "single flattened image."
            )
        if X.size == 0:
            raise ValueError(
                f"{name} got samples of shape {X.shape[1:]} holding no pixels; "
                "each sample needs at least one pixel."
            )
        low, high = X.min(), X.max()
        value_range = f"[0, {self.max_value:g}]"
        if np.isnan(low) or np.isnan(high):
            raise ValueError(
                f"{name} got NaN in X; pixel values must be finite numbers in "
                f"{value_range}. Impute the missing pixels or drop those images "
                "first."
            )
        if np.isinf(low) or np.isinf(high):
            raise ValueError(
                f"{name} got inf in X; pixel values must be finite numbers in "
                f"{value_range}. Drop or clip those images first."
            )
        if low < 0:
            raise ValueError(
                f"Negative values in data passed to {name}: got a minimum of "
                f"{float(low)}, but pixel values must lie in {value_range}. If "
                "your images are already centered or standardized, leave them "
                "out of the pipeline."
            )
        if high > self.max_value:
            raise ValueError(
                f"{name} expects pixel values in {value_range}; got a maximum of "
                f"{float(high)}. Set max_value to the largest value your pixels "
                "can take, for example max_value=65535 for 16-bit images."
            )
        return X

    def _check_sample_shape(self, X: np.ndarray) -> None:
        """Check that the samples of X have the shape seen in fit."""
        if X.shape[1:] == self.sample_shape_:
            return
        name = type(self).__name__
        if X.ndim == 2 and len(self.sample_shape_) == 1:
            raise ValueError(
                f"X has {X.shape[1]} features, but {name} is expecting "
                f"{self.n_features_in_} features as input."
            )
        raise ValueError(
            f"X has samples of shape {X.shape[1:]} ({prod(X.shape[1:])} pixels), "
            f"but {name} was fitted on samples of shape {self.sample_shape_} "
            f"({self.n_features_in_} pixels). Pass the images in the layout used "
            f"in fit, e.g. X.reshape(-1, {', '.join(map(str, self.sample_shape_))})."
        )

    def _check_output_layout(self, X: np.ndarray) -> None:
        """Check that X is 2-D when a DataFrame output is configured."""
        output = _get_output_config("transform", self)["dense"]
        if output != "default" and X.ndim != 2:
            raise ValueError(
                f"set_output(transform={output!r}) needs 2-D input of shape "
                f"(n_samples, n_pixels), but X has shape {X.shape}. Fit and "
                "transform flattened images, X.reshape(len(X), -1), or keep the "
                'NumPy output with set_output(transform="default").'
            )

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.positive_only = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


def _pixel_mean_std(X: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of all pixel values of X, in float64.

    The squared deviations are summed over batches of rows so that a uint8 or
    float32 X is never copied whole into float64.
    """
    flat = X.reshape(len(X), -1)
    mean = flat.mean(dtype=np.float64)
    sum_sq = sum(
        float(np.square(flat[batch] - mean).sum()) for batch in gen_batches(len(flat), _BATCH_ROWS)
    )
    return float(mean), sqrt(sum_sq / flat.size)
