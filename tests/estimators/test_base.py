"""The shared base: seeding, parameters, optimizers, shuffling, logits, device."""

import numpy as np
import pytest
import torch
from estimator_helpers import KINDS, block_images, make_estimator
from sklearn.base import clone
from skorch.callbacks import Callback

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier
from skmnist.estimators import resolve_device

# Each estimator with dropout on, so that seeding must cover dropout masks too.
WITH_DROPOUT = {
    MLPNetClassifier: {"dropout": 0.3},
    LeNet5Classifier: {"conv_dropout": 0.2, "fc_dropout": 0.5},
    CNNClassifier: {"dropout": 0.25},
}


def _dropout(cls, **params):
    return make_estimator(cls, **{**WITH_DROPOUT[cls], **params})


def _weights(clf):
    return torch.cat([p.detach().flatten() for p in clf.module_.parameters()])


# ----------------------------------------------------------------------
# Seeding


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_same_random_state_gives_identical_predictions(cls):
    X, y = block_images()
    clf = _dropout(cls, random_state=42).fit(X, y)
    first = clf.predict_proba(X)
    weights = _weights(clf)
    # refitting the same object, and fitting a clone, repeat it exactly
    np.testing.assert_array_equal(clf.fit(X, y).predict_proba(X), first)
    twin = clone(clf).fit(X, y)
    np.testing.assert_array_equal(twin.predict_proba(X), first)
    assert torch.equal(_weights(twin), weights)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_different_random_states_give_different_weights(cls):
    X, y = block_images()
    a = _dropout(cls, random_state=0).fit(X, y)
    b = _dropout(cls, random_state=1).fit(X, y)
    assert not torch.equal(_weights(a), _weights(b))
    assert not np.array_equal(a.predict_proba(X), b.predict_proba(X))


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_the_seed_covers_dropout_and_shuffling_not_only_the_initial_weights(cls):
    # Two estimators with the same seed start from the same weights; if
    # dropout or the shuffling drew from the global generator, disturbing it
    # between the fits would change the result.
    X, y = block_images()
    a = _dropout(cls, random_state=3).fit(X, y)
    torch.manual_seed(12345)
    b = _dropout(cls, random_state=3).fit(X, y)
    torch.manual_seed(999)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_fit_and_predict_leave_the_global_torch_rng_unchanged(cls):
    X, y = block_images()
    torch.manual_seed(2024)
    before = torch.get_rng_state()
    numpy_before = np.random.get_state()[1].copy()  # noqa: NPY002 (the global state, on purpose)
    clf = _dropout(cls, random_state=7).fit(X, y)
    clf.partial_fit(X, y)
    clf.predict_proba(X)
    assert torch.equal(torch.get_rng_state(), before)
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_before)  # noqa: NPY002


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_random_state_none_still_works(cls):
    X, y = block_images()
    a = _dropout(cls, random_state=None).fit(X, y)
    b = _dropout(cls, random_state=None).fit(X, y)
    assert a.random_state is None
    assert a.predict(X).shape == (len(X),)
    # unseeded fits start from different weights
    assert not torch.equal(_weights(a), _weights(b))


def test_a_random_state_instance_is_accepted_and_left_as_given():
    X, y = block_images()
    rng = np.random.RandomState(0)
    clf = _dropout(MLPNetClassifier, random_state=rng).fit(X, y)
    assert clf.random_state is rng
    assert clf.predict(X).shape == (len(X),)
    # drawn from the same sequence, two fits are reproducible
    a = _dropout(MLPNetClassifier, random_state=np.random.RandomState(5)).fit(X, y)
    b = _dropout(MLPNetClassifier, random_state=np.random.RandomState(5)).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


# ----------------------------------------------------------------------
# Parameters


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_parameters_are_untouched_by_fit(cls):
    X, y = block_images()
    clf = make_estimator(cls)
    assert clf.device == "auto"
    before = clf.get_params(deep=False)
    clf.fit(X, y)
    clf.predict(X)
    after = clf.get_params(deep=False)
    assert after.keys() == before.keys()
    for name, value in before.items():
        assert after[name] is value, name
    assert clf.device == "auto"
    # while the network did run on the device "auto" stands for
    assert next(clf.module_.parameters()).device.type == resolve_device("auto").type


