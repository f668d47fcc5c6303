"""Files written atomically: a complete new file or the old one, never half of one.

Every file skmnist writes (IDX files, downloads, model files, the command
line's outputs) goes through :func:`atomic_write`: into a temporary file in
the same folder, flushed to disk, optionally checked by reading it back, then
renamed over the target, which readers see either as it was or complete.
The safetensors files among them (model files, training states) are read
back by :func:`read_safetensors`.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_write(path, *, verify: Callable[[Path], None] | None = None) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``, moved onto ``path`` once complete.

    If the block raises (a full disk, ``KeyboardInterrupt``, ...) or
    ``verify`` does, the temporary file is deleted and ``path`` is left as it
    was.

    Parameters
    ----------
    path : str or path-like
        The file to write.
    verify : callable, default=None
        Called with the temporary file's path once it is written and flushed;
        raises if what was written does not read back correctly.

    Yields
    ------
    file : binary file object
        The temporary file, open for writing.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        # mode "x": created anew, with the usual permissions (0o666 & ~umask)
        with open(tmp, "xb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        if verify is not None:
            verify(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno is not None:
            # the message names the caller's file, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def write_bytes(path, data: bytes, *, verify: Callable[[Path], None] | None = None) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, verify=verify) as file:
        file.write(data)


def write_text(path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, as UTF-8."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path, value) -> None:
    """Write ``value`` to ``path`` atomically as indented JSON, ending in a newline."""
    write_text(path, json.dumps(value, indent=2) + "\n")


def save_figure(figure, path, **kwargs) -> None:
    """``figure.savefig`` to ``path`` atomically (the format from the suffix)."""
    path = Path(path)
    with atomic_write(path) as file:
        figure.savefig(file, format=path.suffix.lstrip(".") or None, **kwargs)


def save_frame_csv(frame, path, **kwargs) -> None:
    """``frame.to_csv`` to ``path`` atomically."""
    write_text(path, frame.to_csv(**kwargs))


def read_safetensors(path) -> tuple[dict, dict]:
    """The metadata and tensors of the safetensors file ``path``, read onto the host.

    A file that is no complete safetensors file (truncated, or something else)
    raises a ValueError with safetensors' reason, which the caller puts in its
    own words; ``KeyboardInterrupt`` and ``SystemExit`` pass through.
    """
    import safetensors

    try:
        with safetensors.safe_open(str(path), framework="pt") as f:
            return f.metadata() or {}, {key: f.get_tensor(key) for key in f.keys()}
    except BaseException as exc:
        # safetensors' Rust side raises a PanicException (no Exception) on some damage
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise ValueError(str(exc)) from None
