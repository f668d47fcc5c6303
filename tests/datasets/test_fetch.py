"""fetch_mnist, fetch_fashion_mnist, fetch_kmnist on local files."""

import re
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from idx_fakes import ALL_STEMS, file_name, write_fake_dataset

from skmnist.datasets import (
    fetch_fashion_mnist,
    fetch_kmnist,
    fetch_mnist,
    write_idx,
)
from skmnist.datasets._sources import _CHECKSUMS, _Checksums

FETCHERS = {
    "mnist": fetch_mnist,
    "fashion-mnist": fetch_fashion_mnist,
    "kmnist": fetch_kmnist,
}
TARGET_NAMES = {
    "mnist": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    "fashion-mnist": [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ],
    "kmnist": ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
}
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _use_checksums(monkeypatch, name, fake, *, content=True):
    """Make the fake data set's files the known ones of data set ``name``.

    With ``content=False`` only the .gz MD5s are known, as for Fashion-MNIST
    and KMNIST.
    """
    table = {
        stem: _Checksums(fake.gz_md5[stem], fake.content_sha256[stem] if content else None)
        for stem in ALL_STEMS
    }
    monkeypatch.setitem(_CHECKSUMS, name, table)


@pytest.fixture
def fake_mnist(tmp_path, monkeypatch):
    """A data home whose mnist/ holds a small fake MNIST, known by its checksums."""
    fake = write_fake_dataset(tmp_path / "home" / "mnist")
    _use_checksums(monkeypatch, "mnist", fake)
    return fake


def test_bunch_layout(fake_mnist):
    bunch = fetch_mnist(data_home=fake_mnist.folder.parent, download_if_missing=False)
    images = fake_mnist.arrays["train-images-idx3-ubyte"]
    assert bunch.data.shape == (30, 784) and bunch.data.dtype == np.uint8
    assert bunch.images.shape == (30, 28, 28) and bunch.images.dtype == np.uint8
    assert np.shares_memory(bunch.data, bunch.images)
    np.testing.assert_array_equal(bunch.images, images)
    assert bunch.target.dtype == np.int64
    np.testing.assert_array_equal(bunch.target, fake_mnist.arrays["train-labels-idx1-ubyte"])
    assert bunch.target_names == TARGET_NAMES["mnist"]
    assert bunch.feature_names == [f"pixel{i}" for i in range(1, 785)]
    assert bunch.frame is None
    assert "LeCun" in bunch.DESCR and "CC BY-SA 3.0" in bunch.DESCR


@pytest.mark.parametrize("subset, n", [("train", 30), ("test", 10), ("all", 40)])
def test_subsets(fake_mnist, subset, n):
    X, y = fetch_mnist(data_home=fake_mnist.folder.parent, subset=subset, return_X_y=True)
    assert X.shape == (n, 784) and y.shape == (n,)


