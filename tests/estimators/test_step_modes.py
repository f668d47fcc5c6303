"""``step_mode``: the optimizer kernels each mode picks, and the CUDA-graph step's logic.

A CUDA graph can only be captured on a GPU (test_devices.py compares it with
the eager step there). Here the graph is replaced by a stand-in whose replay
runs the captured computation again, eagerly, on the tensors it was captured
with: that exercises everything around the capture (the warm-up batches, the
batches copied into the captured inputs, the outputs copied out, gradients
cleared in place, the smaller last batch run eagerly, the graph dropped after
the fit) and must train exactly as the plain step does. The stand-in and the
fixture that installs it, ``captured_on_the_cpu``, are in ``conftest.py``.
"""

import pickle

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

import skmnist.estimators._base as base
from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from skmnist.estimators import _graphs


@pytest.fixture(scope="module")
def sample(mnist_sample):
    return mnist_sample(700)


def _group(clf):
    return clf.optimizer_.param_groups[0]


@pytest.mark.parametrize(
    ("optimizer", "mode", "fused", "foreach"),
    [
        ("adam", "auto", True, None),
        ("adam", "fused", True, None),
        ("sgd", "fused", True, None),
        ("adagrad", "fused", True, None),  # fused Adagrad exists on the CPU
        ("nadam", "fused", None, True),  # no fused NAdam: the multi-tensor kernels
        ("adam", "eager", None, None),
        ("nadam", "eager", None, None),
    ],
)
def test_each_mode_chooses_the_optimizer_kernels(optimizer, mode, fused, foreach, sample):
    X, y = sample
    clf = MLPNetClassifier(
        hidden_layer_sizes=(16,), optimizer=optimizer, step_mode=mode, max_epochs=1
    ).fit(X, y)
    assert (_group(clf).get("fused"), _group(clf).get("foreach")) == (fused, foreach)
    assert clf.step_mode_ == ("fused" if mode == "auto" else mode)


def test_fused_adagrad_is_not_asked_of_a_gpu():
    from skmnist.estimators._options import step_kernels

    adagrad = torch.optim.Adagrad
    assert step_kernels(adagrad, "fused", torch.device("cpu"), {}) == {"fused": True}
    assert step_kernels(adagrad, "fused", torch.device("cuda"), {}) == {"foreach": True}


def test_the_users_own_kernel_setting_wins(sample):
    X, y = sample
    clf = MLPNetClassifier(
        hidden_layer_sizes=(16,), step_mode="fused", optimizer__foreach=False, max_epochs=1
    ).fit(X, y)
    assert (_group(clf).get("fused"), _group(clf).get("foreach")) == (None, False)


def test_the_modes_train_the_same_network(sample):
    X, y = sample
    fits = {
        mode: LeNet5Classifier(max_epochs=2, batch_size=64, random_state=0, step_mode=mode).fit(
            X, y
        )
        for mode in ("eager", "fused")
    }
    for eager, fused in zip(
        fits["eager"].module_.parameters(), fits["fused"].module_.parameters(), strict=True
    ):
        torch.testing.assert_close(eager, fused, atol=1e-5, rtol=1e-4)


def test_graph_is_fused_off_cuda(sample):
    X, y = sample
    params = {"max_epochs": 1, "batch_size": 64, "random_state": 0}
    graph = LeNet5Classifier(step_mode="graph", **params).fit(X, y)
    fused = LeNet5Classifier(step_mode="fused", **params).fit(X, y)
    assert graph.step_mode_ == "fused"
    assert _group(graph)["fused"] is True
    for a, b in zip(graph.module_.parameters(), fused.module_.parameters(), strict=True):
        assert torch.equal(a, b)


def test_graph_refuses_a_compiled_module(sample):
    X, y = sample
    with pytest.raises(ValueError, match=r'step_mode="graph".*compile'):
        LeNet5Classifier(step_mode="graph", compile=True, max_epochs=1).fit(X, y)


def test_a_new_step_mode_on_warm_start_keeps_the_optimizers_state(sample):
    X, y = sample
    clf = LeNet5Classifier(
        max_epochs=1, batch_size=100, random_state=0, step_mode="eager", warm_start=True
    ).fit(X, y)
    assert _group(clf)["fused"] is None
    clf.set_params(step_mode="fused").fit(X, y)
    assert _group(clf)["fused"] is True
    # the moment estimates went on: 7 steps per epoch, counted from the first fit
    assert clf.optimizer_.state_dict()["state"][0]["step"].item() == 14


