"""Training control: validation, early stopping, schedules, history, progress, resuming, failing."""

import math
import sys
import warnings

import numpy as np
import pytest
import torch
from estimator_helpers import InterruptAfter
from skorch.callbacks import Callback

from skmnist import LeNet5Classifier, MLPNetClassifier
from skmnist.exceptions import TrainingDivergedError


@pytest.fixture(scope="module")
def sample(mnist_sample):
    return mnist_sample(600)


class _Snapshots(Callback):
    """Copies of the module's weights at the end of each epoch."""

    def on_train_begin(self, net, **kwargs):
        self.states = []

    def on_epoch_end(self, net, **kwargs):
        self.states.append({k: v.clone() for k, v in net.module_.state_dict().items()})


def _same_weights(a, b):
    return all(torch.equal(a[k], b[k]) for k in a)


def test_early_stopping_stops_and_restores_the_best_epoch(sample):
    X, y = sample
    rng = np.random.RandomState(0)
    y_noise = rng.randint(0, 10, len(y))  # unlearnable: validation loss soon rises
    snapshots = _Snapshots()
    clf = MLPNetClassifier(
        hidden_layer_sizes=(256,),
        lr=3e-3,
        max_epochs=100,
        early_stopping=True,
        n_iter_no_change=3,
        random_state=0,
        callbacks=[("snapshots", snapshots)],
    ).fit(X, y_noise)
    history = clf.history_frame()
    assert len(history) < 100
    best_epoch = int(history["valid_loss"].idxmin())
    assert len(history) == best_epoch + 3
    final = clf.module_.state_dict()
    assert _same_weights(final, snapshots.states[best_epoch - 1])
    assert not _same_weights(final, snapshots.states[-1])


