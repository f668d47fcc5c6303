"""The networks each estimator builds: layers, sizes, parameter counts, summary()."""

import numpy as np
import pandas as pd
import pytest
import torch
from estimator_helpers import ESTIMATOR_CLASSES, block_images, make_estimator

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier


def _fitted_module(cls, **params):
    X, y = block_images(n_samples=20, n_classes=10)
    return make_estimator(cls, max_epochs=1, **params).fit(X, y).module_


def _layers(module, kind):
    return [m for m in module.modules() if isinstance(m, kind)]


def _total(summary):
    return int(summary["n_params"].sum())


# ----------------------------------------------------------------------
# LeNet-5


@pytest.mark.parametrize(
    "params, act, pool",
    [({}, "ReLU", "MaxPool2d"), ({"activation": "tanh", "pooling": "avg"}, "Tanh", "AvgPool2d")],
)
def test_lenet5_has_61706_parameters(params, act, pool):
    # the defaults (ReLU, max pooling) and the network of 1998: the same size
    table = LeNet5Classifier(**params).summary()
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == ["layer", "type", "output_shape", "n_params"]
    assert _total(table) == 61_706
    assert table["type"].tolist() == [
        "Conv2d", act, pool, "Conv2d", act, pool,
        "Flatten", "Linear", act, "Linear", act, "Linear",
    ]  # fmt: skip
    assert table["output_shape"].tolist()[:6] == [
        (6, 28, 28), (6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 10, 10), (16, 5, 5),
    ]  # fmt: skip
    linears = table[table["type"] == "Linear"]
    assert linears["output_shape"].tolist() == [(120,), (84,), (10,)]


def test_lenet5_summary_as_text():
    text = LeNet5Classifier().summary(as_text=True)
    assert isinstance(text, str)
    assert "61,706" in text
    assert "Conv2d" in text and "MaxPool2d" in text


def test_lenet5_fitted_module_matches_its_summary():
    module = _fitted_module(LeNet5Classifier)
    assert sum(p.numel() for p in module.parameters()) == 61_706
    convs = _layers(module, torch.nn.Conv2d)
    assert [(c.in_channels, c.out_channels, c.kernel_size) for c in convs] == [
        (1, 6, (5, 5)),
        (6, 16, (5, 5)),
    ]
    assert [m.out_features for m in _layers(module, torch.nn.Linear)] == [120, 84, 10]
    assert len(_layers(module, torch.nn.ReLU)) == 4
    assert not _layers(module, torch.nn.Dropout)
    assert not _layers(module, torch.nn.modules.batchnorm._BatchNorm)


def test_lenet5_with_dropout():
    module = _fitted_module(LeNet5Classifier, conv_dropout=0.2, fc_dropout=0.5)
    assert [m.p for m in _layers(module.features, torch.nn.Dropout)] == [0.2, 0.2]
    assert [m.p for m in _layers(module.classifier, torch.nn.Dropout)] == [0.5, 0.5]
    # dropout adds no parameters
    assert sum(p.numel() for p in module.parameters()) == 61_706


@pytest.mark.parametrize(
    "pooling, kind", [("max", torch.nn.MaxPool2d), ("avg", torch.nn.AvgPool2d)]
)
def test_lenet5_pooling(pooling, kind):
    module = _fitted_module(LeNet5Classifier, pooling=pooling)
    pools = _layers(module, (torch.nn.MaxPool2d, torch.nn.AvgPool2d))
    assert len(pools) == 2
    assert all(type(m) is kind for m in pools)


def test_lenet5_batch_norm():
    module = _fitted_module(LeNet5Classifier, batch_norm=True)
    assert [m.num_features for m in _layers(module, torch.nn.BatchNorm2d)] == [6, 16]
    assert [m.num_features for m in _layers(module, torch.nn.BatchNorm1d)] == [120, 84]
    table = LeNet5Classifier(batch_norm=True).summary()
    assert _total(table) == 61_706 + 2 * (6 + 16 + 120 + 84)


def test_lenet5_activation():
    module = _fitted_module(LeNet5Classifier, activation="relu")
    assert len(_layers(module, torch.nn.ReLU)) == 4
    assert not _layers(module, torch.nn.Tanh)


# ----------------------------------------------------------------------
# MLP


def test_mlp_default_is_784_128_10():
    table = MLPNetClassifier().summary()
    linears = table[table["type"] == "Linear"]
    assert linears["output_shape"].tolist() == [(128,), (10,)]
    assert _total(table) == 784 * 128 + 128 + 128 * 10 + 10


def test_custom_mlp_82_56_28_tanh_has_70904_parameters():
    clf = MLPNetClassifier(hidden_layer_sizes=(82, 56, 28), activation="tanh")
    table = clf.summary()
    assert _total(table) == 70_904
    assert (table["type"] == "Tanh").sum() == 3
    assert "70,904" in clf.summary(as_text=True)


