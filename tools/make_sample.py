"""Make the MNIST sample shipped in ``skmnist/datasets/data/``.

Draws a stratified random sample of the MNIST training and test sets and
writes it as gzipped IDX files; the output is the same, byte for byte, at
every run. From the repository's root, with the full MNIST in
``<data home>/mnist/``::

    python -m tools.make_sample --data-home ../shared/data
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from skmnist.datasets._base import _FILE_STEMS
from skmnist.datasets._fetchers import fetch_mnist
from skmnist.datasets._idx import write_idx
from skmnist.datasets._sample import _SAMPLE_DIR, _SAMPLE_RANDOM_STATE, _SAMPLE_SIZES


def make_sample(data_home: str | os.PathLike | None, out_dir: Path) -> list[Path]:
    """Write the sample's four gzipped IDX files into ``out_dir``.

    Parameters
    ----------
    data_home : str or path-like or None
        The data folder holding the full MNIST (see ``get_data_home``); it is
        not downloaded if missing.
    out_dir : pathlib.Path
        Where to write the files.

    Returns
    -------
    paths : list of pathlib.Path
        The files written.
    """
    paths = []
    for subset, size in _SAMPLE_SIZES.items():
        mnist = fetch_mnist(data_home=data_home, subset=subset, download_if_missing=False)
        # train_test_split shuffles: the rows kept come in random order
        keep, _ = train_test_split(
            np.arange(len(mnist.target)),
            train_size=size,
            stratify=mnist.target,
            random_state=_SAMPLE_RANDOM_STATE,
        )
        images_stem, labels_stem = _FILE_STEMS[subset]
        for stem, array in [
            (images_stem, mnist.images[keep]),
            (labels_stem, mnist.target[keep].astype(np.uint8)),
        ]:
            path = out_dir / f"{stem}.gz"
            write_idx(path, array)
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: parse the arguments, make the sample, list the files."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.make_sample",
        description="Make the MNIST sample shipped with skmnist.",
    )
    parser.add_argument(
        "--data-home",
        help="data folder holding mnist/ (default: SKMNIST_DATA or ~/skmnist_data)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=_SAMPLE_DIR,
        help="where to write the files (default: the package's data folder)",
    )
    args = parser.parse_args(argv)
    for path in make_sample(args.data_home, args.out_dir):
        print(f"{path}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
