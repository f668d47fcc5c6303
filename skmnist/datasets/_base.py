"""The data home, and loading a folder of IDX files into a Bunch."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from ._idx import read_idx

# the parts a subset is made of, in order
_SUBSETS = {"train": ("train",), "test": ("test",), "all": ("train", "test")}
# part -> (images file, labels file), as named by the original publication
_FILE_STEMS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """Return the path of the skmnist data folder, creating it if missing.

    The fetchers look for (and download) each data set in a subfolder of it:
    ``mnist/``, ``fashion-mnist/`` and ``kmnist/``, each holding the four IDX
    files of its data set.

    By default the data folder is ``skmnist_data`` in the user's home folder.
    The ``SKMNIST_DATA`` environment variable, or else the ``data_home``
    argument, sets another one. A leading ``~`` is expanded to the user's
    home folder.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The data folder. If None, ``SKMNIST_DATA`` if it is set and not
        empty, else ``~/skmnist_data``.

    Returns
    -------
    data_home : pathlib.Path
        The data folder.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skmnist.datasets import get_data_home
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     home = get_data_home(Path(tmp) / "skmnist_data")
    ...     print(home.name, home.is_dir())
    skmnist_data True
    """
    if data_home is None:
        data_home = os.environ.get("SKMNIST_DATA") or Path("~", "skmnist_data")
    data_home = Path(data_home).expanduser()
    if data_home.exists() and not data_home.is_dir():
        raise NotADirectoryError(
            f"the data home {data_home} is a file, not a folder; point data_home (or "
            "SKMNIST_DATA) at a folder."
        )
    data_home.mkdir(parents=True, exist_ok=True)
    return data_home


def _subset_parts(subset: str) -> tuple[str, ...]:
    """The parts ("train", "test") a subset is made of; validates ``subset``."""
    if not isinstance(subset, str) or subset not in _SUBSETS:
        raise ValueError(f"subset must be 'train', 'test' or 'all', got {subset!r}")
    return _SUBSETS[subset]


def _spellings(stem: str) -> list[str]:
    """The names an IDX file is found under, e.g. for "train-images-idx3-ubyte".

    The original name and Kaggle's ("train-images.idx3-ubyte"), each gzipped
    or not.
    """
    kaggle = stem.replace("-idx", ".idx")
    return [f"{stem}.gz", stem, f"{kaggle}.gz", kaggle]


def _find_idx_files(folder: Path, stems: Sequence[str]) -> tuple[dict[str, Path], list[str]]:
    """Find the files in ``folder``: ({stem: path} found, [stem] missing)."""
    found, missing = {}, []
    for stem in stems:
        paths = (folder / name for name in _spellings(stem))
        path = next((path for path in paths if path.is_file()), None)
        if path is None:
            missing.append(stem)
        else:
            found[stem] = path
    return found, missing


def _searched(folder: Path, missing: Sequence[str]) -> str:
    """The paths searched for the missing files, one a line."""
    return "\n".join(f"  {folder / name}" for stem in missing for name in _spellings(stem))


def _read_subset(
    parts: Sequence[str],
    paths: dict[str, Path],
    read: Callable[[str], np.ndarray],
    n_classes: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Read and check the images and labels of each part; concatenate them.

    ``paths`` maps each file's stem to its path, ``read`` reads the file of a
    stem.

    Images must be 3-D, labels 1-D integers (in ``range(n_classes)`` if
    given), as many as the images; all parts' images must agree in size and
    dtype. Returns the images and the labels as int64.
    """
    images_parts: list[np.ndarray] = []
    labels_parts: list[np.ndarray] = []
    for part in parts:
        images_stem, labels_stem = _FILE_STEMS[part]
        images_path, labels_path = paths[images_stem], paths[labels_stem]
        images, labels = read(images_stem), read(labels_stem)
        if images.ndim != 3:
            raise ValueError(
                f"{images_path}: expected images, a 3-D array (n_images, rows, "
                f"columns), but it holds an array of shape {images.shape}; is it "
                "a labels file?"
            )
        if labels.ndim != 1 or labels.dtype.kind not in "iu":
            raise ValueError(
                f"{labels_path}: expected labels, a 1-D array of integers, but it "
                f"holds an array of shape {labels.shape} and dtype {labels.dtype}; "
                "is it an images file?"
            )
        if len(labels) != len(images):
            raise ValueError(
                f"{labels_path}: {len(labels)} labels, but {images_path} holds {len(images)} images"
            )
        if (
            n_classes is not None
            and len(labels)
            and not (labels.min() >= 0 and labels.max() < n_classes)
        ):
            raise ValueError(
                f"{labels_path}: labels range from {labels.min()} to "
                f"{labels.max()}, outside 0..{n_classes - 1} for {n_classes} classes"
            )
        if images_parts and (
            images.shape[1:] != images_parts[0].shape[1:] or images.dtype != images_parts[0].dtype
        ):
            raise ValueError(
                f"{images_path}: images of shape {images.shape[1:]} and dtype "
                f"{images.dtype}, but those of the {parts[0]} subset have shape "
                f"{images_parts[0].shape[1:]} and dtype {images_parts[0].dtype}"
            )
        images_parts.append(images)
        labels_parts.append(labels)
    if len(parts) == 1:
        return images_parts[0], labels_parts[0].astype(np.int64)
    return np.concatenate(images_parts), np.concatenate(labels_parts).astype(np.int64)


