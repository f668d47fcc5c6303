"""FilterDisplay: the first convolution's filters, one image each."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier, PixelNormalizer
from skmnist.plotting import FilterDisplay


def _drawn(disp):
    return [ax for ax in disp.axes_.ravel() if ax.images]


def test_lenet5_shows_its_six_filters(lenet):
    disp = FilterDisplay.from_estimator(lenet)
    drawn = _drawn(disp)
    assert len(drawn) == 6
    weights = lenet.module_.features[0].weight.detach().numpy()
    limit = np.abs(weights[:, 0]).max()
    for i, ax in enumerate(drawn):
        np.testing.assert_array_equal(ax.images[0].get_array(), weights[i, 0])
        assert ax.images[0].get_clim() == pytest.approx((-limit, limit))
        assert ax.get_title() == str(i)


def test_default_cnn_shows_32_filters(mnist):
    X, y = mnist
    clf = CNNClassifier(max_epochs=1, random_state=0).fit(X[:100], y[:100])
    disp = FilterDisplay.from_estimator(clf)
    assert len(_drawn(disp)) == 32
    assert disp.filters.shape == (32, 3, 3)


def test_pipeline_and_first_input_channel(mnist):
    X, y = mnist
    two_channels = np.stack([X[:100], X[:100]], axis=1).reshape(100, 2, 28, 28)
    model = make_pipeline(PixelNormalizer(), LeNet5Classifier(max_epochs=1))
    model.fit(two_channels, y[:100])
    disp = FilterDisplay.from_estimator(model, n_cols=3)
    assert disp.axes_.shape == (2, 3)
    weights = model[-1].module_.features[0].weight.detach().numpy()
    np.testing.assert_array_equal(disp.filters, weights[:, 0])


def test_mlp_has_no_convolution(mnist):
    X, y = mnist
    clf = MLPNetClassifier(max_epochs=1).fit(X[:100], y[:100])
    with pytest.raises(ValueError, match="MLPNetClassifier's network has no conv"):
        FilterDisplay.from_estimator(clf)
