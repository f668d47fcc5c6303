"""Preparing images of single digits the way MNIST's were: bright ink, cropped, scaled, centred."""

from numbers import Integral, Real

import numpy as np
from scipy import ndimage
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils import Tags
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

# scipy.ndimage.label's 8-connectivity: pixels touching by a corner belong together
_EIGHT_NEIGHBOURS = np.ones((3, 3), dtype=bool)


class DigitNormalizer(TransformerMixin, BaseEstimator):
    """Bring images of single digits to MNIST's convention, whatever their size and polarity.

    MNIST's digits are not raw pictures: each was scaled to fit a 20x20 box
    keeping its aspect ratio, anti-aliased, and centred by its centre of
    mass in a 28x28 field, bright ink on a black background. A model trained
    on them sees little else, and fails on a photo, a scan or a drawing
    that is not prepared the same way. This transformer prepares each image
    so, on its own:

    1. its contrast is stretched, and it is inverted when its background
       (the median of its border pixels) is light: ink bright on dark;
    2. the ink is what stands out by more than ``threshold`` of the
       contrast, with the fainter pixels that touch it (the strokes'
       anti-aliased edges); the rest (paper grain, noise, shading) becomes
       background, and ink regions smaller than ``speck_fraction`` of the
       largest (dust, specks) are removed;
    3. it is cropped to the ink's bounding box, scaled to fit a
       ``box_size`` square keeping its aspect ratio (Lanczos, anti-aliased),
       and placed in a ``field_size`` square with its centre of mass at the
       centre (shifted less where the box would leave the field).

    MNIST's own images come out nearly unchanged.

    Parameters
    ----------
    box_size : int, default=20
        The side of the square the digit is scaled to fit.
    field_size : int, default=28
        The side of the output images; at least ``box_size``.
    threshold : float, default=0.2
        The fraction of the contrast between background and ink above which
        a pixel is ink. Fainter pixels are background unless they touch ink.
    speck_fraction : float, default=0.01
        Ink regions (8-connected) smaller than this fraction of the largest
        are removed; 0 keeps them all.
    invert : {"auto"} or bool, default="auto"
        Whether to invert the images (dark ink on light paper to bright on
        dark): ``"auto"`` decides for each image from its border, True
        inverts all, False none.
    image_shape : tuple of (int, int) or None, default=None
        The (height, width) of the images when they come as flat rows of
        pixels. None reads rows of ``n`` pixels as square images, zero-padded
        at the end when ``n`` is not a square (as the estimators do).

    Attributes
    ----------
    n_features_in_ : int
        The pixels per row of the flat rows seen in :meth:`fit`; defined only
        when fit was given flat rows (rows of another length are then
        refused). Images given as a list or a 3-D array may have any size.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen in :meth:`fit`. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    skmnist.load_images : Read image files and folders.
    PixelNormalizer : Scale the prepared pixels to [0, 1] for the estimators.

    Notes
    -----
    The transformer is stateless: :meth:`transform` works without
    :meth:`fit`, and :meth:`fit` only checks the parameters and remembers the
    length of flat rows. It assumes one digit per image on a fairly even
    background; strong shading or a second object (a ruler, the paper's
    edge) is taken for ink.

    Examples
    --------
    >>> import numpy as np
    >>> from skmnist.preprocessing import DigitNormalizer
    >>> page = np.full((60, 90), 230, dtype=np.uint8)   # light paper
    >>> page[10:50, 30:36] = 20                          # a dark stroke: a "1"
    >>> rows = DigitNormalizer().transform([page])
    >>> rows.shape, rows.dtype
    ((1, 784), dtype('uint8'))
    >>> image = rows.reshape(28, 28)
    >>> ink = np.argwhere(image > 0)
    >>> ink.min(axis=0), ink.max(axis=0)   # 20 rows high, centred in 28x28
    (array([ 4, 13]), array([23, 15]))
    >>> int(image.max()), int(image[0, 0])
    (255, 0)

    It goes in a pipeline before :class:`PixelNormalizer` and an estimator,
    which then take images of any size:

    >>> from sklearn.pipeline import make_pipeline
    >>> from skmnist import LeNet5Classifier, PixelNormalizer, load_mnist_sample
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> model = make_pipeline(DigitNormalizer(), PixelNormalizer(),
    ...                       LeNet5Classifier(max_epochs=1, random_state=0))
    >>> model = model.fit(X[:1000], y[:1000])
    >>> model.predict([page]).shape
    (1,)
    """

    _parameter_constraints: dict = {
        "box_size": [Interval(Integral, 1, None, closed="left")],
        "field_size": [Interval(Integral, 1, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="left")],
        "speck_fraction": [Interval(Real, 0, 1, closed="both")],
        "invert": [StrOptions({"auto"}), "boolean"],
        "image_shape": [tuple, None],
    }

    def __init__(
        self,
        box_size: int = 20,
        field_size: int = 28,
        threshold: float = 0.2,
        speck_fraction: float = 0.01,
        invert: str | bool = "auto",
        image_shape: tuple[int, int] | None = None,
    ):
        self.box_size = box_size
        self.field_size = field_size
        self.threshold = threshold
        self.speck_fraction = speck_fraction
        self.invert = invert
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None) -> "DigitNormalizer":
        """Check the parameters and the images; remember the length of flat rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_pixels) or (n_samples, height, width), \
                or list of array-like of shape (height, width)
            Grey images: flat rows, a 3-D array, or a list of images of any
            sizes.

        y : None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        self._check_sizes()
        for attribute in ("n_features_in_", "feature_names_in_"):
            if hasattr(self, attribute):
                delattr(self, attribute)
        self._images(X, reset=True)
        return self

    def transform(self, X) -> np.ndarray:
        """Prepare each image the MNIST way.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_pixels) or (n_samples, height, width), \
                or list of array-like of shape (height, width)
            Grey images with finite pixel values of any scale (each image's
            contrast is stretched): flat rows, a 3-D array, or a list of
            images of any sizes.

        Returns
        -------
        X_out : ndarray of shape (n_samples, field_size * field_size), uint8
            The prepared images as flat rows of pixels, 0 to 255, bright ink
            on black.
        """
        self._validate_params()
        self._check_sizes()
        images = self._images(X, reset=False)
        out = np.zeros((len(images), self.field_size, self.field_size), dtype=np.uint8)
        for image, prepared in zip(images, out, strict=False):
            prepared[...] = self._prepare(image)
        return out.reshape(len(images), -1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The names of the output pixels: ``pixel1`` to ``pixel<field_size**2>``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored: the output pixels do not correspond to input features.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The pixels' names, as the data sets' ``feature_names``.
        """
        return np.asarray([f"pixel{i}" for i in range(1, self.field_size**2 + 1)], dtype=object)

    def _check_sizes(self) -> None:
        if self.field_size < self.box_size:
            raise ValueError(
                f"field_size={self.field_size} is smaller than box_size={self.box_size}: the "
                "digit is scaled to fit box_size, then placed in the field_size square."
            )
        shape = self.image_shape
        if shape is not None and not (
            len(shape) == 2 and all(isinstance(n, Integral) and n >= 1 for n in shape)
        ):
            raise ValueError(
                f"image_shape must be (height, width), two integers >= 1; got {shape!r}."
            )

    def _images(self, X, *, reset: bool) -> list[np.ndarray]:
        """The images of X, each a 2-D array in X's dtype (views where it can); validates X."""
        name = type(self).__name__
        if isinstance(X, (list, tuple)) and X and np.ndim(X[0]) >= 2:
            images = [np.asarray(image) for image in X]
            for i, image in enumerate(images):
                if image.ndim != 2:
                    raise ValueError(
                        f"{name} takes grey images as 2-D arrays (height, width); image {i} "
                        f"has shape {image.shape}. Convert colour images to grey first "
                        "(load_images does)."
                    )
                _check_pixels(image, f"image {i}", name)
            return images
        if getattr(X, "ndim", None) in (3, 4):
            X = np.asarray(X)
            if X.ndim == 4:
                if X.shape[1] != 1:
                    raise ValueError(
                        f"{name} takes grey images; got {X.shape[1]} channels (X of shape "
                        f"{X.shape}). Convert them to grey first (load_images does)."
                    )
                X = X[:, 0]
            _check_pixels(X, "X", name)
            if X.shape[0] == 0:
                raise ValueError(
                    f"{name} got 0 images (X of shape {X.shape}); it needs at least 1."
                )
            return list(X)
        X = validate_data(self, X, reset=reset, dtype="numeric")
        height, width = self.image_shape or _square(X.shape[1])
        if height * width < X.shape[1]:
            raise ValueError(
                f"image_shape={self.image_shape} holds {height * width} pixels, but the rows of X "
                f"have {X.shape[1]}."
            )
        if height * width > X.shape[1]:
            padded = np.zeros((len(X), height * width), dtype=X.dtype)
            padded[:, : X.shape[1]] = X
            X = padded
        return list(X.reshape(len(X), height, width))

    def _prepare(self, image: np.ndarray) -> np.ndarray:
        """One image as MNIST's: a (field_size, field_size) uint8 array."""
        ink = self._ink(image.astype(np.float64))
        field = np.zeros((self.field_size, self.field_size))
        if ink is None:
            return field.astype(np.uint8)
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        digit = _fit_box(ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], self.box_size)
        height, width = digit.shape
        centre_row, centre_col = ndimage.center_of_mass(digit)
        # MNIST's centre of mass sits at (14, 14) of 28x28: field_size / 2 in pixel indices
        top = _place(self.field_size / 2 - centre_row, height, self.field_size)
        left = _place(self.field_size / 2 - centre_col, width, self.field_size)
        field[top : top + height, left : left + width] = digit
        return np.rint(field * 255).astype(np.uint8)

    def _ink(self, image: np.ndarray) -> np.ndarray | None:
        """The ink in [0, 1], bright on dark, noise and specks removed; None for a blank image."""
        low, high = image.min(), image.max()
        if high == low:
            return None
        background = np.median(_border(image))
        invert = background > (low + high) / 2 if self.invert == "auto" else self.invert
        if invert:
            image, background = high + low - image, high + low - background
        level = np.clip((image - background) / (image.max() - background or 1.0), 0, 1)
        # the paper's grain: what the border's pixels vary by (a robust 3 sigma)
        border = _border(level)
        median = np.median(border)
        grain = median + 3 * 1.4826 * np.median(np.abs(border - median))
        level[level <= grain] = 0
        regions, n_regions = ndimage.label(
            level > max(self.threshold, grain), structure=_EIGHT_NEIGHBOURS
        )
        if n_regions == 0:
            return None
        sizes = np.bincount(regions.ravel())
        sizes[0] = 0
        kept = (sizes >= self.speck_fraction * sizes.max())[regions]
        # the strokes' faint, anti-aliased edges stay: the pixels next to the ink kept
        edges = ndimage.binary_dilation(kept, structure=_EIGHT_NEIGHBOURS)
        return np.where(edges, level, 0.0)

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = []
        return tags