def test_all_is_train_then_test(fake_mnist):
    bunch = fetch_mnist(data_home=fake_mnist.folder.parent, subset="all")
    np.testing.assert_array_equal(bunch.images[:30], fake_mnist.arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(bunch.images[30:], fake_mnist.arrays["t10k-images-idx3-ubyte"])
    assert np.shares_memory(bunch.data, bunch.images)


def test_as_frame(fake_mnist):
    bunch = fetch_mnist(data_home=fake_mnist.folder.parent, subset="test", as_frame=True)
    assert isinstance(bunch.frame, pd.DataFrame)
    assert list(bunch.frame.columns) == [*bunch.feature_names, "class"]
    assert isinstance(bunch.data, pd.DataFrame)
    assert (bunch.data.dtypes == np.uint8).all()
    assert isinstance(bunch.target, pd.Series) and bunch.target.dtype == np.int64
    np.testing.assert_array_equal(bunch.target, fake_mnist.arrays["t10k-labels-idx1-ubyte"])
    X, y = fetch_mnist(
        data_home=fake_mnist.folder.parent,
        subset="test",
        as_frame=True,
        return_X_y=True,
    )
    pd.testing.assert_frame_equal(X, bunch.data)
    pd.testing.assert_series_equal(y, bunch.target)


def test_data_home_from_environment(fake_mnist, monkeypatch):
    monkeypatch.setenv("SKMNIST_DATA", str(fake_mnist.folder.parent))
    assert fetch_mnist(subset="test", download_if_missing=False).data.shape == (10, 784)


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("kaggle", [False, True])
def test_spellings_are_verified(tmp_path, monkeypatch, compress, kaggle):
    fake = write_fake_dataset(tmp_path / "mnist", compress=compress, kaggle=kaggle)
    _use_checksums(monkeypatch, "mnist", fake)
    bunch = fetch_mnist(data_home=tmp_path, subset="all", download_if_missing=False)
    assert bunch.data.shape == (40, 784)
    # the SHA-256 of the contents is checked, gzipped or not
    path = fake.folder / file_name("t10k-labels-idx1-ubyte", compress=compress, kaggle=kaggle)
    write_idx(path, np.zeros(10, np.uint8), compress=compress)
    with pytest.raises(ValueError, match="checksum mismatch"):
        fetch_mnist(data_home=tmp_path, subset="test", download_if_missing=False)


def test_checksum_mismatch_names_file_hashes_and_remedy(fake_mnist):
    path = fake_mnist.folder / file_name("train-images-idx3-ubyte")
    images = fake_mnist.arrays["train-images-idx3-ubyte"].copy()
    images[0, 0, 0] ^= 1
    write_idx(path, images)
    with pytest.raises(ValueError) as excinfo:
        fetch_mnist(data_home=fake_mnist.folder.parent)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: checksum mismatch: expected SHA-256")
    assert fake_mnist.content_sha256["train-images-idx3-ubyte"] in message
    assert re.search(r"got [0-9a-f]{64}\.", message)
    assert "delete it" in message


def test_recompressed_mnist_is_verified_by_contents(fake_mnist, monkeypatch):
    """The .gz MD5 does not matter for MNIST: its contents' SHA-256 is known."""
    table = {
        stem: _Checksums("0" * 32, sums.content_sha256)
        for stem, sums in _CHECKSUMS["mnist"].items()
    }
    monkeypatch.setitem(_CHECKSUMS, "mnist", table)
    assert fetch_mnist(data_home=fake_mnist.folder.parent).data.shape == (30, 784)


@pytest.mark.parametrize("name", ["fashion-mnist", "kmnist"])
def test_gz_only_data_sets_verified_by_md5(tmp_path, monkeypatch, name):
    fake = write_fake_dataset(tmp_path / name)
    _use_checksums(monkeypatch, name, fake, content=False)
    bunch = FETCHERS[name](data_home=tmp_path, subset="all", download_if_missing=False)
    assert bunch.data.shape == (40, 784)
    assert bunch.target_names == TARGET_NAMES[name]
    assert name.split("-")[0] in bunch.DESCR.lower()

    path = fake.folder / file_name("train-labels-idx1-ubyte")
    write_idx(path, fake.arrays["train-labels-idx1-ubyte"][::-1])
    with pytest.raises(ValueError) as excinfo:
        FETCHERS[name](data_home=tmp_path, download_if_missing=False)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: checksum mismatch: expected MD5 of the published .gz")
    assert fake.gz_md5["train-labels-idx1-ubyte"] in message


@pytest.mark.parametrize("name", ["fashion-mnist", "kmnist"])
def test_uncompressed_gz_only_data_sets_warn_and_check_structure(tmp_path, monkeypatch, name):
    fake = write_fake_dataset(tmp_path / name, compress=False)
    _use_checksums(monkeypatch, name, fake, content=False)
    with pytest.warns(UserWarning, match="cannot be verified") as record:
        bunch = FETCHERS[name](data_home=tmp_path, download_if_missing=False)
    assert len(record) == 2  # one for each file read
    assert record[0].filename == __file__  # points at the caller
    assert bunch.data.shape == (30, 784)
    # structure is still checked
    write_idx(fake.folder / "train-labels-idx1-ubyte", np.full(30, 10, np.uint8))
    with pytest.warns(UserWarning), pytest.raises(ValueError, match=r"outside 0..9"):
        FETCHERS[name](data_home=tmp_path, download_if_missing=False)


def test_labels_file_where_images_expected(fake_mnist, monkeypatch):
    """A labels file under an images name fails the shape check."""
    labels = fake_mnist.folder / file_name("train-labels-idx1-ubyte")
    images = fake_mnist.folder / file_name("train-images-idx3-ubyte")
    images.write_bytes(labels.read_bytes())
    table = dict(_CHECKSUMS["mnist"])
    table["train-images-idx3-ubyte"] = table["train-labels-idx1-ubyte"]
    monkeypatch.setitem(_CHECKSUMS, "mnist", table)
    with pytest.raises(ValueError, match=r"expected images, a 3-D array") as excinfo:
        fetch_mnist(data_home=fake_mnist.folder.parent)
    assert str(excinfo.value).startswith(f"{images}: ")


def test_corrupt_file_is_reported_before_checksum(fake_mnist):
    path = fake_mnist.folder / file_name("t10k-images-idx3-ubyte")
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="corrupt or truncated gzip stream") as excinfo:
        fetch_mnist(data_home=fake_mnist.folder.parent, subset="test")
    assert str(path) in str(excinfo.value)


