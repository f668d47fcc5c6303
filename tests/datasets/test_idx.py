"""Reading and writing IDX files."""

import gzip
import hashlib
import re

import numpy as np
import pytest
from idx_fakes import idx_bytes

from skmnist.datasets import read_idx, write_idx
from skmnist.datasets._idx import _read_idx

DTYPES = ["uint8", "int8", "int16", "int32", "float32", "float64"]


def _array(dtype, shape):
    values = np.arange(np.prod(shape)).reshape(shape) - 7
    if np.dtype(dtype).kind == "f":
        values = values * 1.5e3
    return values.astype(dtype)


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("shape", [(5,), (3, 4, 2), (2, 1, 3, 2)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip(tmp_path, dtype, shape, compress):
    array = _array(dtype, shape)
    path = tmp_path / "array-idx"
    write_idx(path, array, compress=compress)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") is compress
    result = read_idx(path)
    assert result.dtype == np.dtype(dtype)
    assert result.dtype.isnative
    assert result.flags.writeable and result.flags.c_contiguous
    np.testing.assert_array_equal(result, array)


@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_independent_encoding(tmp_path, dtype):
    """The bytes follow the published format: big-endian header and data."""
    array = _array(dtype, (2, 3))
    write_idx(tmp_path / "plain", array)
    assert (tmp_path / "plain").read_bytes() == idx_bytes(array)
    (tmp_path / "given").write_bytes(idx_bytes(array))
    np.testing.assert_array_equal(read_idx(tmp_path / "given"), array)


def test_big_endian_input_is_written_the_same(tmp_path):
    array = _array("int32", (4,))
    write_idx(tmp_path / "native", array)
    write_idx(tmp_path / "big", array.astype(">i4"))
    assert (tmp_path / "native").read_bytes() == (tmp_path / "big").read_bytes()


def test_compression_follows_name_unless_given(tmp_path):
    array = _array("uint8", (3, 2))
    write_idx(tmp_path / "a.gz", array)
    write_idx(tmp_path / "b", array)
    write_idx(tmp_path / "c", array, compress=True)
    write_idx(tmp_path / "d.gz", array, compress=False)
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "c").read_bytes()
    assert (tmp_path / "b").read_bytes() == (tmp_path / "d.gz").read_bytes()
    assert (tmp_path / "b").read_bytes() == idx_bytes(array)
    # detected by the magic bytes, not the name
    for name in ["a.gz", "b", "c", "d.gz"]:
        np.testing.assert_array_equal(read_idx(tmp_path / name), array)


def test_gzip_output_is_reproducible(tmp_path):
    array = _array("uint8", (10, 28, 28))
    write_idx(tmp_path / "one.gz", array)
    write_idx(tmp_path / "two.gz", array)
    assert (tmp_path / "one.gz").read_bytes() == (tmp_path / "two.gz").read_bytes()
    assert gzip.decompress((tmp_path / "one.gz").read_bytes()) == idx_bytes(array)


def test_write_replaces_atomically_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "labels.gz"
    write_idx(path, np.zeros(3, np.uint8))
    write_idx(path, np.ones(4, np.uint8))
    np.testing.assert_array_equal(read_idx(path), np.ones(4, np.uint8))
    assert [p.name for p in tmp_path.iterdir()] == ["labels.gz"]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "labels.gz"
    write_idx(path, np.zeros(3, np.uint8))
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(gzip.GzipFile, "write", fail)
    with pytest.raises(KeyboardInterrupt):
        write_idx(path, np.ones(4, np.uint8))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["labels.gz"]


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros(3, np.int64), "IDX cannot hold dtype int64"),
        (np.zeros(3, bool), "IDX cannot hold dtype bool"),
        (np.uint8(3), "at least one dimension"),
    ],
)
def test_write_rejects_what_idx_cannot_hold(tmp_path, array, message):
    with pytest.raises(ValueError, match=message):
        write_idx(tmp_path / "out.gz", array)
    assert list(tmp_path.iterdir()) == []


