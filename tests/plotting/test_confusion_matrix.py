"""The confusion matrix is scikit-learn's; it takes every input skmnist takes."""

import numpy as np
import pandas as pd
import pytest
import sklearn.metrics
from sklearn.metrics import confusion_matrix

from skmnist.plotting import ConfusionMatrixDisplay


def test_it_is_sklearns_display():
    assert ConfusionMatrixDisplay is sklearn.metrics.ConfusionMatrixDisplay


@pytest.mark.parametrize(
    "layout",
    [
        lambda X: X,
        lambda X: X.reshape(-1, 28, 28),
        lambda X: X.reshape(-1, 1, 28, 28) / 255.0,
        pd.DataFrame,
    ],
    ids=["flat-uint8", "images", "channels-float", "DataFrame"],
)
def test_from_estimator_takes_any_layout(mnist, lenet, layout):
    X, y = mnist
    X_test, y_test = X[300:500], y[300:500]
    disp = ConfusionMatrixDisplay.from_estimator(lenet, layout(X_test), y_test)
    expected = confusion_matrix(y_test, lenet.predict(X_test))
    np.testing.assert_array_equal(disp.confusion_matrix, expected)
    assert disp.ax_.images
