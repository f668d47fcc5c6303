"""Tests for skmnist.preprocessing.PixelNormalizer."""

import doctest
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmnist.preprocessing import PixelNormalizer, _pixel


@parametrize_with_checks(
    [
        PixelNormalizer(),
        PixelNormalizer(standardize="mnist"),
        PixelNormalizer(standardize="fit"),
        PixelNormalizer(max_value=100.0, standardize="fit"),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_docstring_examples():
    result = doctest.testmod(_pixel, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0


def _images(shape, seed=0, dtype=np.uint8):
    """Random pixel values in [0, 255] of the given shape."""
    return np.random.default_rng(seed).integers(0, 256, size=shape).astype(dtype)


def test_exact_values_in_float32():
    X = np.array([[0, 255, 128, 51]], dtype=np.uint8)
    Xt = PixelNormalizer().fit_transform(X)
    assert Xt.dtype == np.float32
    assert Xt[0, 0] == 0.0
    assert Xt[0, 1] == 1.0
    assert Xt[0, 2] == np.float32(128 / 255)
    assert Xt[0, 3] == np.float32(0.2)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int32, np.int64, np.float32, np.float64])
def test_output_is_float32_for_any_input_dtype(dtype):
    X = _images((5, 16), dtype=dtype)
    Xt = PixelNormalizer().fit(X).transform(X)
    assert Xt.dtype == np.float32
    np.testing.assert_array_equal(Xt, (X.astype(np.float64) / 255).astype(np.float32))


@pytest.mark.parametrize("shape", [(6, 784), (6, 28, 28), (6, 1, 28, 28), (6, 3, 8, 8)])
@pytest.mark.parametrize("standardize", [None, "mnist", "fit"])
def test_layout_is_preserved(shape, standardize):
    X = _images(shape)
    normalizer = PixelNormalizer(standardize=standardize).fit(X)
    Xt = normalizer.transform(X)
    assert Xt.shape == shape
    assert Xt.dtype == np.float32
    assert normalizer.sample_shape_ == shape[1:]
    assert normalizer.n_features_in_ == np.prod(shape[1:])
    assert len(normalizer.get_feature_names_out()) == np.prod(shape[1:])


def test_layouts_give_the_same_values():
    X = _images((4, 1, 28, 28))
    flat = PixelNormalizer(standardize="fit").fit_transform(X.reshape(4, -1))
    grey = PixelNormalizer(standardize="fit").fit_transform(X.reshape(4, 28, 28))
    chw = PixelNormalizer(standardize="fit").fit_transform(X)
    np.testing.assert_array_equal(flat, grey.reshape(4, -1))
    np.testing.assert_array_equal(flat, chw.reshape(4, -1))


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("standardize", [None, "fit"])
def test_input_is_not_modified(dtype, standardize):
    X = _images((5, 28, 28), dtype=dtype)
    X_before = X.copy()
    Xt = PixelNormalizer(standardize=standardize).fit(X).transform(X)
    np.testing.assert_array_equal(X, X_before)
    assert not np.shares_memory(Xt, X)


def test_mnist_standardization_uses_the_fixed_statistics():
    X = np.array([[0, 255, 51]], dtype=np.uint8)
    normalizer = PixelNormalizer(standardize="mnist").fit(X)
    assert normalizer.mean_ == 0.1307
    assert normalizer.std_ == 0.3081
    expected = (np.array([[0.0, 1.0, 0.2]]) - 0.1307) / 0.3081
    np.testing.assert_allclose(normalizer.transform(X), expected, rtol=1e-6)


def test_mnist_standardization_ignores_the_fitted_data():
    first = PixelNormalizer(standardize="mnist").fit(np.zeros((2, 4)))
    second = PixelNormalizer(standardize="mnist").fit(np.full((2, 4), 255.0))
    X = _images((3, 4))
    np.testing.assert_array_equal(first.transform(X), second.transform(X))


def test_fit_standardization_learns_known_statistics():
    # Half the pixels are 0 and half 255: mean 0.5 and std 0.5 on [0, 1].
    X = np.array([[0, 255, 0, 255], [255, 0, 255, 0]], dtype=np.uint8)
    normalizer = PixelNormalizer(standardize="fit").fit(X)
    assert normalizer.mean_ == 0.5
    assert normalizer.std_ == 0.5
    np.testing.assert_array_equal(normalizer.transform(X), [[-1, 1, -1, 1], [1, -1, 1, -1]])


def test_fit_standardization_matches_numpy_over_all_pixels():
    X = _images((50, 1, 28, 28))
    # More rows than one batch, so the batched variance is exercised.
    X = np.concatenate([X] * 30)
    normalizer = PixelNormalizer(standardize="fit").fit(X)
    scaled = X.astype(np.float64) / 255
    assert normalizer.mean_ == pytest.approx(scaled.mean(), rel=1e-12)
    assert normalizer.std_ == pytest.approx(scaled.std(), rel=1e-12)
    Xt = normalizer.transform(X)
    assert Xt.mean(dtype=np.float64) == pytest.approx(0, abs=1e-6)
    assert Xt.std(dtype=np.float64) == pytest.approx(1, rel=1e-6)


def test_fit_standardization_of_constant_images_divides_by_one():
    X = np.full((3, 28, 28), 17, dtype=np.uint8)
    normalizer = PixelNormalizer(standardize="fit").fit(X)
    assert normalizer.mean_ == pytest.approx(17 / 255)
    assert normalizer.std_ == 1.0
    Xt = normalizer.transform(X)
    assert np.isfinite(Xt).all()
    np.testing.assert_allclose(Xt, 0, atol=1e-7)


def test_no_standardization_stores_identity_statistics():
    normalizer = PixelNormalizer().fit(_images((3, 10)))
    assert (normalizer.mean_, normalizer.std_) == (0.0, 1.0)


def test_transform_uses_the_statistics_of_the_last_fit():
    X = _images((4, 10))
    normalizer = PixelNormalizer(standardize="fit").fit(X)
    standardized = normalizer.transform(X)
    normalizer.set_params(standardize=None).fit(X)
    np.testing.assert_array_equal(normalizer.transform(X), X / np.float32(255))
    normalizer.set_params(standardize="fit").fit(X)
    np.testing.assert_array_equal(normalizer.transform(X), standardized)


def test_max_value_for_sixteen_level_digits():
    X = np.array([[0, 4, 8, 16]])
    Xt = PixelNormalizer(max_value=16).fit_transform(X)
    np.testing.assert_array_equal(Xt, [[0, 0.25, 0.5, 1]])
    with pytest.raises(ValueError, match=r"\[0, 16\]; got a maximum of 17\.0"):
        PixelNormalizer(max_value=16).fit(X + 1)


@pytest.mark.parametrize("method", ["fit", "transform"])
@pytest.mark.parametrize(
    "value, message",
    [
        (np.nan, r"got NaN in X; pixel values must be finite numbers in \[0, 255\]"),
        (np.inf, r"got inf in X; pixel values must be finite numbers in \[0, 255\]"),
        (-np.inf, r"got inf in X"),
        (
            -3.0,
            r"Negative values in data passed to PixelNormalizer: got a minimum "
            r"of -3\.0, but pixel values must lie in \[0, 255\]",
        ),
        (
            312.0,
            r"PixelNormalizer expects pixel values in \[0, 255\]; got a maximum "
            r"of 312\.0\. Set max_value",
        ),
    ],
)
def test_invalid_pixel_values_are_rejected(method, value, message):
    X_good = _images((3, 28, 28), dtype=np.float64)
    X_bad = X_good.copy()
    X_bad[1, 5, 7] = value
    normalizer = PixelNormalizer()
    if method == "transform":
        normalizer.fit(X_good)
    with pytest.raises(ValueError, match=message):
        getattr(normalizer, method)(X_bad)


@pytest.mark.parametrize(
    "fit_shape, transform_shape, message",
    [
        (
            (3, 784),
            (3, 100),
            "X has 100 features, but PixelNormalizer is expecting 784 features",
        ),
        (
            (3, 28, 28),
            (3, 784),
            r"X has samples of shape \(784,\) \(784 pixels\), but PixelNormalizer "
            r"was fitted on samples of shape \(28, 28\) \(784 pixels\)\. Pass the "
            r"images in the layout used in fit, e\.g\. X\.reshape\(-1, 28, 28\)",
        ),
        (
            (3, 1, 28, 28),
            (3, 28, 28),
            r"X has samples of shape \(28, 28\) .* fitted on samples of shape "
            r"\(1, 28, 28\)",
        ),
        ((3, 28, 28), (3, 14, 14), r"shape \(14, 14\) \(196 pixels\)"),
    ],
)
def test_layout_mismatch_at_transform_is_rejected(fit_shape, transform_shape, message):
    normalizer = PixelNormalizer().fit(_images(fit_shape))
    with pytest.raises(ValueError, match=message):
        normalizer.transform(_images(transform_shape))


@pytest.mark.parametrize("shape", [(784,), (2, 1, 1, 28, 28)])
def test_wrong_number_of_dimensions_is_rejected(shape):
    with pytest.raises(ValueError, match=f"got a {len(shape)}-D array"):
        PixelNormalizer().fit(_images(shape))


def test_transform_before_fit_raises():
    with pytest.raises(NotFittedError):
        PixelNormalizer().transform(_images((2, 4)))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"max_value": 0}, "'max_value' parameter of PixelNormalizer"),
        ({"max_value": -1.0}, "'max_value' parameter of PixelNormalizer"),
        ({"standardize": "zscore"}, "'standardize' parameter of PixelNormalizer"),
        ({"standardize": True}, "'standardize' parameter of PixelNormalizer"),
    ],
)
def test_invalid_parameters_are_rejected(params, message):
    with pytest.raises(ValueError, match=message):
        PixelNormalizer(**params).fit(_images((2, 4)))


