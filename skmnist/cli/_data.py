"""The ``--dataset`` option: a data set's name, ``sample``, ``auto`` or a folder of IDX files."""

import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.utils import Bunch

from ._errors import UsageError

NAMED = ("mnist", "fashion-mnist", "kmnist")
DATASETS = ("auto", *NAMED, "sample")


class Data(NamedTuple):
    """A loaded data set: training and test images as flat rows of pixels, and labels."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    name: str  # what --dataset resolved to: "mnist", "sample", a folder's path, ...
    description: str  # for messages and reports
    target_names: dict  # label -> class name
    image_shape: tuple  # (height, width)

    def class_name(self, label):
        return self.target_names.get(label, str(label))


def check_dataset(value):
    """Refuse, before any work, a ``--dataset`` that is neither a known name nor a folder."""
    if value in DATASETS:
        return
    folder = Path(value)
    if not folder.exists():
        raise UsageError(
            f"--dataset {value!r} is neither one of {', '.join(DATASETS)} nor an existing folder"
        )
    if not folder.is_dir():
        raise UsageError(f"--dataset {value!r} is a file; give the folder holding the IDX files")


def check_data_home(data_home):
    """Refuse, before any work, a data home (``--data-home`` or ``SKMNIST_DATA``) that is a file."""
    import os

    source, value = "--data-home", data_home
    if value is None:
        source, value = "SKMNIST_DATA", os.environ.get("SKMNIST_DATA")
    if value and Path(value).expanduser().exists() and not Path(value).expanduser().is_dir():
        raise UsageError(f"{source} {str(value)!r} is a file; give a folder for the data sets")


def _names_by_label(target, target_names):
    """{label: name} from a Bunch's ``target_names``, indexed by label where it can be."""
    labels = np.unique(target)
    if target_names is not None and len(labels) and labels.max() < len(target_names):
        return {int(label): str(target_names[label]) for label in labels}
    return {int(label): str(label) for label in labels}


def load(value, data_home=None, verify=True):
    """Load the training and test sets named by ``--dataset``; returns a :class:`Data`.

    ``verify=False`` (``--no-verify``) reads a named data set's files without
    checking them against the published checksums.
    """
    from .. import datasets

    check_dataset(value)
    if value == "auto":
        try:
            return load("mnist", data_home, verify)
        except OSError as exc:
            reason = " ".join(str(exc).split())
            reason = reason if len(reason) <= 300 else reason[:297] + "..."
            print(
                f"notice: the full MNIST is not available ({reason}); "
                "using the shipped sample of 3,000 + 1,000 images instead.",
                file=sys.stderr,
            )
            return load("sample", data_home)
    train: Bunch  # what the loaders return without return_X_y
    test: Bunch
    if value == "sample":
        train = datasets.load_mnist_sample(subset="train")
        test = datasets.load_mnist_sample(subset="test")
        description = "the shipped MNIST sample"
    elif value in NAMED:
        fetch = {
            "mnist": datasets.fetch_mnist,
            "fashion-mnist": datasets.fetch_fashion_mnist,
            "kmnist": datasets.fetch_kmnist,
        }[value]
        train = fetch(data_home=data_home, subset="train", verify=verify)
        test = fetch(data_home=data_home, subset="test", verify=verify)
        description = value if verify else f"{value} (unverified: --no-verify)"
    else:
        folder = Path(value)
        train = datasets.load_idx_folder(folder, subset="train")
        test = datasets.load_idx_folder(folder, subset="test")
        description = f"the IDX files in {folder}"
    # a folder's target_names are its distinct labels, not names indexed by label
    known_names = train.target_names if value in DATASETS else None
    names = _names_by_label(np.concatenate([train.target, test.target]), known_names)
    return Data(
        train.data,
        train.target,
        test.data,
        test.target,
        value,
        description,
        names,
        tuple(train.images.shape[1:]),
    )
