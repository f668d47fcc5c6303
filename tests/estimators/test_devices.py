"""The estimators on every device this machine has: the CPU always, CUDA when there is one.

Each test taking the ``device`` fixture runs once per device (``pytest -m cuda``
selects the CUDA cases); tests marked ``cuda`` need a GPU and are skipped with
a reason without one. ``python -m tools.gpu_check`` runs every CUDA case on a GPU machine.

Tolerances, CUDA against the CPU at the same seed (same initial weights, same
batches: the shuffling generator is a CPU one on every device):

- the same weights give probabilities within ``SAME_WEIGHTS_ATOL``, computed
  in float32 on both (cuDNN's convolutions use TF32 by default, about 1e-3
  relative error in the logits: ``_float32`` turns that off while comparing);
- the same training twice on a GPU (resident and streamed data) gives
  probabilities within ``TRAINING_ATOL`` (cuDNN's backward passes may add in
  any order);
- two trainings agree on at least ``AGREEMENT`` of the test labels and their
  accuracies differ by at most ``ACCURACY_GAP`` (rounding differences grow over
  the steps of training).
"""

import copy
import os
import pickle
import subprocess
import sys
import textwrap
import warnings

import joblib
import numpy as np
import pytest
import torch
from estimator_helpers import InterruptAfter
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from torch.nn import functional as F

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier, save_model
from skmnist.estimators import augment_batch, resolve_augment, resolve_device

SAME_WEIGHTS_ATOL = 1e-4
TRAINING_ATOL = 1e-2
AGREEMENT = 0.93
ACCURACY_GAP = 0.03

ESTIMATORS = {
    "mlp": lambda **p: MLPNetClassifier(hidden_layer_sizes=(64,), **p),
    "lenet5": lambda **p: LeNet5Classifier(**p),
    # no dropout: CPU and CUDA draw different masks
    "cnn": lambda **p: CNNClassifier(channels=(8, 16, 32), dropout=0.0, **p),
}


@pytest.fixture(scope="module")
def sample(mnist_sample):
    return *mnist_sample(1500), *mnist_sample(subset="test")


def _float32_proba(clf, X):
    """``predict_proba`` with float32 convolutions on a GPU too (no TF32)."""
    with torch.backends.cudnn.flags(enabled=True, allow_tf32=False):
        return clf.predict_proba(X)


def _module_device(clf):
    return next(clf.module_.parameters()).device.type


def _fit(name, device, X, y, **params):
    params = {"max_epochs": 3, "batch_size": 64, "random_state": 0, "lr_schedule": None, **params}
    return ESTIMATORS[name](device=device, **params).fit(X, y)