def test_pandas_output_for_rows():
    X = _images((4, 6))
    Xt = PixelNormalizer().set_output(transform="pandas").fit_transform(X)
    assert isinstance(Xt, pd.DataFrame)
    assert list(Xt.columns) == [f"x{i}" for i in range(6)]
    assert (Xt.dtypes == np.float32).all()
    np.testing.assert_array_equal(Xt.to_numpy(), X / np.float32(255))


def test_dataframe_input_keeps_feature_names():
    columns = [f"pixel{i}" for i in range(6)]
    X = pd.DataFrame(_images((4, 6)), columns=columns, index=list("abcd"))
    normalizer = PixelNormalizer().set_output(transform="pandas").fit(X)
    np.testing.assert_array_equal(normalizer.feature_names_in_, columns)
    np.testing.assert_array_equal(normalizer.get_feature_names_out(), columns)
    Xt = normalizer.transform(X)
    assert list(Xt.columns) == columns
    assert list(Xt.index) == list("abcd")
    assert (Xt.to_numpy() <= 1).all()


def test_dataframe_input_gives_an_array_by_default():
    X = pd.DataFrame(_images((4, 6)), columns=[f"pixel{i}" for i in range(6)])
    Xt = PixelNormalizer().fit_transform(X)
    assert isinstance(Xt, np.ndarray)
    assert Xt.dtype == np.float32


