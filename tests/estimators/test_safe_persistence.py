"""save_model/load_model: weights as safetensors, parameters as JSON, no code run on load."""

import json
import pickle

import numpy as np
import pandas as pd
import pytest
import safetensors
import safetensors.torch
import torch

from skmnist import (
    CNNClassifier,
    LeNet5Classifier,
    MLPNetClassifier,
    load_model,
    save_model,
)


@pytest.fixture(scope="module")
def sample(mnist_sample):
    return mnist_sample(400)


@pytest.mark.parametrize(
    "estimator",
    [
        LeNet5Classifier(max_epochs=1, random_state=0, conv_dropout=0.2, lr_schedule="cosine"),
        MLPNetClassifier(
            max_epochs=1,
            hidden_layer_sizes=(82, 56, 28),
            activation="tanh",
            optimizer=torch.optim.SGD,
            random_state=0,
        ),
        CNNClassifier(max_epochs=1, channels=(4, 8, 16), random_state=0),
    ],
    ids=["lenet5", "mlp", "cnn"],
)
def test_round_trip_predicts_identically(estimator, sample, tmp_path):
    X, y = sample
    labels = np.array([f"digit {d}" for d in range(10)])[y]
    estimator.fit(X, labels)
    save_model(estimator, tmp_path / "model.safetensors")
    loaded = load_model(tmp_path / "model.safetensors")
    assert type(loaded) is type(estimator)
    assert loaded.get_params(deep=False) == estimator.get_params(deep=False)
    np.testing.assert_array_equal(loaded.classes_, estimator.classes_)
    np.testing.assert_array_equal(loaded.predict_proba(X), estimator.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), estimator.predict(X))
    assert loaded.history[:, "train_loss"] == estimator.history[:, "train_loss"]


def test_a_checkpoint_dir_is_stored_as_the_path_it_is(sample, tmp_path):
    for folder in (tmp_path / "state", str(tmp_path / "state")):
        clf = MLPNetClassifier(max_epochs=1, checkpoint_dir=folder).fit(*sample)
        save_model(clf, tmp_path / "model.safetensors")
        loaded = load_model(tmp_path / "model.safetensors").checkpoint_dir
        assert loaded == folder and type(loaded) is type(folder)


def test_feature_names_and_int_labels_survive(sample, tmp_path):
    X, y = sample
    frame = pd.DataFrame(X, columns=[f"pixel{i + 1}" for i in range(784)])
    clf = MLPNetClassifier(max_epochs=1, random_state=0).fit(frame, y + 10)
    save_model(clf, tmp_path / "m.safetensors")
    loaded = load_model(tmp_path / "m.safetensors")
    assert list(loaded.feature_names_in_) == list(frame.columns)
    assert loaded.classes_.dtype == clf.classes_.dtype
    np.testing.assert_array_equal(loaded.predict(frame), clf.predict(frame))


def test_the_file_is_plain_safetensors_with_a_json_header(sample, tmp_path):
    clf = LeNet5Classifier(max_epochs=1).fit(*sample)
    save_model(clf, tmp_path / "m.safetensors")
    with safetensors.safe_open(str(tmp_path / "m.safetensors"), framework="pt") as f:
        header = json.loads(f.metadata()["skmnist-model"])
        assert sorted(f.keys()) == sorted(clf.module_.state_dict())
    assert header["class"] == "LeNet5Classifier"
    assert header["params"]["activation"] == "relu"


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no model file"):
        load_model(tmp_path / "absent.safetensors")


def test_truncated_file(sample, tmp_path):
    path = tmp_path / "m.safetensors"
    save_model(LeNet5Classifier(max_epochs=1).fit(*sample), path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="not a complete safetensors model file"):
        load_model(path)


def test_a_foreign_safetensors_file(tmp_path):
    safetensors.torch.save_file({"w": torch.zeros(3)}, str(tmp_path / "x.safetensors"))
    with pytest.raises(ValueError, match="not an skmnist model"):
        load_model(tmp_path / "x.safetensors")


def test_weights_of_an_incompatible_architecture(sample, tmp_path):
    path = tmp_path / "m.safetensors"
    save_model(MLPNetClassifier(max_epochs=1).fit(*sample), path)
    with safetensors.safe_open(str(path), framework="pt") as f:
        metadata, state = f.metadata(), {k: f.get_tensor(k) for k in f.keys()}
    header = json.loads(metadata["skmnist-model"])
    header["params"]["hidden_layer_sizes"] = {"tuple": [64]}  # weights are for (128,)
    safetensors.torch.save_file(state, str(path), metadata={"skmnist-model": json.dumps(header)})
    with pytest.raises(ValueError, match="incompatible architecture"):
        load_model(path)


def test_custom_callbacks_cannot_be_saved_safely(sample, tmp_path):
    from skorch.callbacks import EpochTimer

    clf = MLPNetClassifier(max_epochs=1, callbacks=[("t", EpochTimer())]).fit(*sample)
    with pytest.raises(TypeError, match="joblib"):
        save_model(clf, tmp_path / "m.safetensors")


def test_a_model_saved_for_cuda_loads_on_a_cpu_only_machine(sample, tmp_path, monkeypatch):
    X, y = sample
    clf = LeNet5Classifier(max_epochs=1, device="cpu", random_state=0).fit(X, y)
    expected = clf.predict_proba(X)
    clf.device = "cuda"  # as if fitted on a GPU
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    save_model(clf, tmp_path / "m.safetensors")
    with pytest.warns(UserWarning, match="loaded on the CPU"):
        loaded = load_model(tmp_path / "m.safetensors")
    assert loaded.device == "cpu"
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)
    # the same through pickle, skorch's own mechanism
    with pytest.warns(UserWarning):
        unpickled = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(unpickled.predict_proba(X), expected)
