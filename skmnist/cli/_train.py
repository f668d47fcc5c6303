"""``skmnist train``: train one model, evaluate it on the test set, write model, metrics, plots."""

import argparse
import signal
import sys
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .._files import atomic_write, save_frame_csv, write_json, write_text
from ..estimators import ESTIMATORS
from . import _data, _params
from ._common import add_data_arguments, check_out, jsonable, save_png, versions
from ._errors import UsageError

#: What ``skmnist train --out DIR`` writes, and what each file holds.
OUTPUT_FILES = {
    "model.joblib": "the fitted Pipeline, for joblib.load and skmnist predict",
    "model.safetensors": "the fitted estimator alone, for skmnist.load_model (runs no code)",
    "metrics.json": "accuracy, macro F1, timings, size, params, data, versions",
    "classification_report.txt": "precision, recall and F1 per class on the test set",
    "history.csv": "the training history, one row per epoch",
    "learning_curves.png": "loss, accuracy and learning rate per epoch",
    "confusion_matrix.png": "the test set's confusion matrix",
    "predictions.png": "the first 25 test images with their predictions",
    "errors.png": "the 25 most confidently wrong test predictions",
    "filters.png": "the first convolution's filters (conv nets only)",
}


def write_plots(out, model, data, y_pred, proba):
    """Write the PNG plots; returns {file name: why it was not written} for those skipped."""
    import matplotlib.pyplot as plt

    from ..plotting import (
        ConfusionMatrixDisplay,
        FilterDisplay,
        ImageGridDisplay,
        TrainingHistoryDisplay,
    )

    skipped = {}
    clf = model[-1]
    save_png(TrainingHistoryDisplay.from_estimator(model).figure_, out / "learning_curves.png")

    labels = clf.classes_
    names = [data.class_name(label) for label in labels]
    size = max(6.0, 0.6 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size), layout="constrained")
    ConfusionMatrixDisplay.from_predictions(
        data.y_test,
        y_pred,
        labels=labels,
        display_labels=names,
        ax=ax,
        colorbar=False,
        xticks_rotation=45 if max(map(len, names)) > 2 else "horizontal",
    )
    ax.set_title(f"{type(clf).__name__} on {data.description}: test set")
    save_png(fig, out / "confusion_matrix.png")

    images = data.X_test.reshape(len(data.X_test), *data.image_shape)
    confidence = proba.max(axis=1)
    true_names = np.array([data.class_name(label) for label in data.y_test], dtype=object)
    pred_names = np.array([data.class_name(label) for label in y_pred], dtype=object)

    def grid(rows, path, title):
        display = ImageGridDisplay.from_predictions(
            images[rows],
            true_names[rows],
            pred_names[rows],
            confidence=confidence[rows],
            n_images=len(rows),
            n_cols=5,
        )
        display.figure_.set_size_inches(2.2 * 5, 2.0 * display.axes_.shape[0])
        display.figure_.suptitle(title)
        save_png(display.figure_, path)

    grid(np.arange(min(25, len(images))), out / "predictions.png", "First test images")
    wrong = np.flatnonzero(y_pred != data.y_test)
    if len(wrong):
        wrong = wrong[np.argsort(-confidence[wrong], kind="stable")][:25]
        grid(wrong, out / "errors.png", "Most confidently wrong test predictions")
    else:
        skipped["errors.png"] = "every test image was classified correctly"

    try:
        display = FilterDisplay.from_estimator(model)
    except ValueError as exc:  # a network without a convolution
        skipped["filters.png"] = str(exc)
    else:
        display.figure_.suptitle(f"{type(clf).__name__}: first convolution's filters")
        save_png(display.figure_, out / "filters.png")
    return skipped