def test_mlp_256_128():
    table = MLPNetClassifier(hidden_layer_sizes=(256, 128)).summary()
    linears = table[table["type"] == "Linear"]
    assert linears["output_shape"].tolist() == [(256,), (128,), (10,)]
    # the parameter counts fix the widths: 784-256-128-10
    assert linears["n_params"].tolist() == [784 * 256 + 256, 256 * 128 + 128, 128 * 10 + 10]
    module = _fitted_module(MLPNetClassifier, hidden_layer_sizes=(256, 128))
    assert [(m.in_features, m.out_features) for m in _layers(module, torch.nn.Linear)] == [
        (784, 256),
        (256, 128),
        (128, 10),
    ]


def test_mlp_dropout_and_batch_norm():
    module = _fitted_module(
        MLPNetClassifier, hidden_layer_sizes=(32, 16), dropout=0.3, batch_norm=True
    )
    assert [m.p for m in _layers(module, torch.nn.Dropout)] == [0.3, 0.3]
    assert [m.num_features for m in _layers(module, torch.nn.BatchNorm1d)] == [32, 16]


# ----------------------------------------------------------------------
# CNN


def test_cnn_default_architecture():
    table = CNNClassifier().summary()
    convs = [(32, 1 * 32 * 9), (64, 32 * 64 * 9), (128, 64 * 128 * 9)]  # no bias with BatchNorm
    expected = sum(n for _, n in convs) + 2 * (32 + 64 + 128) + (128 * 3 * 3 * 128 + 128)
    expected += 128 * 10 + 10
    assert _total(table) == expected == 241_770
    conv_rows = table[table["type"] == "Conv2d"]
    assert conv_rows["output_shape"].tolist() == [(32, 28, 28), (64, 14, 14), (128, 7, 7)]
    assert (table["type"] == "BatchNorm2d").sum() == 3
    assert (table["type"] == "MaxPool2d").sum() == 3

    module = _fitted_module(CNNClassifier, channels=(32, 64, 128))
    assert [m.p for m in _layers(module.features, torch.nn.Dropout)] == [0.25] * 3
    assert [m.p for m in _layers(module.classifier, torch.nn.Dropout)] == [0.5]


def test_cnn_with_two_convolutions_per_block():
    table = CNNClassifier(convs_per_block=2).summary()
    conv_rows = table[table["type"] == "Conv2d"]
    assert conv_rows["output_shape"].tolist() == [
        (32, 28, 28),
        (32, 28, 28),
        (64, 14, 14),
        (64, 14, 14),
        (128, 7, 7),
        (128, 7, 7),
    ]
    assert (table["type"] == "BatchNorm2d").sum() == 6
    assert (table["type"] == "MaxPool2d").sum() == 3
    # the second convolution of each block: c * c * 9 weights and a BatchNorm of 2c
    extra = sum(c * c * 9 + 2 * c for c in (32, 64, 128))
    assert _total(table) == 241_770 + extra


def test_cnn_without_batch_norm_has_conv_biases():
    module = _fitted_module(CNNClassifier, batch_norm=False, dropout=0.0)
    assert not _layers(module, torch.nn.BatchNorm2d)
    assert not _layers(module, torch.nn.Dropout)
    assert all(c.bias is not None for c in _layers(module, torch.nn.Conv2d))


# ----------------------------------------------------------------------
# summary() of fitted estimators


@pytest.mark.parametrize("cls", ESTIMATOR_CLASSES, ids=lambda c: c.__name__)
def test_summary_of_a_fitted_estimator_describes_its_module(cls):
    X, y = block_images(n_classes=3)
    clf = make_estimator(cls).fit(X, y)
    table = clf.summary()
    assert _total(table) == sum(p.numel() for p in clf.module_.parameters())
    assert table["output_shape"].iloc[-1] == (3,)
    # summary() runs the module in eval mode and gives it back as it was
    # (BatchNorm's running statistics untouched)
    proba = clf.predict_proba(X)
    clf.module_.train()
    clf.summary()
    assert clf.module_.training
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


@pytest.mark.parametrize("n_features", [50, 800])
def test_mlp_summary_after_fitting_a_non_square_number_of_features(n_features):
    # The MLP takes the rows as they are (no padding to a square): its summary
    # must run the module on rows of n_features values.
    X = np.random.default_rng(0).integers(0, 256, size=(6, n_features), dtype=np.uint8)
    clf = make_estimator(MLPNetClassifier, max_epochs=1).fit(X, np.arange(6) % 2)
    table = clf.summary()
    assert table["output_shape"].iloc[0] == (n_features,)
    assert table["n_params"].iloc[1] == n_features * 128 + 128
    assert _total(table) == sum(p.numel() for p in clf.module_.parameters())
    assert f"{_total(table):,}" in clf.summary(as_text=True)
