"""Bad arguments: a clear message on stderr and a non-zero exit status, never a traceback.

Mistakes in the command line exit with 2 (and the usage), before any data is
loaded or any training starts; failures of the work itself exit with 1.
"""

import pytest
import torch


def check_error(result, status, *messages):
    assert result.code == status, (result.out, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out
    for message in messages:
        assert message in result.err, result.err
    if status == 2:
        assert "usage: skmnist" in result.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--model", "resnet"], "argument --model: invalid choice: 'resnet'"),
        (["benchmark", "--suite", "nope"], "argument --suite: invalid choice: 'nope'"),
        (["benchmark"], "the following arguments are required: --suite"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["train", "-p", "max_epochs"], "expected NAME=VALUE (such as max_epochs=5)"),
        (["train", "-p", "foo=1"], "LeNet5Classifier has no parameter 'foo'"),
        (["train", "-p", "max_epoch=3"], "no parameter 'max_epoch' (did you mean max_epochs?)"),
        (["train", "--model", "mlp", "-p", "channels=(8, 16, 32)"],
         "MLPNetClassifier has no parameter 'channels'"),
        (["train", "-p", "max_epochs=abc"], "-p max_epochs takes an integer; got 'abc'"),
        (["train", "-p", "max_epochs=2.5"], "-p max_epochs takes an integer; got 2.5"),
        (["train", "-p", "max_epochs=0"], "-p max_epochs must be at least 1; got 0"),
        (["train", "-p", "batch_size=0"], "-p batch_size must be at least 1"),
        (["train", "-p", "lr=fast"], "-p lr takes a number; got 'fast'"),
        (["train", "-p", "early_stopping=maybe"], "-p early_stopping takes True or False"),
        (["train", "--model", "cnn", "-p", "channels=32"], "-p channels takes a tuple of"),
        (["train", "-p", "activation=3"], "-p activation takes a name"),
        (["train", "-p", "random_state=seed"], "-p random_state takes an integer or None"),
        (["train", "-p", "callbacks=[]"], "cannot be given on the command line"),
        (["train", "-p", "module=None"], "LeNet5Classifier has no parameter 'module'"),
        (["train", "-p", "device=tpu"], "is not a device"),
        (["benchmark", "--suite", "lenet", "--max-epochs", "0"], "must be at least 1, got 0"),
        (["benchmark", "--suite", "lenet", "--max-epochs", "x"], "expected a whole number"),
        (["benchmark", "--suite", "speed", "--dataset", "kmnist"],
         "--suite speed runs on --dataset mnist or sample only"),
    ],
)
def test_usage_errors(skmnist_cli, argv, message):
    check_error(skmnist_cli(*argv), 2, message)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_device_without_cuda(skmnist_cli):
    check_error(skmnist_cli("train", "-p", "device=cuda"), 2, "CUDA is not available")
    check_error(
        skmnist_cli("benchmark", "--suite", "lenet", "--device", "cuda"), 2,
        "CUDA is not available",
    )


@pytest.mark.parametrize("verb", [["train"], ["benchmark", "--suite", "lenet"]])
def test_missing_dataset_folder(skmnist_cli, tmp_path, verb):
    missing = tmp_path / "no-such-folder"
    check_error(
        skmnist_cli(*verb, "--dataset", missing), 2,
        f"--dataset '{missing}' is neither one of auto, mnist, fashion-mnist, kmnist, sample "
        "nor an existing folder",
    )


def test_dataset_that_is_a_file(skmnist_cli, tmp_path):
    file = tmp_path / "train-images-idx3-ubyte"
    file.write_bytes(b"")
    check_error(skmnist_cli("train", "--dataset", file), 2, "is a file; give the folder")


@pytest.mark.parametrize("verb", [["train"], ["benchmark", "--suite", "lenet"]])
def test_folder_without_idx_files(skmnist_cli, tmp_path, verb):
    (tmp_path / "README.txt").write_text("no images here")
    check_error(
        skmnist_cli(*verb, "--dataset", tmp_path), 1,
        f"skmnist {verb[0]}: error: {tmp_path}: no IDX file found for train-images-idx3-ubyte",
    )


def test_folder_with_a_damaged_idx_file(skmnist_cli, fashion_like, tmp_path):
    for path in fashion_like.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b not really gzip")
    check_error(skmnist_cli("train", "--dataset", tmp_path), 1, "skmnist train: error:")


@pytest.mark.parametrize("verb", [["train"], ["benchmark", "--suite", "lenet"]])
def test_out_that_is_a_file(skmnist_cli, tmp_path, verb):
    out = tmp_path / "results.txt"
    out.write_text("")
    check_error(
        skmnist_cli(*verb, "--dataset", "sample", "--out", out), 2,
        f"--out '{out}' is a file, not a folder",
    )
    assert out.read_text() == ""


def test_bad_value_found_while_training(skmnist_cli, fashion_like, tmp_path):
    """A value only the estimator can judge: reported in one line, exit status 1."""
    result = skmnist_cli(
        "train", "--model", "mlp", "--dataset", fashion_like, "--quiet",
        "-p", "lr_schedule=bogus", "--out", tmp_path,
    )
    check_error(result, 1, "skmnist train: error: lr_schedule must be None, one of")
    assert not (tmp_path / "metrics.json").exists()


@pytest.mark.parametrize("where", ["--data-home", "SKMNIST_DATA"])
def test_a_data_home_that_is_a_file(where, skmnist_cli, tmp_path, monkeypatch):
    file = tmp_path / "data.txt"
    file.write_text("not a folder")
    argv = ["train", "--model", "mlp", "--dataset", "mnist"]
    if where == "--data-home":
        argv += ["--data-home", file]
    else:
        monkeypatch.setenv("SKMNIST_DATA", str(file))
    check_error(skmnist_cli(*argv), 2, f"{where} '{file}' is a file; give a folder")


def test_get_data_home_refuses_a_file(tmp_path):
    from skmnist.datasets import get_data_home

    file = tmp_path / "data.txt"
    file.write_text("")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        get_data_home(file)


def test_an_unexpected_error_is_one_line_unless_debug(skmnist_cli, monkeypatch):
    from skmnist.cli import _info

    def broken(args):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(_info, "info", broken)
    check_error(skmnist_cli("info"), 1,
                "skmnist info: error: IndexError: tuple index out of range "
                "(run with --debug for the traceback)")
    for argv in (["--debug", "info"], ["info", "--debug"]):
        result = skmnist_cli(*argv)
        assert result.code == 1
        assert "Traceback (most recent call last)" in result.err
        assert 'raise IndexError("tuple index out of range")' in result.err
