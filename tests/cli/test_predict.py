"""``skmnist predict``: each input kind, written here as real files, and the errors of bad ones."""

import contextlib
import io
import json

import joblib
import numpy as np
import pandas as pd
import pytest
from clihelpers import check_error
from PIL import Image

import skmnist
from skmnist import DigitNormalizer
from skmnist.datasets import load_mnist_sample, write_idx

N = 20  # test images each input holds


@pytest.fixture(scope="module")
def run(lenet_run):
    """The output folder of ``skmnist train --model lenet5`` on the sample."""
    code, _, err, out = lenet_run
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def prepared_run(tmp_path_factory):
    """``skmnist train --model mlp --prepare`` on the sample: its output folder."""
    out = tmp_path_factory.mktemp("mlp-prepared")
    argv = ["train", "--model", "mlp", "--dataset", "sample", "--quiet", "--prepare"]
    argv += ["-p", "max_epochs=3", "-p", "random_state=0", "--out", str(out)]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = skmnist.cli.main(argv)
    assert code == 0, stderr.getvalue()
    return out


@pytest.fixture(scope="module")
def test_set():
    test = load_mnist_sample(subset="test")
    return test.images[:N], test.target[:N]


def _expected(run, images):
    """What the saved pipeline predicts for ``images``, and with what probability."""
    model = joblib.load(run / "model.joblib")
    proba = model.predict_proba(images.reshape(len(images), -1))
    return model.classes_[proba.argmax(axis=1)], proba.max(axis=1)


def _lines(result):
    """The printed predictions: ``(name, label, probability)`` of each line before the report."""
    rows = []
    for line in result.out.split("\n\nAccuracy")[0].strip().splitlines():
        name, label, probability = line.split()[:3]
        rows.append((name, int(label), float(probability)))
    return rows


def test_png_files_and_a_folder(skmnist_cli, run, test_set, tmp_path):
    images, _ = test_set
    for i, image in enumerate(images):
        Image.fromarray(image).save(tmp_path / f"digit{i:02d}.png")
    result = skmnist_cli("predict", run / "model.safetensors", tmp_path / "digit00.png", tmp_path)
    assert result.code == 0, result.err
    rows = _lines(result)
    labels, probabilities = _expected(run, images)
    assert [name for name, _, _ in rows] == [str(tmp_path / "digit00.png")] + [
        str(tmp_path / f"digit{i:02d}.png") for i in range(N)
    ]
    assert [label for _, label, _ in rows[1:]] == labels.tolist()
    np.testing.assert_allclose([p for _, _, p in rows[1:]], probabilities, atol=5e-5)
    assert "Accuracy" not in result.out  # image files carry no labels


def test_jpeg_and_rgb_images(skmnist_cli, run, test_set, tmp_path):
    images, _ = test_set
    Image.fromarray(images[0]).convert("RGB").save(tmp_path / "digit.jpg", quality=100)
    result = skmnist_cli("predict", run, tmp_path / "digit.jpg")
    assert result.code == 0, result.err
    assert _lines(result)[0][1] == _expected(run, images[:1])[0][0]


def test_idx_file_with_its_labels_and_idx_folder(skmnist_cli, run, test_set, tmp_path):
    images, labels = test_set
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels.astype(np.uint8))
    expected, _ = _expected(run, images)
    for source in (tmp_path / "t10k-images-idx3-ubyte.gz", tmp_path):
        result = skmnist_cli("predict", run / "model.joblib", source)
        assert result.code == 0, result.err
        rows = _lines(result)
        assert [name for name, _, _ in rows] == [f"{source}[{i}]" for i in range(N)]
        assert [label for _, label, _ in rows] == expected.tolist()
        accuracy = np.mean(expected == labels)
        assert f"Accuracy: {accuracy:.4f} on {N} labelled images\n" in result.out
        assert "macro avg" in result.out  # the classification report


