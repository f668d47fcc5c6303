"""The data's road to the network: ``X`` and ``y`` checked once, device tensors, batches.

``X`` is read as flat rows of pixels whatever its layout (flat rows, images,
images with channels, a DataFrame of pixel columns, a tensor); the layout of
one sample and the range of the pixels are returned with it, so that the
estimator can remember them and notice prediction input in another shape or
on another scale. ``y`` keeps the user's labels and is encoded as their
indices.

Sample weights (``sample_weight`` times the weights of ``class_weight``) are
checked and combined once, and travel with the samples as a third tensor.

The validated data is wrapped as a tensor without a copy and moved to the
device once, in its own dtype (uint8 stays uint8). Batches are cut by
indexing a permutation on the device; the cast to float, the reshape to
images and any augmentation happen per batch on the device
(:func:`prepare_batch`). When the data is larger than the device budget it
stays in host memory and each batch is moved on its own (the streaming path).
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import math
import numbers
import warnings

import numpy as np
import torch
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_consistent_length,
    column_or_1d,
    validate_data,
)

from .._layout import image_shape_from, to_images
from ._augment import augment_batch

# A warning raised here is about the call of fit or predict that reached it: this function,
# the estimator's step, its public method, the caller.
_CALLER = 4
#: The largest integer pixel: integer pixels are read as 0..MAX_PIXEL intensities and
#: divided by it.
MAX_PIXEL = 255
# Float pixels above this are taken for 0-255 intensities: images scaled to [0, 1], or
# standardised (about -0.4 to 2.8 for MNIST), stay far below it.
_LARGEST_SCALED_PIXEL = 10.0

# ---------------------------------------------------------------------------
# X


def check_X(estimator, X, *, reset):
    """``X`` validated once, as flat rows (a view where possible), and one sample's shape.

    scikit-learn's :func:`~sklearn.utils.validation.validate_data` checks it
    against ``estimator`` (``n_features_in_``, ``feature_names_in_``; set when
    ``reset``). Integer pixels stay integers, whatever holds them: pandas'
    nullable integer columns and object arrays of whole numbers included.
    """
    if isinstance(X, torch.Tensor):
        X = X.detach().cpu().numpy()
    elif isinstance(X, (list, tuple)):
        # an array-like without ``ndim`` (a list of images, say): its
        # dimensions decide the path below, as an array's would
        X = np.asarray(X)
    _check_columns(X)
    integer_dtype = _integer_dtype(X)
    if getattr(X, "ndim", 2) > 2:
        X = check_array(X, allow_nd=True, dtype="numeric", estimator=estimator, input_name="X")
        sample_shape = X.shape[1:]
        X = X.reshape(len(X), -1)
        validate_data(estimator, X, reset=reset, skip_check_array=True)
    else:
        X = validate_data(estimator, X, reset=reset, dtype="numeric")
        sample_shape = X.shape[1:]
    if integer_dtype is not None and X.dtype.kind == "f":
        # finite by now: back to the integer pixels the input held
        X = X.astype(integer_dtype)
    return X, sample_shape


def _integer_dtype(X):
    """The integer dtype of pixels that validation would turn into floats, else None.

    scikit-learn's validation turns pandas' nullable integer columns
    ("Int64", "UInt8", ...) and object arrays into float64; their 0-255
    integers are read as integer pixels instead, as a NumPy integer array's are.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "__iter__"):
        from pandas.api.types import is_extension_array_dtype, is_integer_dtype

        dtypes = list(dtypes)
        if dtypes and all(is_integer_dtype(d) for d in dtypes):
            if any(is_extension_array_dtype(d) for d in dtypes):
                return np.result_type(*(getattr(d, "numpy_dtype", d) for d in dtypes))
        return None
    if getattr(X, "dtype", None) is not None and X.dtype.kind == "O" and X.size:
        values = X.ravel()
        if all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values):
            return np.int64
    return None


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


def image_shape(sample_shape, *, native_shape, name):
    """(channels, height, width) the samples of ``sample_shape`` are read as."""
    return image_shape_from(
        sample_shape,
        min_size=None if native_shape is None else native_shape[1:],
        name=name,
    )


