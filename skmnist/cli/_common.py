"""What the verbs share: data arguments, the output folder, versions, JSON values, figures."""

import platform
from pathlib import Path

import numpy as np

from .._files import save_figure
from . import _data


def add_model_argument(parser):
    """The MODEL argument of the verbs that read a saved model (``predict``, ``export``)."""
    parser.add_argument(
        "model",
        type=Path,
        metavar="MODEL",
        help="model.safetensors (save_model), a joblib file of a fitted model or Pipeline "
        "(loading it runs code: give only your own), or a folder written by skmnist train "
        "--out (its model.joblib, the whole pipeline)",
    )


def positive_int(text):
    """An argparse type: a whole number of at least 1."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def versions():
    """The versions of skmnist, Python and the libraries it builds on."""
    import numpy
    import pandas
    import sklearn
    import skorch
    import torch

    from .. import __version__

    return {
        "skmnist": __version__,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "skorch": skorch.__version__,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
    }


def jsonable(value):
    """``value`` as JSON can hold it: numbers, strings, lists and dicts as they are."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return repr(value)


def check_out(out):
    """Create the ``--out`` folder now, so that a bad one fails before training."""
    from ._errors import UsageError

    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {str(out)!r} cannot be created: {exc.strerror or exc}") from None


def save_png(figure, path):
    """Write ``figure`` to ``path`` as a PNG at 100 dpi, atomically, and close it."""
    import matplotlib.pyplot as plt

    save_figure(figure, path, dpi=100)
    plt.close(figure)


def add_data_arguments(parser, *, default, default_text=None):
    parser.add_argument(
        "--dataset",
        default=default,
        metavar="NAME|PATH",
        help=f"one of {', '.join(_data.DATASETS)}, or a folder holding the four IDX files "
        "of an MNIST-format data set (auto: the full MNIST if found or downloadable, else "
        f"the shipped sample; default: {default_text or default})",
    )
    parser.add_argument(
        "--data-home",
        type=Path,
        metavar="DIR",
        help="where mnist/, fashion-mnist/ and kmnist/ are looked for and downloaded to "
        "(default: $SKMNIST_DATA, else ~/skmnist_data)",
    )
    parser.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="read mnist, fashion-mnist or kmnist files that differ from the published "
        "checksums (a re-ordered or re-compressed copy) with structural checks only",
    )