def _as_bunch(
    images: np.ndarray,
    target: np.ndarray,
    *,
    target_names: list[str],
    descr: str,
    as_frame: bool,
    return_X_y: bool,
) -> Bunch | tuple:
    """Assemble what a loader returns from the images and their labels.

    ``data`` is a flat view of ``images`` (no copy); with ``as_frame``, the
    frame is built on the same memory as far as pandas allows.
    """
    data = images.reshape(len(images), -1)
    feature_names = [f"pixel{i}" for i in range(1, data.shape[1] + 1)]
    frame = None
    if as_frame:
        frame = pd.DataFrame(data, columns=feature_names, copy=False)
        frame["class"] = target
        data, target = frame[feature_names], frame["class"]
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        images=images,
        target=target,
        target_names=target_names,
        feature_names=feature_names,
        frame=frame,
        DESCR=descr,
    )


def load_idx_folder(
    path: str | os.PathLike,
    *,
    subset: str = "train",
    return_X_y: bool = False,
    as_frame: bool = False,
    target_names: Sequence[str] | None = None,
) -> Bunch | tuple:
    """Load a folder holding the four IDX files of an MNIST-format data set.

    The folder must hold the files the subset needs, named as MNIST's:
    ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, or in Kaggle's
    spelling (``train-images.idx3-ubyte``, ...), each gzipped (``.gz``) or
    not. This fits Fashion-MNIST, KMNIST and any data set published like
    MNIST.

    The files' structure is checked (images 3-D, labels 1-D integers, as many
    labels as images), but not their contents: no checksum is known for an
    arbitrary data set. Use :func:`fetch_mnist`, :func:`fetch_fashion_mnist`
    or :func:`fetch_kmnist` to have those data sets verified.

    Parameters
    ----------
    path : str or path-like
        The folder.
    subset : {"train", "test", "all"}, default="train"
        Which files to load: the training set (``train-*``), the test set
        (``t10k-*``), or both, training set first.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame, ``target`` a Series and the
        Bunch also holds ``frame``, the DataFrame of both.
    target_names : sequence of str, default=None
        The name of each class, indexed by label; every label must lie in
        ``range(len(target_names))``. If None, the labels themselves as
        strings, ``"0"`` up to the largest label found, so that
        ``target_names[label]`` names every label, gaps included.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, rows * columns) or DataFrame
            The images, flattened, with the dtype of the file (uint8 for
            MNIST-format data).
        images : ndarray of shape (n_samples, rows, columns)
            The images; the same memory as ``data`` (a view, not a copy).
        target : ndarray of shape (n_samples,) of int64, or Series
            The labels.
        target_names : list of str
            The name of each class.
        feature_names : list of str
            The pixels' names, ``"pixel1"`` to ``"pixel<rows * columns>"``.
        frame : DataFrame or None
            With ``as_frame=True``, the pixel columns and a ``"class"``
            column; else None.
        DESCR : str
            A description of what was loaded.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If a file the subset needs is missing; the message lists the paths
        searched.
    ValueError
        If ``subset`` is not valid, or a file is not a valid IDX file or does
        not fit the others.

    See Also
    --------
    fetch_mnist : Load MNIST, verified, downloading it if missing.
    skmnist.datasets.read_idx : Read one IDX file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from skmnist.datasets import load_idx_folder, write_idx
    >>> rng = np.random.default_rng(0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     images = rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8)
    ...     write_idx(Path(tmp) / "train-images-idx3-ubyte.gz", images)
    ...     labels = np.array([0, 1, 2, 0, 1, 2], dtype=np.uint8)
    ...     write_idx(Path(tmp) / "train-labels-idx1-ubyte.gz", labels)
    ...     shapes = load_idx_folder(tmp, target_names=["cat", "dog", "owl"])
    >>> shapes.data.shape, shapes.images.shape, shapes.data.dtype
    ((6, 784), (6, 28, 28), dtype('uint8'))
    >>> [shapes.target_names[label] for label in shapes.target[:3]]
    ['cat', 'dog', 'owl']
    """
    parts = _subset_parts(subset)
    folder = Path(path)
    stems = [stem for part in parts for stem in _FILE_STEMS[part]]
    paths, missing = _find_idx_files(folder, stems)
    if missing:
        raise FileNotFoundError(
            f"{folder}: no IDX file found for {', '.join(missing)}; searched:\n"
            f"{_searched(folder, missing)}"
        )
    n_classes = None if target_names is None else len(target_names)
    images, target = _read_subset(parts, paths, lambda stem: read_idx(paths[stem]), n_classes)
    if target_names is None:
        target_names = [str(label) for label in range(int(target.max()) + 1)]
    descr = (
        f"IDX data set loaded from {folder} (subset={subset!r}): "
        f"{len(images)} images of {images.shape[1]}x{images.shape[2]} pixels."
    )
    return _as_bunch(
        images,
        target,
        target_names=list(target_names),
        descr=descr,
        as_frame=as_frame,
        return_X_y=return_X_y,
    )