@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_fit_predict_and_partial_fit_on_each_device(name, device, sample):
    X, y, X_test, y_test = sample
    clf = _fit(name, device, X, y)
    assert _module_device(clf) == device
    proba = clf.predict_proba(X_test)
    assert proba.dtype == np.float32 and proba.shape == (len(X_test), 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(clf.predict(X_test), clf.classes_[proba.argmax(axis=1)])
    assert clf.score(X_test, y_test) > 0.8

    partial = ESTIMATORS[name](device=device, batch_size=64, random_state=0, lr_schedule=None)
    for _ in range(2):
        partial.partial_fit(X, y, classes=np.arange(10))
    assert len(partial.history) == 2 and _module_device(partial) == device
    assert partial.score(X_test, y_test) > 0.7


@pytest.mark.cuda
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_cuda_agrees_with_the_cpu(name, sample):
    X, y, X_test, y_test = sample
    cpu, cuda = _fit(name, "cpu", X, y), _fit(name, "cuda", X, y)

    # the same weights: the CUDA model's module, copied to the CPU
    module = copy.deepcopy(cuda.module_).cpu().eval()
    x = torch.as_tensor(X_test.reshape(-1, 1, 28, 28) / np.float32(255))
    with torch.no_grad():
        x = x.reshape(len(x), -1) if name == "mlp" else x
        proba_cpu = torch.softmax(module(x), dim=1).numpy()
    np.testing.assert_allclose(_float32_proba(cuda, X_test), proba_cpu, atol=SAME_WEIGHTS_ATOL)

    # two trainings from the same seed
    agreement = np.mean(cpu.predict(X_test) == cuda.predict(X_test))
    assert agreement >= AGREEMENT
    assert abs(cpu.score(X_test, y_test) - cuda.score(X_test, y_test)) <= ACCURACY_GAP

    partial = {}
    for device in ("cpu", "cuda"):
        partial[device] = ESTIMATORS[name](
            device=device, batch_size=64, random_state=0, lr_schedule=None
        )
        for _ in range(2):
            partial[device].partial_fit(X, y, classes=np.arange(10))
    assert np.mean(partial["cpu"].predict(X_test) == partial["cuda"].predict(X_test)) >= AGREEMENT


@pytest.mark.cuda
def test_uint8_data_stays_uint8_on_the_gpu():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, (20_000, 784), dtype=np.uint8)  # 15.7 MB; float32 would be 63 MB
    y = rng.integers(0, 10, len(X))
    clf = MLPNetClassifier(hidden_layer_sizes=(32,), max_epochs=1, batch_size=500, device="cuda")
    torch.cuda.synchronize()
    before = torch.cuda.memory_allocated()
    data = clf._training_data(X, y, reset=True)
    torch.cuda.synchronize()
    resident_bytes = torch.cuda.memory_allocated() - before
    assert data.resident and data.X.device.type == "cuda" and data.X.dtype == torch.uint8
    labels = y.size * 8  # int64
    assert X.nbytes + labels <= resident_bytes < X.nbytes + labels + 2**20
    del data

    clf.fit(X[:1000], y[:1000])  # cuBLAS's workspace and the like, before measuring
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    start = torch.cuda.memory_allocated()
    clf.fit(X, y)
    extra = torch.cuda.max_memory_allocated() - start - X.nbytes
    # a float32 copy of X alone would take 63 MB more
    assert extra < 32 * 2**20, f"fit took {extra / 2**20:.0f} MiB of GPU memory beyond X"


def test_streaming_under_a_small_budget_matches_the_resident_path(device, sample):
    X, y, X_test, _ = sample
    resident = _fit("lenet5", device, X, y, max_epochs=2)
    streaming = _fit("lenet5", device, X, y, max_epochs=2, device_data_budget=0)
    data = streaming._training_data(X, y, reset=False)
    assert not data.resident and data.X.device.type == "cpu"
    Xb, yb = data.batch(torch.arange(8))
    assert Xb.device.type == device and yb.device.type == device
    atol = 0 if device == "cpu" else TRAINING_ATOL
    np.testing.assert_allclose(
        resident.predict_proba(X_test), streaming.predict_proba(X_test), atol=atol
    )


@pytest.mark.parametrize(
    "augment", ["affine", "elastic", "noise", "flip", {"hflip": 0.5, "erase": 0.5}]
)
def test_augmentation_runs_on_the_device(augment, device, sample):
    X, y, X_test, y_test = sample
    x = torch.rand(16, 1, 28, 28, device=device)
    out = augment_batch(x, resolve_augment(augment))
    assert out.device.type == device and out.shape == x.shape and not torch.equal(out, x)
    seen = []
    clf = LeNet5Classifier(
        device=device, augment=augment, max_epochs=2, batch_size=64, random_state=0
    )
    clf.fit(X, y)
    hook = clf.module_.register_forward_pre_hook(lambda m, args: seen.append(args[0].device.type))
    clf.partial_fit(X[:64], y[:64])
    hook.remove()
    assert set(seen) == {device}
    assert clf.score(X_test, y_test) > 0.5  # learns (chance: 0.1) from augmented batches


