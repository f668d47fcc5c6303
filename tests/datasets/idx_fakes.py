"""Helpers for the datasets tests: small fake data sets in the IDX format."""

import gzip
import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

STEMS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
ALL_STEMS = [*STEMS["train"], *STEMS["test"]]
_TYPE_CODES = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}


def idx_bytes(array):
    """The IDX encoding of ``array``, written independently of skmnist."""
    array = np.asarray(array)
    code = _TYPE_CODES[array.dtype.str[1:]]
    header = struct.pack(">HBB", 0, code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def file_name(stem, *, compress=True, kaggle=False):
    """A file's name in one of the accepted spellings."""
    name = stem.replace("-idx", ".idx") if kaggle else stem
    return f"{name}.gz" if compress else name


@dataclass
class FakeDataset:
    """What ``write_fake_dataset`` wrote, by file stem: arrays and checksums.

    ``gz_md5`` is the MD5 of the gzipped file (whether written gzipped or
    not), ``content_sha256`` the SHA-256 of the uncompressed contents.
    """

    folder: Path
    arrays: dict
    gz_md5: dict
    content_sha256: dict


def write_fake_dataset(folder, *, compress=True, kaggle=False):
    """Write a small MNIST-format data set into ``folder``.

    30 training and 10 test images of 28x28 random pixels, labels 0..9
    shuffled; files gzipped or not, in the original or Kaggle's spelling.
    """
    rng = np.random.default_rng(0)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays, gz_md5, content_sha256 = {}, {}, {}
    for part, n in [("train", 30), ("test", 10)]:
        images_stem, labels_stem = STEMS[part]
        arrays[images_stem] = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        arrays[labels_stem] = rng.permutation(np.arange(n) % 10).astype(np.uint8)
    for stem, array in arrays.items():
        content = idx_bytes(array)
        gz = gzip.compress(content, mtime=0)
        path = folder / file_name(stem, compress=compress, kaggle=kaggle)
        path.write_bytes(gz if compress else content)
        gz_md5[stem] = hashlib.md5(gz).hexdigest()
        content_sha256[stem] = hashlib.sha256(content).hexdigest()
    return FakeDataset(folder, arrays, gz_md5, content_sha256)
