"""``skmnist train``: end to end on the shipped sample and on a tiny IDX folder."""

import contextlib
import json

import joblib
import numpy as np
import pytest
import torch
from clihelpers import assert_png
from sklearn.metrics import accuracy_score, f1_score

import skmnist
from skmnist.datasets import load_mnist_sample

METRICS_KEYS = {
    "model",
    "estimator",
    "accuracy",
    "macro_f1",
    "fit_seconds",
    "predict_images_per_s",
    "n_params",
    "epochs",
    "params",
    "params_given",
    "dataset",
    "n_train",
    "n_test",
    "target_names",
    "device",
    "versions",
    "files",
}


def test_train_lenet5_on_the_sample_reports_and_shows_progress(lenet_run):
    code, out, err, _ = lenet_run
    assert code == 0, err
    assert "Training LeNet5Classifier on 3,000 images from the shipped MNIST sample" in out
    assert "train_loss" in out  # verbose=1: skorch's table, one row per epoch
    assert "macro avg" in out  # the classification report
    assert "LeNet5Classifier: test accuracy" in out
    assert "Traceback" not in err


def test_train_writes_metrics(lenet_run):
    _, _, _, out = lenet_run
    metrics = json.loads((out / "metrics.json").read_text())
    assert METRICS_KEYS <= set(metrics)
    # the figures are the saved model's on the test set
    test = load_mnist_sample(subset="test")
    y_pred = joblib.load(out / "model.joblib").predict(test.data)
    assert metrics["accuracy"] == accuracy_score(test.target, y_pred) > 0.5
    assert metrics["macro_f1"] == pytest.approx(f1_score(test.target, y_pred, average="macro"))
    assert metrics["n_params"] == 61706
    assert (metrics["n_train"], metrics["n_test"], metrics["epochs"]) == (3000, 1000, 2)
    assert metrics["fit_seconds"] > 0 and metrics["predict_images_per_s"] > 0
    assert metrics["params"]["max_epochs"] == 2 and metrics["params"]["random_state"] == 0
    assert metrics["params_given"] == {"max_epochs": 2, "random_state": 0}
    assert metrics["dataset"] == "sample"
    assert metrics["prepare"] is False  # no DigitNormalizer without --prepare
    assert metrics["target_names"] == [str(d) for d in range(10)]
    assert {"skmnist", "torch", "skorch", "scikit-learn", "numpy", "python"} <= set(
        metrics["versions"]
    )
    assert all((out / name).is_file() for name in metrics["files"])
    assert metrics["files_skipped"] == {}


def test_train_writes_report_history_and_plots(lenet_run):
    _, _, _, out = lenet_run
    report = (out / "classification_report.txt").read_text()
    assert "macro avg" in report and "accuracy" in report
    assert len((out / "history.csv").read_text().splitlines()) == 1 + 2
    for name in ("learning_curves", "confusion_matrix", "predictions", "errors", "filters"):
        assert_png(out / f"{name}.png")


def test_train_model_files_load_and_predict(lenet_run):
    _, _, _, out = lenet_run
    X_test, y_test = load_mnist_sample(subset="test", return_X_y=True)
    pipeline = joblib.load(out / "model.joblib")
    y_pred = pipeline.predict(X_test)
    metrics = json.loads((out / "metrics.json").read_text())
    assert np.mean(y_pred == y_test) == pytest.approx(metrics["accuracy"])
    clf = skmnist.load_model(out / "model.safetensors")
    assert isinstance(clf, skmnist.LeNet5Classifier)
    # the estimator alone takes the raw uint8 pixels, as the Pipeline does
    np.testing.assert_array_equal(clf.predict(X_test), y_pred)


def test_train_quiet_prints_the_result_line_only(skmnist_cli, tmp_path):
    result = skmnist_cli(
        "train",
        "--model",
        "mlp",
        "--dataset",
        "sample",
        "--quiet",
        "-p",
        "max_epochs=1",
        "--out",
        tmp_path,
    )
    assert result.code == 0, result.err
    assert result.out.splitlines() == [result.out.strip()]
    assert result.out.startswith("MLPNetClassifier: test accuracy")
    # a network without convolutions has no filters to show; the rest is written
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert not (tmp_path / "filters.png").exists()
    assert "filters.png" in metrics["files_skipped"]
    assert metrics["n_params"] == 101770
    for name in ("learning_curves", "confusion_matrix", "predictions", "errors"):
        assert_png(tmp_path / f"{name}.png")


