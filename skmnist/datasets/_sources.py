"""Where the data sets come from: mirrors, checksums, names, and the verified fetch."""

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
            "(or put a good copy in its place). If it is a copy known to differ "
            "from the published files (re-ordered or re-compressed by a "
            "redistribution), pass verify=False (--no-verify on the command line) "
            "to read it with structural checks only."
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
    verify: bool = True,
) -> Bunch | tuple:
    """Load data set ``name`` from ``<data_home>/<name>/``, downloading if allowed.

    With ``verify=False`` the files found are read with structural checks only
    (downloads are verified all the same), and the description says so.
    """
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

    def read(stem):
        if not verify:
            return _read_idx(paths[stem])
        return _read_verified(paths[stem], checksums[stem], title)

    target_names = _TARGET_NAMES[name]
    images, target = _read_subset(parts, paths, read, len(target_names))
    descr = _DESCR[name]
    if not verify:
        descr += (
            f"\nRead with verify=False from {folder}: these files were not checked "
            f"against the published {title} checksums, only their structure.\n"
        )
    return _as_bunch(
        images,
        target,
        target_names=list(target_names),
        descr=descr,
        as_frame=as_frame,
        return_X_y=return_X_y,
    )
