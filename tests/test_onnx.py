"""ONNX export: the exported file is the same model, run by onnxruntime.

Each estimator and pipeline is exported with skl2onnx's own ``to_onnx`` (the
converters ``skmnist.onnx`` registers) or ``export_onnx``, run in onnxruntime
on the shipped test sample, and compared with the pipeline itself: the same
predicted labels, and probabilities within 1e-5.
"""

import warnings

import numpy as np
import pytest
from estimator_helpers import make_estimator
from sklearn.pipeline import make_pipeline

from skmnist import (
    DigitNormalizer,
    LeNet5Classifier,
    MLPNetClassifier,
    PixelNormalizer,
    load_mnist_sample,
    load_model,
    save_model,
)
from skmnist.estimators import ESTIMATORS as BY_NAME

onnxruntime = pytest.importorskip("onnxruntime")
skl2onnx = pytest.importorskip("skl2onnx")

from skmnist.onnx import export_onnx  # noqa: E402  (registers the converters)

#: float32 probabilities of two runtimes agree to this
ATOL = 1e-5
ESTIMATORS = list(BY_NAME.values())


@pytest.fixture(scope="module")
def data():
    train, test = load_mnist_sample(subset="train"), load_mnist_sample(subset="test")
    return train.data[:600], train.target[:600], test.data


def _run(onx, X):
    session = onnxruntime.InferenceSession(onx.SerializeToString())
    return session.run(None, {session.get_inputs()[0].name: X})


def _fitted(cls, data, **params):
    X, y, _ = data
    model = make_pipeline(PixelNormalizer(), make_estimator(cls, max_epochs=1, **params))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


def _same(model, onx, X):
    labels, proba = _run(onx, X)
    np.testing.assert_array_equal(labels, model.predict(X))
    np.testing.assert_allclose(proba, model.predict_proba(X), atol=ATOL, rtol=0)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_skl2onnx_converts_each_estimator_in_a_pipeline(cls, data):
    # the sample's images are uint8 rows: the first layout and dtype of the test below
    model = _fitted(cls, data)
    X_test = data[2]
    onx = skl2onnx.to_onnx(model, X_test[:1], options={id(model[-1]): {"zipmap": False}})
    _same(model, onx, X_test)
    if cls is LeNet5Classifier:  # a LeNet-5 pipeline is a small file
        assert len(onx.SerializeToString()) <= 300 * 1024


# each layout once and each dtype in more than one layout (uint8 rows above): the converter
# casts and scales the pixels whatever their layout, and reshapes them whatever their dtype
@pytest.mark.parametrize(
    "layout, dtype",
    [((28, 28), np.float32), ((1, 28, 28), np.uint8), ((784,), np.float32)],
    ids=["float32-images", "uint8-channels", "float32-rows"],
)
def test_uint8_and_float_input_flat_and_image_shaped(layout, dtype, data):
    # the pipeline is fitted and exported in the layout and dtype it is given at predict
    X, y, X_test = data
    X, X_test = (A.reshape(len(A), *layout).astype(dtype) for A in (X, X_test))
    model = make_pipeline(PixelNormalizer(), make_estimator(LeNet5Classifier, max_epochs=1))
    model.fit(X, y)
    onx = skl2onnx.to_onnx(model, X_test[:1], options={id(model[-1]): {"zipmap": False}})
    _same(model, onx, X_test)


def test_an_estimator_alone_scales_integer_pixels_itself_and_gives_float_labels_as_int64(
    data, tmp_path
):
    # skl2onnx's classifiers output whole-number float classes as int64
    X, y, X_test = data
    clf = make_estimator(MLPNetClassifier, max_epochs=1).fit(X, y.astype(float))  # no scaler
    onx = export_onnx(clf, tmp_path / "mlp.onnx", X_test[:1], zipmap=False)
    _same(clf, onx, X_test)
    assert _run(onx, X_test[:1])[0].dtype == np.int64
    assert (tmp_path / "mlp.onnx").stat().st_size == len(onx.SerializeToString())


def test_the_users_labels_and_zipmap_as_skl2onnx_classifiers_give_them(data):
    X, y, X_test = data
    names = np.array(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
    model = make_pipeline(
        PixelNormalizer(standardize="mnist"), make_estimator(MLPNetClassifier, max_epochs=1)
    ).fit(X, names[y])
    labels, proba = _run(skl2onnx.to_onnx(model, X_test[:1]), X_test[:50])
    np.testing.assert_array_equal(labels, model.predict(X_test[:50]))
    assert isinstance(proba, list) and set(proba[0]) == set(names)  # ZipMap: {class: p}
    expected = model.predict_proba(X_test[:50])
    for row, wanted in zip(proba, expected, strict=True):
        np.testing.assert_allclose([row[c] for c in model.classes_], wanted, atol=ATOL)


def test_the_nocl_option_gives_class_indices(data):
    # with nocl=True, skl2onnx's classifiers output the index of each class, not its label
    X, y, X_test = data
    names = np.array(list("abcdefghij"))
    model = make_estimator(MLPNetClassifier, max_epochs=1).fit(X, names[y])
    options = {id(model): {"zipmap": False, "nocl": True}}
    labels, _ = _run(skl2onnx.to_onnx(model, X_test[:1], options=options), X_test[:50])
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(
        labels, np.searchsorted(model.classes_, model.predict(X_test[:50]))
    )


def test_digit_normalizer_is_refused_saying_what_to_do(data):
    X, y, X_test = data
    model = make_pipeline(DigitNormalizer(), make_estimator(MLPNetClassifier, max_epochs=1))
    model.fit(X, y)
    with pytest.raises(
        NotImplementedError, match=r"DigitNormalizer cannot be exported.*without it"
    ):
        skl2onnx.to_onnx(model, X_test[:1])


def test_a_model_trained_on_cuda_exports_on_a_machine_without_it(data, tmp_path):
    # a model file written on a GPU machine keeps device="cuda"; loaded here it is moved
    # to the CPU (with a warning), and exports as any other
    X, y, X_test = data
    clf = make_estimator(LeNet5Classifier, max_epochs=1).fit(X, y)
    clf.device = "cuda"  # as the file of a model trained there records it
    save_model(clf, tmp_path / "on-cuda.safetensors")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = load_model(tmp_path / "on-cuda.safetensors")
    onx = export_onnx(loaded, tmp_path / "on-cuda.onnx", X_test[:1], zipmap=False)
    _same(loaded, onx, X_test)
    np.testing.assert_array_equal(
        loaded.predict(X_test), clf.set_params(device="cpu").predict(X_test)
    )


@pytest.mark.cuda
def test_exporting_a_model_on_cuda_leaves_it_there(data, tmp_path):
    X, y, X_test = data
    clf = make_estimator(LeNet5Classifier, max_epochs=1, device="cuda").fit(X, y)
    onx = export_onnx(clf, tmp_path / "cuda.onnx", X_test[:1], zipmap=False)
    assert next(clf.module_.parameters()).device.type == "cuda"
    _same(clf, onx, X_test)
