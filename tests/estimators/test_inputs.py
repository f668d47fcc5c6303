"""What the estimators accept as X: layouts, dtypes, DataFrames, tensors, image sizes."""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from estimator_helpers import CONV_CLASSES, KINDS, block_images, make_estimator
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skmnist import LeNet5Classifier, MLPNetClassifier

LAYOUTS = {
    "rows": (784,),
    "images": (28, 28),
    "channels": (1, 28, 28),
}


def _proba_after_fit(cls, X, y, X_pred=None, **params):
    clf = make_estimator(cls, **params).fit(X, y)
    return clf, clf.predict_proba(X if X_pred is None else X_pred)


# ----------------------------------------------------------------------
# Layouts


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("layout", LAYOUTS, ids=str)
def test_each_layout_fits_as_one_grey_28x28_image(cls, layout):
    X, y = block_images()
    X = X.reshape(len(X), *LAYOUTS[layout])
    clf = make_estimator(cls).fit(X, y)
    assert clf.n_features_in_ == 784
    assert clf.image_shape_ == (1, 28, 28)
    y_pred = clf.predict(X)
    assert y_pred.shape == (len(X),)
    assert set(y_pred) <= set(clf.classes_)
    assert clf.predict_proba(X).shape == (len(X), 3)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_the_three_layouts_train_the_same_network(cls):
    # The same pixels in any of the three layouts are the same training data:
    # with the same seed the fitted networks agree exactly.
    X, y = block_images()
    flat = X.reshape(len(X), -1)
    probas = [
        _proba_after_fit(cls, X.reshape(len(X), *shape), y, X_pred=flat)[1]
        for shape in LAYOUTS.values()
    ]
    np.testing.assert_array_equal(probas[0], probas[1])
    np.testing.assert_array_equal(probas[0], probas[2])


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("fit_layout", LAYOUTS, ids=str)
def test_predict_accepts_another_layout_of_the_same_pixels(cls, fit_layout):
    X, y = block_images()
    clf = make_estimator(cls).fit(X.reshape(len(X), *LAYOUTS[fit_layout]), y)
    expected = clf.predict_proba(X.reshape(len(X), *LAYOUTS[fit_layout]))
    for shape in LAYOUTS.values():
        np.testing.assert_array_equal(clf.predict_proba(X.reshape(len(X), *shape)), expected)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_predictions_keep_the_order_of_the_samples(cls):
    X, y = block_images()
    clf = make_estimator(cls).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(clf.predict_proba(X[::-1]), proba[::-1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(clf.predict_proba(X[7:8]), proba[7:8], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "shape, n_features", [((700,), 700), ((20, 20), 400), ((1, 29, 29), 841)], ids=str
)
def test_wrong_number_of_features_at_predict_is_sklearns_error(cls, shape, n_features):
    X, y = block_images()
    clf = make_estimator(cls, max_epochs=1).fit(X, y)
    X_bad = np.zeros((3, *shape), dtype=np.uint8)
    message = f"X has {n_features} features, but {cls.__name__} is expecting 784 features as input"
    with pytest.raises(ValueError, match=message):
        clf.predict(X_bad)
    with pytest.raises(ValueError, match=message):
        clf.predict_proba(X_bad)


# ----------------------------------------------------------------------
# Dtypes and scaling


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_integer_pixels_and_the_same_pixels_divided_by_255_agree(cls):
    X, y = block_images()
    reference_clf, reference = _proba_after_fit(cls, X, y)
    inputs = {
        "int64": X.astype(np.int64),
        "float32": X.astype(np.float32) / np.float32(255),
        "float64": X.astype(np.float64) / 255,
    }
    for name, X_other in inputs.items():
        clf, proba = _proba_after_fit(cls, X_other, y)
        # float/255 rounds a little differently from the on-device scaling
        np.testing.assert_allclose(proba, reference, rtol=1e-4, atol=1e-5, err_msg=name)
        np.testing.assert_array_equal(clf.predict(X_other), reference_clf.predict(X), name)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_integer_pixels_at_predict_are_scaled_like_floats(cls):
    # Fitted on uint8, the model reads float input as already in [0, 1].
    X, y = block_images()
    clf = make_estimator(cls).fit(X, y)
    np.testing.assert_allclose(
        clf.predict_proba(X.astype(np.float32) / 255), clf.predict_proba(X), rtol=1e-4, atol=1e-5
    )


def test_float_pixels_are_used_as_given_not_rescaled():
    # 0-255 floats are not divided by 255: the network sees the values as given
    X, y = block_images()
    X = X.astype(np.float32)
    clf, proba = _proba_after_fit(MLPNetClassifier, X, y, lr=1e-3)
    module = clf.module_.eval()

    def softmax_of(values):
        with torch.no_grad():
            return torch.softmax(module(torch.as_tensor(values.reshape(len(X), -1))), 1).numpy()

    np.testing.assert_allclose(proba, softmax_of(X), atol=1e-5)
    assert not np.allclose(proba, softmax_of(X / 255), atol=1e-3)


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.float32, np.float64], ids=str)
@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_dtypes_fit_and_predict(cls, dtype):
    X, y = block_images(dtype=dtype)
    if np.dtype(dtype).kind == "f":
        X = X / dtype(255)
    clf = make_estimator(cls, max_epochs=1).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.dtype == np.float32
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)


