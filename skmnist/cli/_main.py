"""Argument parsing and the verbs of the ``skmnist`` command."""

import argparse
import ast
import json
import sys
import time
from pathlib import Path

from sklearn.metrics import accuracy_score, classification_report, f1_score
from sklearn.pipeline import Pipeline

MODELS = {
    "mlp": "MLPNetClassifier",
    "lenet5": "LeNet5Classifier",
    "cnn": "CNNClassifier",
}
DATASETS = ("auto", "mnist", "fashion-mnist", "kmnist", "sample")


class _UsageError(Exception):
    """A mistake in the command line: reported in one line, exit status 2."""


def _parse_param(text):
    """``name=value`` with value read as a Python literal when it is one."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="skmnist", description="Neural networks for MNIST-family images, the scikit-learn way."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="{train,info}")

    train = verbs.add_parser("train", help="train a model, evaluate it on the test set")
    train.add_argument("--model", choices=sorted(MODELS), default="lenet5")
    train.add_argument(
        "--dataset", default="auto",
        help=f"one of {', '.join(DATASETS)}, or a folder holding the four IDX files "
        "(auto: the full MNIST if found or downloadable, else the shipped sample)",
    )
    train.add_argument("--data-home", type=Path, help="where data sets are looked for")
    train.add_argument(
        "--param", "-p", action="append", type=_parse_param, default=[], metavar="NAME=VALUE",
        help="an estimator parameter, e.g. -p max_epochs=5 -p lr=0.01 (repeatable)",
    )
    train.add_argument("--out", type=Path, help="folder for the model, metrics and report")
    train.add_argument("--quiet", action="store_true", help="no per-epoch progress")

    verbs.add_parser("info", help="versions, the device 'auto' picks, where data is looked for")
    return parser


def _load_data(name, data_home):
    """(X_train, y_train, X_test, y_test, description) for a --dataset value."""
    from .. import datasets

    if name == "sample":
        train = datasets.load_mnist_sample(subset="train")
        test = datasets.load_mnist_sample(subset="test")
        return train.data, train.target, test.data, test.target, "the shipped MNIST sample"
    if name == "auto":
        try:
            return _load_data("mnist", data_home)
        except OSError as exc:
            first_line = str(exc).splitlines()[0]
            print(f"notice: the full MNIST is not available ({first_line}); "
                  "using the shipped sample of 3,000 + 1,000 images.", file=sys.stderr)
            return _load_data("sample", data_home)
    fetchers = {
        "mnist": datasets.fetch_mnist,
        "fashion-mnist": datasets.fetch_fashion_mnist,
        "kmnist": datasets.fetch_kmnist,
    }
    if name in fetchers:
        train = fetchers[name](data_home=data_home, subset="train")
        test = fetchers[name](data_home=data_home, subset="test")
        return train.data, train.target, test.data, test.target, f"{name}"
    folder = Path(name)
    if not folder.is_dir():
        raise _UsageError(
            f"--dataset {name!r} is neither one of {', '.join(DATASETS)} nor a folder"
        )
    train = datasets.load_idx_folder(folder, subset="train")
    test = datasets.load_idx_folder(folder, subset="test")
    return train.data, train.target, test.data, test.target, f"the IDX files in {folder}"


def _train(args):
    import skmnist

    from ..preprocessing import PixelNormalizer

    estimator_class = getattr(skmnist, MODELS[args.model])
    params = dict(args.param)
    params.setdefault("verbose", 0 if args.quiet else 1)
    try:
        clf = estimator_class(**params)
        unknown = sorted(set(params) - set(clf.get_params()))
    except TypeError as exc:
        raise _UsageError(str(exc)) from None
    if unknown:
        raise _UsageError(
            f"{estimator_class.__name__} has no parameter {', '.join(unknown)}; see "
            f"'python -c \"import skmnist; help(skmnist.{estimator_class.__name__})\"'"
        )
    X_train, y_train, X_test, y_test, source = _load_data(args.dataset, args.data_home)
    print(f"Training {estimator_class.__name__} on {len(X_train):,} images from {source}.")
    model = Pipeline([("norm", PixelNormalizer()), ("clf", clf)])
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    y_pred = model.predict(X_test)
    report = classification_report(y_test, y_pred, digits=4)
    print(f"\nTest set ({len(X_test):,} images), fit in {fit_seconds:.1f} s:\n{report}")
    if args.out:
        import joblib

        args.out.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, args.out / "model.joblib")
        (args.out / "classification_report.txt").write_text(report)
        metrics = {
            "model": estimator_class.__name__,
            "params": {k: repr(v) for k, v in params.items()},
            "dataset": source,
            "n_train": len(X_train),
            "n_test": len(X_test),
            "accuracy": accuracy_score(y_test, y_pred),
            "macro_f1": f1_score(y_test, y_pred, average="macro"),
            "fit_seconds": fit_seconds,
        }
        (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
        print(f"Wrote model.joblib, metrics.json and classification_report.txt to {args.out}")
    return 0


def _info(args):
    import numpy
    import sklearn
    import skorch
    import torch

    import skmnist

    from ..datasets import get_data_home
    from ..estimators import resolve_device

    print(f"skmnist {skmnist.__version__}")
    for module in (torch, skorch, sklearn, numpy):
        print(f"{module.__name__} {module.__version__}")
    print(f"python {sys.version.split()[0]}")
    print(f"device 'auto' picks: {resolve_device('auto')}")
    print(f"data home: {get_data_home()} (set by --data-home or SKMNIST_DATA)")
    return 0


def main(argv=None):
    """Run the ``skmnist`` command; returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return {"train": _train, "info": _info}[args.verb](args)
    except _UsageError as exc:
        parser.error(str(exc))
    except (OSError, ValueError) as exc:
        print(f"skmnist {args.verb}: error: {exc}", file=sys.stderr)
        return 1
