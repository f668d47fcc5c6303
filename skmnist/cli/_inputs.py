"""The inputs of ``skmnist predict``: image files and folders, IDX files and folders, .npy, CSV.

Each INPUT is read into one :class:`Batch`: the images (a list of 2-D arrays
of any sizes, a 3-D array, or, for rows whose length is not a square, a 2-D
array of flat rows), a name for each, and their labels when the input holds
them (an IDX labels file beside the images, a CSV's ``label`` column).
"""

import math
import re
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from sklearn.utils import Bunch

from ..datasets._idx import is_idx_file
from ._errors import UsageError

_PIXEL_COLUMN = re.compile(r"pixel(\d+)")
_LABEL_COLUMNS = ("label", "class")


class Batch(NamedTuple):
    """The images of one INPUT, a name for each, and their labels if known."""

    source: str
    names: list
    images: Any  # list of 2-D arrays, ndarray (n, h, w), or ndarray (n, n_pixels)
    labels: np.ndarray | None

    def shapes(self):
        """The (height, width) of each image; (n_pixels,) for flat rows."""
        if isinstance(self.images, list):
            return [image.shape for image in self.images]
        return [self.images.shape[1:]] * len(self.images)


def read(path, *, skip_unreadable=False, notice=print):
    """The :class:`Batch` of the INPUT ``path``; raises UsageError for what cannot be read."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"INPUT {str(path)!r}: no such file or folder")
    try:
        if path.is_dir():
            return _folder(path, skip_unreadable, notice)
        if path.suffix.lower() == ".npy":
            return _npy(path)
        if path.suffix.lower() == ".csv":
            return _csv(path)
        if is_idx_file(path):
            return _idx_file(path)
        return _image_files(path, skip_unreadable, notice)
    except (OSError, ValueError) as exc:
        message = " ".join(str(exc).split())
        raise UsageError(message if str(path) in message else f"{path}: {message}") from None


def _folder(folder, skip_unreadable, notice):
    """An IDX data set's folder (its test images, else its training images), or images."""
    from ..datasets import load_idx_folder
    from ..datasets._base import _FILE_STEMS, _find_idx_files

    for subset in ("test", "train"):
        found, _ = _find_idx_files(folder, [_FILE_STEMS[subset][0]])
        if found:
            data: Bunch = load_idx_folder(folder, subset=subset)
            return _arrays(folder, data.images, data.target)
    return _image_files(folder, skip_unreadable, notice)


def _image_files(path, skip_unreadable, notice):
    from ..datasets import load_images

    found = load_images(path, on_error="skip" if skip_unreadable else "raise")
    if found.skipped:
        notice(
            f"notice: skipped {len(found.skipped)} unreadable file"
            f"{'s' * (len(found.skipped) != 1)}: "
            + "; ".join(f"{name} ({why})" for name, why in found.skipped.items())
        )
    return Batch(str(path), found.filenames, found.images, None)


def _idx_file(path):
    """An IDX images file, with its labels file when one lies beside it."""
    from ..datasets import read_idx

    images = read_idx(path)
    if images.ndim != 3:
        raise ValueError(
            f"{path} holds an array of shape {images.shape}, not images "
            "(n_images, rows, columns); is it a labels file?"
        )
    labels = None
    name = path.name.replace("images", "labels").replace("idx3", "idx1")
    stem = name.removesuffix(".gz")
    for candidate in (path.with_name(stem + ".gz"), path.with_name(stem)):
        if candidate != path and "labels" in name and candidate.is_file():
            labels = read_idx(candidate)
            if labels.shape != (len(images),):
                raise ValueError(
                    f"{candidate} holds {labels.shape} labels for the "
                    f"{len(images)} images of {path}"
                )
            break
    return _arrays(path, images, labels)


def _npy(path):
    array = np.load(path, allow_pickle=False)
    if array.ndim == 4 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim not in (2, 3) or array.dtype.kind not in "biuf":
        raise ValueError(
            f"holds a {array.ndim}-D array of {array.dtype}; give numbers as images "
            "(n, height, width) or flat rows of pixels (n, n_pixels)"
        )
    return _arrays(path, array, None)


def _csv(path):
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"not a readable CSV file: {exc}") from None
    numbered = {
        int(m.group(1)): column
        for column in frame.columns
        if isinstance(column, str) and (m := _PIXEL_COLUMN.fullmatch(column))
    }
    if not numbered:
        raise ValueError(
            "no pixel columns: name them pixel0 ... pixel783 (as Kaggle's digit CSVs) or "
            "pixel1 ... pixel784, with an optional label column"
        )
    pixels = frame[[numbered[number] for number in sorted(numbered)]]
    if not all(pd.api.types.is_numeric_dtype(dtype) for dtype in pixels.dtypes):
        raise ValueError("its pixel columns hold values that are not numbers")
    if pixels.isna().any(axis=None):
        raise ValueError("its pixel columns have empty cells")
    label = next((column for column in _LABEL_COLUMNS if column in frame.columns), None)
    labels = None if label is None else frame[label].to_numpy()
    return _arrays(path, pixels.to_numpy(), labels)


def _arrays(source, array, labels):
    """A Batch of an array of images or flat rows; square rows become images."""
    if array.ndim == 2 and math.isqrt(array.shape[1]) ** 2 == array.shape[1]:
        side = math.isqrt(array.shape[1])
        array = array.reshape(len(array), side, side)
    if len(array) == 0:
        raise ValueError("holds no images")
    names = [f"{source}[{i}]" for i in range(len(array))]
    return Batch(str(source), names, array, labels)
