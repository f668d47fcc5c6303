"""Bad inputs get a clear message and change nothing.

One row per case: what the user did, and what they must be told (a warning or
an error naming what was wrong and what to do). A save that fails names the
user's file (``test_model_files.py``).
"""

import numpy as np
import pytest
import torch
from estimator_helpers import block_images

from skmnist import LeNet5Classifier, MLPNetClassifier, load_model, save_model


@pytest.fixture(scope="module")
def data():
    return block_images()


@pytest.fixture(scope="module")
def lenet(data):
    X, y = data
    return LeNet5Classifier(max_epochs=1, random_state=0).fit(X, y)


def _fit_on_0_255_floats(data, lenet, tmp_path):
    X, y = data
    MLPNetClassifier(max_epochs=1).fit(X.astype(np.float32), y)


def _predict_on_images_of_another_shape(data, lenet, tmp_path):
    X, _ = data
    lenet.predict(X.reshape(len(X), 14, 56))  # 784 pixels, but no 28x28 digit


def _partial_fit_one_image_with_early_stopping(data, lenet, tmp_path):
    X, y = data
    MLPNetClassifier(early_stopping=True).partial_fit(X[:1], y[:1], classes=np.unique(y))


def _load_another_networks_params(data, lenet, tmp_path):
    X, y = data
    path = tmp_path / "mlp.pt"
    MLPNetClassifier(max_epochs=1).fit(X, y).save_params(f_params=path)
    LeNet5Classifier().load_params(f_params=path)


def _refit_with_betas_of_one(data, lenet, tmp_path):
    X, y = data
    lenet.set_params(warm_start=True, optimizer__betas=(0.5,)).fit(X, y)


def _load_on_a_device_this_machine_lacks(data, lenet, tmp_path):
    path = tmp_path / "lenet.safetensors"
    save_model(lenet, path)
    load_model(path, device="cuda" if not torch.cuda.is_available() else "mps")


CASES = [
    (_fit_on_0_255_floats, UserWarning, r"float pixels from 0 to 255.*Divide 0-255 floats by 255"),
    (
        _predict_on_images_of_another_shape,
        ValueError,
        r"images of shape 14x56, but LeNet5Classifier was fitted on images of shape 28x28",
    ),
    (
        _partial_fit_one_image_with_early_stopping,
        ValueError,
        r"early_stopping holds out 1 of the 1 images .* none to train on",
    ),
    (
        _load_another_networks_params,
        ValueError,
        r"does not fit this LeNet5Classifier's module: the file is another network's.*"
        r"skmnist.load_model",
    ),
    (_refit_with_betas_of_one, ValueError, r"Adam refuses optimizer__betas=\(0.5,\)"),
    (
        _load_on_a_device_this_machine_lacks,
        ValueError,
        r"^device='(cuda|mps)', but this machine has no",  # not the file's fault
    ),
]


@pytest.mark.parametrize("case, kind, message", CASES, ids=[c.__name__[1:] for c, _, _ in CASES])
def test_a_bad_input_gets_a_clear_message(case, kind, message, data, lenet, tmp_path):
    X, _ = data
    before = lenet.predict_proba(X)
    expect = pytest.warns if issubclass(kind, Warning) else pytest.raises
    with expect(kind, match=message):
        case(data, lenet, tmp_path)
    lenet.set_params(warm_start=False, optimizer__betas=(0.9, 0.999))
    np.testing.assert_array_equal(lenet.predict_proba(X), before)  # the model as it was


def test_a_refused_params_file_loads_nothing_else(data, lenet, tmp_path):
    # load_params with a history and weights of another network: neither is taken
    X, y = data
    other = MLPNetClassifier(max_epochs=2).fit(X, y)
    other.save_params(f_params=tmp_path / "mlp.pt", f_history=tmp_path / "history.json")
    history = list(lenet.history)
    with pytest.raises(ValueError, match="does not fit this LeNet5Classifier's module"):
        lenet.load_params(f_params=tmp_path / "mlp.pt", f_history=tmp_path / "history.json")
    assert list(lenet.history) == history