def test_set_params_is_used_by_the_next_fit():
    X, y = block_images()
    clf = make_estimator(MLPNetClassifier)
    assert clf.set_params(lr=0.1, dropout=0.5) is clf
    assert clf.get_params()["lr"] == 0.1
    assert clf.get_params()["dropout"] == 0.5
    clf.fit(X, y)
    assert all(group["lr"] == 0.1 for group in clf.optimizer_.param_groups)
    dropouts = [m for m in clf.module_.modules() if isinstance(m, torch.nn.Dropout)]
    assert dropouts and all(m.p == 0.5 for m in dropouts)

    clf.set_params(hidden_layer_sizes=(16, 8), max_epochs=1).fit(X, y)
    linears = [m for m in clf.module_.modules() if isinstance(m, torch.nn.Linear)]
    assert [m.out_features for m in linears] == [16, 8, 3]
    assert len(clf.history) == 1


def test_set_params_of_lenet5_dropouts():
    X, y = block_images()
    clf = make_estimator(LeNet5Classifier).set_params(conv_dropout=0.2, fc_dropout=0.5)
    clf.fit(X, y)
    features = [m.p for m in clf.module_.features if isinstance(m, torch.nn.Dropout)]
    classifier = [m.p for m in clf.module_.classifier if isinstance(m, torch.nn.Dropout)]
    assert features == [0.2, 0.2]
    assert classifier == [0.5, 0.5]


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_clone_keeps_parameters_and_drops_the_fit(cls):
    X, y = block_images()
    clf = make_estimator(cls, lr=0.02).fit(X, y)
    copy = clone(clf)
    assert copy.get_params(deep=False).keys() == clf.get_params(deep=False).keys()
    assert copy.lr == 0.02
    assert copy.device == "auto"
    assert not hasattr(copy, "classes_")
    assert not hasattr(copy, "module_")


def test_skorch_settings_the_estimator_fixes_are_not_parameters():
    with pytest.raises(TypeError, match="sets skorch's module itself"):
        MLPNetClassifier(module=torch.nn.Linear)
    with pytest.raises(TypeError, match="sets skorch's criterion itself"):
        LeNet5Classifier(criterion=torch.nn.NLLLoss)
    names = MLPNetClassifier().get_params()
    assert "module" not in names and "criterion" not in names


# ----------------------------------------------------------------------
# Optimizers and names of layers


@pytest.mark.parametrize(
    "optimizer, expected",
    [
        ("sgd", torch.optim.SGD),
        ("adam", torch.optim.Adam),
        ("adamw", torch.optim.AdamW),
        ("rmsprop", torch.optim.RMSprop),
        (torch.optim.SGD, torch.optim.SGD),
    ],
    ids=["sgd", "adam", "adamw", "rmsprop", "SGD_class"],
)
def test_optimizer_by_name_or_class_uses_the_estimators_settings(optimizer, expected):
    X, y = block_images()
    clf = make_estimator(  # tanh: RMSprop at this rate diverges with ReLU
        LeNet5Classifier,
        activation="tanh",
        optimizer=optimizer,
        lr=0.05,
        momentum=0.8,
        weight_decay=1e-3,
    ).fit(X, y)
    assert type(clf.optimizer_) is expected
    group = clf.optimizer_.param_groups[0]
    assert group["lr"] == 0.05
    assert group["weight_decay"] == 1e-3
    if expected in (torch.optim.SGD, torch.optim.RMSprop):
        assert group["momentum"] == 0.8
    # it optimizes every parameter of the network
    optimized = {id(p) for g in clf.optimizer_.param_groups for p in g["params"]}
    assert optimized == {id(p) for p in clf.module_.parameters()}
    assert clf.optimizer == optimizer  # the parameter itself is left as given


def test_optimizer_keyword_arguments_pass_through():
    X, y = block_images()
    clf = make_estimator(
        MLPNetClassifier, optimizer="sgd", optimizer__nesterov=True, optimizer__momentum=0.5
    ).fit(X, y)
    group = clf.optimizer_.param_groups[0]
    assert group["nesterov"] is True
    assert group["momentum"] == 0.5


@pytest.mark.parametrize(
    "cls, params, match",
    [
        (MLPNetClassifier, {"optimizer": "sgdd"}, "'optimizer' parameter .*'sgd'.*Got 'sgdd'"),
        (LeNet5Classifier, {"optimizer": "nope"}, "'optimizer' parameter .*Got 'nope'"),
        (MLPNetClassifier, {"activation": "relux"}, "'activation' parameter .*Got 'relux'"),
        (LeNet5Classifier, {"activation": "Tanh!"}, "'activation' parameter .*Got 'Tanh!'"),
        (LeNet5Classifier, {"pooling": "mean"}, r"'pooling' parameter .*'max'.*Got 'mean'"),
    ],
    ids=["mlp_optimizer", "lenet_optimizer", "mlp_activation", "lenet_activation", "pooling"],
)
def test_bad_names_are_clear_errors(cls, params, match):
    X, y = block_images()
    clf = make_estimator(cls, **params)  # accepted as parameters ...
    with pytest.raises(ValueError, match=match):  # ... refused by fit
        clf.fit(X, y)
    assert clf.device == "auto"  # restored although fit failed


