"""The pixel-range guard: prediction input on another scale than training gets a warning."""

import pickle
import warnings

import numpy as np
import pytest
from estimator_helpers import block_images

from skmnist import MLPNetClassifier, load_model, save_model


@pytest.fixture(scope="module")
def trained_on_uint8():
    X, y = block_images()
    return MLPNetClassifier(max_epochs=2, random_state=0).fit(X, y), X, y


def _no_warning(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


def test_the_training_range_is_recorded_as_the_network_reads_it(trained_on_uint8):
    clf, X, _ = trained_on_uint8
    assert clf.pixel_range_ == (X.min() / 255, X.max() / 255)
    floats = MLPNetClassifier(max_epochs=1).fit(X / 255.0, np.arange(len(X)) % 3)
    assert floats.pixel_range_ == pytest.approx(clf.pixel_range_)


def test_floats_0_255_after_training_on_uint8_get_a_warning_naming_the_fix(trained_on_uint8):
    clf, X, _ = trained_on_uint8
    with pytest.warns(
        UserWarning,
        match=r"pixels range from 0 to 255 .* training pixels "
        r"ranged from 0 to 1.*X / 255",
    ):
        clf.predict(X.astype(np.float32))


def test_object_arrays_of_whole_numbers_are_integer_pixels(trained_on_uint8):
    # Python ints (a list, an object array, a DataFrame of objects) are read as 0-255
    # intensities, as a NumPy integer array is: no warning, the same predictions
    clf, X, y = trained_on_uint8
    expected = clf.predict_proba(X)
    np.testing.assert_array_equal(
        _no_warning(lambda: clf.predict_proba(X.astype(object))), expected
    )
    refit = MLPNetClassifier(max_epochs=1, random_state=0)
    assert _no_warning(lambda: refit.fit(X.astype(object), y)).pixel_range_ == clf.pixel_range_


def test_the_same_scale_in_another_dtype_gives_no_warning(trained_on_uint8):
    clf, X, _ = trained_on_uint8
    expected = clf.predict_proba(X)
    np.testing.assert_allclose(
        _no_warning(lambda: clf.predict_proba(X / 255.0)), expected, atol=1e-6
    )
    _no_warning(lambda: clf.predict(X.astype(np.int64)))
    _no_warning(lambda: clf.predict(np.zeros_like(X)))  # blank images are inside the range


def test_integer_pixels_outside_0_255_get_a_warning(trained_on_uint8):
    clf, X, y = trained_on_uint8
    with pytest.warns(UserWarning, match="integer pixels from 0 to 1020, outside 0-255"):
        clf.predict(X.astype(np.int32) * 4)
    with pytest.warns(UserWarning, match="integer pixels from -1 to 255, outside 0-255"):
        MLPNetClassifier(max_epochs=1).fit(X.astype(np.int16) - (X == 0), y)


def test_the_range_survives_pickle_and_save_model(trained_on_uint8, tmp_path):
    clf, X, _ = trained_on_uint8
    assert pickle.loads(pickle.dumps(clf)).pixel_range_ == clf.pixel_range_
    save_model(clf, tmp_path / "m.safetensors")
    loaded = load_model(tmp_path / "m.safetensors")
    assert loaded.pixel_range_ == pytest.approx(clf.pixel_range_)
    with pytest.warns(UserWarning, match="training pixels ranged"):
        loaded.predict(X.astype(np.float32))
