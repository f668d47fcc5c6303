"""Fetchers for MNIST, Fashion-MNIST and KMNIST: local, verified, else downloaded."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import hashlib
import os
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.utils import Bunch

from ._base import (
    _FILE_STEMS,
    _as_bunch,
    _find_idx_files,
    _read_subset,
    _searched,
    _subset_parts,
    get_data_home,
)
from ._download import _fetch_remote
from ._idx import _is_gzip, _read_idx


class _Checksums(NamedTuple):
    """What a file of a data set is verified against."""

    gz_md5: str  # MD5 of the .gz file as originally published
    content_sha256: str | None  # SHA-256 of the decompressed contents, if known


# Base URLs the .gz files are downloaded from, tried in order.
_MIRRORS = {
    "mnist": (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    "fashion-mnist": ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
    "kmnist": ("http://codh.rois.ac.jp/kmnist/dataset/kmnist/",),
}

# The .gz MD5s are those each data set publishes. Only MNIST's decompressed
# contents have a known SHA-256 (the decompressed bytes of the original .gz).
_CHECKSUMS = {
    "mnist": {
        "train-images-idx3-ubyte": _Checksums(
            "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ),
        "train-labels-idx1-ubyte": _Checksums(
            "d53e105ee54ea40749a09fcbcd1e9432",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ),
        "t10k-images-idx3-ubyte": _Checksums(
            "9fb629c4189551a2d022fa330f9573f3",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ),
        "t10k-labels-idx1-ubyte": _Checksums(
            "ec29112dd5afa0611ce80d1b7f02629c",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ),
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte": _Checksums("8d4fb7e6c68d591d4c3dfef9ec88bf0d", None),
        "train-labels-idx1-ubyte": _Checksums("25c81989df183df01b3e8a0aad5dffbe", None),
        "t10k-images-idx3-ubyte": _Checksums("bef4ecab320f06d8554ea6380940ec79", None),
        "t10k-labels-idx1-ubyte": _Checksums("bb300cfdad3c16e7a12a480ee83cd310", None),
    },
    "kmnist": {
        "train-images-idx3-ubyte": _Checksums("bdb82020997e1d708af4cf47b453dcf7", None),
        "train-labels-idx1-ubyte": _Checksums("e144d726b3acfaa3e44228e80efcd344", None),
        "t10k-images-idx3-ubyte": _Checksums("5c965bf0a639b31b8f53240b1b52f4d7", None),
        "t10k-labels-idx1-ubyte": _Checksums("7320c461ea6c1c855c0b718fb2a4b134", None),
    },
}

_TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "kmnist": "KMNIST"}

_TARGET_NAMES = {
    "mnist": [str(digit) for digit in range(10)],
    "fashion-mnist": [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ],
    "kmnist": ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
}

_MNIST_CITATION = """\
Y. LeCun, L. Bottou, Y. Bengio and P. Haffner. "Gradient-based learning
applied to document recognition." Proceedings of the IEEE, 86(11):2278-2324,
November 1998."""

_DESCR = {
    "mnist": f"""\
MNIST handwritten digits
------------------------

70,000 grayscale images of handwritten digits, 28x28 pixels (0 = background,
255 = ink), in 10 classes (0 to 9): 60,000 for training (train-*, written by
about 250 writers) and 10,000 for testing (t10k-*, by other writers).

Source: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, The MNIST
database of handwritten digits, http://yann.lecun.com/exdb/mnist/, built from
NIST Special Databases 1 and 3. License: CC BY-SA 3.0.

Citation:
{_MNIST_CITATION}
""",
    "fashion-mnist": """\
Fashion-MNIST
-------------

70,000 grayscale images of Zalando articles of clothing, 28x28 pixels, in 10
classes (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker,
Bag, Ankle boot): 60,000 for training and 10,000 for testing. A drop-in
replacement for MNIST, harder to classify.

Source: Zalando Research, https://github.com/zalandoresearch/fashion-mnist.
License: MIT.

Citation:
H. Xiao, K. Rasul and R. Vollgraf. "Fashion-MNIST: a Novel Image Dataset for
Benchmarking Machine Learning Algorithms." arXiv:1708.07747, 2017.
""",
    "kmnist": """\
Kuzushiji-MNIST (KMNIST)
------------------------

70,000 grayscale images of cursive Japanese (Kuzushiji) characters, 28x28
pixels, in 10 classes, one for each row of hiragana (o, ki, su, tsu, na, ha,
ma, ya, re, wo): 60,000 for training and 10,000 for testing.