# ----------------------------------------------------------------------
# Training loop: shuffling, logits


class FirstColumnRecorder(Callback):
    """Records, per training batch, the first feature of each row (the row's id)."""

    def initialize(self):
        self.batches = []
        return self

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        if training:
            Xb = batch[0].reshape(len(batch[0]), -1)[:, 0]
            self.batches.append(np.rint(Xb.cpu().numpy() * 255).astype(int))


def _numbered_images(n):
    """n images whose first pixel holds the row number."""
    X, y = block_images(n_samples=n)
    X[:, 0, 0] = np.arange(n)
    return X, y


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_training_batches_are_shuffled_every_epoch(cls):
    X, y = _numbered_images(64)
    recorder = FirstColumnRecorder()
    make_estimator(cls, batch_size=16, callbacks=[("recorder", recorder)]).fit(X, y)
    assert len(recorder.batches) == 2 * 4
    epochs = [np.concatenate(recorder.batches[:4]), np.concatenate(recorder.batches[4:])]
    for order in epochs:
        # each epoch visits every sample once, not in the data's order
        np.testing.assert_array_equal(np.sort(order), np.arange(64))
        assert not np.array_equal(order, np.arange(64))
    assert not np.array_equal(epochs[0], epochs[1])

    # the order is part of what random_state reproduces
    again = FirstColumnRecorder()
    make_estimator(cls, batch_size=16, callbacks=[("recorder", again)]).fit(X, y)
    np.testing.assert_array_equal(np.concatenate(again.batches), np.concatenate(epochs))


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_the_network_outputs_logits_trained_with_cross_entropy(cls):
    X, y = block_images()
    clf = make_estimator(cls).fit(X, y)
    assert isinstance(clf.criterion_, torch.nn.CrossEntropyLoss)
    modules = list(clf.module_.modules())
    assert not any(isinstance(m, (torch.nn.Softmax, torch.nn.LogSoftmax)) for m in modules)
    last = [m for m in modules if not list(m.children())][-1]
    assert isinstance(last, torch.nn.Linear) and last.out_features == 3
    # predict_proba is the softmax of the module's raw output
    clf.module_.eval()
    with torch.no_grad():
        logits = clf.module_(torch.from_numpy(X[:, None].astype(np.float32) / 255))
    assert not torch.allclose(logits.sum(dim=1), torch.ones(len(X)))
    np.testing.assert_allclose(
        clf.predict_proba(X), torch.softmax(logits, dim=1).numpy(), rtol=1e-4, atol=1e-6
    )


def test_history_records_loss_and_accuracy_per_epoch():
    X, y = block_images()
    clf = make_estimator(MLPNetClassifier, max_epochs=3).fit(X, y)
    assert len(clf.history) == 3
    for key in ("train_loss", "train_acc", "dur"):
        assert all(np.isfinite(v) for v in clf.history[:, key])
    assert clf.history[-1, "train_acc"] > 0.5  # 3 separable classes, learnt


def test_warm_start_continues_from_the_previous_weights():
    X, y = block_images()
    clf = make_estimator(MLPNetClassifier, warm_start=True, max_epochs=1).fit(X, y)
    weights = _weights(clf).clone()
    clf.fit(X, y)
    assert len(clf.history) == 2
    assert not torch.equal(_weights(clf), weights)
    # no restart from random weights: the second fit starts where the first ended
    assert clf.history[1, "train_loss"] < clf.history[0, "train_loss"]
    cold = make_estimator(MLPNetClassifier, max_epochs=1).fit(X, y).fit(X, y)
    assert len(cold.history) == 1


def test_explicit_cpu_device():
    X, y = block_images()
    clf = make_estimator(LeNet5Classifier, device="cpu").fit(X, y)
    assert clf.device == "cpu"
    assert next(clf.module_.parameters()).device == torch.device("cpu")
    auto = make_estimator(LeNet5Classifier).fit(X, y)
    if resolve_device("auto").type == "cpu":
        np.testing.assert_array_equal(clf.predict_proba(X), auto.predict_proba(X))


