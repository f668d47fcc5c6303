"""load_mnist_sample: the sample shipped in skmnist/datasets/data/."""

import numpy as np
import pandas as pd
import pytest

from skmnist.datasets import load_mnist_sample
from skmnist.datasets._sample import _SAMPLE_DIR
from tools.make_sample import main as make_sample_main

MNIST_COUNTS = {
    "train": [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    "test": [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
}


@pytest.fixture(autouse=True)
def empty_data_home(tmp_path, monkeypatch):
    """The sample needs no data home: point SKMNIST_DATA at an empty folder."""
    monkeypatch.setenv("SKMNIST_DATA", str(tmp_path))
    yield
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("subset, n", [("train", 3000), ("test", 1000), ("all", 4000)])
def test_sizes_and_layout(subset, n):
    sample = load_mnist_sample(subset=subset)
    assert sample.data.shape == (n, 784) and sample.data.dtype == np.uint8
    assert sample.images.shape == (n, 28, 28) and sample.images.dtype == np.uint8
    assert np.shares_memory(sample.data, sample.images)
    assert sample.target.shape == (n,) and sample.target.dtype == np.int64
    assert sample.target_names == [str(digit) for digit in range(10)]
    assert sample.feature_names == [f"pixel{i}" for i in range(1, 785)]
    assert "sample" in sample.DESCR and "train_test_split" in sample.DESCR
    assert "LeCun" in sample.DESCR


def test_all_is_train_then_test():
    X, y = load_mnist_sample(subset="all", return_X_y=True)
    X_train, y_train = load_mnist_sample(return_X_y=True)
    X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)
    np.testing.assert_array_equal(X, np.concatenate([X_train, X_test]))
    np.testing.assert_array_equal(y, np.concatenate([y_train, y_test]))


@pytest.mark.parametrize("subset", ["train", "test"])
def test_stratified(subset):
    target = load_mnist_sample(subset=subset).target
    counts = np.array(MNIST_COUNTS[subset])
    expected = counts / counts.sum() * len(target)
    # stratified: each class within one image of its share
    assert np.abs(np.bincount(target, minlength=10) - expected).max() <= 1


@pytest.mark.parametrize("subset", ["train", "test"])
def test_not_sorted_by_class(subset):
    target = load_mnist_sample(subset=subset).target
    assert set(target[:50]) == set(range(10))
    # in random order, about 9 label changes in 10
    assert np.mean(target[1:] != target[:-1]) > 0.8


def test_pixels_look_like_mnist():
    data = load_mnist_sample().data
    assert data.mean() / 255 == pytest.approx(0.1307, abs=0.005)
    assert data.max() == 255 and data.min() == 0


def test_as_frame():
    sample = load_mnist_sample(subset="test", as_frame=True)
    assert isinstance(sample.frame, pd.DataFrame) and sample.frame.shape == (1000, 785)
    assert isinstance(sample.data, pd.DataFrame) and (sample.data.dtypes == np.uint8).all()
    assert isinstance(sample.target, pd.Series) and sample.target.name == "class"


def test_invalid_subset():
    with pytest.raises(ValueError, match="subset must be 'train', 'test' or 'all'"):
        load_mnist_sample(subset="valid")


def test_files_are_small():
    files = sorted(path.name for path in _SAMPLE_DIR.iterdir())
    assert files == [
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]
    assert sum((_SAMPLE_DIR / name).stat().st_size for name in files) < 700_000


@pytest.mark.slow
def test_made_reproducibly_from_mnist(mnist_data_home, tmp_path_factory, capsys):
    """The script remakes the shipped files byte for byte, at every run."""
    for run in ["first", "second"]:
        out_dir = tmp_path_factory.mktemp(run)
        make_sample_main(["--data-home", str(mnist_data_home), "--out-dir", str(out_dir)])
        for path in _SAMPLE_DIR.iterdir():
            assert (out_dir / path.name).read_bytes() == path.read_bytes(), path.name
    assert "train-images-idx3-ubyte.gz: 481963 bytes" in capsys.readouterr().out