def test_the_last_epoch_is_logged_and_seen_by_callbacks_when_training_stops_early(sample, capsys):
    X, y = sample
    snapshots = _Snapshots()
    clf = MLPNetClassifier(
        max_epochs=30,
        early_stopping=True,
        n_iter_no_change=1,
        tol=10.0,  # no epoch improves by that much: training stops after the second
        verbose=1,
        callbacks=[("snapshots", snapshots)],
        random_state=0,
    ).fit(X, y)
    assert len(clf.history) == 2 and len(snapshots.states) == 2
    rows = [line for line in capsys.readouterr().out.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 2


def test_early_stopping_on_too_few_images_per_class_for_stratifying_holds_out_at_random(
    sample,
):
    X, y = sample
    two = np.flatnonzero(np.isin(y, [3, 7]))[:10]
    clf = MLPNetClassifier(max_epochs=1, early_stopping=True, validation_fraction=0.9)
    clf.fit(X[two], y[two])  # 1 training image: fewer than the 2 classes
    assert clf.history[-1, "batches", 0, "train_batch_size"] == 1


def test_no_data_is_held_out_without_early_stopping(sample):
    X, y = sample
    clf = MLPNetClassifier(max_epochs=1, batch_size=64).fit(X, y)
    assert "valid_loss" not in clf.history[-1]
    assert sum(clf.history[-1, "batches", :, "train_batch_size"]) == len(X)


def test_validation_split_is_stratified_and_reproducible(sample):
    X, y = sample
    clf = MLPNetClassifier(
        early_stopping=True, validation_fraction=0.2, random_state=4, device="cpu"
    )
    data = clf._training_data(X, y, reset=True)
    clf.initialize()
    train, valid = clf.get_split_datasets(data)
    assert len(valid) == 120 and len(train) == 480
    valid_labels = valid.y[valid.indices].numpy()
    expected = np.bincount(y, minlength=10) * 0.2
    assert np.abs(np.bincount(valid_labels, minlength=10) - expected).max() <= 1
    again = clf.get_split_datasets(data)[1]
    assert torch.equal(again.indices, valid.indices)

    a = MLPNetClassifier(max_epochs=2, early_stopping=True, random_state=1).fit(X, y)
    b = MLPNetClassifier(max_epochs=2, early_stopping=True, random_state=1).fit(X, y)
    assert a.history[:, "valid_loss"] == b.history[:, "valid_loss"]


def test_plateau_schedule_lowers_the_rate_when_the_loss_stalls(sample):
    X, y = sample
    # an absolute threshold of 10 makes every epoch after the first count as a stall
    clf = MLPNetClassifier(
        lr=1e-2,
        max_epochs=5,
        lr_schedule="plateau",
        lr_patience=1,
        lr_factor=0.5,
        lr_schedule_params={"threshold": 10.0, "threshold_mode": "abs"},
        random_state=0,
    ).fit(X, y)
    np.testing.assert_allclose(clf.history[:, "lr"], [1e-2, 1e-2, 1e-2, 5e-3, 5e-3])


def test_plateau_watches_the_validation_loss_with_early_stopping():
    def monitor(clf):
        return dict(clf.initialize().callbacks_)["lr_schedule"].monitor

    assert monitor(MLPNetClassifier(lr_schedule="plateau", early_stopping=True)) == "valid_loss"
    assert monitor(MLPNetClassifier(lr_schedule="plateau")) == "train_loss"


@pytest.mark.parametrize(
    "schedule, params, expected",
    [
        ("cosine", None, [1e-2 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(4)]),
        ("step", None, [1e-2, 1e-3, 1e-4, 1e-5]),  # step_size max_epochs // 3
        ("step", {"step_size": 2, "gamma": 0.5}, [1e-2, 1e-2, 5e-3, 5e-3]),
        (torch.optim.lr_scheduler.ExponentialLR, {"gamma": 0.5}, [1e-2, 5e-3, 2.5e-3, 1.25e-3]),
    ],
)
def test_epoch_schedules(sample, schedule, params, expected):
    X, y = sample
    clf = MLPNetClassifier(
        lr=1e-2, max_epochs=4, lr_schedule=schedule, lr_schedule_params=params, lr_factor=0.1
    ).fit(X, y)
    np.testing.assert_allclose(clf.history[:, "lr"], expected, rtol=1e-6)


def test_onecycle_rises_then_falls(sample):
    X, y = sample
    clf = MLPNetClassifier(lr=1e-2, max_epochs=6, lr_schedule="onecycle").fit(X, y)
    lrs = clf.history[:, "lr"]
    assert lrs[0] == pytest.approx(1e-2 / 25)
    assert max(lrs) > 5e-3 and lrs[-1] < lrs[2]


@pytest.mark.parametrize(
    ("optimizer", "params", "cycles"),
    [
        ("adam", {}, True),  # beta1 cycles against the rate
        ("sgd", {"momentum": 0.9}, True),
        ("sgd", {"momentum": 0.0}, False),  # a momentum of 0 stays 0
        ("adagrad", {}, False),  # no momentum to cycle: the schedule is still made
        ("adagrad", {"lr_schedule_params": {"cycle_momentum": True}}, None),  # as asked
    ],
)
def test_onecycle_cycles_the_momentum_only_of_optimizers_that_have_one(
    optimizer, params, cycles, sample
):
    clf = MLPNetClassifier(optimizer=optimizer, max_epochs=1, lr_schedule="onecycle", **params)
    if cycles is None:
        with pytest.raises(ValueError, match="cannot be made: optimizer must support momentum"):
            clf.fit(*sample)
        return
    clf.fit(*sample)
    scheduler = dict(clf.callbacks_)["lr_schedule"].lr_scheduler_
    assert scheduler.cycle_momentum is cycles
    group = clf.optimizer_.param_groups[0]
    if optimizer == "sgd":
        assert (group["momentum"] != params["momentum"]) is cycles


def test_bad_schedule_is_a_clear_error(sample):
    with pytest.raises(ValueError, match="The 'lr_schedule' parameter of MLPNetClassifier"):
        MLPNetClassifier(lr_schedule="linear").fit(*sample)


def test_history_frame(sample):
    X, y = sample
    clf = MLPNetClassifier(max_epochs=3, early_stopping=True).fit(X, y)
    frame = clf.history_frame()
    assert list(frame.index) == [1, 2, 3]
    for column in ["train_loss", "train_acc", "valid_loss", "valid_acc", "lr", "dur"]:
        assert frame[column].notna().all(), column
    assert frame["train_acc"].tolist() == clf.history[:, "train_acc"]
    assert frame["dur"].tolist() == clf.history[:, "dur"]


def test_verbose_zero_is_silent_and_one_shows_progress(sample, capsys, monkeypatch):
    X, y = sample
    MLPNetClassifier(max_epochs=2, verbose=0).fit(X, y)
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    # to a file or a pipe: the table's rows, without colour codes or the bar's redraws
    MLPNetClassifier(max_epochs=2, verbose=1).fit(X, y)
    out, err = capsys.readouterr()
    assert "train_loss" in out and "\x1b[" not in out and err == ""
    # on a terminal: the progress bar, and the best values in colour
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    MLPNetClassifier(max_epochs=2, verbose=1).fit(X, y)
    out, err = capsys.readouterr()
    assert "\x1b[" in out and "epoch 2/2" in err


def test_diverging_run_raises_and_keeps_finite_weights(sample):
    X, y = sample
    clf = LeNet5Classifier(optimizer="sgd", lr=1e8, max_epochs=3, random_state=0)
    with pytest.raises(TrainingDivergedError, match=r"epoch 1.*Lower the learning rate"):
        clf.fit(X, y)
    assert all(torch.isfinite(p).all() for p in clf.module_.parameters())
    assert np.isfinite(clf.predict_proba(X[:5])).all()


def test_interrupt_keeps_the_best_weights_usable(sample):
    X, y = sample
    snapshots = _Snapshots()
    clf = MLPNetClassifier(
        max_epochs=10,
        random_state=0,
        callbacks=[("snapshots", snapshots), ("interrupt", InterruptAfter(3))],
    )
    with pytest.warns(UserWarning, match="interrupted in epoch 3"):
        clf.fit(X, y)
    assert len(clf.history) == 3
    best = max(i for i, row in enumerate(clf.history) if row["best"])
    assert _same_weights(clf.module_.state_dict(), snapshots.states[best])
    assert clf.score(X, y) > 0.5


def test_gradient_clipping_bounds_the_step(sample):
    X, y = sample
    params = dict(
        optimizer="sgd",
        lr=1.0,
        lr_schedule=None,
        momentum=0.0,
        max_epochs=1,
        batch_size=len(X),
        random_state=0,
        device="cpu",
    )
    start = MLPNetClassifier(**params)
    start._training_data(X, y, reset=True)
    start.initialize()
    before = torch.cat([p.detach().flatten() for p in start.module_.parameters()])
    clipped = MLPNetClassifier(clip_grad_norm=1e-3, **params).fit(X, y)
    free = MLPNetClassifier(**params).fit(X, y)

    def step(clf):
        return torch.cat([p.detach().flatten() for p in clf.module_.parameters()]) - before

    assert step(clipped).norm() == pytest.approx(1e-3, rel=1e-3)
    assert step(free).norm() > 1e-2


def test_mixed_precision_runs_the_module_in_bfloat16(sample):
    X, y = sample
    clf = LeNet5Classifier(max_epochs=1, mixed_precision=True, random_state=0).fit(X, y)
    dtypes = []
    clf.module_.features[0].register_forward_hook(lambda m, i, o: dtypes.append(o.dtype))
    proba = clf.predict_proba(X[:10])
    assert dtypes == [torch.bfloat16]
    assert proba.dtype == np.float32 and np.allclose(proba.sum(1), 1, atol=1e-5)


def test_bad_mixed_precision_value(sample):
    with pytest.raises(ValueError, match="mixed_precision"):
        LeNet5Classifier(mixed_precision="fp8").fit(*sample)


def test_torch_compile_on_request(sample):
    # torch.compile with its default backend generates C++ on the CPU (half a minute);
    # "aot_eager" traces the same forward and backward graphs without it (the GPU
    # check compiles with the default backend on CUDA)
    X, y = sample
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eager = MLPNetClassifier(hidden_layer_sizes=(32,), max_epochs=1, random_state=0).fit(X, y)
        compiled = MLPNetClassifier(
            hidden_layer_sizes=(32,),
            max_epochs=1,
            random_state=0,
            compile=True,
            compile__backend="aot_eager",
        ).fit(X, y)
    assert hasattr(compiled.module_, "_orig_mod")
    np.testing.assert_allclose(compiled.predict_proba(X), eager.predict_proba(X), atol=1e-4)


def test_a_model_trained_with_progress_bars_pickles_without_snapshots(sample, capsys):
    import pickle

    X, y = sample
    clf = MLPNetClassifier(max_epochs=2, verbose=1, early_stopping=True).fit(X, y)
    capsys.readouterr()
    monitor = dict(clf.callbacks_)["monitor"]
    assert monitor.best_state_ is None and monitor.safe_state_ is None
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"batch_size": 0}, r"'batch_size' parameter .* must be an int in the range \[1, inf\)"),
        ({"max_epochs": 0}, r"'max_epochs' parameter .* must be an int in the range \[1, inf\)"),
        ({"max_epochs": 2.5}, "'max_epochs' parameter .*Got 2.5 instead"),
        ({"device": "cuda"}, "no CUDA GPU"),
        ({"iterator_train__batch_size": 0}, "'iterator_train__batch_size' parameter .* an int"),
        ({"iterator_valid__batch_size": "abc"}, "'iterator_valid__batch_size' parameter"),
    ],
)
def test_bad_training_values_are_clear_errors_at_fit(sample, params, message, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match=message):
        MLPNetClassifier(**params).fit(*sample)