def test_verbose_prints_one_line_per_epoch_and_silent_by_default(capsys):
    X, y = block_images()
    make_estimator(MLPNetClassifier, max_epochs=3).fit(X, y)
    assert capsys.readouterr().out == ""
    make_estimator(MLPNetClassifier, max_epochs=3, verbose=1).fit(X, y)
    out = capsys.readouterr().out
    assert "train_loss" in out
    epoch_lines = [line for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert len(epoch_lines) == 3


# ----------------------------------------------------------------------
# Parameters: refused when unknown, checked once, never changed


def test_an_unknown_keyword_is_refused_when_the_estimator_is_made():
    with pytest.raises(TypeError, match="CNNClassifier has no parameter 'hidden_size'"):
        CNNClassifier(hidden_size=256)
    with pytest.raises(TypeError, match="'iterator_train_shuffle'"):
        LeNet5Classifier(iterator_train_shuffle=True)
    # skorch's settings the estimators take still work, as parameters
    clf = LeNet5Classifier(
        optimizer__betas=(0.8, 0.9),
        criterion__label_smoothing=0.1,
        callbacks__print_log=None,
        iterator_train__batch_size=8,
    )
    assert clf.get_params()["optimizer__betas"] == (0.8, 0.9)
    assert clone(clf).get_params()["criterion__label_smoothing"] == 0.1
    with pytest.raises(ValueError, match="has no parameter 'module__units'"):
        clf.set_params(module__units=3)  # the network is built from the parameters


class _CountingAdam(torch.optim.Adam):
    made = 0

    def __init__(self, *args, **kwargs):
        type(self).made += 1
        super().__init__(*args, **kwargs)


def _count_checks(monkeypatch):
    import skmnist.estimators._base as base

    calls = []
    check = base.validate_parameter_constraints
    monkeypatch.setattr(
        base, "validate_parameter_constraints", lambda *a, **k: calls.append(1) or check(*a, **k)
    )
    return calls


def test_parameters_are_checked_once_per_fit_building_one_optimizer(monkeypatch):
    checks = _count_checks(monkeypatch)
    X, y = block_images()
    _CountingAdam.made = 0
    MLPNetClassifier(max_epochs=1, optimizer=_CountingAdam, lr_schedule="cosine").fit(X, y)
    assert len(checks) == 1
    assert _CountingAdam.made == 1  # the one that trains: no stand-ins to check settings


def test_later_partial_fits_check_only_what_changed(monkeypatch):
    checks = _count_checks(monkeypatch)
    X, y = block_images()
    clf = MLPNetClassifier().partial_fit(X, y, classes=np.unique(y))
    clf.partial_fit(X, y)
    clf.partial_fit(X, y)
    assert len(checks) == 1
    with pytest.raises(ValueError, match="'lr' parameter"):
        clf.set_params(lr=-1).partial_fit(X, y)
    assert len(checks) == 2


def test_sklearns_skip_parameter_validation_is_honoured(monkeypatch):
    import sklearn

    checks = _count_checks(monkeypatch)
    X, y = block_images()
    with sklearn.config_context(skip_parameter_validation=True):
        MLPNetClassifier(max_epochs=1, tol=-1.0).fit(X, y)  # refused otherwise
    assert checks == []
    with pytest.raises(ValueError, match="'tol' parameter"):
        MLPNetClassifier(max_epochs=1, tol=-1.0).fit(X, y)


class _ParamsProbe(Callback):
    """Record the ``device`` parameter as callbacks see it while the estimator trains."""

    def on_epoch_end(self, net, **kwargs):
        net.history.record("device_param", net.get_params()["device"])


def test_device_auto_stays_auto_while_training_and_predicting():
    X, y = block_images()
    clf = MLPNetClassifier(max_epochs=2, callbacks=[("probe", _ParamsProbe())]).fit(X, y)
    assert clf.history[:, "device_param"] == ["auto", "auto"]
    clf.predict(X)
    assert clf.device == "auto" and clf.device_ == resolve_device("auto")


def test_a_fit_leaves_torchs_global_state_as_it_was():
    X, y = block_images()
    threads, rng = torch.get_num_threads(), torch.random.get_rng_state()
    make_estimator(LeNet5Classifier, augment="affine", random_state=3).fit(X, y)
    assert torch.get_num_threads() == threads
    assert torch.equal(torch.random.get_rng_state(), rng)


def test_augmentation_draws_from_its_own_generator():
    # a seeded fit with augmentation is the same whatever torch's global generator holds
    X, y = block_images()
    torch.manual_seed(1)
    first = make_estimator(LeNet5Classifier, augment="elastic", random_state=3).fit(X, y)
    torch.manual_seed(2)
    second = make_estimator(LeNet5Classifier, augment="elastic", random_state=3).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