def check_image_shape(sample_shape, fitted_shape, *, name):
    """Refuse images of another shape than those ``name`` was fitted on.

    Flat rows are read in the fitted shape; images given with their height and
    width must have it (a (14, 56) image has 784 pixels too, but is no 28x28
    digit).
    """
    if len(sample_shape) < 2:
        return
    shape = image_shape_from(sample_shape)
    if shape != tuple(fitted_shape):
        raise ValueError(
            f"X holds images of shape {_shape(shape)}, but {name} was fitted on images of "
            f"shape {_shape(fitted_shape)}. Resize the images to "
            f"{fitted_shape[1]}x{fitted_shape[2]}, or pass flat rows to read them in that "
            "shape."
        )


def _shape(shape):
    c, h, w = shape
    return f"{h}x{w}" if c == 1 else f"{c}x{h}x{w}"


def pixel_range(X, *, fitting):
    """(lowest, highest) pixel of flat rows ``X`` as the network reads them, or None.

    Integer pixels are read as 0-255 intensities (divided by 255); floats as
    given. Warns about integers outside 0-255, and, when ``fitting``, about
    floats that look like 0-255 intensities.
    """
    if X.size == 0:
        return None
    lo, hi = float(X.min()), float(X.max())
    if X.dtype.kind in "iu":
        if lo < 0 or hi > MAX_PIXEL:
            warnings.warn(
                f"X holds integer pixels from {lo:g} to {hi:g}, outside 0-255; integer pixels "
                "are read as 0-255 intensities (divided by 255). Rescale them to 0-255, or "
                "pass floats, which are used as given.",
                UserWarning,
                stacklevel=_CALLER,
            )
        return lo / MAX_PIXEL, hi / MAX_PIXEL
    if fitting and hi > _LARGEST_SCALED_PIXEL:
        warnings.warn(
            f"X holds float pixels from {lo:g} to {hi:g}: floats are used as given, so the "
            "network trains on values that large, which it learns badly. Divide 0-255 "
            "floats by 255 (or use skmnist.PixelNormalizer), or pass uint8 images, which "
            "are scaled on the device.",
            UserWarning,
            stacklevel=_CALLER,
        )
    return lo, hi


def check_pixel_scale(pixel_range, fitted_range):
    """Warn when pixels lie far outside the range the network was trained on."""
    if fitted_range is None or pixel_range is None:
        return
    (lo, hi), (fitted_lo, fitted_hi) = pixel_range, fitted_range
    span = max(fitted_hi - fitted_lo, 1e-12)
    if hi > fitted_hi + span or lo < fitted_lo - span:
        warnings.warn(
            f"X's pixels range from {lo:.4g} to {hi:.4g} as the network reads them, but "
            f"its training pixels ranged from {fitted_lo:.4g} to {fitted_hi:.4g}: "
            "predictions for pixels on another scale are unreliable. Scale X as the "
            "training data was (X / 255 for 0-255 floats after training on uint8 images "
            "or on 0-1 floats, say), or pass uint8 images, which are read as 0-255.",
            UserWarning,
            stacklevel=_CALLER,
        )


# ---------------------------------------------------------------------------
# y


def check_y(y, n_samples, *, name):
    """``y`` as a 1-d array of ``n_samples`` classification labels of one kind."""
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    y = column_or_1d(y, warn=True)
    check_consistent_length(np.empty(n_samples), y)
    _check_label_kinds(y)
    check_classification_targets(y)
    return y


def _check_label_kinds(y):
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


def class_labels(y, classes, *, name):
    """The sorted labels to learn: ``classes`` if given, else those of ``y``; two or more."""
    labels = np.unique(y if classes is None else np.asarray(classes))
    if len(labels) < 2:
        raise ValueError(
            f"{name} needs samples of at least 2 classes; y holds only one class: {labels[0]!r}."
        )
    return labels


def encode_labels(y, classes):
    """``y`` as indices into the sorted ``classes``; a ValueError names labels not among them."""
    encoded = np.searchsorted(classes, y)
    unknown = (encoded >= len(classes)) | (classes[np.minimum(encoded, len(classes) - 1)] != y)
    if unknown.any():
        raise ValueError(
            f"y contains labels not among classes_ {classes.tolist()}: "
            f"{np.unique(y[unknown]).tolist()}."
        )
    return encoded


# ---------------------------------------------------------------------------
# Sample weights