# ----------------------------------------------------------------------
# DataFrames and tensors


def _frame(X, prefix="pixel"):
    flat = X.reshape(len(X), -1)
    return pd.DataFrame(flat, columns=[f"{prefix}{i}" for i in range(flat.shape[1])])


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_dataframe_input_keeps_feature_names(cls):
    X, y = block_images()
    frame = _frame(X)
    clf = make_estimator(cls).fit(frame, y)
    np.testing.assert_array_equal(clf.feature_names_in_, frame.columns.to_numpy())
    assert clf.n_features_in_ == 784
    # the same pixels as an array train the same network
    reference = make_estimator(cls).fit(X.reshape(len(X), -1), y)
    assert not hasattr(reference, "feature_names_in_")
    np.testing.assert_array_equal(clf.predict_proba(frame), reference.predict_proba(X))


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_dataframe_feature_name_checks_are_sklearns(cls):
    X, y = block_images()
    frame = _frame(X)
    clf = make_estimator(cls, max_epochs=1).fit(frame, y)
    sklearn_reference = StandardScaler().fit(frame)

    renamed = _frame(X, prefix="q")
    with pytest.raises(ValueError, match="feature names should match") as ours:
        clf.predict(renamed)
    with pytest.raises(ValueError) as theirs:
        sklearn_reference.transform(renamed)
    assert str(ours.value) == str(theirs.value)

    no_names = f"X does not have valid feature names, but {cls.__name__}"
    with pytest.warns(UserWarning, match=no_names):
        clf.predict(X.reshape(len(X), -1))

    unnamed = make_estimator(cls, max_epochs=1).fit(X.reshape(len(X), -1), y)
    with pytest.warns(UserWarning, match=f"X has feature names, but {cls.__name__}"):
        unnamed.predict(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.predict(frame)


@pytest.mark.parametrize("dtype", ["uint8", "int64", "UInt8", "Int64"])
def test_integer_dataframe_columns_are_integer_pixels(dtype):
    # Nullable integer columns ("UInt8", "Int64") are integer pixels too, even
    # though scikit-learn's validation turns them into floats.
    X, y = block_images()
    uint8_frame = _frame(X)
    clf, expected = _proba_after_fit(MLPNetClassifier, uint8_frame, y)
    frame = uint8_frame.astype(dtype)
    np.testing.assert_allclose(clf.predict_proba(frame), expected, rtol=1e-5, atol=1e-6)
    from_frame = make_estimator(MLPNetClassifier).fit(frame, y)
    np.testing.assert_allclose(
        from_frame.predict_proba(uint8_frame), expected, rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_torch_cpu_tensor_input(cls):
    X, y = block_images()
    clf, expected = _proba_after_fit(cls, X, y)
    from_tensor = make_estimator(cls).fit(torch.from_numpy(X), torch.from_numpy(y))
    np.testing.assert_array_equal(from_tensor.predict_proba(torch.from_numpy(X)), expected)
    flat_tensor = torch.from_numpy(X).reshape(len(X), -1)
    np.testing.assert_array_equal(clf.predict_proba(flat_tensor), expected)
    assert from_tensor.image_shape_ == (1, 28, 28)
    # a float tensor is used as given, as float arrays are
    np.testing.assert_allclose(
        clf.predict_proba(torch.from_numpy(X).float() / 255), expected, rtol=1e-4, atol=1e-5
    )


# ----------------------------------------------------------------------
# Image sizes and channels


@pytest.mark.parametrize("cls", CONV_CLASSES, ids=lambda c: c.__name__)
def test_non_square_rows_larger_than_28x28_are_refused_by_conv_nets(cls):
    X = np.zeros((6, 800), dtype=np.uint8)
    y = np.arange(6) % 2
    with pytest.raises(ValueError, match="800 features") as error:
        make_estimator(cls).fit(X, y)
    message = str(error.value)
    assert "not a square" in message
    assert "(n_samples, height, width)" in message
    # the same pixels with their layout given are accepted
    clf = make_estimator(cls, max_epochs=1).fit(X.reshape(6, 20, 40), y)
    assert clf.image_shape_ == (1, 20, 40)
    assert clf.predict(X).shape == (6,)


def test_the_mlp_takes_any_number_of_features():
    X = np.random.default_rng(0).integers(0, 256, size=(6, 800), dtype=np.uint8)
    y = np.arange(6) % 2
    clf = make_estimator(MLPNetClassifier, max_epochs=1).fit(X, y)
    assert clf.n_features_in_ == 800
    assert clf.module_.layers[1].in_features == 800
    assert clf.predict(X).shape == (6,)


@pytest.mark.parametrize("cls", CONV_CLASSES, ids=lambda c: c.__name__)
def test_non_square_rows_are_zero_padded_to_the_next_square(cls):
    X = np.random.default_rng(0).integers(0, 256, size=(6, 50), dtype=np.uint8)
    y = np.arange(6) % 2
    clf = make_estimator(cls, max_epochs=1).fit(X, y)
    assert clf.image_shape_ == (1, 8, 8)
    assert clf.n_features_in_ == 50
    # framed in 28x28: the first convolution sees a 28x28 image
    assert clf.summary()["output_shape"].iloc[0][1:] == (28, 28)
    assert clf.predict(X).shape == (6,)


@pytest.mark.parametrize("cls", CONV_CLASSES, ids=lambda c: c.__name__)
def test_small_images_are_centred_in_a_28x28_frame(cls):
    X, y = block_images(side=8)
    clf = make_estimator(cls).fit(X, y)
    assert clf.image_shape_ == (1, 8, 8)
    assert clf.summary()["output_shape"].iloc[0][1:] == (28, 28)
    # The frame is zeros around the centred image: framing by hand gives
    # the same predictions as the small images.
    framed = np.zeros((len(X), 28, 28), dtype=np.uint8)
    framed[:, 10:18, 10:18] = X
    twin = make_estimator(cls).fit(framed, y)
    np.testing.assert_array_equal(twin.predict_proba(framed), clf.predict_proba(X))


def test_the_mlp_does_not_frame_small_images():
    X, y = block_images(side=8)
    clf = make_estimator(MLPNetClassifier).fit(X, y)
    assert clf.n_features_in_ == 64
    assert clf.module_.layers[1].in_features == 64


@pytest.mark.parametrize("cls", CONV_CLASSES, ids=lambda c: c.__name__)
def test_small_three_channel_images_are_framed_per_channel(cls):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(12, 3, 8, 8), dtype=np.uint8)
    y = np.arange(12) % 2
    clf = make_estimator(cls).fit(X, y)
    assert clf.image_shape_ == (3, 8, 8)
    assert clf.module_.features[0].in_channels == 3
    framed = np.zeros((12, 3, 28, 28), dtype=np.uint8)
    framed[:, :, 10:18, 10:18] = X
    twin = make_estimator(cls).fit(framed, y)
    np.testing.assert_array_equal(twin.predict_proba(framed), clf.predict_proba(X))


def test_larger_images_get_a_network_sized_for_them():
    X, y = block_images(side=32)
    clf = make_estimator(LeNet5Classifier, max_epochs=1).fit(X, y)
    assert clf.image_shape_ == (1, 32, 32)
    # 32 -conv(pad 2)-> 32 -pool-> 16 -conv-> 12 -pool-> 6: 16 * 6 * 6 inputs
    assert clf.module_.classifier[1].in_features == 16 * 6 * 6
    assert clf.predict(X).shape == (len(X),)


@pytest.mark.parametrize("cls", CONV_CLASSES, ids=lambda c: c.__name__)
def test_three_channel_images_build_a_three_channel_first_convolution(cls):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(12, 3, 28, 28), dtype=np.uint8)
    y = np.arange(12) % 2
    clf = make_estimator(cls, max_epochs=1).fit(X, y)
    first_conv = clf.module_.features[0]
    assert isinstance(first_conv, torch.nn.Conv2d)
    assert first_conv.in_channels == 3
    assert clf.image_shape_ == (3, 28, 28)
    assert clf.n_features_in_ == 3 * 28 * 28
    # the same pixels as flat rows are read with the fitted layout
    np.testing.assert_array_equal(clf.predict_proba(X.reshape(12, -1)), clf.predict_proba(X))


