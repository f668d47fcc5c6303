"""Read and write the IDX format in which MNIST and its relatives are published.

An IDX file is a header followed by the array's items in row-major order:

- the magic number, four bytes: two zero bytes, a type code
  (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)
  and the number of dimensions;
- the size of each dimension, a big-endian uint32 each;
- the data, big-endian.

Files may be gzipped; compression is recognised by the gzip magic bytes, not by
the file's name.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import gzip
import os
import struct
import zlib
from contextlib import nullcontext
from pathlib import Path
from typing import Any, BinaryIO, cast

import numpy as np

from .._files import atomic_write

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_SIZE = 1 << 20

# type code -> dtype as stored (big-endian)
_IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
# native dtype -> type code
_IDX_CODES = {dtype.newbyteorder("="): code for code, dtype in _IDX_DTYPES.items()}
_KNOWN_CODES = ", ".join(
    f"0x{code:02X} {dtype.newbyteorder('=').name}" for code, dtype in _IDX_DTYPES.items()
)


def is_idx_file(path) -> bool:
    """Whether the file at ``path`` starts like an IDX file (gzipped or not)."""
    with open(path, "rb") as file:
        head = file.read(4)
        if head[:2] == _GZIP_MAGIC:
            file.seek(0)
            try:
                head = gzip.GzipFile(fileobj=file).read(4)
            except (OSError, EOFError):
                return False
    return len(head) == 4 and head[:2] == b"\x00\x00" and head[2] in _IDX_DTYPES


class _HashingReader:
    """Wrap a binary stream, feeding everything read from it to a hash object."""

    def __init__(self, stream: Any, hasher: Any) -> None:
        self._stream = stream
        self._hasher = hasher

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._hasher.update(data)
        return data

    def readinto(self, buffer: memoryview) -> int:
        n_read = self._stream.readinto(buffer)
        self._hasher.update(buffer[:n_read])
        return n_read


def _is_gzip(path: str | os.PathLike) -> bool:
    """Whether the file starts with the gzip magic bytes."""
    with open(path, "rb") as file:
        return file.read(2) == _GZIP_MAGIC


def _describe(shape: tuple[int, ...], n_bytes: int, dtype: np.dtype) -> str:
    """What the header declares, for error messages."""
    dims = "x".join(map(str, shape))
    return f"header says {dims} = {n_bytes} bytes of {dtype.newbyteorder('=').name}"


def _read_header(stream: Any, name: str) -> tuple[np.dtype, tuple[int, ...]]:
    """Read and validate the header: the dtype as stored and the shape."""
    magic = stream.read(4)
    if not magic:
        raise ValueError(f"{name}: empty file, not an IDX file")
    if len(magic) < 4:
        raise ValueError(
            f"{name}: truncated header: {len(magic)} bytes, shorter than the "
            "4-byte magic number of an IDX file"
        )
    zeros, code, ndim = magic[:2], magic[2], magic[3]
    if zeros != b"\x00\x00":
        raise ValueError(
            f"{name}: bad magic number 0x{magic.hex().upper()}: an IDX file starts "
            "with two zero bytes, a type code and the number of dimensions; "
            "this is not an IDX file"
        )
    if code not in _IDX_DTYPES:
        raise ValueError(f"{name}: unknown IDX type code 0x{code:02X} (known: {_KNOWN_CODES})")
    if ndim == 0:
        raise ValueError(f"{name}: header declares 0 dimensions")
    sizes = stream.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise ValueError(
            f"{name}: truncated header: it declares {ndim} dimensions, "
            f"{4 * ndim} bytes of sizes, but only {len(sizes)} bytes follow"
        )
    return _IDX_DTYPES[code], struct.unpack(f">{ndim}I", sizes)


def _read_data(stream: Any, name: str, dtype: np.dtype, shape: tuple) -> np.ndarray:
    """Read the data the header declares, and check that nothing follows."""
    n_bytes = dtype.itemsize * int(np.prod(shape, dtype=object))
    try:
        buffer = np.empty(n_bytes, dtype=np.uint8)
    except (MemoryError, ValueError) as exc:
        raise ValueError(
            f"{name}: {_describe(shape, n_bytes, dtype)}, too large to allocate "
            "(is the header corrupt?)"
        ) from exc
    view = memoryview(buffer)  # type: ignore[arg-type]  # numpy arrays are buffers
    n_read = 0
    while n_read < n_bytes:
        n_chunk = stream.readinto(view[n_read : n_read + _CHUNK_SIZE])
        if not n_chunk:
            raise ValueError(
                f"{name}: truncated: {_describe(shape, n_bytes, dtype)} but {n_read} bytes follow"
            )
        n_read += n_chunk
    n_extra = 0
    while extra := stream.read(_CHUNK_SIZE):
        n_extra += len(extra)
    if n_extra:
        raise ValueError(
            f"{name}: trailing bytes: {_describe(shape, n_bytes, dtype)} "
            f"but {n_bytes + n_extra} bytes follow"
        )
    array = buffer.view(dtype).reshape(shape)
    if not dtype.isnative:
        array = array.byteswap(inplace=True).view(dtype.newbyteorder("="))
    return array


def _read_idx(
    path: str | os.PathLike, *, content_hasher: Any = None, file_hasher: Any = None
) -> np.ndarray:
    """Read an IDX file, hashing its bytes on the way (one pass over them).

    Parameters
    ----------
    path : str or path-like
        The IDX file, gzipped or not.
    content_hasher : hashlib hash object, default=None
        Updated with the decompressed contents (header included).
    file_hasher : hashlib hash object, default=None
        Updated with the bytes of the file as stored (for a gzipped file, the
        compressed bytes).

    Returns
    -------
    array : ndarray
        The array, in native byte order.
    """
    with open(path, "rb") as file:
        raw = file if file_hasher is None else _HashingReader(file, file_hasher)
        with (
            gzip.GzipFile(fileobj=cast(BinaryIO, raw), mode="rb")
            if file.peek(2)[:2] == _GZIP_MAGIC
            else nullcontext(raw)
        ) as stream:
            if content_hasher is not None:
                stream = _HashingReader(stream, content_hasher)
            try:
                dtype, shape = _read_header(stream, str(path))
                return _read_data(stream, str(path), dtype, shape)
            except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
                raise ValueError(f"{path}: corrupt or truncated gzip stream: {exc}") from exc


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an array from an IDX file, gzipped or not.

    The IDX format is the one MNIST, Fashion-MNIST and KMNIST are published in.
    Gzip compression is recognised by the file's first bytes, not by its name.
    The data are read once into the returned array: an MNIST images file
    gives a uint8 array without any intermediate float or second copy.

    Parameters
    ----------
    path : str or path-like
        The IDX file.

    Returns
    -------
    array : ndarray
        The array, with the dtype the file's type code gives (uint8, int8,
        int16, int32, float32 or float64) in native byte order, and the shape
        its header gives. It is writable and C-contiguous.

    Raises
    ------
    ValueError
        If the file is not a valid IDX file: empty, a bad magic number, an
        unknown type code, zero dimensions, a truncated header or data, bytes
        after the data, or a corrupt or truncated gzip stream. The message
        names the file and the problem.

    See Also
    --------
    write_idx : Write an array to an IDX file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from skmnist.datasets import read_idx, write_idx
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "labels-idx1-ubyte.gz"
    ...     write_idx(path, np.array([5, 0, 4, 1, 9], dtype=np.uint8))
    ...     labels = read_idx(path)
    >>> labels
    array([5, 0, 4, 1, 9], dtype=uint8)
    """
    return _read_idx(path)


