"""Write a file atomically: into a temporary file beside it, then rename."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def _atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``, moved onto ``path`` on success.

    The temporary file lives in the same folder, so that ``os.replace`` is an
    atomic rename: readers see either the old file or the complete new one.
    If the block raises (including ``KeyboardInterrupt``), the temporary file
    is deleted and ``path`` is left untouched.

    Parameters
    ----------
    path : pathlib.Path
        The file to write.

    Yields
    ------
    file : binary file object
        The temporary file, open for writing.
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        # mode "x": created anew, with the usual permissions (0o666 & ~umask)
        with open(tmp, "xb") as file:
            yield file
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