@pytest.mark.parametrize("fetch", FETCHERS.values())
@pytest.mark.parametrize("subset", ["validation", "Train", ""])
def test_invalid_subset(tmp_path, fetch, subset):
    with pytest.raises(
        ValueError, match=f"subset must be 'train', 'test' or 'all', got '{subset}'"
    ):
        fetch(data_home=tmp_path, subset=subset)


@pytest.mark.parametrize("name", FETCHERS)
def test_offline_error_lists_paths_searched(tmp_path, name):
    with pytest.raises(FileNotFoundError) as excinfo:
        FETCHERS[name](data_home=tmp_path, subset="all", download_if_missing=False)
    message = str(excinfo.value)
    folder = tmp_path / name
    for stem in ALL_STEMS:
        for compress in (True, False):
            for kaggle in (False, True):
                path = folder / file_name(stem, compress=compress, kaggle=kaggle)
                assert f"  {path}\n" in message
    assert f"in {folder}/" in message
    assert "SKMNIST_DATA" in message
    assert not folder.exists()  # nothing created, nothing downloaded


def test_offline_only_needs_the_subset(fake_mnist):
    for stem in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]:
        (fake_mnist.folder / file_name(stem)).unlink()
    home = fake_mnist.folder.parent
    assert fetch_mnist(data_home=home, download_if_missing=False).data.shape == (
        30,
        784,
    )
    with pytest.raises(FileNotFoundError) as excinfo:
        fetch_mnist(data_home=home, subset="test", download_if_missing=False)
    assert "t10k-images-idx3-ubyte.gz" in str(excinfo.value)
    assert "train-" not in str(excinfo.value)


@pytest.fixture(scope="module")
def mnist_train(mnist_data_home):
    return fetch_mnist(data_home=mnist_data_home, download_if_missing=False)


@pytest.mark.slow
def test_real_mnist_train(mnist_train):
    """The real files pass verification and hold the published figures."""
    assert mnist_train.data.shape == (60000, 784) and mnist_train.data.dtype == np.uint8
    assert mnist_train.images.shape == (60000, 28, 28)
    assert mnist_train.images.dtype == np.uint8
    assert np.shares_memory(mnist_train.data, mnist_train.images)
    assert mnist_train.target.dtype == np.int64
    assert list(mnist_train.target[:5]) == [5, 0, 4, 1, 9]
    assert np.bincount(mnist_train.target).tolist() == MNIST_TRAIN_COUNTS
    assert mnist_train.data.mean() / 255 == pytest.approx(0.1307, abs=5e-5)