@pytest.mark.parametrize("shape", [(3, 28, 28), (3, 1, 28, 28)])
def test_pandas_output_for_images_is_rejected(shape):
    X = _images(shape)
    normalizer = PixelNormalizer().set_output(transform="pandas")
    with pytest.raises(ValueError, match=r"set_output\(transform='pandas'\) needs 2-D input"):
        normalizer.fit_transform(X)


def test_pipeline_with_logistic_regression():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(80, 64)).astype(np.uint8)
    y = (X[:, :32].mean(axis=1) > X[:, 32:].mean(axis=1)).astype(int)
    for standardize in [None, "mnist", "fit"]:
        pipe = make_pipeline(PixelNormalizer(standardize=standardize), LogisticRegression())
        pipe.fit(X, y)
        assert pipe.score(X, y) > 0.9
        assert pipe.predict(X).shape == (80,)


def test_clone_params_and_pickle():
    normalizer = PixelNormalizer(max_value=16.0, standardize="fit")
    assert normalizer.get_params() == {"max_value": 16.0, "standardize": "fit"}
    normalizer.set_params(max_value=255.0)
    assert normalizer.max_value == 255.0

    X = _images((5, 28, 28))
    normalizer.fit(X)
    cloned = clone(normalizer)
    assert cloned.get_params() == normalizer.get_params()
    assert not hasattr(cloned, "mean_")

    restored = pickle.loads(pickle.dumps(normalizer))
    assert restored.mean_ == normalizer.mean_
    assert restored.std_ == normalizer.std_
    np.testing.assert_array_equal(restored.transform(X), normalizer.transform(X))
