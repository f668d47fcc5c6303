"""Bad arguments: a clear message on stderr and a non-zero exit status, never a traceback.

Mistakes in the command line exit with 2 (and the usage), before any data is
loaded or any training starts; failures of the work itself exit with 1.
"""

import pytest
import torch
from clihelpers import check_error


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
        (
            ["train", "--model", "mlp", "-p", "channels=(8, 16, 32)"],
            "MLPNetClassifier has no parameter 'channels'",
        ),
        (
            ["train", "-p", "max_epochs=abc"],
            "The 'max_epochs' parameter of LeNet5Classifier must be an int in the range [1, inf) "
            "or a str among {'auto'}. Got 'abc' instead.",
        ),
        (
            ["train", "-p", "max_epochs=2.5"],
            "'max_epochs' parameter of LeNet5Classifier must be "
            "an int in the range [1, inf) or a str among {'auto'}. Got 2.5 instead.",
        ),
        (
            ["train", "-p", "max_epochs=0"],
            "'max_epochs' parameter of LeNet5Classifier must be "
            "an int in the range [1, inf) or a str among {'auto'}. Got 0 instead.",
        ),
        (["train", "-p", "batch_size=0"], "The 'batch_size' parameter of LeNet5Classifier must"),
        (
            ["train", "-p", "lr=fast"],
            "The 'lr' parameter of LeNet5Classifier must be a float in "
            "the range (0.0, inf). Got 'fast' instead.",
        ),
        (
            ["train", "-p", "lr=-1"],
            "'lr' parameter of LeNet5Classifier must be a float in the "
            "range (0.0, inf). Got -1 instead.",
        ),
        (
            ["train", "-p", "early_stopping=maybe"],
            "The 'early_stopping' parameter of LeNet5Classifier must be an instance of 'bool'",
        ),
        (
            ["train", "--model", "cnn", "-p", "channels=32"],
            "The 'channels' parameter of CNNClassifier must be a tuple of 3 integers >= 1. Got 32",
        ),
        (
            ["train", "-p", "activation=3"],
            "The 'activation' parameter of LeNet5Classifier must be a str among",
        ),
        (
            ["train", "-p", "random_state=seed"],
            "The 'random_state' parameter of LeNet5Classifier must be an int in the range",
        ),
        (["train", "-p", "optimizer=nope"], "The 'optimizer' parameter of LeNet5Classifier"),
        (["train", "-p", "augment=nope"], "The 'augment' parameter of LeNet5Classifier"),
        (["train", "-p", "augment={'scale': 2}"], "augment scale must be (low, high)"),
        (["train", "-p", "lr_schedule=nope"], "The 'lr_schedule' parameter of LeNet5Classifier"),
        (
            ["train", "-p", "validation_fraction=1.5"],
            "The 'validation_fraction' parameter of LeNet5Classifier must be a float in the range "
            "(0.0, 1.0). Got 1.5 instead.",
        ),
        (
            ["train", "-p", "optimizer__betas=(0.5,)"],
            "Adam refuses optimizer__betas=(0.5,) (with lr=0.01)",
        ),
        (
            ["train", "-p", "lr_schedule=cosine", "-p", "lr_schedule_params={'bogus': 1}"],
            "The learning-rate schedule of LeNet5Classifier (lr_schedule='cosine', "
            "lr_schedule_params={'bogus': 1}) cannot be made",
        ),
        (["train", "-p", "callbacks=[]"], "cannot be given on the command line"),
        (["train", "-p", "module=None"], "LeNet5Classifier has no parameter 'module'"),
        (["train", "-p", "module__units=3"], "LeNet5Classifier has no parameter 'module__units'"),
        (["train", "-p", "device=tpu"], "The 'device' parameter of LeNet5Classifier must be"),
        (["benchmark", "--suite", "lenet", "--max-epochs", "0"], "must be at least 1, got 0"),
        (["benchmark", "--suite", "lenet", "--max-epochs", "x"], "expected a whole number"),
        (
            ["benchmark", "--suite", "speed", "--dataset", "kmnist"],
            "--suite speed runs on --dataset mnist or sample only",
        ),
    ],
)
def test_usage_errors(skmnist_cli, argv, message):
    check_error(skmnist_cli(*argv), 2, message)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_device_without_cuda(skmnist_cli):
    check_error(skmnist_cli("train", "-p", "device=cuda"), 2, "this machine has no CUDA GPU")
    check_error(
        skmnist_cli("benchmark", "--suite", "lenet", "--device", "cuda"),
        2,
        "this machine has no CUDA GPU",
    )