def test_empty_dimension_round_trips(tmp_path):
    array = np.zeros((0, 28, 28), np.uint8)
    write_idx(tmp_path / "empty.gz", array)
    assert read_idx(tmp_path / "empty.gz").shape == (0, 28, 28)


_IMAGES = idx_bytes(np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3))
_CORRUPT = {
    "empty": (b"", "empty file"),
    "short header": (b"\x00\x00", "truncated header: 2 bytes"),
    "bad magic": (b"\x01\x02" + _IMAGES[2:], "bad magic number 0x01020803"),
    "text file": (b"hello world\n", "bad magic number"),
    "unknown type": (b"\x00\x00\x07\x03" + _IMAGES[4:], "unknown IDX type code 0x07"),
    "zero dims": (b"\x00\x00\x08\x00", "header declares 0 dimensions"),
    "ndim beyond sizes": (
        b"\x00\x00\x08\x04" + _IMAGES[4:14],
        "truncated header: it declares 4 dimensions, 16 bytes of sizes, but only 10 bytes follow",
    ),
    "truncated data": (
        _IMAGES[:-5],
        "truncated: header says 2x3x3 = 18 bytes of uint8 but 13 bytes follow",
    ),
    "trailing bytes": (
        _IMAGES + b"\x00" * 7,
        "trailing bytes: header says 2x3x3 = 18 bytes of uint8 but 25 bytes follow",
    ),
    "truncated int32": (
        idx_bytes(np.arange(6, dtype=np.int32))[:-1],
        "truncated: header says 6 = 24 bytes of int32 but 23 bytes follow",
    ),
}


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("case", list(_CORRUPT))
def test_corrupt_file_raises_naming_file_and_problem(tmp_path, case, compress):
    content, message = _CORRUPT[case]
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(gzip.compress(content) if compress else content)
    with pytest.raises(ValueError, match=re.escape(message)) as excinfo:
        read_idx(path)
    assert str(excinfo.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda gz: gz[: len(gz) // 2], "corrupt or truncated gzip stream"),
        (lambda gz: gz[:-4], "corrupt or truncated gzip stream"),
        (lambda gz: gz[:12] + bytes(20) + gz[32:], "corrupt or truncated gzip stream"),
        (lambda gz: gz + b"garbage", "corrupt or truncated gzip stream"),
    ],
    ids=["half", "no trailer", "scrambled", "garbage after"],
)
def test_damaged_gzip_stream(tmp_path, damage, message):
    array = np.random.default_rng(0).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(damage(gzip.compress(idx_bytes(array))))
    with pytest.raises(ValueError, match=message) as excinfo:
        read_idx(path)
    assert str(path) in str(excinfo.value)


def test_huge_declared_size_is_an_error_not_an_allocation(tmp_path):
    path = tmp_path / "huge-idx"
    path.write_bytes(b"\x00\x00\x0e\x04" + b"\xff" * 16 + b"\x00" * 8)
    with pytest.raises(ValueError, match=f"{re.escape(str(path))}: header says"):
        read_idx(path)


@pytest.mark.parametrize("compress", [False, True])
def test_hashes_while_reading(tmp_path, compress):
    array = _array("int16", (4, 5))
    path = tmp_path / "a-idx"
    write_idx(path, array, compress=compress)
    content, stored = hashlib.sha256(), hashlib.md5()
    _read_idx(path, content_hasher=content, file_hasher=stored)
    assert content.hexdigest() == hashlib.sha256(idx_bytes(array)).hexdigest()
    assert stored.hexdigest() == hashlib.md5(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_reads_mnist_train_images_as_uint8(mnist_data_home):
    images = read_idx(mnist_data_home / "mnist" / "train-images-idx3-ubyte.gz")
    assert images.shape == (60000, 28, 28)
    assert images.dtype == np.uint8
    assert images.base is not None and images.base.nbytes == images.nbytes