def test_mixed_precision_and_compile(device, sample):
    X, y, X_test, y_test = sample
    if device == "cpu" and not os.environ.get("SKMNIST_TEST_COMPILE"):
        pytest.skip(
            "torch.compile on the CPU takes a minute; the slow test in "
            "test_training.py covers it (set SKMNIST_TEST_COMPILE=1 to run it here)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = _fit("cnn", device, X, y, mixed_precision=True, compile=True)
    assert hasattr(clf.module_, "_orig_mod")
    assert clf.predict_proba(X_test).dtype == np.float32
    assert clf.score(X_test, y_test) > 0.8


@pytest.fixture
def replays(monkeypatch):
    """Counts the replays of captured training steps."""
    from skmnist.estimators import _graphs

    count = []
    replay = _graphs.CapturedCompute.replay
    monkeypatch.setattr(
        _graphs.CapturedCompute, "replay", lambda self: count.append(1) or replay(self)
    )
    return count


@pytest.mark.cuda
@pytest.mark.parametrize("mixed_precision", [False, True])
def test_the_graph_step_trains_as_the_fused_one(mixed_precision, sample, replays):
    # BatchNorm, a new rate every batch (outside the graph), a validation pass between
    # epochs and each epoch's smaller last batch (eager)
    X, y, X_test, _ = sample
    params = {
        "lr_schedule": "onecycle",
        "early_stopping": True,
        "clip_grad_norm": 1.0,
        "mixed_precision": mixed_precision,
    }
    fused = _fit("cnn", "cuda", X, y, step_mode="fused", **params)
    with warnings.catch_warnings():
        # no warning of torch's about streams or graphs (AccumulateGrad's stream, an
        # empty graph, ...)
        warnings.filterwarnings("error", message=r"(?is).*(stream|graph)")
        graph = _fit("cnn", "cuda", X, y, step_mode="graph", **params)
    assert graph.step_mode_ == "graph" and graph._graph is None
    # 1,350 training images: 21 full batches of 64 an epoch, 3 of them warm-up
    assert len(replays) == 3 * 21 - 3
    np.testing.assert_allclose(
        _float32_proba(graph, X_test), _float32_proba(fused, X_test), atol=TRAINING_ATOL
    )
    np.testing.assert_allclose(
        graph.history[:, "train_loss"], fused.history[:, "train_loss"], rtol=1e-2
    )
    assert graph.history[:, "lr"] == fused.history[:, "lr"]


@pytest.mark.cuda
def test_the_graph_step_with_dropout_learns_and_continues(sample, tmp_path, replays):
    X, y, X_test, y_test = sample
    clf = CNNClassifier(
        channels=(8, 16, 32),
        max_epochs=2,
        batch_size=64,
        random_state=0,
        step_mode="graph",
        device="cuda",
        warm_start=True,
    ).fit(X, y)
    clf.fit(X, y)  # a second fit captures anew
    assert len(replays) == 2 * (2 * 23 - 3)  # 1,500 images: 23 full batches an epoch
    assert clf.score(X_test, y_test) > 0.8
    joblib.dump(clf, tmp_path / "model.joblib")
    restored = joblib.load(tmp_path / "model.joblib")
    assert np.array_equal(restored.predict(X_test), clf.predict(X_test))


@pytest.mark.cuda
def test_the_graph_step_on_two_gpus_one_after_the_other(sample, replays):
    if torch.cuda.device_count() < 2:
        pytest.skip("needs two GPUs")
    X, y, X_test, y_test = sample
    for device in ("cuda:0", "cuda:1"):
        clf = LeNet5Classifier(
            max_epochs=2, batch_size=64, random_state=0, step_mode="graph", device=device
        ).fit(X, y)
        assert clf.score(X_test, y_test) > 0.8
    assert len(replays) == 2 * (2 * 23 - 3)


def test_mixed_precision_runs_in_bfloat16(device, sample):
    X, y, X_test, y_test = sample
    clf = _fit("lenet5", device, X, y, mixed_precision=True)
    dtypes = []
    clf.module_.features[0].register_forward_hook(lambda m, i, o: dtypes.append(o.dtype))
    clf.predict_proba(X_test[:10])
    assert dtypes == [torch.bfloat16]
    assert clf.score(X_test, y_test) > 0.8


def test_early_stopping_restores_the_best_weights(device, sample):
    X, y, _, _ = sample
    y_noise = np.random.default_rng(0).integers(0, 10, len(y))  # validation loss soon rises
    clf = MLPNetClassifier(
        hidden_layer_sizes=(256,),
        lr=3e-3,
        max_epochs=100,
        batch_size=64,
        early_stopping=True,
        n_iter_no_change=2,
        random_state=0,
        device=device,
    ).fit(X, y_noise)
    history = clf.history_frame()
    best_epoch = int(history["valid_loss"].idxmin())
    assert best_epoch < len(history) < 100
    # the kept weights give the best epoch's validation loss again
    data = clf._training_data(X, y_noise, reset=False)
    _, valid = clf.get_split_datasets(data)
    logits = clf.forward(valid, training=False, device=device)
    loss = F.cross_entropy(logits, valid.y[valid.indices].to(logits.device)).item()
    assert loss == pytest.approx(history.loc[best_epoch, "valid_loss"], rel=1e-4)


_PREDICT_ON_CPU = textwrap.dedent("""
    import pickle, sys
    import joblib
    import numpy as np
    import torch
    from skmnist import load_model
    from skmnist.datasets import load_mnist_sample
    assert not torch.cuda.is_available()
    folder = sys.argv[1]
    loaders = {
        "pickle": lambda path: pickle.loads(open(path, "rb").read()),
        "joblib": joblib.load,
        "save_model": load_model,
    }
    X = load_mnist_sample(subset="test").data
    for kind, load in loaders.items():
        clf = load(f"{folder}/model.{kind}")
        assert next(clf.module_.parameters()).device.type == "cpu"
        np.save(f"{folder}/proba.{kind}.npy", clf.predict_proba(X))
""")


def test_an_interrupted_fit_resumes_from_its_checkpoint_dir(device, sample, tmp_path):
    # its state, the device's generators (dropout, augmentation) included, put back: the
    # resumed fit ends as the uninterrupted one, bit for bit on the CPU, and on a GPU as
    # close as two runs of one training are
    X, y, X_test, _ = sample
    params = {
        "device": device,
        "dropout": 0.2,
        "augment": "affine",
        "lr_schedule": "onecycle",
        "early_stopping": True,
        "max_epochs": 4,
        "batch_size": 64,
        "random_state": 0,
    }
    whole = ESTIMATORS["mlp"](**params).fit(X, y)
    with pytest.warns(UserWarning, match="interrupted in epoch 3"):
        stop = [("stop", InterruptAfter(3))]
        ESTIMATORS["mlp"](**params, checkpoint_dir=tmp_path / "state", callbacks=stop).fit(X, y)
    resumed = ESTIMATORS["mlp"](**params, checkpoint_dir=tmp_path / "state").fit(X, y)
    assert resumed.device_.type == device and not (tmp_path / "state").exists()
    assert resumed.history[:, "valid_loss"][:2] == whole.history[:, "valid_loss"][:2]
    if device == "cpu":
        np.testing.assert_array_equal(resumed.predict_proba(X_test), whole.predict_proba(X_test))
    else:
        np.testing.assert_allclose(
            resumed.predict_proba(X_test), whole.predict_proba(X_test), atol=TRAINING_ATOL
        )


def test_a_model_trained_here_predicts_in_a_cpu_only_process(device, sample, tmp_path):
    # pickled, dumped with joblib and saved with save_model, loaded in a process without CUDA
    X, y, X_test, _ = sample
    # a schedule and early stopping: callbacks that hold device tensors and the optimizer
    clf = _fit("lenet5", device, X, y, max_epochs=2, lr_schedule="onecycle", early_stopping=True)
    (tmp_path / "model.pickle").write_bytes(pickle.dumps(clf))
    joblib.dump(clf, tmp_path / "model.joblib")
    save_model(clf, tmp_path / "model.save_model")
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run(
        [sys.executable, "-c", _PREDICT_ON_CPU, str(tmp_path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    expected = _float32_proba(clf, X_test)
    for kind in ("pickle", "joblib", "save_model"):
        proba = np.load(tmp_path / f"proba.{kind}.npy")
        np.testing.assert_allclose(proba, expected, atol=SAME_WEIGHTS_ATOL, err_msg=kind)


def test_grid_search_in_threads_on_one_device(device, sample):
    X, y, _, _ = sample
    grid = GridSearchCV(
        LeNet5Classifier(device=device, max_epochs=1, batch_size=64, random_state=0),
        {"lr": [1e-6, 1e-2]},
        cv=StratifiedKFold(2),
        n_jobs=2,
    )
    with joblib.parallel_config(backend="threading"):
        grid.fit(X, y)
    assert grid.best_params_ == {"lr": 1e-2}
    assert _module_device(grid.best_estimator_) == device


@pytest.mark.cuda
def test_auto_picks_cuda(sample):
    X, y, _, _ = sample
    assert resolve_device("auto") == torch.device("cuda")
    clf = LeNet5Classifier(max_epochs=1).fit(X, y)
    assert clf.device == "auto" and _module_device(clf) == "cuda"


@pytest.mark.cuda
def test_set_params_device_moves_a_fitted_model(sample):
    X, y, X_test, _ = sample
    clf = _fit("lenet5", "cuda", X, y, warm_start=True)
    on_cuda = clf.predict_proba(X_test)
    clf.set_params(device="cpu")
    np.testing.assert_allclose(clf.predict_proba(X_test), on_cuda, atol=1e-4)
    assert _module_device(clf) == "cpu"
    clf.fit(X, y)  # training continues on the CPU, the optimizer's state moved along
    assert {
        s.device.type
        for st in clf.optimizer_.state.values()
        for s in st.values()
        if isinstance(s, torch.Tensor) and s.dim()
    } == {"cpu"}


@pytest.mark.cuda
@pytest.mark.parametrize("where", ["cpu", "cuda"])
def test_a_seeded_fit_leaves_every_generator_as_it_was(where, sample):
    # the fit seeds only the generators it draws from, and puts them back
    X, y, _, _ = sample
    torch.cuda.manual_seed_all(7)
    cpu, gpu = torch.get_rng_state(), torch.cuda.get_rng_state_all()
    _fit("mlp", where, X[:256], y[:256], max_epochs=1)
    assert torch.equal(torch.get_rng_state(), cpu)
    assert all(map(torch.equal, torch.cuda.get_rng_state_all(), gpu))


def test_a_cuda_device_beyond_this_machines_gpus_is_a_clear_error(sample, monkeypatch):
    X, y, _, _ = sample
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(ValueError, match=r"device='cuda:3', but this machine has 1 CUDA GPU "):
        MLPNetClassifier(device="cuda:3").fit(X[:50], y[:50])


def test_an_unavailable_device_unpickles_onto_the_cpu(sample, monkeypatch):
    # as load_model does it: the estimator is made for the CPU, saying so
    X, y, X_test, _ = sample
    clf = _fit("mlp", "cpu", X[:200], y[:200], max_epochs=1)
    expected = clf.predict(X_test)
    clf.set_params(device="cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="not available"):
        restored = pickle.loads(pickle.dumps(clf))
    assert restored.device == "cpu" and restored.device_ == torch.device("cpu")
    np.testing.assert_array_equal(restored.predict(X_test), expected)
    unfitted = pickle.loads(pickle.dumps(MLPNetClassifier()))
    assert unfitted.device == "auto" and "device_" not in vars(unfitted)


@pytest.mark.cuda
def test_no_host_synchronisation_per_batch(sample):
    # syncs per fit must not grow with the number of batches (skorch's loss.item()
    # would add one per batch)
    X, y, _, _ = sample
    X, y = X[:1024], y[:1024]
    syncs = {}
    for batch_size in (128, 16):  # 8 and 64 batches an epoch
        clf = LeNet5Classifier(
            device="cuda",
            max_epochs=2,
            batch_size=batch_size,
            early_stopping=True,
            lr_schedule="onecycle",
            clip_grad_norm=1.0,
            random_state=0,
        )
        clf.fit(X[:64], y[:64])  # warm up: cuDNN and cuBLAS handles
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            torch.cuda.set_sync_debug_mode("warn")
            try:
                clf.fit(X, y)
            finally:
                torch.cuda.set_sync_debug_mode("default")
        syncs[batch_size] = sum("synchroniz" in str(w.message) for w in caught)
    assert syncs[16] - syncs[128] <= 4, syncs


def test_callbacks_are_unpickled_onto_the_machine_s_device(sample):
    # callbacks hold device tensors: they go with the module through torch's map_location
    X, y, _, _ = sample
    clf = _fit("lenet5", "cpu", X[:200], y[:200], max_epochs=1, lr_schedule="onecycle")
    state = clf.__getstate__()
    assert "callbacks_" not in state and "module_" not in state
    assert pickle.loads(pickle.dumps(clf)).callbacks_[0][0] == clf.callbacks_[0][0]