@pytest.mark.parametrize("verb", [["train"], ["benchmark", "--suite", "lenet"]])
def test_missing_dataset_folder(skmnist_cli, tmp_path, verb):
    missing = tmp_path / "no-such-folder"
    check_error(
        skmnist_cli(*verb, "--dataset", missing),
        2,
        f"--dataset '{missing}' is neither one of auto, mnist, fashion-mnist, kmnist, sample "
        "nor an existing folder",
    )


def test_checkpoint_dir_that_is_a_file_or_given_twice(skmnist_cli, tmp_path):
    file = tmp_path / "state"
    file.write_bytes(b"")
    check_error(skmnist_cli("train", "--checkpoint-dir", file), 2, "is a file, not a folder")
    check_error(
        skmnist_cli("train", "--checkpoint-dir", tmp_path, "-p", f"checkpoint_dir={tmp_path}"),
        2,
        "give the folder once: --checkpoint-dir DIR or -p checkpoint_dir=DIR",
    )


def test_dataset_that_is_a_file(skmnist_cli, tmp_path):
    file = tmp_path / "train-images-idx3-ubyte"
    file.write_bytes(b"")
    check_error(skmnist_cli("train", "--dataset", file), 2, "is a file; give the folder")


@pytest.mark.parametrize("verb", [["train"], ["benchmark", "--suite", "lenet"]])
def test_folder_without_idx_files(skmnist_cli, tmp_path, verb):
    (tmp_path / "README.txt").write_text("no images here")
    check_error(
        skmnist_cli(*verb, "--dataset", tmp_path),
        1,
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
        skmnist_cli(*verb, "--dataset", "sample", "--out", out),
        2,
        f"--out '{out}' is a file, not a folder",
    )
    assert out.read_text() == ""


def test_bad_value_is_refused_before_the_data_is_read(skmnist_cli, tmp_path, monkeypatch):
    """The estimator's own declarations judge -p values before any data is loaded."""
    from skmnist.cli import _data

    def no_data(*args, **kwargs):
        raise AssertionError("the data was loaded")

    monkeypatch.setattr(_data, "load", no_data)
    result = skmnist_cli(
        "train",
        "--model",
        "mlp",
        "--dataset",
        "sample",
        "--quiet",
        "-p",
        "lr_schedule=bogus",
        "--out",
        tmp_path,
    )
    check_error(result, 2, "The 'lr_schedule' parameter of MLPNetClassifier must be None, a str")
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
    check_error(
        skmnist_cli("info"),
        1,
        "skmnist info: error: IndexError: tuple index out of range "
        "(run with --debug for the traceback)",
    )
    for argv in (["--debug", "info"], ["info", "--debug"]):
        result = skmnist_cli(*argv)
        assert result.code == 1
        assert "Traceback (most recent call last)" in result.err
        assert 'raise IndexError("tuple index out of range")' in result.err


def test_a_kernel_larger_than_the_images_is_one_line(skmnist_cli):
    # sizes are judged against the images, so once they are read: exit 1, before training
    result = skmnist_cli(
        "train", "--model", "cnn", "--dataset", "sample", "--quiet", "-p", "kernel_size=99"
    )
    check_error(
        result,
        1,
        "kernel_size=99 is larger than the 7x7 feature maps of the third "
        "block for 28x28 images; use at most 7.",
    )