Source: ROIS-DS Center for Open Data in the Humanities (CODH),
http://codh.rois.ac.jp/kmnist/. "KMNIST Dataset" (created by CODH), adapted
from "Kuzushiji Dataset" (created by NIJL and others), doi:10.20676/00000341.
License: CC BY-SA 4.0.

Citation:
T. Clanuwat, M. Bober-Irizar, A. Kitamoto, A. Lamb, K. Yamamoto and D. Ha.
"Deep Learning for Classical Japanese Literature." arXiv:1812.01718, 2018.
""",
}


def _read_verified(path: Path, expected: _Checksums, title: str) -> np.ndarray:
    """Read an IDX file, verifying it while it is read.

    By the SHA-256 of its decompressed contents where known, else by the MD5
    of the file if it is gzipped; else warn that only its structure can be
    checked.
    """
    if expected.content_sha256 is not None:
        hasher = hashlib.sha256()
        array = _read_idx(path, content_hasher=hasher)
        what, want = "SHA-256 of the decompressed contents", expected.content_sha256
    elif _is_gzip(path):
        hasher = hashlib.md5(usedforsecurity=False)
        array = _read_idx(path, file_hasher=hasher)
        what, want = "MD5 of the published .gz file", expected.gz_md5
    else:
        warnings.warn(
            f"{path}: {title} publishes checksums of its .gz files only, so this "
            "uncompressed file cannot be verified: only its structure is checked. "
            "Keep the original .gz file to have it verified.",
            UserWarning,
            # at the caller of fetch_*, through _fetch, _read_subset and its read
            stacklevel=6,
        )
        return _read_idx(path)
    if hasher.hexdigest() != want:
        raise ValueError(
            f"{path}: checksum mismatch: expected {what} {want}, got "
            f"{hasher.hexdigest()}. The file is damaged or not the {title} file "
            "it is named after: delete it and fetch again to download it anew "
            "(or put a good copy in its place)."
        )
    return array


def _mirrors(name: str, mirrors) -> tuple[str, ...]:
    """Base URLs for data set ``name``: the user's (``mirrors`` or ``SKMNIST_MIRRORS``) first."""
    if mirrors is None:
        mirrors = os.environ.get("SKMNIST_MIRRORS", "")
    if isinstance(mirrors, (str, os.PathLike)):
        mirrors = str(mirrors).split()
    given = []
    for mirror in map(str, mirrors):
        if "://" not in mirror:  # a local folder
            mirror = Path(mirror).expanduser().resolve().as_uri()
        given.append(f"{mirror.rstrip('/')}/{name}/")
    return (*given, *_MIRRORS[name])


def _fetch(
    name: str,
    *,
    data_home: str | os.PathLike | None,
    subset: str,
    return_X_y: bool,
    as_frame: bool,
    download_if_missing: bool,
    mirrors: str | os.PathLike | list | None = None,
) -> Bunch | tuple:
    """Load data set ``name`` from ``<data_home>/<name>/``, downloading if allowed."""
    parts = _subset_parts(subset)
    title = _TITLES[name]
    folder = get_data_home(data_home) / name
    checksums = _CHECKSUMS[name]
    stems = [stem for part in parts for stem in _FILE_STEMS[part]]
    paths, missing = _find_idx_files(folder, stems)
    if missing and not download_if_missing:
        raise FileNotFoundError(
            f"{title} not found and download_if_missing=False; searched:\n"
            f"{_searched(folder, missing)}\n"
            f"Put the four {title} IDX files (gzipped or not) in {folder}{os.sep}, "
            f"or set SKMNIST_DATA to a folder holding {name}{os.sep}, or pass "
            "download_if_missing=True."
        )
    for stem in missing:
        paths[stem] = _fetch_remote(
            f"{stem}.gz", _mirrors(name, mirrors), folder, md5=checksums[stem].gz_md5
        )

    target_names = _TARGET_NAMES[name]
    images, target = _read_subset(
        parts,
        paths,
        lambda stem: _read_verified(paths[stem], checksums[stem], title),
        len(target_names),
    )
    return _as_bunch(
        images,
        target,
        target_names=list(target_names),
        descr=_DESCR[name],
        as_frame=as_frame,
        return_X_y=return_X_y,
    )


