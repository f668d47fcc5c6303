"""Download a file from a list of mirrors, verified, never leaving a partial file."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import hashlib
import http.client
from collections.abc import Sequence
from pathlib import Path
from urllib.request import urlopen

from tqdm import tqdm

from .._files import atomic_write

# seconds that connecting, or waiting for the next bytes, may take
_TIMEOUT = 30
_CHUNK_SIZE = 1 << 16


def _download(url: str, path: Path, *, md5: str) -> None:
    """Download ``url`` to ``path``, checking its length and MD5 as it arrives."""
    hasher = hashlib.md5(usedforsecurity=False)
    with urlopen(url, timeout=_TIMEOUT) as response, atomic_write(path) as file:
        length = response.headers.get("Content-Length")
        expected = int(length) if length is not None else None
        n_read = 0
        # disable=None: no progress bar when stderr is not a terminal
        with tqdm(
            total=expected, unit="B", unit_scale=True, desc=path.name, disable=None
        ) as progress:
            while chunk := response.read(_CHUNK_SIZE):
                file.write(chunk)
                hasher.update(chunk)
                n_read += len(chunk)
                progress.update(len(chunk))
        # response.read() returns b"" if the connection closes early
        if expected is not None and n_read != expected:
            raise OSError(f"connection closed after {n_read} of the {expected} bytes announced")
        if hasher.hexdigest() != md5:
            raise ValueError(f"checksum mismatch: expected MD5 {md5}, got {hasher.hexdigest()}")


def _fetch_remote(filename: str, mirrors: Sequence[str], folder: Path, *, md5: str) -> Path:
    """Download ``filename`` into ``folder`` from the first mirror that works.

    The file is streamed into a temporary file in ``folder``, its length
    checked against the Content-Length announced and its MD5 against ``md5``,
    then renamed into place; on any failure the temporary file is deleted and
    the next mirror is tried.

    Parameters
    ----------
    filename : str
        The file's name, appended to each mirror's URL.
    mirrors : sequence of str
        Base URLs, each ending with ``/``, tried in order.
    folder : pathlib.Path
        Where to put the file; created if missing, and removed again if it
        was created here and every mirror failed.
    md5 : str
        The expected MD5 of the file, hexadecimal.

    Returns
    -------
    path : pathlib.Path
        The downloaded file, ``folder / filename``.

    Raises
    ------
    OSError
        If every mirror failed; the message lists each URL tried and why it
        failed.
    """
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    failures = []
    for mirror in mirrors:
        url = mirror + filename
        try:
            _download(url, path, md5=md5)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            failures.append(f"  {url}: {type(exc).__name__}: {exc}")
        else:
            return path
    if created:
        folder.rmdir()  # empty: a failed download leaves no temporary file
    raise OSError(f"could not download {filename} into {folder}; tried:\n" + "\n".join(failures))
