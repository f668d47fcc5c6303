"""The ``skmnist`` command's own process: ``python -m skmnist`` and the console script.

The command owns the process it runs in, so here, and only here, skmnist
changes something process-wide: glibc's ``malloc`` keeps the memory that
training frees. Training on the CPU allocates and frees the same few
megabytes of activations and gradients for every batch; glibc serves blocks
that large with ``mmap`` and hands freed memory at the top of its heap back
to the system, so the next batch faults the same pages in again, zeroed by
the kernel. Raising its two thresholds, as
``MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647`` would at
start-up, keeps that memory in the process (which then stays near its peak
size until it ends). :func:`skmnist.cli.main`, called from Python, changes
nothing; a script of your own can set those environment variables.
"""

import ctypes
import platform
import sys

from .cli import main

# From glibc's <malloc.h>.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# glibc's largest mmap threshold: 4 MiB * sizeof(long), 32 MiB on 64-bit systems.
_MMAP_THRESHOLD = 4 * 1024 * 1024 * ctypes.sizeof(ctypes.c_long)
# mallopt takes an int: the largest one.
_TRIM_THRESHOLD = 2**31 - 1


def _libc():
    """The C library of this process when it is glibc, else None."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL(None)
    except OSError:  # pragma: no cover - a Linux process always has its C library
        return None
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    return libc


def _keep_freed_memory():
    """Raise glibc's mmap and trim thresholds; whether both were set (False without glibc)."""
    libc = _libc()
    if libc is None:
        return False
    return bool(
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
        and libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    )


def run():
    """The ``skmnist`` console script: keep freed memory, then run the command."""
    _keep_freed_memory()
    sys.exit(main())


if __name__ == "__main__":
    run()