def fetch_mnist(
    *,
    data_home: str | os.PathLike | None = None,
    subset: str = "train",
    return_X_y: bool = False,
    as_frame: bool = False,
    download_if_missing: bool = True,
    mirrors: str | os.PathLike | list | None = None,
) -> Bunch | tuple:
    """Load the MNIST data set, verified, downloading it if missing.

    70,000 grayscale images of handwritten digits, 28x28 pixels, in 10
    classes: 60,000 for training and 10,000 for testing (LeCun, Cortes and
    Burges; CC BY-SA 3.0). The full training set takes 47 MB, kept uint8.

    The four IDX files are looked for in ``<data_home>/mnist/``
    (see :func:`~skmnist.datasets.get_data_home`), under their original names
    (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``) or Kaggle's
    (``train-images.idx3-ubyte``, ...), each gzipped (``.gz``) or not. Only
    the files the subset needs are read, or downloaded if missing.

    Each file is verified while it is read, in the same pass over its bytes.
    MNIST files are verified by the SHA-256 of their decompressed contents,
    so the original ``.gz`` files, re-compressed copies and uncompressed
    files are all verified. A file that fails verification raises an error
    that says to delete it.
    Files downloaded are verified by the MD5 of the published ``.gz`` as they
    arrive, and moved into place only when complete and correct.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The data folder; if None, ``SKMNIST_DATA`` or else ``~/skmnist_data``.
    subset : {"train", "test", "all"}, default="train"
        The 60,000 training images, the 10,000 test images, or all 70,000,
        training images first.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame of uint8 pixel columns,
        ``target`` a Series, and the Bunch also holds ``frame``, the DataFrame
        of both (as :func:`sklearn.datasets.fetch_openml` returns them).
    download_if_missing : bool, default=True
        If False, raise a :class:`FileNotFoundError` instead of downloading
        missing files.
    mirrors : str, path-like or list of them, default=None
        Where to download from before the built-in mirrors: base URLs or
        local folders in the data home's layout (``<mirror>/<data set>/``
        holding the ``.gz`` files), a list or one string separated by
        spaces. None reads ``SKMNIST_MIRRORS``. Checksums are verified
        whatever the source.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 784) of uint8, or DataFrame
            The images, flattened row by row; pixels 0 (background) to 255.
        images : ndarray of shape (n_samples, 28, 28) of uint8
            The images; the same memory as ``data`` (a view, not a copy).
        target : ndarray of shape (n_samples,) of int64, or Series
            The labels, 0 to 9.
        target_names : list of str
            The class names, indexed by label: ``"0"`` to ``"9"``.
        feature_names : list of str
            The pixels' names, ``"pixel1"`` to ``"pixel784"`` (as on OpenML).
        frame : DataFrame or None
            With ``as_frame=True``, the pixel columns and a ``"class"`` column;
            else None.
        DESCR : str
            The data set's description: source, license, sizes, citation.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If files are missing and ``download_if_missing`` is False; the message
        lists every path searched.
    OSError
        If a missing file could not be downloaded from any mirror; the message
        lists each URL tried and why it failed.
    ValueError
        If ``subset`` is not valid, or a file is not a valid IDX file, does not
        fit the others, or fails verification.

    See Also
    --------
    load_mnist_sample : A small sample of MNIST shipped with skmnist.
    load_idx_folder : Load any folder of MNIST-format IDX files, unverified.

    Examples
    --------
    Without the files and without downloading, the error says where to put
    them:

    >>> import tempfile
    >>> from skmnist.datasets import fetch_mnist
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +ELLIPSIS
    ...     fetch_mnist(data_home=tmp, download_if_missing=False)
    Traceback (most recent call last):
        ...
    FileNotFoundError: MNIST not found and download_if_missing=False;...

    With the data (downloaded on first use):

    >>> mnist = fetch_mnist(subset="test")  # doctest: +SKIP
    >>> mnist.data.shape, mnist.images.shape, mnist.data.dtype  # doctest: +SKIP
    ((10000, 784), (10000, 28, 28), dtype('uint8'))
    >>> X, y = fetch_mnist(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((60000, 784), (60000,))
    """
    return _fetch(
        "mnist",
        data_home=data_home,
        subset=subset,
        return_X_y=return_X_y,
        as_frame=as_frame,
        download_if_missing=download_if_missing,
        mirrors=mirrors,
    )