def _check_pixels(X: np.ndarray, what: str, name: str) -> None:
    """Refuse non-numeric, empty or non-finite pixels."""
    if X.dtype.kind not in "biuf":
        raise ValueError(f"{name} takes numeric pixels; {what} has dtype {X.dtype}.")
    if X.size == 0:
        raise ValueError(f"{name} got {what} of shape {X.shape}, holding no pixels.")
    if X.dtype.kind == "f" and not np.isfinite(X).all():
        kind = "NaN" if np.isnan(X).any() else "infinity"
        raise ValueError(
            f"Input {what} contains {kind}; {name} takes finite pixel values. Impute or drop "
            "those images first."
        )


def _border(image: np.ndarray) -> np.ndarray:
    """The pixels of the image's frame, one pixel wide."""
    return np.concatenate([image[0], image[-1], image[1:-1, 0], image[1:-1, -1]])


def _square(n_pixels: int) -> tuple[int, int]:
    """The smallest square holding ``n_pixels``."""
    side = int(np.ceil(np.sqrt(n_pixels)))
    return side, side


def _fit_box(digit: np.ndarray, box_size: int) -> np.ndarray:
    """``digit`` scaled (anti-aliased) so that its longer side is ``box_size``."""
    from PIL import Image

    height, width = digit.shape
    scale = box_size / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(digit.astype(np.float32)).resize(size, Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized, dtype=np.float64), 0, 1)


def _place(shift: float, length: int, field: int) -> int:
    """Where a digit ``length`` long starts in a ``field``: ``shift`` rounded, kept inside."""
    return int(np.clip(np.rint(shift), 0, field - length))