def test_idx_file_without_labels(skmnist_cli, run, test_set, tmp_path):
    write_idx(tmp_path / "mine-idx3-ubyte", test_set[0])
    result = skmnist_cli("predict", run, tmp_path / "mine-idx3-ubyte")
    assert result.code == 0, result.err
    assert len(_lines(result)) == N and "Accuracy" not in result.out


@pytest.mark.parametrize("layout", ["images", "rows", "channels"])
def test_npy(skmnist_cli, run, test_set, tmp_path, layout):
    images, _ = test_set
    array = {"images": images, "rows": images.reshape(N, -1), "channels": images[:, None]}[layout]
    np.save(tmp_path / "digits.npy", array)
    result = skmnist_cli("predict", run, tmp_path / "digits.npy")
    assert result.code == 0, result.err
    assert [label for _, label, _ in _lines(result)] == _expected(run, images)[0].tolist()


@pytest.mark.parametrize("first", [0, 1], ids=["kaggle pixel0", "skmnist pixel1"])
def test_csv_with_labels(skmnist_cli, run, test_set, tmp_path, first):
    images, labels = test_set
    frame = pd.DataFrame(
        images.reshape(N, -1), columns=[f"pixel{i}" for i in range(first, first + 784)]
    )
    frame.insert(0, "label" if first == 0 else "class", labels)
    frame.to_csv(tmp_path / "train.csv", index=False)
    result = skmnist_cli("predict", run, tmp_path / "train.csv")
    assert result.code == 0, result.err
    expected, _ = _expected(run, images)
    assert [label for _, label, _ in _lines(result)] == expected.tolist()
    assert f"Accuracy: {np.mean(expected == labels):.4f} on {N} labelled images" in result.out


def test_csv_without_labels_and_columns_out_of_order(skmnist_cli, run, test_set, tmp_path):
    images, _ = test_set
    columns = [f"pixel{i}" for i in range(784)]
    frame = pd.DataFrame(images.reshape(N, -1), columns=columns)[columns[::-1]]
    frame.insert(0, "ImageId", range(1, N + 1))  # other columns are left alone
    frame.to_csv(tmp_path / "test.csv", index=False)
    result = skmnist_cli("predict", run, tmp_path / "test.csv")
    assert result.code == 0, result.err
    assert [label for _, label, _ in _lines(result)] == _expected(run, images)[0].tolist()


def test_out_csv_with_top_k(skmnist_cli, run, test_set, tmp_path):
    images, labels = test_set
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels.astype(np.uint8))
    Image.fromarray(images[0]).save(tmp_path / "one.png")
    out = tmp_path / "predictions.csv"
    result = skmnist_cli(
        "predict",
        run,
        tmp_path / "one.png",
        tmp_path / "t10k-images-idx3-ubyte",
        "--out",
        out,
        "--top-k",
        3,
    )
    assert result.code == 0, result.err
    assert f"Wrote {N + 1} predictions to {out}" in result.out
    assert "Accuracy: " in result.out and f"({N} of the {N + 1} images have labels)" in result.out
    frame = pd.read_csv(out)
    assert list(frame.columns) == [
        "input",
        "label",
        "prediction",
        "probability",
        "prediction_2",
        "probability_2",
        "prediction_3",
        "probability_3",
    ]
    assert frame["input"][0] == str(tmp_path / "one.png") and np.isnan(frame["label"][0])
    assert frame["label"][1:].astype(int).tolist() == labels.tolist()
    model = joblib.load(run / "model.joblib")
    proba = model.predict_proba(np.concatenate([images[:1], images]).reshape(N + 1, -1))
    top = np.argsort(-proba, axis=1)[:, :3]
    assert frame[["prediction", "prediction_2", "prediction_3"]].to_numpy().tolist() == top.tolist()
    np.testing.assert_allclose(frame["probability"], proba.max(axis=1), atol=1e-6)
    assert (frame["probability"] >= frame["probability_2"]).all()
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")] == []