def sample_weights(sample_weight, class_weight, y, classes, *, partial=False):
    """Each sample's weight in the loss: ``sample_weight`` times its class's weight.

    ``sample_weight`` is checked as scikit-learn checks it (one finite,
    non-negative number per sample, or one number for all); ``class_weight``
    is the estimator's parameter, None, ``"balanced"`` or a dict from the
    user's labels to weights, resolved on ``y`` by scikit-learn's
    :func:`~sklearn.utils.class_weight.compute_sample_weight`. With
    ``partial`` (``partial_fit``), ``"balanced"`` is refused: one call's
    labels do not tell how rare each class is.

    Returns None when every sample weighs the same, since a weighted mean
    with equal weights is the plain mean: the network trains exactly as
    without weights.
    """
    n_samples = len(y)
    weights = None
    if sample_weight is not None:
        weights = _check_sample_weight(
            sample_weight, np.empty((n_samples, 0)), dtype=np.float64, ensure_non_negative=True
        )
    if class_weight is not None:
        if partial and isinstance(class_weight, str):
            raise ValueError(
                'class_weight="balanced" is not supported by partial_fit: the labels of one '
                "call do not tell how rare each class is. Pass the weights of all the data "
                "as a dict, e.g. class_weight=dict(zip(classes, sklearn.utils."
                'compute_class_weight("balanced", classes=classes, y=y_all))).'
            )
        by_class = _class_weights(class_weight, y, classes)
        weights = by_class if weights is None else weights * by_class
    if weights is None or n_samples == 0:
        return None
    if not weights.sum() > 0:
        raise ValueError(
            f"Every one of the {n_samples} samples has weight 0 (sample_weight times the "
            "weights of class_weight): there is nothing to learn from. Give some samples a "
            "positive weight."
        )
    return None if (weights == weights[0]).all() else weights


def _class_weights(class_weight, y, classes):
    """Each sample's weight under ``class_weight``, checked against ``classes``."""
    if isinstance(class_weight, dict):
        unknown = [label for label in class_weight if not np.isin(label, classes).item()]
        if unknown:
            raise ValueError(
                f"class_weight names labels that are not classes: {unknown}; the classes "
                f"are {classes.tolist()}."
            )
        values = list(class_weight.values())
        if not all(isinstance(v, numbers.Real) and _finite_non_negative(v) for v in values):
            raise ValueError(f"class_weight's weights must be finite numbers >= 0; got {values}.")
    return compute_sample_weight(class_weight, y)


def _finite_non_negative(value):
    return math.isfinite(value) and value >= 0


# ---------------------------------------------------------------------------
# Device tensors and batches


class DeviceData(torch.utils.data.Dataset):
    """Validated ``X`` (and encoded ``y``, and weights) as tensors, on ``device`` when
    they fit.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Flat, validated samples of any real dtype; wrapped without a copy.
    y : ndarray of shape (n_samples,) or None
        Encoded labels (``0 .. n_classes - 1``).
    weights : ndarray of shape (n_samples,) or None
        Each sample's weight in the loss (:func:`sample_weights`); None when
        all samples weigh the same.
    device : torch.device
        Where batches are computed.
    budget_bytes : float
        Largest ``X`` copied to ``device`` at once; larger inputs stream.
    """

    def __init__(self, X, y=None, weights=None, *, device, budget_bytes=math.inf):
        self.device = torch.device(device)
        X = _as_tensor(X)
        self.resident = X.nbytes <= budget_bytes
        #: where the samples, labels and indices are kept: the device, or the
        #: host for streamed data (batches are gathered there, then moved)
        self.home = self.device if self.resident else torch.device("cpu")
        self.X = X.to(self.home)
        self.y = None if y is None else torch.as_tensor(y, dtype=torch.long).to(self.home)
        self.weights = (
            None if weights is None else torch.as_tensor(weights, dtype=torch.float32).to(self.home)
        )
        self.indices = None

    def __len__(self):
        return len(self.X) if self.indices is None else len(self.indices)

    def __getitem__(self, i):
        # A torch ``DataLoader`` given this dataset still works, sample by sample.
        i = i if self.indices is None else int(self.indices[i])
        return self.X[i], (torch.tensor(-1) if self.y is None else self.y[i])

    def subset(self, indices):
        """A view of the samples at ``indices``: the tensors are shared, not copied."""
        view = object.__new__(DeviceData)
        view.__dict__.update(self.__dict__)
        view.indices = torch.as_tensor(indices, dtype=torch.long, device=self.home)
        return view

    def labels(self):
        """The encoded labels of the samples, as a NumPy array (None without labels)."""
        if self.y is None:
            return None
        return (self.y if self.indices is None else self.y[self.indices]).cpu().numpy()

    def batch(self, rows):
        """``(X, y)`` of the samples at positions ``rows`` on the device, and their
        weights as a third tensor when the samples have weights.

        ``rows`` is a slice or an index tensor on :attr:`home`. Streamed
        batches are gathered on the host, pinned when they go to a GPU, and
        copied without making the host wait for the device.
        """
        if self.indices is not None:
            rows = self.indices[rows]
        parts = [self.X[rows], None if self.y is None else self.y[rows]]
        if self.weights is not None:
            parts.append(self.weights[rows])
        if not self.resident:
            parts = [None if t is None else _to_device(t, self.device) for t in parts]
        return tuple(parts)