def train(args):
    """Run ``skmnist train``; returns the exit status."""
    import joblib
    from sklearn.metrics import classification_report
    from sklearn.pipeline import Pipeline

    import skmnist

    from ..benchmarks.suites import fit_and_score
    from ..preprocessing import DigitNormalizer, PixelNormalizer

    estimator_class = ESTIMATORS[args.model]
    params = dict(args.param)
    params.setdefault("verbose", 0 if args.quiet else 1)
    if args.checkpoint_dir is not None:
        params["checkpoint_dir"] = _checkpoint_dir(args.checkpoint_dir, params)
    clf = _params.build_estimator(estimator_class, params)
    _data.check_dataset(args.dataset)
    _data.check_data_home(args.data_home)
    check_out(args.out)
    say = (lambda *a, **k: None) if args.quiet else print

    data = _data.load(args.dataset, args.data_home, args.verify)
    say(
        f"Training {estimator_class.__name__} on {len(data.X_train):,} images from "
        f"{data.description}" + (", prepared by DigitNormalizer" if args.prepare else "") + ".",
        flush=True,
    )
    steps = [("norm", PixelNormalizer()), ("clf", clf)]
    if args.prepare:
        steps.insert(0, ("prepare", DigitNormalizer(image_shape=data.image_shape)))
    model = Pipeline(steps)
    with _noting_interrupts() as interrupts:
        # Ctrl-C during training: the estimator keeps the best weights so far and returns
        scores, y_pred = fit_and_score(model, data.X_train, data.y_train, data.X_test, data.y_test)
    interrupted = interrupts["training"]
    if interrupted:
        print(
            f"\nskmnist train: interrupted in epoch {len(clf.history)}; the weights kept were "
            "evaluated and the outputs are written (exit status 130)."
            + (
                f" The same command resumes from the training state in {clf.checkpoint_dir}."
                if clf.checkpoint_dir is not None
                else ""
            ),
            file=sys.stderr,
        )
    labels = clf.classes_
    report = classification_report(
        data.y_test,
        y_pred,
        labels=labels,
        target_names=[data.class_name(label) for label in labels],
        digits=4,
        zero_division=0,
    )
    say(
        f"\nTest set ({len(data.X_test):,} images), fit in {scores['fit_seconds']:.1f} s:\n{report}"
    )
    print(
        f"{estimator_class.__name__}: test accuracy {scores['accuracy']:.4f}, macro F1 "
        f"{scores['macro_f1']:.4f} ({scores['epochs']} epoch{'s' * (scores['epochs'] != 1)}, "
        f"{scores['fit_seconds']:.1f} s)"
    )
    if args.out is None:
        say("(no --out given: nothing was written)")
        return 130 if interrupted else 0

    out = args.out
    with atomic_write(out / "model.joblib") as file:
        joblib.dump(model, file)
    written = ["model.joblib"]
    try:
        skmnist.save_model(clf, out / "model.safetensors")
        written.append("model.safetensors")
    except TypeError as exc:  # a parameter safetensors cannot hold
        print(f"warning: model.safetensors not written: {exc}", file=sys.stderr)
    write_text(out / "classification_report.txt", report)
    save_frame_csv(clf.history_frame(), out / "history.csv")
    proba = model.predict_proba(data.X_test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # tight layouts of long class names
        skipped = write_plots(out, model, data, y_pred, proba)
    written += ["classification_report.txt", "history.csv"]
    written += [name for name in OUTPUT_FILES if name.endswith(".png") and name not in skipped]
    metrics = {
        "model": estimator_class.__name__,
        "estimator": repr(clf),
        **scores,
        "params": jsonable(clf.get_params(deep=False)),
        "params_given": jsonable(dict(args.param)),
        "prepare": args.prepare,
        "dataset": data.name,
        "dataset_description": data.description,
        "n_train": len(data.X_train),
        "n_test": len(data.X_test),
        "image_shape": list(data.image_shape),
        "target_names": [data.class_name(label) for label in labels],
        "device": str(clf.device_),
        "versions": versions(),
        "files": [*written, "metrics.json"],
        "files_skipped": skipped,
        "interrupted": interrupted,
        "epoch_reached": len(clf.history),
    }
    write_json(out / "metrics.json", metrics)
    say(f"Wrote {', '.join(metrics['files'])} to {out}")
    for name, why in skipped.items():
        say(f"  ({name} not written: {why})")
    return 130 if interrupted else 0


def _checkpoint_dir(folder, params):
    """``--checkpoint-dir``, as the estimator's ``checkpoint_dir``; checked before any work."""
    if "checkpoint_dir" in params:
        raise UsageError("give the folder once: --checkpoint-dir DIR or -p checkpoint_dir=DIR")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--checkpoint-dir {str(folder)!r} is a file, not a folder")
    return str(folder)


@contextmanager
def _noting_interrupts():
    """Note a Ctrl-C while the block runs; it still raises KeyboardInterrupt where it lands.

    The estimators catch that KeyboardInterrupt during training (keeping the
    best weights), so the command learns of it from here. A second Ctrl-C
    gets Python's usual handling.
    """
    state = {"training": False}
    if threading.current_thread() is not threading.main_thread():
        yield state
        return
    previous = signal.getsignal(signal.SIGINT)

    def note(signum, frame):
        state["training"] = True
        signal.signal(signal.SIGINT, previous)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)


def add_parser(verbs):
    files = "\n".join(f"  {name:<27} {what}" for name, what in OUTPUT_FILES.items())
    train_parser = verbs.add_parser(
        "train",
        help="train a model, evaluate it on the test set, write model, metrics and plots",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train a model in a Pipeline(PixelNormalizer, estimator) on the training\n"
        "set, evaluate it once on the test set, and with --out write into that folder:\n\n"
        f"{files}\n\n"
        "Then 'skmnist predict DIR/model.joblib IMAGES...' applies the model.",
    )
    train_parser.add_argument(
        "--model",
        choices=sorted(ESTIMATORS),
        default="lenet5",
        help="mlp: MLPNetClassifier, lenet5: LeNet5Classifier (default), cnn: CNNClassifier",
    )
    train_parser.add_argument(
        "--param",
        "-p",
        action="append",
        type=_params.parse_param,
        default=[],
        metavar="NAME=VALUE",
        help="an estimator parameter, such as -p max_epochs=5 -p lr=0.01 "
        "-p 'channels=(32, 64, 128)' -p augment=affine (repeatable); values are Python "
        "literals or plain words",
    )
    train_parser.add_argument(
        "--prepare",
        action="store_true",
        help="put a DigitNormalizer first in the Pipeline: the images are brought to MNIST's "
        "convention (bright ink on black, cropped, scaled to fit 20x20, centred in 28x28) "
        "in training, testing and by skmnist predict, which then takes digits of any size "
        "and polarity (model.joblib holds it; model.safetensors, the estimator alone, does not)",
    )
    add_data_arguments(train_parser, default="auto")
    train_parser.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for the model, metrics and plots"
    )
    train_parser.add_argument(
        "--checkpoint-dir",
        type=Path,
        metavar="DIR",
        help="keep the whole training state in DIR after each epoch (the estimator's "
        "checkpoint_dir): after a kill, the same command resumes from the last completed "
        "epoch and ends with the model an uninterrupted run gives; the state is removed "
        "once training completes",
    )
    train_parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress: only the final result line (and errors) are printed",
    )
    train_parser.set_defaults(run=train)
    return train_parser