def test_top_k_printed(skmnist_cli, run, test_set, tmp_path):
    np.save(tmp_path / "x.npy", test_set[0][:2])
    result = skmnist_cli("predict", run, tmp_path / "x.npy", "--top-k", 2)
    assert result.code == 0, result.err
    for line in result.out.strip().splitlines():
        _name, first, p1, second, p2 = line.split()
        assert first != second and float(p1) >= float(p2)


def _own_digit(size, dark_on_light=True):
    """A '1' with a flag and a base, drawn big on a canvas unlike MNIST's."""
    image = np.zeros((size, size), dtype=np.uint8)
    s = size // 10
    image[2 * s : 8 * s, 5 * s : 6 * s] = 255
    image[2 * s : 3 * s, 4 * s : 5 * s] = 255
    return 255 - image if dark_on_light else image


def test_prepare_takes_images_of_any_size(skmnist_cli, run, tmp_path):
    Image.fromarray(_own_digit(100)).save(tmp_path / "big.png")
    Image.fromarray(_own_digit(40, dark_on_light=False)).save(tmp_path / "small.png")
    result = skmnist_cli("predict", run / "model.safetensors", tmp_path, "--prepare")
    assert result.code == 0, result.err
    prepared = DigitNormalizer().transform([_own_digit(100), _own_digit(40, False)])
    expected = joblib.load(run / "model.joblib").predict(prepared)
    assert [label for _, label, _ in _lines(result)] == expected.tolist()