def test_train_without_out_writes_nothing(skmnist_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = skmnist_cli("train", "--model", "mlp", "--dataset", "sample", "-p", "max_epochs=1")
    assert result.code == 0, result.err
    assert "nothing was written" in result.out
    assert list(tmp_path.iterdir()) == []


def test_train_cnn_on_an_idx_folder(skmnist_cli, fashion_like, tmp_path):
    out = tmp_path / "new" / "folder"  # created, parents included
    result = skmnist_cli(
        "train",
        "--model",
        "cnn",
        "--dataset",
        fashion_like,
        "--out",
        out,
        "--quiet",
        "-p",
        "channels=(8, 16, 32)",
        "-p",
        "max_epochs=3",
        "-p",
        "lr=3e-3",
        "-p",
        "random_state=0",
        "-p",
        "early_stopping=true",
    )
    assert result.code == 0, result.err
    metrics = json.loads((out / "metrics.json").read_text())
    assert (metrics["n_train"], metrics["n_test"]) == (200, 100)
    assert metrics["dataset"] == str(fashion_like)
    assert metrics["params"]["channels"] == [8, 16, 32]
    assert metrics["params"]["early_stopping"] is True
    assert metrics["target_names"] == [str(label) for label in range(10)]
    test = skmnist.datasets.load_idx_folder(fashion_like, subset="test")
    y_pred = joblib.load(out / "model.joblib").predict(test.data)
    assert metrics["accuracy"] == accuracy_score(test.target, y_pred)
    history = (out / "history.csv").read_text()
    assert "valid_loss" in history  # validation held out of the training set
    for name in ("learning_curves", "confusion_matrix", "predictions", "filters"):
        assert_png(out / f"{name}.png")
    clf = skmnist.load_model(out / "model.safetensors")
    assert clf.channels == (8, 16, 32)


def test_class_names_of_a_named_data_set_reach_report_and_plots(tmp_path, monkeypatch):
    """Fashion-MNIST's names label the report (the data set is faked from the sample)."""
    from sklearn.utils import Bunch

    from skmnist import datasets
    from skmnist.cli import _data

    names = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]

    def fake_fetch(*, data_home=None, subset="train", verify=True):
        sample = datasets.load_mnist_sample(subset=subset)
        return Bunch(**{**sample, "target_names": names})

    monkeypatch.setattr(datasets, "fetch_fashion_mnist", fake_fetch)
    data = _data.load("fashion-mnist")
    assert data.class_name(9) == "Ankle boot"
    code = skmnist.cli.main(
        [
            "train",
            "--model",
            "mlp",
            "--dataset",
            "fashion-mnist",
            "--quiet",
            "-p",
            "max_epochs=1",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    report = (tmp_path / "classification_report.txt").read_text()
    assert "Ankle boot" in report and "T-shirt/top" in report
    assert json.loads((tmp_path / "metrics.json").read_text())["target_names"] == names


def test_no_verify_reaches_the_fetcher_and_the_report(monkeypatch, capsys):
    from skmnist import datasets

    calls = []

    def fake_fetch(*, data_home=None, subset="train", verify=True):
        calls.append(verify)
        return datasets.load_mnist_sample(subset=subset)

    monkeypatch.setattr(datasets, "fetch_fashion_mnist", fake_fetch)
    argv = [
        "train",
        "--model",
        "mlp",
        "--dataset",
        "fashion-mnist",
        "-p",
        "max_epochs=1",
    ]
    assert skmnist.cli.main([*argv, "--no-verify"]) == 0
    assert calls == [False, False]
    assert "fashion-mnist (unverified: --no-verify)" in capsys.readouterr().out
    from skmnist.cli import _data

    _data.load("fashion-mnist", None, True)  # what train reads without --no-verify
    assert calls[2:] == [True, True]


class _Killed(BaseException):
    """The process dying: nothing catches it, nothing after it runs."""


def test_train_resumes_from_its_checkpoint_dir_and_says_so(
    skmnist_cli, fashion_like, tmp_path, monkeypatch, capsys
):
    from skmnist.estimators import _checkpoint

    state = tmp_path / "state"
    args = ["train", "--model", "mlp", "--dataset", fashion_like, "-p", "max_epochs=4"]
    args += ["-p", "hidden_layer_sizes=(16,)", "-p", "augment=affine", "-p", "random_state=0"]
    whole = skmnist_cli(*args, "--out", tmp_path / "whole")
    assert whole.code == 0, whole.err

    real = _checkpoint.atomic_write

    @contextlib.contextmanager
    def write_then_die(path, **kwargs):
        with real(path, **kwargs) as file:
            yield file
        raise _Killed  # once the state of epoch 1 is written

    monkeypatch.setattr(_checkpoint, "atomic_write", write_then_die)
    with pytest.raises(_Killed):
        skmnist_cli(*args, "--checkpoint-dir", state, "--out", tmp_path / "killed")
    monkeypatch.undo()
    capsys.readouterr()
    assert [p.name for p in state.iterdir()] == [_checkpoint.STATE_FILE]

    resumed = skmnist_cli(*args, "--checkpoint-dir", state, "--out", tmp_path / "resumed")
    assert resumed.code == 0, resumed.err
    assert f"Resuming at epoch 2 of 4 from the training state in {state}." in resumed.out
    assert not state.exists()  # removed once training completed
    ours = skmnist.load_model(tmp_path / "resumed" / "model.safetensors")
    theirs = skmnist.load_model(tmp_path / "whole" / "model.safetensors")
    for name, tensor in ours.module_.state_dict().items():
        assert torch.equal(tensor, theirs.module_.state_dict()[name]), name
    metrics = json.loads((tmp_path / "resumed" / "metrics.json").read_text())
    assert (
        metrics["accuracy"]
        == json.loads((tmp_path / "whole" / "metrics.json").read_text())["accuracy"]
    )
    assert metrics["params"]["checkpoint_dir"] == str(state)
