"""Helpers for the datasets tests: small fake data sets in the IDX format."""

import struct

import numpy as np

_TYPE_CODES = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}


def idx_bytes(array):
    """The IDX encoding of ``array``, written independently of skmnist."""
    array = np.asarray(array)
    code = _TYPE_CODES[array.dtype.str[1:]]
    header = struct.pack(">HBB", 0, code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()