def _to_device(tensor, device):
    if device.type == "cuda":
        tensor = tensor.pin_memory()
    return tensor.to(device, non_blocking=True)


class DeviceBatches:
    """Iterate over a :class:`DeviceData` in batches, shuffled when training.

    ``prepare(X_batch)`` turns raw batch rows into module input. Each batch is
    ``(X, y)``, or ``(X, y, weights)`` for weighted samples.
    """

    def __init__(self, dataset, batch_size, *, shuffle=False, generator=None, prepare=None):
        self.dataset = dataset
        self.batch_size = len(dataset) if batch_size == -1 else batch_size
        self.shuffle = shuffle
        self.generator = generator
        self.prepare = prepare

    def __len__(self):
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = None
        if self.shuffle:
            device = self.generator.device if self.generator is not None else self.dataset.device
            order = torch.randperm(n, generator=self.generator, device=device)
            # one transfer per epoch, if any: streamed batches are gathered on the host
            order = order.to(self.dataset.home)
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            rows = slice(start, stop) if order is None else order[start:stop]
            Xb, *rest = self.dataset.batch(rows)
            if self.prepare is not None:
                Xb = self.prepare(Xb)
            yield Xb, *rest


def prepare_batch(Xb, *, image_shape, frame, flat, augment=None, generator=None):
    """Raw batch rows as module input, on their device: cast, reshape, frame, augment.

    Parameters
    ----------
    Xb : torch.Tensor of shape (n, n_features)
        Rows of pixels, of any real dtype.
    image_shape : tuple of int
        (channels, height, width) the rows are read as.
    frame : tuple of int
        (height, width) the images are centred in.
    flat : bool
        Whether the module takes flat rows (unless augmented, they stay rows).
    augment : dict or None
        Augmentation settings (:func:`~skmnist.estimators.resolve_augment`).
    generator : torch.Generator or None
        Where the augmentation draws its random numbers.
    """
    x = to_float(Xb)
    if flat and augment is None:
        return x.reshape(x.shape[0], -1)  # shape[0]: symbolic when exported
    x = to_images(x, image_shape, frame)
    if augment is not None:
        x = augment_batch(x, augment, generator)
    return x


def to_float(Xb):
    """A batch as float32; integer input is read as 0-255 pixels and scaled to [0, 1]."""
    x = Xb.to(torch.float32)
    if not (Xb.dtype.is_floating_point or Xb.dtype == torch.bool):
        # a cast, then the product in place: on the CPU, torch's one-kernel product of
        # integers and a float (type promotion) is much slower on large batches
        x = x.mul_(1.0 / MAX_PIXEL)
    return x


def _as_tensor(X):
    """Wrap a validated array as a CPU tensor, sharing its memory where possible."""
    if isinstance(X, torch.Tensor):
        return X
    X = np.asarray(X)
    if X.dtype.kind == "u" and X.dtype.itemsize > 1:
        X = X.astype(np.int64)  # torch has no arithmetic on uint16/32/64
    if not X.dtype.isnative:
        X = X.astype(X.dtype.newbyteorder("="))
    X = np.ascontiguousarray(X)
    with warnings.catch_warnings():
        # read-only input (a memmap, say) is only ever read here
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.from_numpy(X)
