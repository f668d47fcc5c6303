"""Pickling and joblib round-trips, fitted and unfitted."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from estimator_helpers import KINDS, block_images, make_estimator
from sklearn.exceptions import NotFittedError


def _roundtrip(clf, how, tmp_path):
    if how == "pickle":
        return pickle.loads(pickle.dumps(clf))
    path = tmp_path / "model.joblib"
    joblib.dump(clf, path)
    return joblib.load(path)


@pytest.mark.parametrize("how", ["pickle", "joblib"])
@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_fitted_estimator_roundtrip_predicts_the_same(cls, how, tmp_path):
    X, y_codes = block_images()
    y = np.array(["a", "b", "c"])[y_codes]
    clf = make_estimator(cls).fit(X.reshape(len(X), -1), y)
    loaded = _roundtrip(clf, how, tmp_path)
    assert loaded is not clf
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    np.testing.assert_array_equal(loaded.classes_, clf.classes_)
    assert loaded.image_shape_ == clf.image_shape_
    assert loaded.n_features_in_ == clf.n_features_in_
    assert loaded.device == "auto"
    assert loaded.get_params(deep=False).keys() == clf.get_params(deep=False).keys()
    assert len(loaded.history) == len(clf.history)
    for a, b in zip(
        loaded.module_.state_dict().values(), clf.module_.state_dict().values(), strict=False
    ):
        assert torch.equal(a, b)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_a_loaded_estimator_trains_on(cls, tmp_path):
    X, y = block_images()
    clf = make_estimator(cls).fit(X, y)
    loaded = _roundtrip(clf, "joblib", tmp_path)
    # the optimizer's state came along: continuing gives what continuing
    # the original gives
    loaded.partial_fit(X, y)
    clf.partial_fit(X, y)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert len(loaded.history) == clf.max_epochs + 1


@pytest.mark.parametrize("how", ["pickle", "joblib"])
@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_unfitted_estimator_roundtrip(cls, how, tmp_path):
    clf = make_estimator(cls, lr=0.02)
    loaded = _roundtrip(clf, how, tmp_path)
    assert loaded.get_params(deep=False).keys() == clf.get_params(deep=False).keys()
    assert loaded.lr == 0.02
    assert loaded.device == "auto"
    X, y = block_images()
    with pytest.raises(NotFittedError):
        loaded.predict(X)
    # and it fits as the original does
    np.testing.assert_array_equal(loaded.fit(X, y).predict_proba(X), clf.fit(X, y).predict_proba(X))


def test_dataframe_feature_names_survive_pickling():
    X, y = block_images()
    frame = pd.DataFrame(X.reshape(len(X), -1), columns=[f"p{i}" for i in range(784)])
    clf = make_estimator(KINDS[0]).fit(frame, y)
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.feature_names_in_, frame.columns.to_numpy())
    np.testing.assert_array_equal(loaded.predict_proba(frame), clf.predict_proba(frame))