@pytest.mark.parametrize(
    ("early_stopping", "weighted"), [(False, False), (True, False), (True, True)]
)
def test_the_captured_step_trains_as_the_plain_one(
    early_stopping, weighted, captured_on_the_cpu, sample
):
    X, y = sample
    # weighted samples: a third tensor copied into the graph's inputs with each batch
    weights = np.random.default_rng(0).random(len(y)) if weighted else None
    params = {
        # BatchNorm and dropout: buffers updated and random numbers drawn in the graph
        "channels": (8, 16, 16),
        "max_epochs": 2,
        "batch_size": 64,
        "random_state": 0,
        "lr_schedule": "onecycle",  # a new rate every batch, outside the graph
        "clip_grad_norm": 1.0,  # on_grad_computed, between the replay and the step
        "early_stopping": early_stopping,  # an eager validation pass between epochs
    }
    plain = CNNClassifier(step_mode="fused", **params).fit(X, y, sample_weight=weights)
    graph = CNNClassifier(step_mode="graph", **params).fit(X, y, sample_weight=weights)

    assert graph.step_mode_ == "graph"
    n_train = len(X) - (round(0.1 * len(X)) if early_stopping else 0)
    full_batches = 2 * (n_train // 64)
    assert captured_on_the_cpu.replays == full_batches - _graphs.WARMUP_BATCHES
    for (name, a), b in zip(
        plain.module_.state_dict().items(), graph.module_.state_dict().values(), strict=True
    ):
        assert torch.equal(a, b), name
    for key in ("train_loss", "train_acc", "lr"):
        assert plain.history[:, key] == graph.history[:, key]
    assert graph._graph is None  # dropped with the fit, and its gradients
    assert all(p.grad is None for p in graph.module_.parameters())
    pickle.loads(pickle.dumps(graph))


class _GradsToNone(Callback):
    """What a user's callback may do: clear the gradients as torch does by default."""

    def on_batch_begin(self, net, training=False, **kwargs):
        if training:
            net.optimizer_.zero_grad()


def test_the_captured_step_outlives_gradients_set_to_none(captured_on_the_cpu, sample):
    X, y = sample
    params = {"max_epochs": 2, "batch_size": 64, "random_state": 0}
    callbacks = [("none", _GradsToNone())]
    plain = LeNet5Classifier(step_mode="fused", callbacks=callbacks, **params).fit(X, y)
    graph = LeNet5Classifier(step_mode="graph", callbacks=callbacks, **params).fit(X, y)
    assert captured_on_the_cpu.replays > 0
    for a, b in zip(plain.module_.parameters(), graph.module_.parameters(), strict=True):
        assert torch.equal(a, b)


def test_only_full_size_batches_are_captured(captured_on_the_cpu, sample):
    # 3 full batches and a smaller one per epoch: the warm-up takes the first epoch's
    # full batches, the second epoch's are replayed, the smaller ones run eagerly
    X, y = sample
    LeNet5Classifier(step_mode="graph", max_epochs=2, batch_size=64).fit(X[:220], y[:220])
    assert captured_on_the_cpu.replays == 3


def test_the_captured_step_goes_on_with_partial_fit(captured_on_the_cpu, sample):
    X, y = sample
    params = {"batch_size": 64, "random_state": 0}
    plain = LeNet5Classifier(step_mode="fused", **params)
    graph = LeNet5Classifier(step_mode="graph", **params)
    for clf in (plain, graph):
        for _ in range(2):
            clf.partial_fit(X, y, classes=np.unique(y))
    for a, b in zip(plain.module_.parameters(), graph.module_.parameters(), strict=True):
        assert torch.equal(a, b)
    # each call captures anew after its warm-up batches
    assert captured_on_the_cpu.replays == 2 * (len(X) // 64 - _graphs.WARMUP_BATCHES)


def test_a_model_pickled_before_step_mode_existed_loads(sample):
    X, y = sample
    clf = MLPNetClassifier(hidden_layer_sizes=(16,), max_epochs=1).fit(X, y)
    state = clf.__getstate__()
    del state["step_mode"]
    old = MLPNetClassifier.__new__(MLPNetClassifier)
    old.__setstate__(state)
    assert old.get_params()["step_mode"] == "auto"
    np.testing.assert_array_equal(old.predict(X), clf.predict(X))


def test_settings_changed_with_the_step_mode_are_applied_too(sample):
    X, y = sample
    clf = LeNet5Classifier(max_epochs=1, step_mode="eager", warm_start=True, lr_schedule=None)
    clf.fit(X, y)
    clf.set_params(lr=0.002, step_mode="fused", optimizer__betas=(0.5, 0.6)).fit(X, y)
    group = _group(clf)
    assert (group["lr"], group["betas"], group["fused"]) == (0.002, (0.5, 0.6), True)


def test_partial_fit_goes_on_with_its_schedule_when_the_step_mode_changes(sample):
    X, y = sample
    clf = LeNet5Classifier(step_mode="eager", lr_schedule="onecycle", max_epochs=3, batch_size=100)
    clf.partial_fit(X, y, classes=np.unique(y))
    scheduler = dict(clf.callbacks_)["lr_schedule"].lr_scheduler_
    clf.set_params(step_mode="fused").partial_fit(X, y)
    assert dict(clf.callbacks_)["lr_schedule"].lr_scheduler_ is scheduler
    assert scheduler.optimizer is clf.optimizer_
    assert scheduler.last_epoch == 14  # 7 batches a call, one cycle across the calls
    assert _group(clf)["lr"] == pytest.approx(scheduler.get_last_lr()[0])


def test_a_failed_capture_warns_and_trains_on_without_a_graph(monkeypatch, sample):
    X, y = sample

    def failing(*args, **kwargs):
        raise RuntimeError("operation not permitted when stream is capturing")

    real = base.resolve_step_mode
    monkeypatch.setattr(
        base,
        "resolve_step_mode",
        lambda mode, device, **kw: real("fused", device, **kw) if mode != "graph" else "graph",
    )
    monkeypatch.setattr(
        base,
        "TrainingGraph",
        lambda compute, device, parameters: _graphs.TrainingGraph(
            compute, device, parameters, capture=failing
        ),
    )
    params = {"max_epochs": 2, "batch_size": 64, "random_state": 0}
    with pytest.warns(UserWarning, match="could not capture.*without a graph"):
        graph = LeNet5Classifier(step_mode="graph", **params).fit(X, y)
    plain = LeNet5Classifier(step_mode="fused", **params).fit(X, y)
    for a, b in zip(plain.module_.parameters(), graph.module_.parameters(), strict=True):
        assert torch.equal(a, b)