def write_idx(path: str | os.PathLike, array: Any, *, compress: bool | None = None) -> None:
    """Write an array to an IDX file, gzipped or not.

    The file is written atomically: to a temporary file in the same folder,
    then renamed onto ``path``, so that an interrupted write never leaves a
    partial file. Gzipped output is reproducible: the same array always gives
    the same bytes (the gzip header holds no name and no time stamp).

    Parameters
    ----------
    path : str or path-like
        The file to write; it is replaced if it exists.
    array : array-like
        The array, of at least one dimension, with a dtype IDX can hold:
        uint8, int8, int16, int32, float32 or float64 (any byte order).
    compress : bool, default=None
        Whether to gzip the file. If None, gzip it when ``path`` ends with
        ``.gz``.

    Raises
    ------
    ValueError
        If the array is 0-dimensional, has a dtype IDX cannot hold, or a
        dimension larger than 2**32 - 1.

    See Also
    --------
    read_idx : Read an array from an IDX file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from skmnist.datasets import read_idx, write_idx
    >>> images = np.zeros((2, 28, 28), dtype=np.uint8)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "images-idx3-ubyte"
    ...     write_idx(path, images)
    ...     print(path.stat().st_size, read_idx(path).shape)
    1584 (2, 28, 28)
    """
    path = Path(path)
    array = np.asarray(array)
    native = array.dtype.newbyteorder("=")
    if native not in _IDX_CODES:
        raise ValueError(
            f"{path}: IDX cannot hold dtype {array.dtype}; convert the array to one "
            f"of {', '.join(dtype.name for dtype in _IDX_CODES)} (e.g. with astype)"
        )
    if array.ndim == 0:
        raise ValueError(f"{path}: IDX needs an array of at least one dimension")
    if max(array.shape) > 0xFFFFFFFF:
        raise ValueError(f"{path}: IDX dimensions must fit in uint32, got {array.shape}")
    header = bytes([0, 0, _IDX_CODES[native], array.ndim])
    header += struct.pack(f">{array.ndim}I", *array.shape)
    data = np.ascontiguousarray(array, dtype=native.newbyteorder(">"))
    if compress is None:
        compress = path.name.endswith(".gz")
    with (
        atomic_write(path) as file,
        (
            gzip.GzipFile(filename="", mode="wb", fileobj=file, mtime=0)
            if compress
            else nullcontext(file)
        ) as stream,
    ):
        stream.write(header)
        stream.write(data.reshape(-1).view(np.uint8).data)