def test_lenet5_learns_sklearns_8x8_digits():
    # load_digits: 8x8 images of 0-16 values, as 64 float features. Scaled to
    # [0, 1], framed in 28x28 by the estimator, LeNet-5 learns them: 0.92-0.94
    # held-out accuracy over seeds 0-4 with these settings (~1.5 s).
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16, y, test_size=0.25, stratify=y, random_state=0
    )
    clf = LeNet5Classifier(max_epochs=10, batch_size=32, lr=3e-3, random_state=0)
    clf.fit(X_train, y_train)
    assert clf.image_shape_ == (1, 8, 8)
    assert clf.score(X_test, y_test) > 0.85


# ----------------------------------------------------------------------
# Memory layouts, lists and the caller's arrays


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_memory_layouts_of_the_same_pixels_predict_the_same(cls):
    X, y = block_images()
    flat = X.reshape(len(X), -1)
    clf = make_estimator(cls).fit(flat, y)
    expected = clf.predict_proba(flat)
    wide = np.zeros((len(X), 28, 56), dtype=np.uint8)
    wide[:, :, ::2] = X
    same_pixels = {
        "fortran_rows": np.asfortranarray(flat),
        "fortran_4d": np.asfortranarray(X[:, None]),
        "strided_view": wide[:, :, ::2],
        "read_only": flat.copy(),
    }
    same_pixels["read_only"].setflags(write=False)
    for name, X_other in same_pixels.items():
        np.testing.assert_array_equal(clf.predict_proba(X_other), expected, err_msg=name)
    big_endian = (flat / 255).astype(">f4")
    np.testing.assert_allclose(clf.predict_proba(big_endian), expected, rtol=1e-4, atol=1e-5)
    # a read-only array (a memory map, say) trains too
    read_only = make_estimator(cls).fit(same_pixels["read_only"], y)
    np.testing.assert_array_equal(read_only.predict_proba(flat), expected)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32], ids=str)
