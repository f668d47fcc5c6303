"""Loaders for MNIST-family data sets, the IDX format they are published in, and image files."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from ._base import get_data_home, load_idx_folder
from ._fetchers import fetch_fashion_mnist, fetch_kmnist, fetch_mnist
from ._idx import read_idx, write_idx
from ._images import load_images, read_image
from ._sample import load_mnist_sample

__all__ = [
    "fetch_fashion_mnist",
    "fetch_kmnist",
    "fetch_mnist",
    "get_data_home",
    "load_idx_folder",
    "load_images",
    "load_mnist_sample",
    "read_idx",
    "read_image",
    "write_idx",
]
