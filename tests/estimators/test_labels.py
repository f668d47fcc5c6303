"""Labels: classes_, predict, predict_proba's columns, score, partial_fit's classes."""

import numpy as np
import pandas as pd
import pytest
from estimator_helpers import KINDS, block_images, make_estimator
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelEncoder

# Each maps the toy problem's classes 0, 1, 2 to the user's labels. The
# mappings are not monotonic, so predict_proba's columns only line up with
# classes_ if the labels are encoded in classes_'s (sorted) order.
LABELS = {
    "ints": lambda y: y,
    "non_contiguous_ints": lambda y: np.array([7, 3, 12])[y],
    "negative_ints": lambda y: np.array([1, -1, 0])[y],
    "digit_strings": lambda y: np.array(["5", "1", "3"])[y],
    "words": lambda y: np.array(["two", "one", "zero"])[y].astype(object),
    "categorical_series": lambda y: pd.Series(
        pd.Categorical(np.array(["b", "c", "a"])[y], categories=["c", "b", "a"])
    ),
}

# Settings under which each estimator fits the toy problem perfectly.
LEARNS_TOY = {"max_epochs": 12, "lr": 0.01}


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("kind", LABELS, ids=str)
def test_labels_are_kept_and_proba_columns_follow_classes_(cls, kind):
    X, y_codes = block_images()
    y = LABELS[kind](y_codes)
    y_array = np.asarray(y)
    clf = make_estimator(cls, **LEARNS_TOY).fit(X, y)

    # classes_ are the user's labels, sorted, as scikit-learn's classifiers have them
    expected_classes = LabelEncoder().fit(y).classes_
    np.testing.assert_array_equal(clf.classes_, expected_classes)
    np.testing.assert_array_equal(clf.classes_, np.unique(y_array))

    y_pred = clf.predict(X)
    assert y_pred.dtype == clf.classes_.dtype
    np.testing.assert_array_equal(y_pred, y_array)  # the toy problem is learned

    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    # the largest probability is in the true class's column
    true_column = np.searchsorted(clf.classes_, y_array)
    np.testing.assert_array_equal(proba.argmax(axis=1), true_column)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], y_pred)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_score_is_the_accuracy(cls):
    X, y_codes = block_images()
    y = LABELS["digit_strings"](y_codes)
    clf = make_estimator(cls, max_epochs=1).fit(X, y)
    # a partly wrong y_true so that the score is not trivially 1
    y_true = y.copy()
    y_true[:10] = np.roll(y_true[:10], 1)
    assert clf.score(X, y_true) == pytest.approx(accuracy_score(y_true, clf.predict(X)))
    weights = np.linspace(0.1, 1, len(X))
    assert clf.score(X, y_true, sample_weight=weights) == pytest.approx(
        accuracy_score(y_true, clf.predict(X), sample_weight=weights)
    )


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_binary_problems(cls):
    X, y_codes = block_images(n_classes=2)
    y = np.array(["neg", "pos"])[y_codes]
    clf = make_estimator(cls, **LEARNS_TOY).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, ["neg", "pos"])
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_array_equal(clf.predict(X), y)
    np.testing.assert_array_equal(proba.argmax(axis=1), y_codes)
    # two logits, as cross-entropy over two classes wants
    assert clf.summary()["output_shape"].iloc[-1] == (2,)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_a_single_class_is_a_clear_error(cls):
    X, _ = block_images(n_samples=10)
    with pytest.raises(ValueError, match=r"at least 2 classes.*only one class"):
        make_estimator(cls).fit(X, np.full(10, "7"))


@pytest.mark.parametrize(
    "y, match",
    [
        (np.linspace(0, 1, 10), "Unknown label type"),
        (np.arange(9), "inconsistent numbers of samples"),
        (None, "requires y to be passed"),
    ],
    ids=["continuous", "wrong_length", "none"],
)
def test_invalid_targets_are_refused(y, match):
    X, _ = block_images(n_samples=10)
    clf = make_estimator(KINDS[0])
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_partial_fit_needs_classes_on_its_first_call(cls):
    X, y_codes = block_images()
    y = LABELS["non_contiguous_ints"](y_codes)
    clf = make_estimator(cls)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)

    # classes may hold labels that the first batch lacks
    first = y != 12
    clf.partial_fit(X[first], y[first], classes=[3, 7, 12, 20])
    np.testing.assert_array_equal(clf.classes_, [3, 7, 12, 20])
    assert clf.summary()["output_shape"].iloc[-1] == (4,)
    assert len(clf.history) == 1
    proba_after_one = clf.predict_proba(X)

    clf.partial_fit(X, y)  # later calls need no classes
    assert len(clf.history) == 2
    np.testing.assert_array_equal(clf.classes_, [3, 7, 12, 20])
    assert clf.predict_proba(X).shape == (len(X), 4)
    assert not np.array_equal(clf.predict_proba(X), proba_after_one)  # it trained on

    with pytest.raises(ValueError, match=r"not among classes_.*\[99\]"):
        clf.partial_fit(X[:4], np.array([3, 7, 99, 3]))


def test_partial_fit_learns_the_toy_problem():
    X, y_codes = block_images()
    y = LABELS["words"](y_codes)
    clf = make_estimator(KINDS[0], lr=0.01)
    for _ in range(LEARNS_TOY["max_epochs"]):
        clf.partial_fit(X, y, classes=np.unique(y))
    np.testing.assert_array_equal(clf.predict(X), y)


def test_fit_after_partial_fit_starts_again_with_the_new_labels():
    X, y_codes = block_images()
    clf = make_estimator(KINDS[0])
    clf.partial_fit(X, y_codes, classes=[0, 1, 2, 3])
    clf.fit(X, LABELS["digit_strings"](y_codes))
    np.testing.assert_array_equal(clf.classes_, ["1", "3", "5"])
    assert len(clf.history) == clf.max_epochs
