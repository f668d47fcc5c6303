"""Changing parameters of a fitted estimator: stored at once, applied when training continues.

skorch rebuilds parts of an initialized net inside ``set_params`` (and fails
for ``optimizer``); skmnist stores the value, a new ``fit`` builds from it,
and ``warm_start``/``partial_fit`` apply a changed training setting to the
trained network, or refuse a change they cannot apply, leaving the model as
it was.
"""

import copy

import numpy as np
import pytest
import torch
from estimator_helpers import block_images
from skorch.callbacks import Callback

from skmnist import CNNClassifier, MLPNetClassifier


def _fitted(**params):
    X, y = block_images()
    # a constant rate of 1e-3 unless a test sets another
    params = {"max_epochs": 1, "random_state": 0, "lr": 1e-3, "lr_schedule": None, **params}
    return MLPNetClassifier(**params).fit(X, y), X, y


def test_set_params_optimizer_after_fit_is_used_by_the_next_fit():
    clf, X, y = _fitted()
    clf.set_params(optimizer="sgd", momentum=0.5)
    assert clf.get_params()["optimizer"] == "sgd"
    assert isinstance(clf.optimizer_, torch.optim.Adam)  # nothing rebuilt yet
    clf.fit(X, y)
    assert isinstance(clf.optimizer_, torch.optim.SGD)
    assert clf.optimizer_.param_groups[0]["momentum"] == 0.5


def test_warm_start_applies_changed_optimizer_settings_keeping_its_state():
    clf, X, y = _fitted(warm_start=True)
    optimizer = clf.optimizer_
    clf.set_params(lr=0.02, weight_decay=0.1, optimizer__betas=(0.8, 0.99)).fit(X, y)
    assert clf.optimizer_ is optimizer  # the same Adam, its moment estimates kept
    group = clf.optimizer_.param_groups[0]
    assert (group["lr"], group["weight_decay"], group["betas"]) == (0.02, 0.1, (0.8, 0.99))
    assert len(clf.history) == 2


def test_warm_start_with_another_optimizer_starts_it_afresh_and_says_so():
    clf, X, y = _fitted(warm_start=True)
    with pytest.warns(UserWarning, match="optimizer changed from 'adam' to 'sgd'.*no state"):
        clf.set_params(optimizer="sgd", momentum=0.3).fit(X, y)
    assert isinstance(clf.optimizer_, torch.optim.SGD)
    assert clf.optimizer_.param_groups[0]["momentum"] == 0.3
    assert len(clf.history) == 2


def test_partial_fit_applies_a_changed_learning_rate():
    X, y = block_images()
    clf = MLPNetClassifier(random_state=0, lr_schedule=None)
    clf.partial_fit(X, y, classes=np.unique(y))
    clf.set_params(lr=0.005).partial_fit(X, y)
    assert clf.optimizer_.param_groups[0]["lr"] == 0.005


def test_warm_start_rebuilds_callbacks_for_changed_training_settings():
    clf, X, y = _fitted(warm_start=True)
    clf.set_params(clip_grad_norm=1.0, lr_schedule="cosine").fit(X, y)
    names = dict(clf.callbacks_)
    assert "clip_grad_norm" in names and "lr_schedule" in names


def test_warm_start_refuses_a_changed_architecture_and_leaves_the_model_as_it_was():
    clf, X, y = _fitted(warm_start=True)
    before = clf.predict_proba(X)
    clf.set_params(hidden_layer_sizes=(7,))
    with pytest.raises(ValueError, match="hidden_layer_sizes changed since the network was built"):
        clf.fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), before)
    assert len(clf.history) == 1
    with pytest.raises(ValueError, match="hidden_layer_sizes changed"):  # still refused
        clf.partial_fit(X, y)
    clf.set_params(warm_start=False).fit(X, y)  # a new fit builds the new network
    assert clf.module_.layers[1].out_features == 7


def test_a_fresh_fit_after_set_params_rebuilds_the_network():
    X, y = block_images()
    clf = CNNClassifier(channels=(4, 4, 4), max_epochs=1, random_state=0).fit(X, y)
    n_params = clf.summary()["n_params"].sum()
    clf.set_params(channels=(8, 8, 8)).fit(X, y)
    assert clf.summary()["n_params"].sum() > n_params


def _fail(*args, **kwargs):
    raise RuntimeError("failed on purpose")


def test_a_warm_start_that_fails_after_changing_the_optimizer_leaves_the_model_as_it_was(
    monkeypatch,
):
    # a new rate and a schedule: the optimizer takes the rate in place, then the
    # callbacks are rebuilt, which fails; the optimizer must be as it was
    clf, X, y = _fitted(warm_start=True)
    before, optimizer = clf.predict_proba(X), clf.optimizer_
    state = copy.deepcopy(optimizer.state_dict())
    monkeypatch.setattr(MLPNetClassifier, "initialize_callbacks", _fail)
    with pytest.raises(RuntimeError, match="on purpose"):
        clf.set_params(lr=0.05, lr_schedule="cosine").fit(X, y)
    monkeypatch.undo()
    assert clf.optimizer_ is optimizer
    _assert_same_state(optimizer.state_dict(), state)
    assert "initial_lr" not in optimizer.param_groups[0]
    assert len(clf.history) == 1
    np.testing.assert_array_equal(
        clf.set_params(lr=1e-3, lr_schedule=None).predict_proba(X), before
    )
    clf.fit(X, y)  # and it trains on from there
    assert len(clf.history) == 2


