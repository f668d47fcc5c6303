"""load_idx_folder: any folder holding MNIST-format IDX files."""

import re

import numpy as np
import pandas as pd
import pytest
from idx_fakes import STEMS, file_name, write_fake_dataset

from skmnist.datasets import load_idx_folder, write_idx


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("kaggle", [False, True])
def test_loads_every_spelling(tmp_path, compress, kaggle):
    fake = write_fake_dataset(tmp_path, compress=compress, kaggle=kaggle)
    bunch = load_idx_folder(tmp_path, subset="test")
    np.testing.assert_array_equal(bunch.images, fake.arrays["t10k-images-idx3-ubyte"])
    np.testing.assert_array_equal(bunch.target, fake.arrays["t10k-labels-idx1-ubyte"])


def test_bunch_layout(tmp_path):
    fake = write_fake_dataset(tmp_path)
    bunch = load_idx_folder(tmp_path)
    assert bunch.data.shape == (30, 784) and bunch.data.dtype == np.uint8
    assert bunch.images.shape == (30, 28, 28) and bunch.images.dtype == np.uint8
    assert np.shares_memory(bunch.data, bunch.images)
    np.testing.assert_array_equal(
        bunch.data, fake.arrays["train-images-idx3-ubyte"].reshape(30, -1)
    )
    assert bunch.target.dtype == np.int64
    assert bunch.target_names == [str(digit) for digit in range(10)]
    assert bunch.feature_names == [f"pixel{i}" for i in range(1, 785)]
    assert bunch.frame is None
    assert str(tmp_path) in bunch.DESCR


def test_all_is_train_then_test(tmp_path):
    fake = write_fake_dataset(tmp_path)
    X, y = load_idx_folder(tmp_path, subset="all", return_X_y=True)
    assert X.shape == (40, 784)
    np.testing.assert_array_equal(
        y,
        np.concatenate(
            [
                fake.arrays["train-labels-idx1-ubyte"],
                fake.arrays["t10k-labels-idx1-ubyte"],
            ]
        ),
    )


def test_as_frame(tmp_path):
    write_fake_dataset(tmp_path)
    bunch = load_idx_folder(tmp_path, as_frame=True)
    assert isinstance(bunch.frame, pd.DataFrame)
    assert list(bunch.frame.columns) == [*bunch.feature_names, "class"]
    assert isinstance(bunch.data, pd.DataFrame) and bunch.data.shape == (30, 784)
    assert (bunch.data.dtypes == np.uint8).all()
    assert isinstance(bunch.target, pd.Series) and bunch.target.name == "class"
    np.testing.assert_array_equal(bunch.data.to_numpy(), bunch.images.reshape(30, -1))
    X, y = load_idx_folder(tmp_path, as_frame=True, return_X_y=True)
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)


def test_target_names(tmp_path):
    write_fake_dataset(tmp_path)
    names = [f"class {i}" for i in range(10)]
    assert load_idx_folder(tmp_path, target_names=names).target_names == names
    with pytest.raises(ValueError, match=r"outside 0..4 for 5 classes"):
        load_idx_folder(tmp_path, target_names=names[:5])


def test_default_target_names_are_indexed_by_label(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((3, 2, 2), np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.array([3, 7, 3], np.uint8))
    bunch = load_idx_folder(tmp_path)
    assert bunch.target_names == [str(label) for label in range(8)]
    assert {bunch.target_names[label] for label in bunch.target} == {"3", "7"}


@pytest.mark.parametrize("subset", ["val", "TRAIN", None, ["train"]])
def test_invalid_subset(tmp_path, subset):
    with pytest.raises(ValueError, match="subset must be 'train', 'test' or 'all'"):
        load_idx_folder(tmp_path, subset=subset)


def test_missing_files_list_the_paths_searched(tmp_path):
    write_fake_dataset(tmp_path)
    (tmp_path / file_name("t10k-labels-idx1-ubyte")).unlink()
    assert load_idx_folder(tmp_path).data.shape == (30, 784)
    with pytest.raises(FileNotFoundError) as excinfo:
        load_idx_folder(tmp_path, subset="all")
    message = str(excinfo.value)
    for name in [
        "t10k-labels-idx1-ubyte.gz",
        "t10k-labels-idx1-ubyte",
        "t10k-labels.idx1-ubyte.gz",
        "t10k-labels.idx1-ubyte",
    ]:
        assert f"{tmp_path / name}\n" in message + "\n"
    assert "t10k-images" not in message


def _swap(folder, stem, array):
    """Replace the file of ``stem`` in ``folder`` by ``array``."""
    write_idx(folder / file_name(stem), array)


@pytest.mark.parametrize(
    "stem, array, message",
    [
        (
            "train-images-idx3-ubyte",
            np.zeros(30, np.uint8),
            "expected images, a 3-D array (n_images, rows, columns), but it holds an "
            "array of shape (30,); is it a labels file?",
        ),
        (
            "train-labels-idx1-ubyte",
            np.zeros((30, 28, 28), np.uint8),
            "expected labels, a 1-D array of integers, but it holds an array of "
            "shape (30, 28, 28) and dtype uint8; is it an images file?",
        ),
        (
            "train-labels-idx1-ubyte",
            np.zeros(30, np.float32),
            "expected labels, a 1-D array of integers",
        ),
        ("train-labels-idx1-ubyte", np.zeros(29, np.uint8), "29 labels, but"),
        (
            "t10k-images-idx3-ubyte",
            np.zeros((10, 32, 32), np.uint8),
            "images of shape (32, 32) and dtype uint8, but those of the train subset "
            "have shape (28, 28)",
        ),
    ],
    ids=["labels as images", "images as labels", "float labels", "count", "size"],
)
def test_inconsistent_files(tmp_path, stem, array, message):
    write_fake_dataset(tmp_path)
    _swap(tmp_path, stem, array)
    with pytest.raises(ValueError, match=re.escape(message)) as excinfo:
        load_idx_folder(tmp_path, subset="all")
    assert file_name(stem) in str(excinfo.value)


def test_corrupt_file_is_named(tmp_path):
    write_fake_dataset(tmp_path)
    path = tmp_path / file_name(STEMS["test"][0])
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ValueError, match="corrupt or truncated gzip stream") as excinfo:
        load_idx_folder(tmp_path, subset="test")
    assert str(path) in str(excinfo.value)