def test_a_single_hidden_width_is_one_layer(sample):
    clf = MLPNetClassifier(hidden_layer_sizes=64, max_epochs=1).fit(*sample)
    linear = [m for m in clf.module_.modules() if isinstance(m, torch.nn.Linear)]
    assert [m.out_features for m in linear] == [64, 10]
    assert clf.hidden_layer_sizes == 64


class _InterruptMidEpoch(Callback):
    """Ctrl-C at the third batch of epoch 2."""

    def on_batch_end(self, net, training=None, **kwargs):
        if training and len(net.history) == 2 and len(net.history[-1]["batches"]) == 3:
            raise KeyboardInterrupt


def test_an_interrupted_epoch_leaves_an_estimator_that_pickles(sample):
    import pickle

    X, y = sample
    with pytest.warns(UserWarning, match="interrupted in epoch 2"):
        clf = LeNet5Classifier(
            max_epochs=5,
            batch_size=64,
            verbose=1,
            random_state=0,
            callbacks=[("interrupt", _InterruptMidEpoch())],
        ).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))  # the epoch's progress bar is not in it
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


def test_a_schedule_is_as_long_as_the_batches_taken(sample):
    # the iterator's own batch size decides the batches, and so the one-cycle's length
    X, y = sample
    clf = MLPNetClassifier(
        max_epochs=2, lr_schedule="onecycle", iterator_train__batch_size=50, random_state=0
    ).fit(X[:500], y[:500])
    scheduler = dict(clf.callbacks_)["lr_schedule"].lr_scheduler_
    taken = sum(clf.history[:, "train_batch_count"])
    assert clf.batch_size_ == 50 and taken == 20
    assert scheduler.total_steps == taken
    assert scheduler.last_epoch == taken - 1  # the whole cycle: down to its final rate


