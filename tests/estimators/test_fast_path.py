"""The device-resident training path: skorch's training, no float64 copy, streaming, augmenting."""

import os
import sys
import tracemalloc

import numpy as np
import pytest
import torch
from estimator_helpers import PLAIN_LENET
from skorch import NeuralNetClassifier

from skmnist import LeNet5Classifier, MLPNetClassifier
from skmnist.estimators import augment_batch, resolve_augment
from skmnist.estimators._data import DeviceData
from skmnist.nets import LeNet5


def _digits_like(n=256, seed=0):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 4, n)
    X = rng.randint(0, 60, (n, 28, 28))
    for label in range(4):  # a bright bar whose position gives the class
        X[y == label, 4 + 5 * label : 8 + 5 * label, 6:22] += 180
    return X.astype(np.uint8), y


class _SamePermutations(torch.utils.data.Sampler):
    """The permutations the estimator draws: one generator seeded at seed + 1."""

    def __init__(self, n, seed):
        self.n, self.generator = n, torch.Generator().manual_seed(seed + 1)

    def __len__(self):
        return self.n

    def __iter__(self):
        return iter(torch.randperm(self.n, generator=self.generator).tolist())


def test_fast_path_trains_exactly_like_plain_skorch():
    X, y = _digits_like()
    X = (X / 255).astype(np.float32)
    seed = 3
    # torch's default optimizer kernels, as plain skorch has them
    ours = LeNet5Classifier(
        **PLAIN_LENET,
        max_epochs=3,
        batch_size=32,
        random_state=seed,
        device="cpu",
        step_mode="eager",
    )
    ours.fit(X, y)

    torch.manual_seed(seed)
    plain = NeuralNetClassifier(
        LeNet5,
        module__n_classes=4,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=3,
        batch_size=32,
        train_split=None,
        iterator_train__sampler=_SamePermutations(len(X), seed),
        verbose=0,
    )
    plain.fit(X.reshape(-1, 1, 28, 28), y)

    np.testing.assert_array_equal(
        ours.predict_proba(X), plain.predict_proba(X.reshape(-1, 1, 28, 28))
    )
    np.testing.assert_allclose(
        ours.history[:, "train_loss"], plain.history[:, "train_loss"], rtol=1e-6
    )


def test_uint8_input_is_wrapped_not_copied():
    X, y = _digits_like(64)
    clf = LeNet5Classifier(device="cpu")
    data = clf._training_data(X, y, reset=True)
    assert data.X.dtype == torch.uint8
    assert np.shares_memory(data.X.numpy(), X)


