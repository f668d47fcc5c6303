"""ImageGridDisplay: images in any layout, titled with labels, errors in red."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

from skmnist import MLPNetClassifier, PixelNormalizer
from skmnist.plotting import ImageGridDisplay

TITLE = re.compile(r"true: (\d) / pred: (\d) \((\d\.\d\d)\)")


def _drawn(disp):
    """The Axes of the grid that hold an image."""
    return [ax for ax in disp.axes_.ravel() if ax.images]


def _parse(ax):
    true, pred, confidence = TITLE.fullmatch(ax.get_title()).groups()
    return int(true), int(pred), float(confidence)


LAYOUTS = {
    "flat-uint8": lambda X: X,
    "flat-float": lambda X: X / 255.0,
    "images": lambda X: X.reshape(-1, 28, 28),
    "channels": lambda X: X.reshape(-1, 1, 28, 28),
    "DataFrame": lambda X: pd.DataFrame(X),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_from_predictions_accepts_every_layout(mnist, layout):
    X, y = mnist
    images = LAYOUTS[layout](X[:10])
    disp = ImageGridDisplay.from_predictions(images, y[:10], n_images=4)
    drawn = _drawn(disp)
    assert len(drawn) == 4
    for ax, image, label in zip(drawn, X[:4], y[:4], strict=False):
        shown = ax.images[0].get_array()
        assert shown.shape == (28, 28)
        scale = 255.0 if layout == "flat-float" else 1
        np.testing.assert_allclose(shown * scale, image.reshape(28, 28))
        assert ax.get_title() == f"true: {label}"
        assert ax.title.get_color() == "black"


def test_from_predictions_titles_and_red_errors():
    images = np.zeros((3, 28, 28), dtype=np.uint8)
    disp = ImageGridDisplay.from_predictions(
        images, y_true=[7, 1, "a"], y_pred=[7, 4, "b"], confidence=[0.981, 0.5, 0.25]
    )
    titles = [(ax.get_title(), ax.title.get_color()) for ax in _drawn(disp)]
    assert titles == [
        ("true: 7 / pred: 7 (0.98)", "black"),
        ("true: 1 / pred: 4 (0.50)", "red"),
        ("true: a / pred: b (0.25)", "red"),
    ]
    disp = ImageGridDisplay.from_predictions(images, y_pred=[3, 3, 1])
    assert [ax.get_title() for ax in _drawn(disp)] == ["pred: 3", "pred: 3", "pred: 1"]


def test_grid_size_default_and_leftover_axes(mnist):
    X, y = mnist
    disp = ImageGridDisplay.from_predictions(X, y)
    assert disp.axes_.shape == (5, 5)
    assert len(_drawn(disp)) == 25
    disp = ImageGridDisplay.from_predictions(X[:7], y[:7], n_images=100, n_cols=4)
    assert disp.axes_.shape == (2, 4)
    assert len(_drawn(disp)) == 7
    assert not disp.axes_[1, 3].images and disp.axes_[1, 3].get_title() == ""


def test_flat_rows_of_non_square_images_are_padded():
    rows = np.arange(2 * 80).reshape(2, 80)
    disp = ImageGridDisplay.from_predictions(rows)
    shown = disp.axes_.ravel()[0].images[0].get_array()
    assert shown.shape == (9, 9)
    np.testing.assert_array_equal(shown.ravel()[:80], rows[0])
    np.testing.assert_array_equal(shown.ravel()[80:], 0)


def test_given_axes():
    _, axes = plt.subplots(1, 3)
    disp = ImageGridDisplay.from_predictions(np.zeros((2, 28, 28)), ax=axes)
    assert [len(ax.images) for ax in axes] == [1, 1, 0]
    assert disp.figure_ is axes[0].figure
    with pytest.raises(ValueError, match="ax holds 3 Axes for 4 images"):
        ImageGridDisplay.from_predictions(np.zeros((4, 28, 28)), ax=axes)
    disp = ImageGridDisplay.from_predictions(np.zeros((1, 28, 28)), ax=axes[2])
    assert list(disp.axes_) == [axes[2]] and axes[2].images


def test_no_images():
    with pytest.raises(ValueError, match="no images to show"):
        ImageGridDisplay.from_predictions(np.zeros((0, 28, 28)))


@pytest.mark.parametrize("layout", ["flat-uint8", "images", "DataFrame"])
def test_from_estimator_titles_match_predictions(mnist, lenet, layout):
    X, y = mnist
    X_test, y_test = X[300:320], y[300:320]
    disp = ImageGridDisplay.from_estimator(lenet, LAYOUTS[layout](X_test), y_test, n_images=16)
    y_pred = lenet.predict(X_test)
    confidence = lenet.predict_proba(X_test).max(axis=1)
    drawn = _drawn(disp)
    assert len(drawn) == 16
    for i, ax in enumerate(drawn):
        assert _parse(ax) == (y_test[i], y_pred[i], round(confidence[i], 2))
        wrong = y_pred[i] != y_test[i]
        assert ax.title.get_color() == ("red" if wrong else "black")
    assert {ax.title.get_color() for ax in drawn} == {"red", "black"}


def test_from_estimator_without_labels(mnist, lenet):
    X, _ = mnist
    X_test = X[300:303]
    disp = ImageGridDisplay.from_estimator(lenet, X_test)
    predictions = zip(lenet.predict(X_test), lenet.predict_proba(X_test).max(axis=1), strict=False)
    expected = [f"pred: {pred} ({confidence:.2f})" for pred, confidence in predictions]
    assert [ax.get_title() for ax in _drawn(disp)] == expected


def test_errors_only_shows_the_most_confident_errors_first(mnist, lenet):
    X, y = mnist
    X_test, y_test = X[300:800], y[300:800]
    disp = ImageGridDisplay.from_estimator(lenet, X_test, y_test, errors_only=True, n_images=12)
    proba = lenet.predict_proba(X_test)
    y_pred = lenet.classes_[proba.argmax(axis=1)]
    wrong = np.flatnonzero(y_pred != y_test)
    assert len(wrong) > 12
    expected = wrong[np.argsort(-proba.max(axis=1)[wrong], kind="stable")][:12]

    drawn = _drawn(disp)
    assert len(drawn) == 12
    parsed = [_parse(ax) for ax in drawn]
    assert all(true != pred for true, pred, _ in parsed)
    assert all(ax.title.get_color() == "red" for ax in drawn)
    confidences = [c for _, _, c in parsed]
    assert confidences == sorted(confidences, reverse=True)
    for ax, i in zip(drawn, expected, strict=False):
        shown = ax.images[0].get_array()
        np.testing.assert_array_equal(shown, X_test[i].reshape(28, 28))


def test_errors_only_needs_labels_and_errors(mnist, lenet):
    X, y = mnist
    with pytest.raises(ValueError, match="needs the true labels"):
        ImageGridDisplay.from_estimator(lenet, X[:10], errors_only=True)
    right = np.flatnonzero(lenet.predict(X[300:400]) == y[300:400]) + 300
    with pytest.raises(ValueError, match="classifies every image of X correctly"):
        ImageGridDisplay.from_estimator(lenet, X[right], y[right], errors_only=True)


def test_pipeline_and_the_estimators_image_shape(mnist):
    X, y = mnist
    wide = X[:200].reshape(-1, 14, 56)
    model = make_pipeline(PixelNormalizer(), MLPNetClassifier(max_epochs=1))
    model.fit(wide, y[:200])
    assert model[-1].image_shape_ == (1, 14, 56)

    clf = MLPNetClassifier(max_epochs=1).fit(X[:200].reshape(-1, 1, 14, 56), y[:200])
    disp = ImageGridDisplay.from_estimator(clf, X[:4], y[:4])
    assert [ax.images[0].get_array().shape for ax in _drawn(disp)] == [(14, 56)] * 4

    disp = ImageGridDisplay.from_estimator(model, wide[:4], y[:4])
    assert len(_drawn(disp)) == 4
    for ax, label in zip(_drawn(disp), y[:4], strict=False):
        assert ax.get_title().startswith(f"true: {label} / pred: ")


def test_three_channels_are_drawn_in_colour():
    images = np.random.default_rng(0).integers(0, 256, (2, 3, 8, 8), dtype=np.uint8)
    disp = ImageGridDisplay.from_predictions(images)
    shown = disp.axes_.ravel()[0].images[0].get_array()
    np.testing.assert_array_equal(shown, images[0].transpose(1, 2, 0))
