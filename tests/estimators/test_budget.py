"""The training budget: batch_size="auto" and max_epochs="auto" on small and MNIST-sized data.

The defaults choose the batch size and the epochs from the number of
training images (``training_budget``): on MNIST-sized data 10 epochs of
128-image batches (the same training, step for step, as those fixed
settings), on a small data set smaller batches and more epochs, ended by a
plateau of the training loss. ``docs/benchmarks/small-data/`` has the
measurements behind the numbers.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from skmnist import LeNet5Classifier, MLPNetClassifier, load_mnist_sample
from skmnist.cli._params import build_estimator
from skmnist.estimators import training_budget


@pytest.fixture(scope="module")
def digits():
    """load_digits split as the small-data benchmark splits it: the first 1,400 digits
    train, the other 397 test, pixels / 16."""
    data = load_digits()
    X, y = data.data / 16, data.target
    return X[:1400], y[:1400], X[1400:], y[1400:]


@pytest.mark.parametrize("n_train", [20_000, 45_000, 50_000, 54_000, 60_000, 1_000_000])
def test_auto_is_the_former_default_on_mnist_sized_data(n_train):
    # 54,000: the full MNIST less early stopping's 10%
    assert training_budget("auto", "auto", n_train) == (128, 10)


@pytest.mark.parametrize(
    "n_train, expected",
    [
        (1, (16, 200)),
        (30, (16, 200)),
        (1_000, (16, 200)),
        (1_400, (16, 143)),  # load_digits' 1,400 training images
        (3_000, (30, 67)),  # the shipped MNIST sample
        (12_800, (128, 16)),
        (19_999, (128, 11)),
    ],
)
def test_auto_on_small_data(n_train, expected):
    assert training_budget("auto", "auto", n_train) == expected


def test_integers_are_used_as_given():
    assert training_budget(64, 3, 1_400) == (64, 3)
    assert training_budget(-1, "auto", 1_400) == (1_400, 143)  # -1: all at once
    assert training_budget(256, "auto", 60_000) == (256, 10)


def test_the_parameters_stay_auto_and_the_resolved_budget_is_fitted_state(digits):
    X, y, _, _ = digits
    clf = MLPNetClassifier(hidden_layer_sizes=(16,), max_epochs=2, random_state=0)
    clf.fit(X[:500], y[:500])
    assert clf.get_params()["batch_size"] == "auto" and clf.max_epochs == 2
    assert (clf.batch_size_, clf.max_epochs_) == (16, 2)
    batches = clf.history[-1, "batches", :, "train_batch_size"]
    assert len(batches) == 32 and max(batches) == 16  # 500 images in batches of 16
    # early stopping's validation part does not count: 700 of 1,400 images train
    clf = MLPNetClassifier(
        hidden_layer_sizes=(16,),
        early_stopping=True,
        validation_fraction=0.5,
        n_iter_no_change=1,
        tol=10.0,
    ).fit(X, y)
    assert (clf.batch_size_, clf.max_epochs_) == (16, 200)
    assert len(clf.history_) == 2  # early stopping decides from the first epoch on
    assert sum(clf.history[-1, "batches", :, "train_batch_size"]) == 700


def test_auto_trains_on_mnist_sized_data_as_ten_epochs_of_128():
    # 20,000 images of 16 pixels: "auto" is 10 epochs of 128, and no plateau can stop it
    # sooner, so training is that of batch_size=128, max_epochs=10 step for step
    rng = np.random.default_rng(0)
    X = rng.random((20_000, 16), dtype=np.float32)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    params = dict(hidden_layer_sizes=(8,), random_state=0)
    auto = MLPNetClassifier(**params).fit(X, y)
    fixed = MLPNetClassifier(batch_size=128, max_epochs=10, **params).fit(X, y)
    assert (auto.batch_size_, auto.max_epochs_, len(auto.history_)) == (128, 10, 10)
    assert auto.history[:, "train_loss"] == fixed.history[:, "train_loss"]
    np.testing.assert_array_equal(auto.predict_proba(X[:500]), fixed.predict_proba(X[:500]))


def test_defaults_learn_load_digits(digits):
    # docs/benchmarks/small-data/digits.md has each estimator's scores over seeds
    X_train, y_train, X_test, y_test = digits
    clf = MLPNetClassifier(random_state=0).fit(X_train, y_train)
    assert (clf.batch_size_, clf.max_epochs_) == (16, 143)
    assert len(clf.history_) == 143  # the one-cycle schedule runs to its end
    assert clf.score(X_test, y_test) >= 0.92


def test_under_the_one_cycle_schedule_auto_trains_every_epoch():
    X, y = load_mnist_sample(return_X_y=True)
    X, y = X[:200], y[:200]
    # the settings that stop the constant rate on a plateau after ten epochs
    params = dict(lr=1e-2, tol=1e-2, n_iter_no_change=2, random_state=0)
    clf = MLPNetClassifier(lr_schedule="onecycle", **params).fit(X, y)
    assert len(clf.history_) == clf.max_epochs_ == 200
    rates = [group["lr"] for group in clf.optimizer_.param_groups]
    assert max(rates) < 1e-5  # the cycle reached its end
    assert len(MLPNetClassifier(lr_schedule=None, **params).fit(X, y).history_) < 200


def test_the_plateau_of_the_training_loss_stops_after_the_tenth_epoch():
    X, y = load_mnist_sample(return_X_y=True)
    X, y = X[:200], y[:200]
    # a tiny data set that is learnt by heart quickly: the loss stops falling by tol
    clf = MLPNetClassifier(
        lr=1e-2, lr_schedule=None, tol=1e-2, n_iter_no_change=2, random_state=0
    ).fit(X, y)
    assert clf.max_epochs_ == 200
    assert 10 <= len(clf.history_) < 200
    losses = clf.history[:, "train_loss"]
    # the last n_iter_no_change epochs did not improve on the best by more than tol
    assert min(losses[-2:]) >= min(losses[:-2]) - 1e-2
    # an integer max_epochs trains all its epochs
    clf = MLPNetClassifier(
        lr=1e-2, lr_schedule=None, tol=1e-2, n_iter_no_change=2, max_epochs=30, random_state=0
    ).fit(X, y)
    assert len(clf.history_) == 30


def test_the_plateau_stop_keeps_the_last_weights():
    X, y = load_mnist_sample(return_X_y=True)
    X, y = X[:200], y[:200]
    params = dict(lr=1e-2, lr_schedule=None, tol=1e-2, n_iter_no_change=2, random_state=0)
    stopped = MLPNetClassifier(**params).fit(X, y)
    epochs = len(stopped.history_)
    same = MLPNetClassifier(max_epochs=epochs, **params).fit(X, y)
    np.testing.assert_array_equal(stopped.predict_proba(X), same.predict_proba(X))


def test_the_plateau_waits_ten_epochs_of_each_warm_start():
    X, y = load_mnist_sample(return_X_y=True)
    X, y = X[:200], y[:200]
    clf = MLPNetClassifier(
        lr=1e-2, lr_schedule=None, tol=1e-2, n_iter_no_change=2, warm_start=True, random_state=0
    ).fit(X, y)
    first = len(clf.history_)
    clf.fit(X, y)  # learnt already: the loss no longer falls, but ten epochs train
    assert len(clf.history_) - first >= 10


def test_schedules_run_over_the_resolved_epochs(digits):
    X, y, _, _ = digits
    clf = MLPNetClassifier(
        hidden_layer_sizes=(8,), lr_schedule="cosine", n_iter_no_change=1, tol=10.0, random_state=0
    ).fit(X[:1000], y[:1000])
    assert clf.max_epochs_ == 200 and len(clf.history_) == 10  # the plateau stopped it
    scheduler = dict(clf.callbacks_)["lr_schedule"].lr_scheduler_
    assert scheduler.T_max == 200


def test_predictions_go_in_batches_of_128_under_auto(digits):
    X, y, _, _ = digits
    clf = MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=1, random_state=0).fit(X, y)
    sizes = []
    hook = clf.module_.register_forward_hook(lambda module, args, out: sizes.append(len(out)))
    clf.predict_proba(X[:300])
    hook.remove()
    assert clf.batch_size_ == 16 and sizes == [128, 128, 44]


@pytest.mark.parametrize("value", ["Auto", "", "10", 0, 2.5, None])
def test_other_values_are_refused(value):
    with pytest.raises(ValueError, match="'max_epochs' parameter"):
        MLPNetClassifier(max_epochs=value)._check_params()
    with pytest.raises(ValueError, match="'batch_size' parameter"):
        MLPNetClassifier(batch_size=value)._check_params()


def test_the_command_line_takes_auto():
    clf = build_estimator(LeNet5Classifier, {"max_epochs": "auto", "batch_size": "auto"})
    assert (clf.max_epochs, clf.batch_size) == ("auto", "auto")
    clf = build_estimator(LeNet5Classifier, {"max_epochs": 3})
    assert clf.max_epochs == 3