def test_fit_makes_no_float_copy_of_uint8_input():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 256, (20000, 784)).astype(np.uint8)  # 15.7 MB
    y = rng.randint(0, 10, len(X))
    clf = MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=1, batch_size=1000, device="cpu")
    tracemalloc.start()
    try:
        clf.fit(X, y)
        clf.predict(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # a float32 copy would be 63 MB and a float64 one 125 MB
    assert peak < X.nbytes


def test_streaming_path_gives_the_same_model():
    X, y = _digits_like(128)
    resident = LeNet5Classifier(max_epochs=2, batch_size=32, random_state=0, device="cpu")
    streaming = LeNet5Classifier(
        max_epochs=2, batch_size=32, random_state=0, device="cpu", device_data_budget=0
    )
    resident.fit(X, y)
    streaming.fit(X, y)
    assert not streaming._training_data(X, y, reset=False).resident
    np.testing.assert_array_equal(resident.predict_proba(X), streaming.predict_proba(X))


def test_datasets_subset_shares_storage():
    X, y = _digits_like(10)
    data = DeviceData(X.reshape(10, -1), y, device="cpu")
    view = data.subset([2, 5])
    Xb, yb = view.batch(slice(0, 2))
    np.testing.assert_array_equal(Xb.numpy(), X.reshape(10, -1)[[2, 5]])
    np.testing.assert_array_equal(yb.numpy(), y[[2, 5]])
    assert view.X.data_ptr() == data.X.data_ptr()


@pytest.mark.parametrize(
    "augment",
    ["affine", "elastic", "noise", "flip", {"rotation": 30.0}, {"hflip": 1.0}, {"erase": 1.0}],
)
def test_augmentation_changes_training_inputs_only(augment):
    X, _ = _digits_like(1)
    X = np.repeat(X, 16, axis=0)
    y = np.arange(16) % 2
    clf = LeNet5Classifier(max_epochs=1, batch_size=16, augment=augment, random_state=0)
    clf.fit(X, y)
    seen = []
    hook = clf.module_.register_forward_pre_hook(lambda module, args: seen.append(args[0]))
    clf.partial_fit(X, y)  # one more (augmented) training epoch
    clf.predict(X)
    hook.remove()
    train_inputs, predict_inputs = seen
    clean = torch.as_tensor(X[:1] / 255, dtype=torch.float32).unsqueeze(1)
    torch.testing.assert_close(predict_inputs, clean.expand(16, -1, -1, -1))
    assert (train_inputs - clean).abs().amax(dim=(1, 2, 3)).min() > 1e-3


def test_augmentation_is_reproducible():
    X, y = _digits_like(64)
    probas = [
        LeNet5Classifier(max_epochs=2, augment="elastic", random_state=1).fit(X, y).predict_proba(X)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(*probas)


def test_hflip_flips_that_share_of_the_images_left_to_right():
    x = torch.rand(400, 1, 28, 28)
    always = augment_batch(x, resolve_augment({"hflip": 1.0}))
    torch.testing.assert_close(always, x.flip(3))
    torch.manual_seed(0)
    half = augment_batch(x, resolve_augment({"hflip": 0.5}))
    flipped = (half == x.flip(3)).flatten(1).all(1)
    kept = (half == x).flatten(1).all(1)
    assert bool((flipped ^ kept).all())  # each image is either flipped or left as it was
    assert 150 < int(flipped.sum()) < 250


def test_erase_blanks_one_rectangle_of_that_share_of_the_images():
    x = torch.rand(400, 1, 28, 28) + 0.1  # no pixel is 0 before erasing
    always = augment_batch(x, resolve_augment({"erase": 1.0}))
    blank = always == 0
    assert bool(((always == x) | blank).all())  # pixels are kept or set to 0
    rows, cols = blank.any(3).squeeze(1), blank.any(2).squeeze(1)
    height, width = rows.sum(1), cols.sum(1)
    # one rectangle each: its pixels are the rows it spans times the columns it spans
    assert torch.equal(blank.flatten(1).sum(1), height * width)
    area = (height * width).float() / (28 * 28)
    assert float(area.min()) >= 0.015 and float(area.max()) <= 0.36
    assert float(area.max()) - float(area.min()) > 0.15  # sizes vary
    torch.manual_seed(0)
    half = augment_batch(x, resolve_augment({"erase": 0.5}))
    erased = (half == 0).flatten(1).any(1)
    assert 150 < int(erased.sum()) < 250


@pytest.mark.parametrize(
    "augment",
    [
        "rotate",
        {"spin": 3},
        {"scale": (1.2, 0.8)},
        5,
        {"hflip": 1.5},
        {"hflip": -1},
        {"erase": 2},
        {"erase": "yes"},
    ],
)
def test_bad_augment_is_a_clear_error(augment):
    X, y = _digits_like(16)
    with pytest.raises(ValueError, match="augment"):
        LeNet5Classifier(max_epochs=1, augment=augment).fit(X, y)


def _host_reads_during_fit(clf, X, y, monkeypatch):
    """How often skmnist's and skorch's own code read a tensor's value on the host."""
    reads = []
    for name in ("item", "tolist", "cpu", "numpy", "__float__", "__int__", "__bool__"):
        original = getattr(torch.Tensor, name)

        def counting(self, *args, _original=original, **kwargs):
            caller = sys._getframe(1).f_code.co_filename
            if f"{os.sep}skmnist{os.sep}" in caller or f"{os.sep}skorch{os.sep}" in caller:
                reads.append(caller)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, counting)
    clf.fit(X, y)
    monkeypatch.undo()
    return len(reads)


# every augmentation setting at once: flips, the affine grid, elastic fields, erasing, noise
_EVERY_AUGMENTATION = {
    "hflip": 0.5,
    "rotation": 10.0,
    "scale": (0.9, 1.1),
    "translation": 0.1,
    "shear": 5.0,
    "elastic_alpha": 2.0,
    "erase": 0.5,
    "noise_std": 0.05,
}


@pytest.mark.parametrize(
    "early_stopping, augment", [(False, None), (True, None), (False, _EVERY_AUGMENTATION)]
)
def test_host_reads_per_epoch_do_not_grow_with_the_batches(early_stopping, augment, monkeypatch):
    # skorch reads loss.item() after every batch, a wait for the GPU each time; the
    # estimators read the epoch's losses and accuracy once per pass, and augmentation
    # draws and applies its random transforms on the device
    X, y = _digits_like(512)
    reads = {
        batch_size: _host_reads_during_fit(
            LeNet5Classifier(
                max_epochs=2,
                batch_size=batch_size,
                device="cpu",
                early_stopping=early_stopping,
                augment=augment,
                lr_schedule="onecycle",
                clip_grad_norm=1.0,
                random_state=0,
            ),
            X,
            y,
            monkeypatch,
        )
        for batch_size in (128, 8)  # 4 and 64 batches per epoch
    }
    assert reads[8] == reads[128]
    assert reads[8] <= 16