@pytest.mark.slow
def test_real_mnist_train_is_read_without_a_second_copy(mnist_data_home):
    """Peak memory stays near the 47 MB of uint8 pixels: no float, no copy."""
    tracemalloc.start()
    try:
        X, _ = fetch_mnist(data_home=mnist_data_home, return_X_y=True, download_if_missing=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert X.nbytes == 47_040_000
    assert peak < X.nbytes + 4_000_000


@pytest.mark.slow
def test_real_mnist_test_and_all(mnist_data_home):
    test = fetch_mnist(data_home=mnist_data_home, subset="test", download_if_missing=False)
    assert test.data.shape == (10000, 784) and test.images.shape == (10000, 28, 28)
    assert np.bincount(test.target).tolist() == MNIST_TEST_COUNTS
    X, y = fetch_mnist(
        data_home=mnist_data_home,
        subset="all",
        return_X_y=True,
        download_if_missing=False,
    )
    assert X.shape == (70000, 784) and X.dtype == np.uint8
    assert np.bincount(y).tolist() == [
        a + b for a, b in zip(MNIST_TRAIN_COUNTS, MNIST_TEST_COUNTS, strict=True)
    ]
    np.testing.assert_array_equal(X[60000:], test.data)


@pytest.mark.slow
def test_real_mnist_as_frame(mnist_data_home, mnist_train):
    X, y = fetch_mnist(
        data_home=mnist_data_home,
        as_frame=True,
        return_X_y=True,
        download_if_missing=False,
    )
    assert X.shape == (60000, 784) and (X.dtypes == np.uint8).all()
    assert y.name == "class" and y.dtype == np.int64
    np.testing.assert_array_equal(X.to_numpy(), mnist_train.data)


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist", "kmnist"])
def test_verify_false_reads_a_copy_with_other_checksums(tmp_path, monkeypatch, name):
    """A re-ordered copy fails verification, names verify=False, and reads with it."""
    fake = write_fake_dataset(tmp_path / name)
    _use_checksums(monkeypatch, name, fake, content=name == "mnist")
    for stem in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):  # another order
        write_idx(fake.folder / file_name(stem), fake.arrays[stem][::-1])
    with pytest.raises(ValueError, match=r"checksum mismatch.*pass verify=False"):
        FETCHERS[name](data_home=tmp_path, download_if_missing=False)
    bunch = FETCHERS[name](data_home=tmp_path, download_if_missing=False, verify=False)
    np.testing.assert_array_equal(bunch.images, fake.arrays["train-images-idx3-ubyte"][::-1])
    np.testing.assert_array_equal(bunch.target, fake.arrays["train-labels-idx1-ubyte"][::-1])
    assert "verify=False" in bunch.DESCR and "not checked" in bunch.DESCR
    # the structure is still checked
    write_idx(fake.folder / file_name("train-labels-idx1-ubyte"), np.full(30, 10, np.uint8))
    with pytest.raises(ValueError, match=r"outside 0..9"):
        FETCHERS[name](data_home=tmp_path, download_if_missing=False, verify=False)


def test_verified_data_says_nothing_of_verify(fake_mnist):
    assert "verify=False" not in fetch_mnist(data_home=fake_mnist.folder.parent).DESCR


@pytest.mark.slow
def test_shared_fashion_mnist_copy(mnist_data_home):
    """The shared Fashion-MNIST (a re-ordered redistribution) reads with verify=False."""
    if not (mnist_data_home / "fashion-mnist").is_dir():
        pytest.skip(f"no fashion-mnist/ beside {mnist_data_home / 'mnist'}")
    with pytest.raises(ValueError, match="verify=False"):
        fetch_fashion_mnist(data_home=mnist_data_home, download_if_missing=False)
    X, y = fetch_fashion_mnist(
        data_home=mnist_data_home, return_X_y=True, download_if_missing=False, verify=False
    )
    assert X.shape == (60000, 784) and np.bincount(y).tolist() == [6000] * 10
    # ../shared/README.md: the training pixels' statistics are the official set's
    assert X.mean() / 255 == pytest.approx(0.2860, abs=5e-5)
