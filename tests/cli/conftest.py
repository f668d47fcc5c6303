"""Fixtures of the command-line tests: running ``skmnist`` in-process, a tiny IDX data set."""

import contextlib
import io
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from skmnist.cli import main
from skmnist.datasets import write_idx


class Result(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture
def skmnist_cli(capsys):
    """Run ``skmnist ARGS`` in this process; returns its exit status, stdout and stderr."""

    def run(*argv):
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def make_fashion_like(n_per_class, rng):
    """Learnable 28x28 uint8 images of 10 classes: a bright bar whose place is the class."""
    labels = np.repeat(np.arange(10, dtype=np.uint8), n_per_class)
    rng.shuffle(labels)
    images = rng.integers(0, 40, size=(len(labels), 28, 28), dtype=np.uint8)
    for image, label in zip(images, labels, strict=False):
        row = 2 + 2 * int(label)
        image[row : row + 3, 4:24] = rng.integers(180, 256, size=(3, 20), dtype=np.uint8)
    return images, labels


@pytest.fixture(scope="session")
def fashion_like(tmp_path_factory):
    """A folder with the four IDX files of a tiny "fashion-like" set: 200 + 100 images."""
    folder = tmp_path_factory.mktemp("fashion-like")
    rng = np.random.default_rng(0)
    for stem, n_per_class in (("train", 20), ("t10k", 10)):
        images, labels = make_fashion_like(n_per_class, rng)
        write_idx(folder / f"{stem}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{stem}-labels-idx1-ubyte.gz", labels)
    return folder


@pytest.fixture(scope="session")
def lenet_run(tmp_path_factory):
    """``skmnist train --model lenet5`` for 2 epochs on the sample: its exit status, stdout,
    stderr and output folder (the train and predict tests read it)."""
    out = tmp_path_factory.mktemp("lenet5")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(
            [
                "train",
                "--model",
                "lenet5",
                "--dataset",
                "sample",
                "-p",
                "max_epochs=2",
                "-p",
                "random_state=0",
                "--out",
                str(out),
            ]
        )
    return code, stdout.getvalue(), stderr.getvalue(), out