@pytest.mark.cuda
def test_a_warm_start_that_fails_after_moving_to_another_device_leaves_the_model_as_it_was(
    monkeypatch,
):
    clf, X, y = _fitted(warm_start=True, device="cpu")
    before, state = clf.predict_proba(X), copy.deepcopy(clf.optimizer_.state_dict())
    monkeypatch.setattr(MLPNetClassifier, "initialize_callbacks", _fail)
    with pytest.raises(RuntimeError, match="on purpose"):
        clf.set_params(device="cuda", lr_schedule="cosine").fit(X, y)
    monkeypatch.undo()
    assert next(clf.module_.parameters()).device.type == "cpu"
    assert clf.device_.type == "cpu"
    _assert_same_state(clf.optimizer_.state_dict(), state)
    np.testing.assert_array_equal(
        clf.set_params(device="cpu", lr_schedule=None).predict_proba(X), before
    )


def _assert_same_state(state, expected):
    assert state["param_groups"] == expected["param_groups"]
    for key, values in expected["state"].items():
        for name, value in values.items():
            now = state["state"][key][name]
            assert now.device == value.device and torch.equal(now, value), (key, name)


class _FailInEpoch(Callback):
    """Raises at the end of epoch ``epoch`` of the history."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise RuntimeError("failed on purpose")


@pytest.mark.parametrize("warm_start", [True, False], ids=["warm_start", "new fit"])
def test_a_fit_that_fails_while_training_leaves_the_fitted_model_as_it_was(warm_start):
    clf, X, y = _fitted(warm_start=warm_start, lr_schedule="plateau")
    before, optimizer = clf.predict_proba(X), clf.optimizer_
    state = copy.deepcopy(optimizer.state_dict())
    epoch = 2 if warm_start else 1
    clf.set_params(max_epochs=2, callbacks=[("fail", _FailInEpoch(epoch))])
    with pytest.raises(RuntimeError, match="on purpose"):
        clf.fit(X[:40], y[:40] % 2)
    assert clf.optimizer_ is optimizer and len(clf.history) == 1
    _assert_same_state(optimizer.state_dict(), state)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    np.testing.assert_array_equal(clf.predict_proba(X), before)
    clf.set_params(callbacks=None).fit(X, y)  # and it trains on from there
    assert len(clf.history) == (3 if warm_start else 2)


def test_warm_start_applies_changed_criterion_settings_and_callbacks():
    clf, X, y = _fitted(warm_start=True)

    class Mark(Callback):
        def on_epoch_end(self, net, **kwargs):
            net.history.record("marked", True)

    clf.set_params(criterion__label_smoothing=0.3, callbacks=[("mark", Mark())]).fit(X, y)
    assert clf.criterion_.label_smoothing == 0.3
    assert clf.history[-1, "marked"] and "marked" not in clf.history[0]


def test_warm_start_peaks_a_one_cycle_schedule_at_a_new_rate():
    clf, X, y = _fitted(warm_start=True, lr_schedule="onecycle")
    clf.set_params(lr=0.01).fit(X, y)
    scheduler = dict(clf.callbacks_)["lr_schedule"].lr_scheduler_
    assert scheduler.optimizer.param_groups[0]["max_lr"] == 0.01


@pytest.mark.parametrize("schedule", ["onecycle", "cosine"])
def test_partial_fit_calls_run_one_schedule_as_the_epochs_of_a_fit(schedule):
    X, y = block_images()
    params = {"lr_schedule": schedule, "max_epochs": 4, "random_state": 0}
    fitted = MLPNetClassifier(**params).fit(X, y)
    clf = MLPNetClassifier(**params)
    for _ in range(4):
        clf.partial_fit(X, y, classes=np.unique(y))
    np.testing.assert_allclose(clf.history[:, "lr"], fitted.history[:, "lr"])
    assert len(set(clf.history[:, "lr"])) == 4  # the rate moves from call to call


def test_parameter_groups_keep_their_own_rates_when_settings_change():
    clf, X, y = _fitted(warm_start=True, optimizer__param_groups=[("layers.1.*", {"lr": 0.1})])
    assert [g["lr"] for g in clf.optimizer_.param_groups] == [0.1, 1e-3]
    clf.set_params(weight_decay=1e-4, lr=2e-3).fit(X, y)
    groups = clf.optimizer_.param_groups
    assert [g["lr"] for g in groups] == [0.1, 2e-3]
    assert [g["weight_decay"] for g in groups] == [1e-4, 1e-4]
