"""The small sample of MNIST shipped with skmnist."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from pathlib import Path

from sklearn.utils import Bunch

from ._base import _FILE_STEMS, _as_bunch, _read_subset, _subset_parts
from ._idx import read_idx
from ._sources import _DESCR, _TARGET_NAMES

# Made by ``python -m tools.make_sample``: gzipped IDX files
# named as MNIST's.
_SAMPLE_DIR = Path(__file__).parent / "data"
_SAMPLE_SIZES = {"train": 3000, "test": 1000}
_SAMPLE_RANDOM_STATE = 0

_SAMPLE_DESCR = f"""\
MNIST sample
------------

A sample of the MNIST handwritten digits shipped with skmnist, for examples,
tests and quick experiments without a download: 3,000 images of the MNIST
training set and 1,000 of its test set, 28x28 pixels, uint8.

Each is a stratified random sample (class proportions as in the full set),
drawn with sklearn.model_selection.train_test_split(stratify=labels,
random_state={_SAMPLE_RANDOM_STATE}) by ``python -m tools.make_sample``, and
stored in that shuffled order, so that the first rows are a fair sample too.
Use fetch_mnist for the full data set.

{_DESCR["mnist"]}"""


def load_mnist_sample(
    *, subset: str = "train", return_X_y: bool = False, as_frame: bool = False
) -> Bunch | tuple:
    """Load the small sample of MNIST shipped with skmnist.

    3,000 images of the MNIST training set and 1,000 of its test set, each a
    stratified random sample (class proportions as in the full set) stored in
    shuffled order, not sorted by class. It needs no download and no data
    folder: use it for examples, tests and quick experiments, and
    :func:`fetch_mnist` for the full data set.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        The 3,000 training images, the 1,000 test images, or all 4,000,
        training images first.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame of uint8 pixel columns,
        ``target`` a Series, and the Bunch also holds ``frame``, the DataFrame
        of both.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes, laid out as
        :func:`fetch_mnist` returns them.

        data : ndarray of shape (n_samples, 784) of uint8, or DataFrame
            The images, flattened row by row; pixels 0 (background) to 255.
        images : ndarray of shape (n_samples, 28, 28) of uint8
            The images; the same memory as ``data`` (a view, not a copy).
        target : ndarray of shape (n_samples,) of int64, or Series
            The digits, 0 to 9.
        target_names : list of str
            ``"0"`` to ``"9"``.
        feature_names : list of str
            The pixels' names, ``"pixel1"`` to ``"pixel784"``.
        frame : DataFrame or None
            With ``as_frame=True``, the pixel columns and a ``"class"``
            column; else None.
        DESCR : str
            The sample's description and provenance.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        If ``subset`` is not valid.

    See Also
    --------
    fetch_mnist : The full MNIST data set.

    Examples
    --------
    >>> from skmnist.datasets import load_mnist_sample
    >>> sample = load_mnist_sample()
    >>> sample.data.shape, sample.images.shape, sample.data.dtype
    ((3000, 784), (3000, 28, 28), dtype('uint8'))
    >>> X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)
    >>> X_test.shape, y_test.shape
    ((1000, 784), (1000,))
    """
    parts = _subset_parts(subset)
    paths = {stem: _SAMPLE_DIR / f"{stem}.gz" for part in parts for stem in _FILE_STEMS[part]}
    images, target = _read_subset(parts, paths, lambda stem: read_idx(paths[stem]))
    return _as_bunch(
        images,
        target,
        target_names=list(_TARGET_NAMES["mnist"]),
        descr=_SAMPLE_DESCR,
        as_frame=as_frame,
        return_X_y=return_X_y,
    )