def test_forward_takes_images_as_predict_does(sample):
    X, y = sample
    clf = MLPNetClassifier(max_epochs=1, random_state=0).fit(X, y)
    logits = clf.forward(X[:50].reshape(50, 28, 28))
    np.testing.assert_array_equal(clf.classes_[logits.argmax(dim=1).numpy()], clf.predict(X[:50]))


class _CountBatchCalls(Callback):
    """Counts the per-batch methods it is called in."""

    def __init__(self):
        self.calls = {}

    def _count(self, name):
        self.calls[name] = self.calls.get(name, 0) + 1

    def on_batch_begin(self, net, **kwargs):
        self._count("on_batch_begin")

    def on_grad_computed(self, net, **kwargs):
        self._count("on_grad_computed")

    def on_batch_end(self, net, training=None, **kwargs):
        self._count(f"on_batch_end {'train' if training else 'valid'}")


def test_callbacks_see_every_batch_and_new_callbacks_replace_old_ones(sample):
    X, y = sample
    X, y = X[:300], y[:300]
    first, second = _CountBatchCalls(), _CountBatchCalls()
    clf = MLPNetClassifier(
        max_epochs=2,
        batch_size=64,
        early_stopping=True,
        warm_start=True,
        callbacks=[("count", first)],
    ).fit(X, y)
    # 270 training images in batches of 64: 5 a epoch; 30 held out: 1
    assert first.calls == {
        "on_batch_begin": 12,
        "on_grad_computed": 10,
        "on_batch_end train": 10,
        "on_batch_end valid": 2,
    }
    # new callbacks replace the old ones, and a method set on an instance counts too
    plain, ends = Callback(), []
    plain.on_batch_end = lambda net, **kwargs: ends.append(kwargs["training"])
    clf.set_params(callbacks=[("count", second), ("plain", plain)]).fit(X, y)
    assert first.calls["on_batch_begin"] == 12
    assert second.calls["on_batch_begin"] == 12
    assert ends.count(True) == 10 and ends.count(False) == 2
