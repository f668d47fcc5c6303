"""An honest test of "my own digits": digits that are not MNIST, and a model's accuracy on them.

:func:`make_own_digits` draws a deterministic set of digit images unlike
MNIST's: printed in the fonts matplotlib ships (DejaVu, STIX, Computer
Modern; with ``system_fonts`` also those of the machine) and hand-drawn as
jittered, slanted pen strokes, at several sizes, offsets and stroke widths,
dark on light paper (with shading, grain and dust) or light on dark, on
canvases of 32 to 128 pixels. :func:`evaluate` scores a model on them
prepared three ways: resized to 28x28 as they are, resized and inverted when
their background is light, and by :class:`~skmnist.DigitNormalizer`.

``python -m tools.own_digits --dataset mnist`` (:func:`main`)
trains the ``fast`` recipe on MNIST with and without the transformer and
reports both, with the transformer's cost on MNIST's own test images.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.utils import Bunch

from skmnist._files import save_figure, write_json, write_text
from skmnist.benchmarks._tables import markdown_table

from .digit_drawing import make_own_digits

#: The ways :func:`evaluate` prepares the images for a model trained on 28x28 MNIST.
PREPARATIONS = {
    "resized": "resized to 28x28 as they are",
    "resized+inverted": "resized to 28x28, inverted when the background is light",
    "DigitNormalizer": "DigitNormalizer()",
}
#: The groups :func:`evaluate` reports, and which images each holds.
GROUPS = ("all", "fonts", "hand-drawn", "dark on light", "light on dark")


def resize_images(images, *, size: int = 28, invert_light: bool = False) -> np.ndarray:
    """Images resized to ``size`` x ``size`` as they are: what one does without DigitNormalizer.

    Parameters
    ----------
    images : list of ndarray of shape (height, width), uint8
        Grey images of any sizes.
    size : int, default=28
        The side of the output images.
    invert_light : bool, default=False
        Whether to invert the images whose mean is above 127 (a light
        background), as one might by hand for MNIST's bright-on-black.

    Returns
    -------
    X : ndarray of shape (n_images, size * size), uint8
        The resized images as flat rows.
    """
    from PIL import Image

    rows = np.empty((len(images), size * size), dtype=np.uint8)
    for row, image in zip(rows, images, strict=False):
        image = np.asarray(image, dtype=np.uint8)
        if invert_light and image.mean() > 127:
            image = 255 - image
        row[:] = np.asarray(
            Image.fromarray(image).resize((size, size), Image.Resampling.LANCZOS)
        ).ravel()
    return rows


def evaluate(model, digits: Bunch, *, prepared: bool = False) -> dict:
    """A model's accuracy on the own digits, by preparation and group.

    Parameters
    ----------
    model : classifier
        Fitted on 28x28 images as flat rows of 784 pixels (a Pipeline, say).
    digits : :class:`~sklearn.utils.Bunch`
        From :func:`make_own_digits`.
    prepared : bool, default=False
        Whether the model prepares its input itself (a Pipeline starting
        with a :class:`~skmnist.DigitNormalizer`): it is then
        given the images as they are, under the name ``"DigitNormalizer"``.
        Else it is scored under each of :data:`PREPARATIONS`.

    Returns
    -------
    accuracies : dict
        ``{preparation: {group: accuracy}}`` for the groups of :data:`GROUPS`.
    """
    from skmnist.preprocessing import DigitNormalizer

    masks = {
        "all": np.ones(len(digits.target), dtype=bool),
        "fonts": np.char.startswith(digits.source.astype(str), "font"),
        "hand-drawn": digits.source == "hand-drawn",
        "dark on light": digits.polarity == "dark on light",
        "light on dark": digits.polarity == "light on dark",
    }
    inputs: dict[str, Any]
    if prepared:
        inputs = {"DigitNormalizer": list(digits.images)}
    else:
        inputs = {
            "resized": resize_images(digits.images),
            "resized+inverted": resize_images(digits.images, invert_light=True),
            "DigitNormalizer": DigitNormalizer().transform(digits.images),
        }
    accuracies = {}
    for name, X in inputs.items():
        correct = np.asarray(model.predict(X)) == digits.target
        accuracies[name] = {
            group: float(correct[mask].mean()) if mask.any() else float("nan")
            for group, mask in masks.items()
        }
    return accuracies


def run(
    dataset: str = "mnist",
    *,
    n_per_class: int = 100,
    max_epochs: int = 2,
    random_state: int = 0,
    system_fonts: bool = False,
) -> dict:
    """Train with and without DigitNormalizer and score on MNIST's test set and the own digits.

    Three Pipelines of :func:`~skmnist.benchmarks.suites.fast_recipe`
    (LeNet-5, ReLU, BatchNorm, one-cycle NAdam) are trained on the training
    set: on the images as they are, on them prepared by
    :class:`~skmnist.DigitNormalizer`, and prepared with
    ``augment="affine"``. Each is scored on the test set and on
    :func:`make_own_digits`; the first also on the test set prepared by
    DigitNormalizer, the cost of preparing MNIST's own images.

    Parameters
    ----------
    dataset : {"mnist", "sample"}, default="mnist"
        The full MNIST (from the data home) or the shipped sample.
    n_per_class : int, default=100
        Own digits of each class.
    max_epochs : int, default=2
        Epochs of each training.
    random_state : int, default=0
        Seed of the trainings and of the own digits.
    system_fonts : bool, default=False
        Print own digits in the machine's fonts too (see
        :func:`make_own_digits`).

    Returns
    -------
    result : dict
        ``mnist`` (``{model: {"as is": accuracy, "DigitNormalizer": accuracy}}``),
        ``own_digits`` (``{model: {preparation: {group: accuracy}}}``),
        ``seconds`` (fit and preparation times) and the settings.
    """
    from sklearn.pipeline import make_pipeline

    from skmnist.benchmarks.suites import fast_recipe
    from skmnist.datasets import fetch_mnist, load_mnist_sample
    from skmnist.preprocessing import DigitNormalizer, PixelNormalizer

    load = load_mnist_sample if dataset == "sample" else fetch_mnist
    train: Bunch = load(subset="train")
    test: Bunch = load(subset="test")
    digits = make_own_digits(n_per_class, random_state=random_state, system_fonts=system_fonts)
    seconds = {}
    start = time.perf_counter()
    prepared_train = DigitNormalizer().transform(train.data)
    prepared_test = DigitNormalizer().transform(test.data)
    seconds["DigitNormalizer on the training and test sets"] = time.perf_counter() - start
    mnist, own = {}, {}
    for name, X_train, settings in [
        ("raw", train.data, {}),
        ("prepared", prepared_train, {}),
        ("augmented, prepared", prepared_train, {"augment": "affine"}),
    ]:
        clf = fast_recipe(max_epochs).set_params(random_state=random_state, **settings)
        start = time.perf_counter()
        model = make_pipeline(PixelNormalizer(), clf).fit(X_train, train.target)
        seconds[f"fit {name}"] = time.perf_counter() - start
        if name == "raw":
            mnist[name] = {
                "as is": model.score(test.data, test.target),
                "DigitNormalizer": model.score(prepared_test, test.target),
            }
            own[name] = evaluate(model, digits)
        else:
            mnist[name] = {"DigitNormalizer": model.score(prepared_test, test.target)}
            own[name] = evaluate(make_pipeline(DigitNormalizer(), model), digits, prepared=True)
    return {
        "dataset": dataset,
        "n_train": len(train.data),
        "n_test": len(test.data),
        "n_own_digits": len(digits.target),
        "fonts": digits.fonts,
        "max_epochs": max_epochs,
        "random_state": random_state,
        "mnist": mnist,
        "own_digits": own,
        "seconds": seconds,
    }


#: What each model of :func:`run` was trained on, for the tables.
_MODELS = {
    "raw": "trained on MNIST as it is",
    "prepared": "trained on MNIST prepared by DigitNormalizer",
    "augmented, prepared": "trained on MNIST prepared, augment='affine'",
}


def to_markdown(result: dict) -> str:
    """:func:`run`'s result in Markdown: a heading, the MNIST, own-digits and time tables."""
    epochs = f"{result['max_epochs']} epoch{'s' * (result['max_epochs'] != 1)}"
    lines = [
        f"Own digits: {result['n_own_digits']:,} images ({len(result['fonts'])} "
        f"font{'s' * (len(result['fonts']) != 1)} and hand-drawn), fast recipe, {epochs} on "
        f"{result['n_train']:,} training images "
        f"({result['dataset']}), random_state {result['random_state']}.",
    ]
    if "command" in result:
        lines.append(f"Made by `{result['command']}`.")
    mnist = [
        [_MODELS[model], preparation, f"{accuracy:.2%}"]
        for model, scores in result["mnist"].items()
        for preparation, accuracy in scores.items()
    ]
    own = [
        [_MODELS[model], PREPARATIONS[preparation], *(f"{groups[g]:.1%}" for g in GROUPS)]
        for model, preparations in result["own_digits"].items()
        for preparation, groups in preparations.items()
    ]
    seconds = [[step, f"{value:.1f}"] for step, value in result["seconds"].items()]
    return "\n".join(
        [
            "\n\n".join(lines) + "\n",
            markdown_table(["model", "MNIST test images", "accuracy"], mnist, align="llr"),
            markdown_table(["model", "preparation", *GROUPS], own, align="ll" + "r" * len(GROUPS)),
            markdown_table(["step", "seconds"], seconds, align="lr"),
        ]
    )


