"""TrainingHistoryDisplay: one panel per kind of series, one line per series."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from skorch.history import History

from skmnist import MLPNetClassifier, PixelNormalizer
from skmnist.plotting import TrainingHistoryDisplay

RECORDS = [
    {
        "epoch": 1,
        "train_loss": 1.2,
        "valid_loss": 1.4,
        "train_acc": 0.6,
        "valid_acc": 0.55,
        "dur": 0.1,
        "lr": 0.1,
    },
    {
        "epoch": 2,
        "train_loss": 0.8,
        "valid_loss": 1.0,
        "train_acc": 0.8,
        "valid_acc": 0.7,
        "dur": 0.1,
        "lr": 0.05,
    },
    {
        "epoch": 3,
        "train_loss": 0.5,
        "valid_loss": 0.9,
        "train_acc": 0.9,
        "valid_acc": 0.75,
        "dur": 0.1,
        "lr": 0.025,
    },
]


def _labels(ax):
    return [line.get_label() for line in ax.lines]


def test_from_estimator_plots_the_training_series(mnist):
    X, y = mnist
    clf = MLPNetClassifier(max_epochs=3, random_state=0).fit(X[:200], y[:200])
    disp = TrainingHistoryDisplay.from_estimator(clf)
    loss_ax, acc_ax, lr_ax = disp.axes_
    assert [ax.get_title() for ax in disp.axes_] == ["Loss", "Accuracy", "Learning rate"]
    assert _labels(loss_ax) == ["train_loss"]
    assert _labels(acc_ax) == ["train_acc"]
    np.testing.assert_allclose(lr_ax.lines[0].get_ydata(), clf.history_[:, "lr"])
    np.testing.assert_array_equal(loss_ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), clf.history_[:, "train_loss"])
    assert loss_ax.get_legend() is not None and acc_ax.get_legend() is not None
    assert loss_ax.get_xlabel() == "epoch"
    assert disp.figure_ is loss_ax.figure


def test_learning_rate_axes_only_when_lr_is_recorded():
    without_lr = [{k: v for k, v in r.items() if k != "lr"} for r in RECORDS]
    disp = TrainingHistoryDisplay.from_history(without_lr)
    assert [ax.get_title() for ax in disp.axes_] == ["Loss", "Accuracy"]
    assert "lr" not in disp.lines_

    disp = TrainingHistoryDisplay.from_history(RECORDS)
    titles = [ax.get_title() for ax in disp.axes_]
    assert titles == ["Loss", "Accuracy", "Learning rate"]
    assert [len(ax.lines) for ax in disp.axes_] == [2, 2, 1]
    assert _labels(disp.axes_[0]) == ["train_loss", "valid_loss"]
    assert _labels(disp.axes_[1]) == ["train_acc", "valid_acc"]
    assert _labels(disp.axes_[2]) == ["lr"]
    np.testing.assert_allclose(disp.lines_["lr"].get_ydata(), [0.1, 0.05, 0.025])


@pytest.mark.parametrize(
    "history",
    [History(RECORDS), RECORDS, pd.DataFrame(RECORDS)],
    ids=["skorch-History", "list-of-dicts", "DataFrame"],
)
def test_from_history_accepts_history_list_and_frame(history):
    disp = TrainingHistoryDisplay.from_history(history)
    assert sorted(disp.lines_) == sorted(
        ["train_loss", "valid_loss", "train_acc", "valid_acc", "lr"]
    )
    np.testing.assert_allclose(disp.lines_["valid_acc"].get_ydata(), [0.55, 0.7, 0.75])


def test_series_missing_in_some_epochs_and_epochs_counted_from_one():
    records = [{"train_loss": 1.0}, {"train_loss": 0.5, "lr": 0.01}]
    disp = TrainingHistoryDisplay.from_history(records)
    assert [ax.get_title() for ax in disp.axes_] == ["Loss", "Learning rate"]
    np.testing.assert_array_equal(disp.lines_["train_loss"].get_xdata(), [1, 2])


def test_pipeline_and_given_axes(mnist):
    X, y = mnist
    model = make_pipeline(PixelNormalizer(), MLPNetClassifier(max_epochs=2)).fit(X[:200], y[:200])
    _, axes = plt.subplots(3, 1)
    disp = TrainingHistoryDisplay.from_estimator(model, ax=axes)
    assert list(disp.axes_) == list(axes)
    assert _labels(axes[0]) == ["train_loss"]
    assert len(axes[1].lines[0].get_xdata()) == 2


def test_errors():
    with pytest.raises(ValueError, match="ax must hold 3 Axes"):
        TrainingHistoryDisplay.from_history(RECORDS, ax=plt.subplots(1, 2)[1])
    with pytest.raises(ValueError, match="holds none of the series"):
        TrainingHistoryDisplay.from_history([{"epoch": 1, "dur": 0.1}])
    with pytest.raises(NotFittedError):
        TrainingHistoryDisplay.from_estimator(MLPNetClassifier())
