"""``skmnist predict``: apply a saved model to image files, IDX files, .npy arrays or CSV files."""

import argparse
import math
import sys
import warnings
from pathlib import Path

import numpy as np

from . import _inputs
from ._common import add_model_argument, positive_int
from ._errors import UsageError


def _notice(message):
    print(message, file=sys.stderr)


def load(path):
    """The fitted classifier at ``path`` (a file or ``skmnist train``'s folder); UsageError."""
    import joblib
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    from ..estimators import load_model

    path = Path(path)
    if not path.exists():
        raise UsageError(f"MODEL {str(path)!r}: no such file or folder")
    if path.is_dir():
        found = [
            path / name for name in ("model.joblib", "model.safetensors") if (path / name).is_file()
        ]
        if not found:
            raise UsageError(
                f"MODEL {str(path)!r} is a folder without model.joblib or "
                "model.safetensors (what skmnist train --out writes)"
            )
        path = found[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if path.suffix == ".safetensors":
            try:
                model = load_model(path)
            except (OSError, ValueError) as exc:  # load_model's messages name the file
                raise UsageError(" ".join(str(exc).split())) from None
        else:
            try:
                model = joblib.load(path)
            except Exception as exc:
                reason = " ".join(str(exc).split())[:200]
                raise UsageError(
                    f"{path} is not a joblib file skmnist can read ({type(exc).__name__}"
                    f"{': ' + reason if reason else ''}); give a .safetensors file written by "
                    "save_model or a joblib file of a fitted model"
                ) from None
    for warning in caught:
        _notice(f"notice: {' '.join(str(warning.message).split())}")
    if not (hasattr(model, "predict_proba") and hasattr(model, "fit")):
        raise UsageError(
            f"{path} holds a {type(model).__name__}, not a fitted classifier with predict_proba"
        )
    try:
        check_is_fitted(model)
    except NotFittedError:
        raise UsageError(f"{path} holds a {type(model).__name__} that is not fitted") from None
    return model, path


def _prepares_itself(model):
    """Whether ``model`` is a Pipeline with a DigitNormalizer, taking images of any size."""
    from ..preprocessing import DigitNormalizer

    steps = getattr(model, "steps", ())
    return any(isinstance(step, DigitNormalizer) for _, step in steps)


def _model_input(batch, model, prepare):
    """What ``model.predict_proba`` takes for ``batch``; UsageError for images it cannot take."""
    from ..preprocessing import DigitNormalizer

    if _prepares_itself(model):
        return batch.images
    n_features = getattr(model, "n_features_in_", None)
    if prepare:
        pixels = n_features or 784  # a model that does not say what it takes gets MNIST's
        side = math.isqrt(pixels)
        if side * side != pixels:
            raise UsageError(
                f"--prepare makes square images, but the model takes {pixels} "
                "pixels, not a square number"
            )
        box = max(1, round(side * 20 / 28))  # MNIST's 20 in 28
        return DigitNormalizer(box_size=box, field_size=side).transform(batch.images)
    if n_features is None:  # it will judge the images itself
        return _flat(batch.images)
    side = math.isqrt(n_features)
    square = side * side == n_features
    takes = f"{side}x{side} images" if square else f"{n_features} pixels per image"
    for name, shape in zip(batch.names, batch.shapes(), strict=False):
        size = "x".join(map(str, shape))
        fits = (
            shape == (side, side)
            if square and len(shape) == 2
            else (math.prod(shape) == n_features)
        )
        if not fits:
            what = f"a {size} image" if len(shape) == 2 else f"rows of {size} pixels"
            raise UsageError(
                f"{name} is {what}, but the model takes {takes}; add --prepare "
                "to bring digits of any size to that, the MNIST way"
            )
    return _flat(batch.images)


def _flat(images):
    """Images of one size (a list or an array) as flat rows."""
    if isinstance(images, list):
        return np.stack([image.ravel() for image in images])
    return images.reshape(len(images), -1)


def predict(args):
    """Run ``skmnist predict``; returns the exit status."""
    from sklearn.metrics import accuracy_score, classification_report

    from .._files import save_frame_csv

    if args.out is not None and args.out.is_dir():
        raise UsageError(
            f"--out {str(args.out)!r} is a folder; give a file such as predictions.csv"
        )
    if args.out is not None and not args.out.parent.is_dir():
        raise UsageError(
            f"--out {str(args.out)!r}: the folder {str(args.out.parent)!r} does not exist"
        )
    model, model_path = load(args.model)
    prepare = args.prepare
    if prepare and _prepares_itself(model):
        _notice(
            f"notice: {model_path} prepares its input itself (a DigitNormalizer in its "
            "pipeline); --prepare adds nothing"
        )
        prepare = False
    batches = [
        _inputs.read(path, skip_unreadable=args.skip_unreadable, notice=_notice)
        for path in args.inputs
    ]
    names, probabilities, label_parts = [], [], []
    for batch in batches:
        if not batch.names:
            continue
        X = _model_input(batch, model, prepare)
        try:
            probabilities.append(np.asarray(model.predict_proba(X)))
        except ValueError as exc:
            raise UsageError(f"{batch.source}: {' '.join(str(exc).split())}") from None
        names += batch.names
        label_parts.append(
            np.full(len(batch.names), None, dtype=object)
            if batch.labels is None
            else np.asarray(batch.labels, dtype=object)
        )
    if not names:
        raise UsageError("no images to predict: every file was skipped")
    proba = np.concatenate(probabilities)
    labels = np.concatenate(label_parts)
    classes = np.asarray(model.classes_)
    k = min(args.top_k, len(classes))
    top = np.argsort(-proba, axis=1, kind="stable")[:, :k]
    top_proba = np.take_along_axis(proba, top, axis=1)

    if args.out is None:
        width = max(map(len, names))
        for name, order, p in zip(names, top, top_proba, strict=False):
            guesses = "  ".join(f"{classes[c]} {q:.4f}" for c, q in zip(order, p, strict=False))
            print(f"{name:<{width}}  {guesses}")
    else:
        save_frame_csv(_frame(names, labels, classes, top, top_proba), args.out, index=False)
        print(f"Wrote {len(names):,} predictions to {args.out}")

    known = np.array([label is not None for label in labels])
    if known.any():
        y_true = np.asarray(labels[known].tolist())
        y_pred = classes[top[known, 0]]
        of = "" if known.all() else f" ({known.sum():,} of the {len(names):,} images have labels)"
        print(
            f"\nAccuracy: {accuracy_score(y_true, y_pred):.4f} on {known.sum():,} labelled "
            f"images{of}\n"
        )
        print(classification_report(y_true, y_pred, digits=4, zero_division=0))
    return 0


def _frame(names, labels, classes, top, top_proba):
    """The predictions as a DataFrame: input, label when known, top-k classes and probabilities."""
    import pandas as pd

    columns = {"input": names}
    if any(label is not None for label in labels):
        columns["label"] = labels
    for rank in range(top.shape[1]):
        suffix = "" if rank == 0 else f"_{rank + 1}"
        columns[f"prediction{suffix}"] = classes[top[:, rank]]
        columns[f"probability{suffix}"] = top_proba[:, rank].round(6)
    return pd.DataFrame(columns)


def add_parser(verbs):
    parser = verbs.add_parser(
        "predict",
        help="apply a saved model to image files, IDX files, .npy arrays or CSV files",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Predict the class of each image of the INPUTs with MODEL, printing one\n"
        "line per image (its name, then the top classes and their probabilities)\n"
        "or writing them to --out as CSV; with labels (an IDX labels file beside\n"
        "the images, a CSV's label column), print the accuracy and the\n"
        "classification report.",
    )
    add_model_argument(parser)
    parser.add_argument(
        "inputs",
        type=Path,
        nargs="+",
        metavar="INPUT",
        help="image files (PNG, JPEG, BMP, TIFF, GIF, ...) or folders of them; an IDX "
        "images file (with its labels file beside it, if any) or a folder of IDX files "
        "(its test set); a .npy array of images or flat rows; a CSV of pixel columns "
        "(pixel0 ... pixel783, as Kaggle's) with an optional label column",
    )
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="bring the images to MNIST's convention first (skmnist.DigitNormalizer: "
        "bright ink on black, cropped, scaled to fit 20x20, centred in 28x28), so that "
        "photos, scans and drawings of any size can be predicted",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the predictions to this CSV file instead of printing them",
    )
    parser.add_argument(
        "--top-k",
        type=positive_int,
        default=1,
        metavar="K",
        help="the K most probable classes of each image (default: 1)",
    )
    parser.add_argument(
        "--skip-unreadable",
        action="store_true",
        help="skip image files that cannot be read (named on stderr) instead of stopping",
    )
    parser.set_defaults(run=predict)
    return parser
