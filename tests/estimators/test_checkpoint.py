"""``checkpoint_dir``: a fit that is killed resumes, and ends as the fit never killed does.

The reference is a fit without a folder. A fit killed with SIGKILL in a
child process (after the state of an epoch was written, or while it was
being written), then resumed here, must give the same weights, history (but
for the epochs' durations) and predictions, bit for bit, with augmentation,
dropout, a one-cycle schedule and early stopping on. The child runs torch on
as many threads as this process, so that both compute alike.
"""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager

import numpy as np
import pytest
import safetensors.torch
import torch
from estimator_helpers import InterruptAfter
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from skorch.callbacks import Callback

from skmnist import LeNet5Classifier, MLPNetClassifier, load_mnist_sample, save_model
from skmnist.estimators import _checkpoint
from skmnist.preprocessing import PixelNormalizer

#: Augmentation and dropout (the fit's generators and torch's global one), a one-cycle
#: schedule stepped every batch, and early stopping, which on this data finds its best
#: epoch in epoch 4, then waits two epochs and stops after epoch 6 of 8, restoring epoch 4.
PARAMS = {
    "hidden_layer_sizes": (32,),
    "dropout": 0.2,
    "augment": "affine",
    "lr_schedule": "onecycle",
    "lr": 0.05,
    "early_stopping": True,
    "n_iter_no_change": 2,
    "max_epochs": 8,
    "batch_size": 40,
    "random_state": 0,
}
N_IMAGES = 240


def _data():
    X, y = load_mnist_sample(return_X_y=True)
    return X[:N_IMAGES].reshape(-1, 28, 28), y[:N_IMAGES]


@pytest.fixture(scope="module")
def sample():
    return _data()


@pytest.fixture(scope="module")
def reference(sample):
    """The fit never interrupted, without a folder."""
    clf = MLPNetClassifier(**PARAMS).fit(*sample)
    best = clf.history_frame()["best"]
    assert len(best) == 6 and best.iloc[3] and not best.iloc[4:].any()  # what PARAMS says
    return clf


def _durations_dropped(history):
    return [{k: v for k, v in row.items() if k != "dur"} for row in history]


def assert_same_fit(clf, reference, X):
    """Weights, history (but durations) and predictions equal, bit for bit."""
    ours, theirs = clf.module_.state_dict(), reference.module_.state_dict()
    assert list(ours) == list(theirs)
    for name in ours:
        assert torch.equal(ours[name], theirs[name]), name
    assert _durations_dropped(clf.history) == _durations_dropped(reference.history)
    np.testing.assert_array_equal(clf.predict_proba(X), reference.predict_proba(X))


def _state_epoch(folder):
    return _checkpoint._read_header(folder / _checkpoint.STATE_FILE)["epoch"]


def _interrupted(cls, params, X, y, folder, epoch):
    """A fit interrupted after ``epoch``: the folder keeps the state of ``epoch - 1``."""
    with pytest.warns(UserWarning, match="Training was interrupted"):
        cls(**params, checkpoint_dir=folder, callbacks=[("stop", InterruptAfter(epoch))]).fit(X, y)
    assert _state_epoch(folder) == epoch - 1


# ---------------------------------------------------------------------------
# Killed, then resumed