def plot_examples(digits: Bunch, n_images: int = 12):
    """A figure of ``n_images`` own digits as drawn, resized to 28x28, and prepared."""
    import matplotlib.pyplot as plt

    from skmnist.preprocessing import DigitNormalizer

    picks = np.linspace(0, len(digits.images) - 1, n_images).round().astype(int)
    chosen = [digits.images[i] for i in picks]
    rows: list[tuple[str, Any]] = [
        ("as drawn", chosen),
        ("resized", resize_images(chosen).reshape(-1, 28, 28)),
        ("DigitNormalizer", DigitNormalizer().transform(chosen).reshape(-1, 28, 28)),
    ]
    figure, axes = plt.subplots(3, n_images, figsize=(1.1 * n_images, 3.6), squeeze=False)
    for (title, images), row in zip(rows, axes, strict=False):
        for image, ax in zip(images, row, strict=False):
            ax.imshow(image, cmap="gray", vmin=0, vmax=255)
            ax.set_xticks([])
            ax.set_yticks([])
        row[0].set_ylabel(title, fontsize=8)
    return figure


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.own_digits``: print the tables; with ``--out``, write them there.

    ``own-digits.json``, ``own-digits.md`` and ``own-digits.png`` (examples as
    drawn, resized and prepared) go to ``--out``. Returns 0.
    """
    import matplotlib.pyplot as plt

    parser = argparse.ArgumentParser(
        prog="python -m tools.own_digits", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--dataset", choices=["mnist", "sample"], default="mnist")
    parser.add_argument("--n-per-class", type=int, default=100, help="own digits of each class")
    parser.add_argument("--max-epochs", type=int, default=2, help="epochs of each training")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument(
        "--system-fonts", action="store_true", help="print own digits in the machine's fonts too"
    )
    parser.add_argument("--out", type=Path, help="folder for own-digits.json, .md and .png")
    options = vars(parser.parse_args(argv))
    out = options.pop("out")
    result = run(**options)
    result["command"] = " ".join(
        ["python -m tools.own_digits", *(sys.argv[1:] if argv is None else argv)]
    )
    table = to_markdown(result)
    print(table)
    if out:
        os.makedirs(out, exist_ok=True)
        write_json(out / "own-digits.json", result)
        write_text(out / "own-digits.md", table)
        digits = make_own_digits(
            options["n_per_class"],
            random_state=options["random_state"],
            system_fonts=options["system_fonts"],
        )
        figure = plot_examples(digits)
        save_figure(figure, out / "own-digits.png", dpi=100)
        plt.close(figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