def fetch_fashion_mnist(
    *,
    data_home: str | os.PathLike | None = None,
    subset: str = "train",
    return_X_y: bool = False,
    as_frame: bool = False,
    download_if_missing: bool = True,
    mirrors: str | os.PathLike | list | None = None,
) -> Bunch | tuple:
    """Load the Fashion-MNIST data set, verified, downloading it if missing.

    70,000 grayscale images of Zalando articles, 28x28 pixels, in 10
    classes: 60,000 for training and 10,000 for testing (Xiao, Rasul and
    Vollgraf; MIT license).

    The four IDX files are looked for in ``<data_home>/fashion-mnist/``
    (see :func:`~skmnist.datasets.get_data_home`), under their original names
    (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``) or Kaggle's
    (``train-images.idx3-ubyte``, ...), each gzipped (``.gz``) or not. Only
    the files the subset needs are read, or downloaded if missing.

    Each file is verified while it is read, in the same pass over its bytes.
    Fashion-MNIST publishes the MD5 of its ``.gz`` files only, so a gzipped file
    is verified by its MD5 (a re-compressed copy fails, even with the right
    contents) and an uncompressed file cannot be verified: it gets a warning
    and structural checks only (images 3-D, labels 1-D integers from 0 to 9,
    as many labels as images). A file that fails verification raises an
    error that says to delete it.
    Files downloaded are verified by the MD5 of the published ``.gz`` as they
    arrive, and moved into place only when complete and correct.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The data folder; if None, ``SKMNIST_DATA`` or else ``~/skmnist_data``.
    subset : {"train", "test", "all"}, default="train"
        The 60,000 training images, the 10,000 test images, or all 70,000,
        training images first.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame of uint8 pixel columns,
        ``target`` a Series, and the Bunch also holds ``frame``, the DataFrame
        of both (as :func:`sklearn.datasets.fetch_openml` returns them).
    download_if_missing : bool, default=True
        If False, raise a :class:`FileNotFoundError` instead of downloading
        missing files.
    mirrors : str, path-like or list of them, default=None
        Where to download from before the built-in mirrors: base URLs or
        local folders in the data home's layout (``<mirror>/<data set>/``
        holding the ``.gz`` files), a list or one string separated by
        spaces. None reads ``SKMNIST_MIRRORS``. Checksums are verified
        whatever the source.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 784) of uint8, or DataFrame
            The images, flattened row by row; pixels 0 (background) to 255.
        images : ndarray of shape (n_samples, 28, 28) of uint8
            The images; the same memory as ``data`` (a view, not a copy).
        target : ndarray of shape (n_samples,) of int64, or Series
            The labels, 0 to 9.
        target_names : list of str
            The class names, indexed by label: ``"T-shirt/top"``,
            ``"Trouser"``, ``"Pullover"``, ``"Dress"``, ``"Coat"``,
            ``"Sandal"``, ``"Shirt"``, ``"Sneaker"``, ``"Bag"``,
            ``"Ankle boot"``.
        feature_names : list of str
            The pixels' names, ``"pixel1"`` to ``"pixel784"`` (as on OpenML).
        frame : DataFrame or None
            With ``as_frame=True``, the pixel columns and a ``"class"`` column;
            else None.
        DESCR : str
            The data set's description: source, license, sizes, citation.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If files are missing and ``download_if_missing`` is False; the message
        lists every path searched.
    OSError
        If a missing file could not be downloaded from any mirror; the message
        lists each URL tried and why it failed.
    ValueError
        If ``subset`` is not valid, or a file is not a valid IDX file, does not
        fit the others, or fails verification.

    See Also
    --------
    load_mnist_sample : A small sample of MNIST shipped with skmnist.
    load_idx_folder : Load any folder of MNIST-format IDX files, unverified.

    Examples
    --------
    Without the files and without downloading, the error says where to put
    them:

    >>> import tempfile
    >>> from skmnist.datasets import fetch_fashion_mnist
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +ELLIPSIS
    ...     fetch_fashion_mnist(data_home=tmp, download_if_missing=False)
    Traceback (most recent call last):
        ...
    FileNotFoundError: Fashion-MNIST not found and download_if_missing=False;...

    With the data (downloaded on first use):

    >>> fashion = fetch_fashion_mnist(subset="test")  # doctest: +SKIP
    >>> fashion.data.shape, fashion.images.shape, fashion.data.dtype  # doctest: +SKIP
    ((10000, 784), (10000, 28, 28), dtype('uint8'))
    >>> X, y = fetch_fashion_mnist(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((60000, 784), (60000,))
    """
    return _fetch(
        "fashion-mnist",
        data_home=data_home,
        subset=subset,
        return_X_y=return_X_y,
        as_frame=as_frame,
        download_if_missing=download_if_missing,
        mirrors=mirrors,
    )