_CHILD = """
import json, os, signal, sys
from contextlib import contextmanager

import torch

from skmnist import MLPNetClassifier
from skmnist.estimators import _checkpoint
from test_checkpoint import _data

params, folder, epoch, during, threads = json.loads(sys.argv[1])
torch.set_num_threads(threads)
real, writes = _checkpoint.atomic_write, []


@contextmanager
def write_then_die(path, **kwargs):
    # the n-th state written is that of epoch n
    writes.append(path)
    with real(path, **kwargs) as file:
        if during and len(writes) == epoch + 1:
            file.write(b"the first bytes of a state")
            file.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        yield file
    if not during and len(writes) == epoch:
        os.kill(os.getpid(), signal.SIGKILL)


_checkpoint.atomic_write = write_then_die
MLPNetClassifier(**params, checkpoint_dir=folder).fit(*_data())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize(
    ("epoch", "during"),
    [(1, False), (4, False), (2, True)],
    ids=["after-epoch-1", "after-epoch-4", "while-writing-epoch-3"],
)
def test_a_killed_fit_resumes_to_the_same_model(epoch, during, sample, reference, tmp_path):
    folder, here = tmp_path / "state", os.path.dirname(__file__)
    args = [PARAMS, str(folder), epoch, during, torch.get_num_threads()]
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=here,
        env={  # test_checkpoint here, the shared helpers one folder up
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [here, os.path.dirname(here), os.environ.get("PYTHONPATH", "")]
            ),
        },
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert _state_epoch(folder) == epoch  # the state before the kill, whole
    assert bool(list(folder.glob(".*.part"))) == during  # what the kill left midway

    resumed = MLPNetClassifier(**PARAMS, checkpoint_dir=folder).fit(*sample)

    assert_same_fit(resumed, reference, sample[0])
    assert not folder.exists()  # completed: its state removed


def test_a_fit_given_a_folder_trains_as_one_without(sample, reference, tmp_path):
    folder = tmp_path / "state"

    class Written(Callback):
        def on_train_begin(self, net, **kwargs):
            self.epochs = []

        def on_epoch_end(self, net, **kwargs):
            exists = (folder / _checkpoint.STATE_FILE).exists()
            self.epochs.append(_state_epoch(folder) if exists else None)

    written = Written()
    clf = MLPNetClassifier(**PARAMS, checkpoint_dir=folder, callbacks=[("w", written)])
    clf.fit(*sample)

    assert_same_fit(clf, reference, sample[0])
    # each epoch's state is written as the next begins; the last is never needed
    assert written.epochs == [None, 1, 2, 3, 4, 5]
    assert not folder.exists()


def test_the_folder_survives_the_fit_when_other_files_are_in_it(sample, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    MLPNetClassifier(max_epochs=3, checkpoint_dir=tmp_path).fit(*sample)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_resuming_says_so(sample, tmp_path, capsys):
    params = {**PARAMS, "early_stopping": False, "max_epochs": 4}
    _interrupted(MLPNetClassifier, params, *sample, tmp_path, epoch=3)
    capsys.readouterr()
    MLPNetClassifier(**{**params, "verbose": 1}, checkpoint_dir=tmp_path).fit(*sample)
    out = capsys.readouterr().out
    assert out.startswith(f"Resuming at epoch 3 of 4 from the training state in {tmp_path}.\n")
    assert [line.split()[0] for line in out.splitlines()[-2:]] == ["3", "4"]  # epochs trained


@pytest.mark.parametrize(
    ("cls", "params"),
    [
        *[
            (MLPNetClassifier, {"lr_schedule": schedule, "dropout": 0.2})
            for schedule in (None, "cosine", "step")
        ],
        # the rate lowered after any epoch that does not halve the best loss so far
        (
            MLPNetClassifier,
            {"lr_schedule": "plateau", "lr_patience": 0, "lr_schedule_params": {"threshold": 0.5}},
        ),
        (MLPNetClassifier, {"step_mode": "eager", "optimizer": "sgd", "lr": 0.05}),
        (LeNet5Classifier, {"batch_norm": True, "augment": "elastic", "optimizer": "nadam"}),
    ],
    ids=["no-schedule", "cosine", "step", "plateau", "eager-sgd", "lenet5-batch-norm"],
)
def test_an_interrupted_fit_resumes_to_the_same_model(cls, params, sample, tmp_path):
    X, y = sample
    params = {"max_epochs": 5, "batch_size": 40, "random_state": 0, **params}
    reference = cls(**params).fit(X, y)
    _interrupted(cls, params, X, y, tmp_path, epoch=3)
    assert_same_fit(cls(**params, checkpoint_dir=tmp_path).fit(X, y), reference, X)


def test_the_captured_step_resumes_to_the_same_model(captured_on_the_cpu, sample, tmp_path):
    X, y = sample
    params = {**PARAMS, "step_mode": "graph"}
    reference = MLPNetClassifier(**params).fit(X, y)
    _interrupted(MLPNetClassifier, params, X, y, tmp_path, epoch=3)
    resumed = MLPNetClassifier(**params, checkpoint_dir=tmp_path).fit(X, y)
    assert resumed.step_mode_ == "graph" and captured_on_the_cpu.replays > 0
    assert_same_fit(resumed, reference, X)


def test_a_pipeline_resumes_to_the_same_model(sample, tmp_path):
    X, y = sample
    params = {**PARAMS, "max_epochs": 4, "early_stopping": False}
    reference = make_pipeline(PixelNormalizer(), MLPNetClassifier(**params)).fit(X, y)
    with pytest.warns(UserWarning, match="Training was interrupted"):
        make_pipeline(
            PixelNormalizer(),
            MLPNetClassifier(
                **params, checkpoint_dir=tmp_path, callbacks=[("stop", InterruptAfter(3))]
            ),
        ).fit(X, y)
    resumed = make_pipeline(PixelNormalizer(), MLPNetClassifier(**params, checkpoint_dir=tmp_path))
    resumed.fit(X, y)
    assert_same_fit(resumed[-1], reference[-1], PixelNormalizer().fit_transform(X))


def test_random_state_none_resumes_alike_each_time(sample, tmp_path):
    # the state keeps the seed the fit drew, and its generators: the validation split and
    # everything drawn after the state are the same in every fit that resumes it
    X, y = sample
    params = {**PARAMS, "random_state": None, "max_epochs": 4}
    _interrupted(MLPNetClassifier, params, X, y, tmp_path / "a", epoch=3)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    first = MLPNetClassifier(**params, checkpoint_dir=tmp_path / "a").fit(X, y)
    second = MLPNetClassifier(**params, checkpoint_dir=tmp_path / "b").fit(X, y)
    assert_same_fit(first, second, X)


def test_a_continued_fit_resumes_from_where_it_continued(sample, tmp_path):
    X, y = sample
    folder = tmp_path / "state"
    params = {**PARAMS, "max_epochs": 3, "early_stopping": False, "warm_start": True}
    reference = MLPNetClassifier(**params).fit(X, y).fit(X, y)
    first = MLPNetClassifier(**params).fit(X, y)
    with pytest.warns(UserWarning, match="Training was interrupted"):
        first.set_params(checkpoint_dir=folder, callbacks=[("stop", InterruptAfter(5))])
        first.fit(X, y)
    assert _state_epoch(folder) == 4
    # as in a new process: the first fit again (with no folder), then this one
    again = MLPNetClassifier(**params).fit(X, y)
    again.set_params(checkpoint_dir=folder).fit(X, y)
    assert_same_fit(again, reference, X)

    # a fresh fit starts at epoch 0: not the fit whose state that was
    _interrupted(MLPNetClassifier, {**params, "warm_start": False}, X, y, folder, epoch=2)
    continued = MLPNetClassifier(**params).fit(X, y).set_params(checkpoint_dir=folder)
    with pytest.raises(ValueError, match="that fit started at epoch 0, this one at epoch 3"):
        continued.fit(X, y)


def test_partial_fit_leaves_the_folder_alone(sample, tmp_path):
    X, y = sample
    clf = MLPNetClassifier(random_state=0, checkpoint_dir=tmp_path / "state")
    for _ in range(3):
        clf.partial_fit(X, y, classes=np.arange(10))
    assert not (tmp_path / "state").exists()


# ---------------------------------------------------------------------------
# Refused: another fit's state, a damaged one


@pytest.fixture
def interrupted(sample, tmp_path):
    """A folder with the state of epoch 2 of a PARAMS fit."""
    folder = tmp_path / "state"
    _interrupted(MLPNetClassifier, PARAMS, *sample, folder, epoch=3)
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lr": 0.01}, r"lr=0\.05 there, 0\.01 here"),
        ({"augment": None}, r"augment='affine' there, None here"),
        ({"cls": LeNet5Classifier}, r"its estimator is MLPNetClassifier, this is LeNet5Classifier"),
        ({"n_images": N_IMAGES - 1}, r"its training data differ from these"),
        ({"skmnist": "99.0"}, r"it was made with skmnist \S+, this is 99\.0"),
    ],
    ids=["parameter", "augment", "estimator", "data", "version"],
)
def test_another_fits_state_is_refused_saying_what_differs(
    change, message, interrupted, sample, monkeypatch
):
    X, y = sample
    change = dict(change)
    cls = change.pop("cls", MLPNetClassifier)
    n = change.pop("n_images", N_IMAGES)
    if "skmnist" in change:
        monkeypatch.setattr(_checkpoint, "__version__", change.pop("skmnist"))
    params = {**PARAMS, **change}
    if cls is LeNet5Classifier:
        del params["hidden_layer_sizes"], params["dropout"]
    before = _files(interrupted)
    clf = cls(**params, checkpoint_dir=interrupted)
    with pytest.raises(ValueError, match=message) as refused:
        clf.fit(X[:n], y[:n])
    assert "To start afresh, delete" in str(refused.value)
    assert _files(interrupted) == before
    assert not hasattr(clf, "module_")


def test_a_refused_fit_leaves_a_fitted_model_as_it_was(interrupted, sample):
    X, y = sample
    clf = MLPNetClassifier(**{**PARAMS, "max_epochs": 1}).fit(X, y)
    proba = clf.predict_proba(X)
    with pytest.raises(ValueError, match=r"max_epochs=8 there, 1 here"):
        clf.set_params(checkpoint_dir=interrupted).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    assert len(clf.history) == 1


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _flip_last_byte(data):
    return data[:-1] + bytes([data[-1] ^ 1])


def _edit_epoch(data):
    assert data.count(b'\\"epoch\\": 2') == 1  # in the header's JSON, as metadata
    return data.replace(b'\\"epoch\\": 2', b'\\"epoch\\": 1')


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_flip_last_byte, "was changed since it was written"),
        (_edit_epoch, "was changed since it was written"),
        (lambda data: data[: len(data) // 2], "is not a complete training state"),
        (lambda data: b"not a safetensors file", "is not a complete training state"),
    ],
    ids=["tensor-byte", "header", "truncated", "garbage"],
)
def test_a_damaged_state_is_refused(tamper, message, interrupted, sample):
    path = interrupted / _checkpoint.STATE_FILE
    path.write_bytes(tamper(path.read_bytes()))
    before = _files(interrupted)
    with pytest.raises(ValueError, match=message) as refused:
        MLPNetClassifier(**PARAMS, checkpoint_dir=interrupted).fit(*sample)
    assert f"To start afresh, delete {path}" in str(refused.value)
    assert _files(interrupted) == before


def test_a_model_file_is_no_training_state(sample, tmp_path):
    model = MLPNetClassifier(max_epochs=1).fit(*sample)
    save_model(model, tmp_path / _checkpoint.STATE_FILE)
    with pytest.raises(ValueError, match="a safetensors file but no skmnist training state"):
        MLPNetClassifier(**PARAMS, checkpoint_dir=tmp_path).fit(*sample)


def test_a_file_is_no_folder(sample, tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="is a file; it must name a folder"):
        MLPNetClassifier(max_epochs=1, checkpoint_dir=tmp_path / "file").fit(*sample)


class _Lambda:
    """A learning-rate factor whose state (an array) no training state holds."""

    def __init__(self):
        self.factors = np.ones(3)

    def __call__(self, epoch):
        return 1.0


def test_a_state_that_cannot_be_kept_is_refused_before_training(sample, tmp_path):
    clf = MLPNetClassifier(
        lr_schedule=torch.optim.lr_scheduler.LambdaLR,
        lr_schedule_params={"lr_lambda": _Lambda()},  # LambdaLR keeps its __dict__
        max_epochs=2,
        checkpoint_dir=tmp_path / "state",
    )
    with pytest.raises(TypeError, match=r"cannot keep the training state: .*factors is a ndarray"):
        clf.fit(*sample)
    assert not (tmp_path / "state").exists()


# ---------------------------------------------------------------------------
# One folder, one fit


def test_a_fit_writing_into_the_folder_at_the_same_time_is_refused(sample, tmp_path):
    X, y = sample
    other = tmp_path / "other"
    _interrupted(MLPNetClassifier, {**PARAMS, "lr": 0.01}, X, y, other, epoch=3)
    folder = tmp_path / "state"

    class OtherFitWrites(Callback):
        def on_epoch_end(self, net, **kwargs):
            if len(net.history) == 2:  # as a clone of a parallel search would
                target = folder / _checkpoint.STATE_FILE
                target.write_bytes((other / _checkpoint.STATE_FILE).read_bytes())

    clf = MLPNetClassifier(**PARAMS, checkpoint_dir=folder, callbacks=[("o", OtherFitWrites())])
    with pytest.raises(ValueError, match=r"replaced by the training state of another fit"):
        clf.fit(X, y)


def test_a_search_run_in_turn_shares_a_folder_without_mixing(sample, tmp_path):
    X, y = sample
    params = {**PARAMS, "max_epochs": 3, "early_stopping": False}
    grid = {"lr": [0.01, 0.05]}
    folder = tmp_path / "state"
    ours = GridSearchCV(MLPNetClassifier(**params, checkpoint_dir=folder), grid, cv=2)
    plain = GridSearchCV(MLPNetClassifier(**params), grid, cv=2)
    np.testing.assert_array_equal(
        ours.fit(X, y).cv_results_["mean_test_score"],
        plain.fit(X, y).cv_results_["mean_test_score"],
    )
    assert not folder.exists()


# ---------------------------------------------------------------------------
# Writing fails


_REAL_ATOMIC_WRITE = _checkpoint.atomic_write


class _FullDisk:
    """A file on a full disk: the first half of what is written goes, then ENOSPC."""

    def __init__(self, file):
        self.file = file

    def write(self, data):
        self.file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@contextmanager
def _full_disk(path, **kwargs):
    with _REAL_ATOMIC_WRITE(path, **kwargs) as file:
        yield _FullDisk(file)


def test_a_full_disk_warns_and_training_goes_on(sample, reference, tmp_path, monkeypatch):
    X, y = sample
    writes = []

    @contextmanager
    def first_write_only(path, **kwargs):
        writes.append(path)
        with (_REAL_ATOMIC_WRITE if len(writes) == 1 else _full_disk)(path, **kwargs) as file:
            yield file

    monkeypatch.setattr(_checkpoint, "atomic_write", first_write_only)
    with pytest.warns(UserWarning) as warned:
        MLPNetClassifier(
            **PARAMS, checkpoint_dir=tmp_path, callbacks=[("stop", InterruptAfter(5))]
        ).fit(X, y)
    messages = [str(w.message) for w in warned]
    assert len(writes) == 4  # the states of epochs 1 to 4: the 2nd to the 4th failed...
    assert messages[0].startswith(
        f"The training state of epoch 2 could not be written to {tmp_path} "
    )
    assert "No space left on device" in messages[0]
    assert "the state of epoch 1 is kept there" in messages[0]
    assert len(messages) == 2 and "interrupted" in messages[1]  # ... which warned once
    assert sorted(p.name for p in tmp_path.iterdir()) == [_checkpoint.STATE_FILE]
    assert _state_epoch(tmp_path) == 1

    monkeypatch.undo()
    resumed = MLPNetClassifier(**PARAMS, checkpoint_dir=tmp_path).fit(X, y)
    assert_same_fit(resumed, reference, X)


def test_a_full_disk_leaves_the_fit_as_without_a_folder(sample, reference, tmp_path, monkeypatch):
    monkeypatch.setattr(_checkpoint, "atomic_write", _full_disk)
    with pytest.warns(UserWarning, match="no state of this fit is kept there yet"):
        clf = MLPNetClassifier(**PARAMS, checkpoint_dir=tmp_path / "state").fit(*sample)
    assert_same_fit(clf, reference, sample[0])
    assert not (tmp_path / "state").exists()


# ---------------------------------------------------------------------------
# The parameter


def test_the_parameter_is_stored_as_given_and_cloned(tmp_path):
    clf = MLPNetClassifier(checkpoint_dir=tmp_path)
    assert clf.get_params()["checkpoint_dir"] is tmp_path
    assert clone(clf).checkpoint_dir == tmp_path
    assert repr(clf) == f"MLPNetClassifier(checkpoint_dir={tmp_path!r})"


def test_the_state_file_loads_without_running_code(interrupted):
    # plain safetensors: its tensors and JSON metadata, nothing pickled
    tensors = safetensors.torch.load_file(interrupted / _checkpoint.STATE_FILE)
    assert [name for name in tensors if name.endswith(":state.module.layers.1.weight")]
    with safetensors.safe_open(interrupted / _checkpoint.STATE_FILE, framework="pt") as f:
        header = json.loads(f.metadata()[_checkpoint.FORMAT])
    assert header["epoch"] == 2 and header["fingerprint"]["parameters"]["lr"] == 0.05


def test_weighted_samples_resume_to_the_same_model_and_other_weights_are_refused(sample, tmp_path):
    X, y = sample
    weights = np.random.default_rng(0).uniform(0.2, 3.0, size=len(y))
    reference = MLPNetClassifier(**PARAMS).fit(X, y, sample_weight=weights)
    folder = tmp_path / "state"
    stop = [("stop", InterruptAfter(3))]
    with pytest.warns(UserWarning, match="Training was interrupted"):
        MLPNetClassifier(**PARAMS, checkpoint_dir=folder, callbacks=stop).fit(
            X, y, sample_weight=weights
        )
    with pytest.raises(ValueError, match="its training data differ from these"):
        MLPNetClassifier(**PARAMS, checkpoint_dir=folder).fit(X, y, sample_weight=weights[::-1])
    resumed = MLPNetClassifier(**PARAMS, checkpoint_dir=folder).fit(X, y, sample_weight=weights)
    assert_same_fit(resumed, reference, X)