@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_the_callers_arrays_are_not_modified(cls, dtype):
    # The data is wrapped without a copy where possible: nothing may write to it.
    X, y = block_images()
    if dtype == np.float32:
        X = X.astype(np.float32) / np.float32(255)
    for shape in LAYOUTS.values():
        X_in = X.reshape(len(X), *shape)
        original = X_in.copy()
        clf = make_estimator(cls).fit(X_in, y)
        clf.predict_proba(X_in)
        clf.partial_fit(X_in, y)
        np.testing.assert_array_equal(X_in, original)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_nested_lists_are_array_likes_too(cls):
    # Lists of rows and lists of 2-D images are array-likes, as the docstring
    # promises: they fit and predict as the equivalent arrays do.
    X, y = block_images(n_samples=12)
    clf, expected = _proba_after_fit(cls, X, y)
    as_images = [image for image in X]  # a list of (28, 28) arrays
    np.testing.assert_array_equal(clf.predict_proba(as_images), expected)
    np.testing.assert_array_equal(clf.predict_proba(X.tolist()), expected)
    np.testing.assert_array_equal(clf.predict_proba(X.reshape(12, -1).tolist()), expected)
    from_lists = make_estimator(cls).fit(X.tolist(), y.tolist())
    assert from_lists.image_shape_ == (1, 28, 28)
    np.testing.assert_array_equal(from_lists.predict_proba(X), expected)