def test_a_model_trained_with_prepare_applies_it(skmnist_cli, prepared_run, tmp_path):
    metrics = json.loads((prepared_run / "metrics.json").read_text())
    assert metrics["prepare"] is True
    model = joblib.load(prepared_run / "model.joblib")
    assert isinstance(model[0], DigitNormalizer)
    Image.fromarray(_own_digit(100)).save(tmp_path / "big.png")
    result = skmnist_cli("predict", prepared_run, tmp_path / "big.png")
    assert result.code == 0, result.err
    assert _lines(result)[0][1] == model.predict([_own_digit(100)])[0]
    result = skmnist_cli("predict", prepared_run, tmp_path / "big.png", "--prepare")
    assert result.code == 0, result.err
    assert "prepares its input itself" in result.err and "--prepare adds nothing" in result.err


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_any_joblib_classifier_and_its_image_size(skmnist_cli, test_set, tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train = load_mnist_sample(subset="train")
    small = train.images[:500, ::2, ::2].reshape(500, -1)  # 14x14 images
    model = make_pipeline(skmnist.PixelNormalizer(), LogisticRegression(max_iter=50))
    joblib.dump(model.fit(small, train.target[:500]), tmp_path / "small.joblib")
    Image.fromarray(test_set[0][0]).save(tmp_path / "digit.png")
    check_error(
        skmnist_cli("predict", tmp_path / "small.joblib", tmp_path / "digit.png"),
        2,
        "is a 28x28 image, but the model takes 14x14 images",
        verb="predict",
    )
    result = skmnist_cli("predict", tmp_path / "small.joblib", tmp_path / "digit.png", "--prepare")
    assert result.code == 0, result.err
    prepared = DigitNormalizer(box_size=10, field_size=14).transform([test_set[0][0]])
    assert _lines(result)[0][1] == model.predict(prepared)[0]


# ----------------------------------------------------------------------------------------
# Errors: exit status 2 and one line


def test_missing_model(skmnist_cli, tmp_path):
    check_error(
        skmnist_cli("predict", tmp_path / "nope.safetensors", tmp_path),
        2,
        f"MODEL '{tmp_path / 'nope.safetensors'}': no such file or folder",
        verb="predict",
    )


def test_folder_without_a_model(skmnist_cli, tmp_path):
    check_error(
        skmnist_cli("predict", tmp_path, tmp_path),
        2,
        "is a folder without model.joblib or model.safetensors",
        verb="predict",
    )


def test_damaged_safetensors(skmnist_cli, run, tmp_path):
    data = (run / "model.safetensors").read_bytes()
    (tmp_path / "model.safetensors").write_bytes(data[: len(data) // 2])
    check_error(
        skmnist_cli("predict", tmp_path / "model.safetensors", tmp_path),
        2,
        "is not a complete safetensors model file",
        verb="predict",
    )


@pytest.mark.parametrize("content", [b"", b"garbage bytes", b"\x80\x04\x95"])
def test_damaged_joblib(skmnist_cli, tmp_path, content):
    (tmp_path / "model.joblib").write_bytes(content)
    check_error(
        skmnist_cli("predict", tmp_path / "model.joblib", tmp_path),
        2,
        f"{tmp_path / 'model.joblib'} is not a joblib file skmnist can read (",
        verb="predict",
    )


def test_joblib_file_that_holds_no_classifier(skmnist_cli, tmp_path):
    joblib.dump({"weights": [1, 2, 3]}, tmp_path / "model.joblib")
    check_error(
        skmnist_cli("predict", tmp_path / "model.joblib", tmp_path),
        2,
        "holds a dict, not a fitted classifier with predict_proba",
        verb="predict",
    )


def test_unfitted_model(skmnist_cli, tmp_path):
    joblib.dump(skmnist.MLPNetClassifier(), tmp_path / "model.joblib")
    check_error(
        skmnist_cli("predict", tmp_path / "model.joblib", tmp_path),
        2,
        "holds a MLPNetClassifier that is not fitted",
        verb="predict",
    )


def test_an_image_size_the_model_cannot_take(skmnist_cli, run, tmp_path):
    Image.fromarray(_own_digit(100)).save(tmp_path / "big.png")
    check_error(
        skmnist_cli("predict", run, tmp_path / "big.png"),
        2,
        f"{tmp_path / 'big.png'} is a 100x100 image, but the model takes 28x28 images; "
        "add --prepare",
        verb="predict",
    )


def test_rows_of_a_size_the_model_cannot_take(skmnist_cli, run, tmp_path):
    pd.DataFrame(np.zeros((2, 100), dtype=int), columns=[f"pixel{i}" for i in range(100)]).to_csv(
        tmp_path / "small.csv", index=False
    )
    check_error(
        skmnist_cli("predict", run, tmp_path / "small.csv"),
        2,
        f"{tmp_path / 'small.csv'}[0] is a 10x10 image, but the model takes 28x28",
        verb="predict",
    )
    np.save(tmp_path / "odd.npy", np.zeros((2, 50)))
    check_error(
        skmnist_cli("predict", run, tmp_path / "odd.npy"),
        2,
        f"{tmp_path / 'odd.npy'}[0] is rows of 50 pixels, but the model takes 28x28",
        verb="predict",
    )


def test_unreadable_image_files(skmnist_cli, run, test_set, tmp_path):
    Image.fromarray(test_set[0][0]).save(tmp_path / "good.png")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    check_error(
        skmnist_cli("predict", run, tmp_path),
        2,
        f"1 of 2 files could not be read as images: {tmp_path / 'broken.png'} (",
        verb="predict",
    )
    result = skmnist_cli("predict", run, tmp_path, "--skip-unreadable")
    assert result.code == 0, result.err
    assert [name for name, _, _ in _lines(result)] == [str(tmp_path / "good.png")]
    assert f"notice: skipped 1 unreadable file: {tmp_path / 'broken.png'} (" in result.err
    (tmp_path / "good.png").unlink()
    check_error(
        skmnist_cli("predict", run, tmp_path, "--skip-unreadable"),
        2,
        "no images to predict: every file was skipped",
        verb="predict",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nothing.csv", "a,b\n1,2\n", "no pixel columns: name them pixel0 ... pixel783"),
        ("words.csv", "pixel0,pixel1\nx,y\n", "its pixel columns hold values that are not numbers"),
        ("holes.csv", "pixel0,pixel1\n1,\n", "its pixel columns have empty cells"),
        ("empty.csv", "", "not a readable CSV file"),
        ("t10k-labels-idx1-ubyte", None, "not images (n_images, rows, columns)"),
        ("flat.npy", np.zeros(5), "holds a 1-D array of float64"),
        ("fake.npy", b"not numpy", "fake.npy"),
    ],
)
def test_inputs_that_cannot_be_read(skmnist_cli, run, tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        write_idx(path, np.zeros((3, 2, 2), dtype=np.uint8).reshape(3, 4)[:, 0])
    elif isinstance(content, np.ndarray):
        np.save(path, content)
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    check_error(skmnist_cli("predict", run, path), 2, message, verb="predict")


def test_an_idx_labels_file_is_no_images(skmnist_cli, run, tmp_path):
    write_idx(tmp_path / "labels-idx3-ubyte", np.zeros((2, 2, 2, 2), dtype=np.uint8))
    check_error(
        skmnist_cli("predict", run, tmp_path / "labels-idx3-ubyte"), 2, "not images", verb="predict"
    )


def test_missing_input_and_bad_options(skmnist_cli, run, tmp_path):
    check_error(
        skmnist_cli("predict", run, tmp_path / "nope.png"),
        2,
        f"INPUT '{tmp_path / 'nope.png'}': no such file or folder",
        verb="predict",
    )
    check_error(
        skmnist_cli("predict", run, tmp_path, "--out", tmp_path),
        2,
        "is a folder; give a file",
        verb="predict",
    )
    check_error(
        skmnist_cli("predict", run, tmp_path, "--out", tmp_path / "no" / "p.csv"),
        2,
        "does not exist",
        verb="predict",
    )
    check_error(
        skmnist_cli("predict", run, tmp_path, "--top-k", 0),
        2,
        "argument --top-k: must be at least 1, got 0",
        verb="predict",
    )
    check_error(
        skmnist_cli("predict", run),
        2,
        "the following arguments are required: INPUT",
        verb="predict",
    )


def test_pixels_out_of_range_are_one_line(skmnist_cli, run, tmp_path):
    np.save(tmp_path / "big.npy", np.full((2, 28, 28), 300.0))
    check_error(
        skmnist_cli("predict", run, tmp_path / "big.npy"),
        2,
        f"{tmp_path / 'big.npy'}: PixelNormalizer expects pixel values in [0, 255]",
        verb="predict",
    )


# ----------------------------------------------------------------------
# skmnist export: the same run's model as an ONNX file


def test_export_writes_the_model_as_onnx(skmnist_cli, run, test_set, tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime")
    result = skmnist_cli("export", run, tmp_path / "model.onnx", "--no-zipmap")
    assert result.code == 0, result.err
    assert "-> " in result.out and "outputs label and probabilities" in result.out
    images, _ = test_set
    session = onnxruntime.InferenceSession(str(tmp_path / "model.onnx"))
    labels, proba = session.run(None, {"X": images.reshape(len(images), -1)})
    expected_labels, expected_proba = _expected(run, images)
    np.testing.assert_array_equal(labels, expected_labels)
    np.testing.assert_allclose(proba.max(axis=1), expected_proba, atol=1e-5)


def test_export_refuses_what_onnx_cannot_hold(skmnist_cli, prepared_run, run, tmp_path):
    pytest.importorskip("skl2onnx")
    check_error(
        skmnist_cli("export", prepared_run, tmp_path / "m.onnx"),
        2,
        "DigitNormalizer cannot be exported to ONNX",
        verb="export",
    )
    check_error(
        skmnist_cli("export", run, tmp_path / "m.txt"), 2, "must end in .onnx", verb="export"
    )
    # a mistake on the command line is reported before the model is read
    missing = tmp_path / "no-such-model"
    check_error(
        skmnist_cli("export", missing, tmp_path / "m.txt"), 2, "must end in .onnx", verb="export"
    )
    assert list(tmp_path.iterdir()) == []