def fetch_kmnist(
    *,
    data_home: str | os.PathLike | None = None,
    subset: str = "train",
    return_X_y: bool = False,
    as_frame: bool = False,
    download_if_missing: bool = True,
    mirrors: str | os.PathLike | list | None = None,
) -> Bunch | tuple:
    """Load the KMNIST data set, verified, downloading it if missing.

    Kuzushiji-MNIST: 70,000 grayscale images of cursive Japanese
    characters, 28x28 pixels, in 10 classes, one for each row of hiragana:
    60,000 for training and 10,000 for testing (CODH; CC BY-SA 4.0).

    The four IDX files are looked for in ``<data_home>/kmnist/``
    (see :func:`~skmnist.datasets.get_data_home`), under their original names
    (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``) or Kaggle's
    (``train-images.idx3-ubyte``, ...), each gzipped (``.gz``) or not. Only
    the files the subset needs are read, or downloaded if missing.

    Each file is verified while it is read, in the same pass over its bytes.
    KMNIST publishes the MD5 of its ``.gz`` files only, so a gzipped file
    is verified by its MD5 (a re-compressed copy fails, even with the right
    contents) and an uncompressed file cannot be verified: it gets a warning
    and structural checks only (images 3-D, labels 1-D integers from 0 to 9,
    as many labels as images). A file that fails verification raises an
    error that says to delete it.
    Files downloaded are verified by the MD5 of the published ``.gz`` as they
    arrive, and moved into place only when complete and correct.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The data folder; if None, ``SKMNIST_DATA`` or else ``~/skmnist_data``.
    subset : {"train", "test", "all"}, default="train"
        The 60,000 training images, the 10,000 test images, or all 70,000,
        training images first.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame of uint8 pixel columns,
        ``target`` a Series, and the Bunch also holds ``frame``, the DataFrame
        of both (as :func:`sklearn.datasets.fetch_openml` returns them).
    download_if_missing : bool, default=True
        If False, raise a :class:`FileNotFoundError` instead of downloading
        missing files.
    mirrors : str, path-like or list of them, default=None
        Where to download from before the built-in mirrors: base URLs or
        local folders in the data home's layout (``<mirror>/<data set>/``
        holding the ``.gz`` files), a list or one string separated by
        spaces. None reads ``SKMNIST_MIRRORS``. Checksums are verified
        whatever the source.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 784) of uint8, or DataFrame
            The images, flattened row by row; pixels 0 (background) to 255.
        images : ndarray of shape (n_samples, 28, 28) of uint8
            The images; the same memory as ``data`` (a view, not a copy).
        target : ndarray of shape (n_samples,) of int64, or Series
            The labels, 0 to 9.
        target_names : list of str
            The class names, indexed by label (romanized): ``"o"``, ``"ki"``,
            ``"su"``, ``"tsu"``, ``"na"``, ``"ha"``, ``"ma"``, ``"ya"``,
            ``"re"``, ``"wo"``.
        feature_names : list of str
            The pixels' names, ``"pixel1"`` to ``"pixel784"`` (as on OpenML).
        frame : DataFrame or None
            With ``as_frame=True``, the pixel columns and a ``"class"`` column;
            else None.
        DESCR : str
            The data set's description: source, license, sizes, citation.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    FileNotFoundError
        If files are missing and ``download_if_missing`` is False; the message
        lists every path searched.
    OSError
        If a missing file could not be downloaded from any mirror; the message
        lists each URL tried and why it failed.
    ValueError
        If ``subset`` is not valid, or a file is not a valid IDX file, does not
        fit the others, or fails verification.

    See Also
    --------
    load_mnist_sample : A small sample of MNIST shipped with skmnist.
    load_idx_folder : Load any folder of MNIST-format IDX files, unverified.

    Examples
    --------
    Without the files and without downloading, the error says where to put
    them:

    >>> import tempfile
    >>> from skmnist.datasets import fetch_kmnist
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +ELLIPSIS
    ...     fetch_kmnist(data_home=tmp, download_if_missing=False)
    Traceback (most recent call last):
        ...
    FileNotFoundError: KMNIST not found and download_if_missing=False;...

    With the data (downloaded on first use):

    >>> kmnist = fetch_kmnist(subset="test")  # doctest: +SKIP
    >>> kmnist.data.shape, kmnist.images.shape, kmnist.data.dtype  # doctest: +SKIP
    ((10000, 784), (10000, 28, 28), dtype('uint8'))
    >>> X, y = fetch_kmnist(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((60000, 784), (60000,))
    """
    return _fetch(
        "kmnist",
        data_home=data_home,
        subset=subset,
        return_X_y=return_X_y,
        as_frame=as_frame,
        download_if_missing=download_if_missing,
        mirrors=mirrors,
    )
