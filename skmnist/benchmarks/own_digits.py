"""An honest test of "my own digits": digits that are not MNIST, and a model's accuracy on them.

:func:`make_own_digits` draws a deterministic set of digit images unlike
MNIST's: printed in the fonts matplotlib ships (DejaVu, STIX, Computer
Modern; with ``system_fonts`` also those of the machine) and hand-drawn as
jittered, slanted pen strokes, at several sizes, offsets and stroke widths,
dark on light paper (with shading, grain and dust) or light on dark, on
canvases of 32 to 128 pixels. :func:`evaluate` scores a model on them
prepared three ways: resized to 28x28 as they are, resized and inverted when
their background is light, and by :class:`~skmnist.DigitNormalizer`.

``python -m skmnist.benchmarks.own_digits --dataset mnist`` (:func:`main`)
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

from .._files import save_figure, write_json, write_text

__all__ = [
    "BUNDLED_FONTS", "GROUPS", "PREPARATIONS", "evaluate", "main", "make_own_digits",
    "plot_examples", "resize_images", "run", "to_markdown",
]

#: The fonts matplotlib ships whose digits are ordinary (lining) figures.
BUNDLED_FONTS = (
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf", "DejaVuSansMono-BoldOblique.ttf", "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf",
    "STIXGeneral.ttf", "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf", "STIXGeneralBolIta.ttf",
    "cmr10.ttf", "cmb10.ttf", "cmss10.ttf", "cmtt10.ttf", "cmti10.ttf",
)
#: The ways :func:`evaluate` prepares the images for a model trained on 28x28 MNIST.
PREPARATIONS = {
    "resized": "resized to 28x28 as they are",
    "resized+inverted": "resized to 28x28, inverted when the background is light",
    "DigitNormalizer": "DigitNormalizer()",
}
#: The groups :func:`evaluate` reports, and which images each holds.
GROUPS = ("all", "fonts", "hand-drawn", "dark on light", "light on dark")

# Hand-drawn digits as pen strokes in a unit box (x to the right, y down). A stroke is a
# polyline of points, or an arc ("arc", centre x, centre y, radius x, radius y, from, to)
# in degrees, 0 to the right and 90 down.
_STROKES: dict[int, Any] = {
    0: [[("arc", 0.5, 0.5, 0.32, 0.48, -90, 270)]],
    1: [[(0.55, 0.0), (0.5, 1.0)], [(0.3, 0.2), (0.55, 0.0), (0.5, 1.0)]],
    2: [[("arc", 0.5, 0.3, 0.33, 0.3, 190, 400), (0.12, 1.0), (0.9, 1.0)]],
    3: [[("arc", 0.5, 0.27, 0.3, 0.25, 200, 450), ("arc", 0.5, 0.74, 0.33, 0.26, 270, 520)]],
    4: [[(0.68, 1.0), (0.68, 0.0), (0.05, 0.68), (0.95, 0.68)],
        [(0.15, 0.0), (0.1, 0.6), (0.9, 0.6)], [(0.7, 0.15), (0.7, 1.0)]],
    5: [[(0.85, 0.0), (0.25, 0.0), (0.2, 0.42), ("arc", 0.5, 0.68, 0.32, 0.3, 220, 500)]],
    6: [[(0.75, 0.0), (0.42, 0.2), (0.24, 0.45), ("arc", 0.5, 0.72, 0.3, 0.27, 180, 540)]],
    7: [[(0.1, 0.02), (0.9, 0.02), (0.4, 1.0)]],
    8: [[("arc", 0.5, 0.26, 0.25, 0.24, 90, 450)], [("arc", 0.5, 0.73, 0.3, 0.26, -90, 270)]],
    9: [[("arc", 0.5, 0.3, 0.3, 0.27, 0, 360), (0.72, 1.0)]],
}
# digit 4 comes closed (one stroke) or open (the second and third strokes)
_FOUR_STYLES = ([0], [1, 2])
_SUPERSAMPLE = 4


def make_own_digits(
    n_per_class: int = 100, *, random_state: int = 0, system_fonts: bool = False
) -> Bunch:
    """Draw digit images that are not MNIST: printed in fonts and hand-drawn, of any polarity.

    Half the images of each digit are printed in one of the fonts, half
    hand-drawn as pen strokes jittered, slanted, rotated and squeezed at
    random. Each is drawn at a random height (35% to 90% of its canvas) and
    offset on a square canvas of 32 to 128 pixels, with a random stroke
    width, then rendered with anti-aliasing: half dark ink on light paper
    (shading, grain, sometimes dust specks, a slight blur), half light ink
    on a dark background. The same arguments always give the same images.

    Parameters
    ----------
    n_per_class : int, default=100
        Images of each digit 0 to 9.
    random_state : int, default=0
        The seed of everything random.
    system_fonts : bool, default=False
        Whether to print digits in the machine's fonts too (those
        ``matplotlib.font_manager.findSystemFonts`` finds whose ten digits
        are drawn and distinct), besides :data:`BUNDLED_FONTS`; the images
        then depend on the machine.

    Returns
    -------
    digits : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        images : list of ndarray of shape (size, size), uint8
            The images, of sizes 32 to 128.
        target : ndarray of shape (n_samples,), int64
            The digits.
        source : ndarray of shape (n_samples,), str
            ``"font: <file name>"`` or ``"hand-drawn"``.
        polarity : ndarray of shape (n_samples,), str
            ``"dark on light"`` or ``"light on dark"``.
        fonts : list of str
            The font files used.

    Examples
    --------
    >>> from skmnist.benchmarks.own_digits import make_own_digits
    >>> digits = make_own_digits(n_per_class=2)
    >>> len(digits.images), digits.target[:4].tolist()
    (20, [0, 0, 1, 1])
    >>> sorted(set(digits.polarity.tolist())), digits.images[0].dtype
    (['dark on light', 'light on dark'], dtype('uint8'))
    """
    rng = np.random.default_rng(random_state)
    fonts = _fonts(system_fonts)
    images, target, source, polarity = [], [], [], []
    for digit in range(10):
        for i in range(n_per_class):
            size = int(rng.integers(32, 129))
            if i % 2 == 0:
                font = fonts[int(rng.integers(len(fonts)))]
                coverage = _font_digit(digit, font, size, rng)
                source.append(f"font: {Path(font).name}")
            else:
                coverage = _hand_drawn_digit(digit, size, rng)
                source.append("hand-drawn")
            dark_on_light = (i + i // 2) % 2 == 0  # each of source and polarity every 4
            images.append(_on_paper(coverage, dark_on_light, rng))
            polarity.append("dark on light" if dark_on_light else "light on dark")
            target.append(digit)
    return Bunch(
        images=images, target=np.asarray(target, dtype=np.int64), source=np.asarray(source),
        polarity=np.asarray(polarity), fonts=[Path(font).name for font in fonts],
    )


def _fonts(system_fonts: bool) -> list[str]:
    """The paths of the fonts to print digits in: matplotlib's, and the machine's if asked."""
    import matplotlib

    folder = Path(matplotlib.get_data_path(), "fonts", "ttf")
    fonts = [str(folder / name) for name in BUNDLED_FONTS]
    if system_fonts:
        from matplotlib import font_manager

        bundled = set(BUNDLED_FONTS)
        found = sorted(font_manager.findSystemFonts(fontext="ttf"))
        fonts += [path for path in found if Path(path).name not in bundled
                  and _draws_digits(path)]
    return fonts


def _draws_digits(path: str) -> bool:
    """Whether the font draws ten visible and distinct digits."""
    from PIL import ImageFont

    try:
        font = ImageFont.truetype(path, 32)
        glyphs = [np.asarray(_render_text(str(d), font, 0)) for d in range(10)]
    except (OSError, ValueError):
        return False
    shapes = {(glyph.shape, glyph.tobytes()) for glyph in glyphs}
    return all(glyph.any() for glyph in glyphs) and len(shapes) == 10


def _render_text(text, font, stroke_width):
    """``text`` in white on black, cropped to its ink."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox(text, stroke_width=stroke_width)
    image = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(image).text((2 - left, 2 - top), text, font=font, fill=255,
                               stroke_width=stroke_width, stroke_fill=255)
    box = image.getbbox()
    return image.crop(box) if box else image


def _font_digit(digit, font_path, size, rng):
    """A printed digit's ink coverage in [0, 1] on a ``size`` canvas."""
    from PIL import Image, ImageFont

    height = size * rng.uniform(0.35, 0.9) * _SUPERSAMPLE
    font = ImageFont.truetype(font_path, max(8, int(height * 1.3)))
    stroke = int(rng.choice([0, 0, 1, 2, 3]) * height / 60)
    glyph = _render_text(str(digit), font, stroke)
    glyph = glyph.rotate(rng.uniform(-10, 10), resample=Image.Resampling.BICUBIC, expand=True)
    scale = height / glyph.height
    glyph = glyph.resize((max(1, round(glyph.width * scale)), max(1, round(height))),
                         Image.Resampling.BICUBIC)
    return _paste(np.asarray(glyph, dtype=np.float64) / 255, size, rng)


def _hand_drawn_digit(digit, size, rng):
    """A hand-drawn digit's ink coverage in [0, 1] on a ``size`` canvas."""
    from PIL import Image, ImageDraw

    strokes = _STROKES[digit]
    if digit == 4:
        strokes = [strokes[i] for i in _FOUR_STYLES[int(rng.integers(2))]]
    elif digit == 1:
        strokes = [strokes[int(rng.integers(2))]]
    height = size * rng.uniform(0.35, 0.9) * _SUPERSAMPLE
    width = height * rng.uniform(0.55, 1.0)
    slant, angle = rng.uniform(-0.35, 0.2), np.radians(rng.uniform(-10, 10))
    pen = max(1.0, height * rng.uniform(0.04, 0.14))
    lines = []
    for stroke in strokes:
        points = _stroke_points(stroke) + rng.normal(0, 0.025, size=(1, 2))
        points = points + rng.normal(0, 0.012, size=points.shape)
        x = (points[:, 0] - 0.5 + slant * (points[:, 1] - 0.5)) * width
        y = (points[:, 1] - 0.5) * height
        lines.append(np.column_stack([x * np.cos(angle) - y * np.sin(angle),
                                      x * np.sin(angle) + y * np.cos(angle)]))
    every = np.concatenate(lines)
    origin = every.min(axis=0) - pen
    extent = np.ceil(every.max(axis=0) - origin + pen).astype(int)
    canvas = Image.new("L", tuple(extent), 0)
    draw = ImageDraw.Draw(canvas)
    for line in lines:
        xy = [tuple(point) for point in line - origin]
        draw.line(xy, fill=255, width=round(pen), joint="curve")
        for x, y in (xy[0], xy[-1]):  # round pen tips
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)
    return _paste(np.asarray(canvas, dtype=np.float64) / 255, size, rng)


def _stroke_points(stroke) -> np.ndarray:
    """The points of a stroke: its polyline corners, its arcs as 32 points each."""
    points: list[Any] = []
    for part in stroke:
        if part[0] == "arc":
            _, cx, cy, rx, ry, start, stop = part
            t = np.radians(np.linspace(start, stop, 32))
            points.extend(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=False))
        else:
            points.append(part)
    return np.asarray(points, dtype=np.float64)


def _paste(coverage, size, rng):
    """``coverage`` (supersampled) scaled down onto a ``size`` canvas at a random offset."""
    from PIL import Image

    big = size * _SUPERSAMPLE
    height, width = coverage.shape
    if max(height, width) > big:  # a wide glyph: shrink it to fit the canvas
        scale = big / max(height, width)
        coverage = np.asarray(Image.fromarray(coverage.astype(np.float32)).resize(
            (max(1, int(width * scale)), max(1, int(height * scale))),
            Image.Resampling.BOX), dtype=np.float64)
        height, width = coverage.shape
    canvas = np.zeros((big, big))
    top, left = int(rng.integers(0, big - height + 1)), int(rng.integers(0, big - width + 1))
    canvas[top : top + height, left : left + width] = coverage
    small = Image.fromarray(canvas.astype(np.float32)).resize((size, size), Image.Resampling.BOX)
    return np.clip(np.asarray(small, dtype=np.float64), 0, 1)


def _on_paper(coverage, dark_on_light, rng):
    """Ink ``coverage`` as a uint8 photo: paper, shading, grain, blur, dust."""
    from scipy import ndimage

    size = coverage.shape[0]
    if dark_on_light:
        paper, ink = rng.uniform(170, 245), rng.uniform(0, 90)
    else:
        paper, ink = rng.uniform(0, 60), rng.uniform(170, 255)
    if dark_on_light and rng.random() < 0.3:  # dust: a few dark specks of 1-2 pixels
        for _ in range(int(rng.integers(1, 4))):
            row, col = rng.integers(0, size - 1, size=2)
            coverage[row : row + int(rng.integers(1, 3)), col : col + int(rng.integers(1, 3))] = 1
    coverage = ndimage.gaussian_filter(coverage, rng.uniform(0, 0.8))
    image = paper + (ink - paper) * coverage
    direction = rng.normal(size=2)
    ramp = np.add.outer(np.arange(size) * direction[0], np.arange(size) * direction[1])
    ramp = (ramp - ramp.mean()) / (np.ptp(ramp) or 1.0)
    image += ramp * rng.uniform(0, 25) + rng.normal(0, rng.uniform(2, 10), size=image.shape)
    return np.rint(np.clip(image, 0, 255)).astype(np.uint8)


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

    Examples
    --------
    >>> import numpy as np
    >>> from skmnist.benchmarks.own_digits import resize_images
    >>> paper = np.full((50, 40), 230, dtype=np.uint8)
    >>> resize_images([paper]).shape, int(resize_images([paper], invert_light=True).max())
    ((1, 784), 25)
    """
    from PIL import Image

    rows = np.empty((len(images), size * size), dtype=np.uint8)
    for row, image in zip(rows, images, strict=False):
        image = np.asarray(image, dtype=np.uint8)
        if invert_light and image.mean() > 127:
            image = 255 - image
        row[:] = np.asarray(Image.fromarray(image).resize(
            (size, size), Image.Resampling.LANCZOS)).ravel()
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

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> from skmnist.benchmarks.own_digits import evaluate, make_own_digits
    >>> digits = make_own_digits(n_per_class=2)
    >>> model = DummyClassifier(strategy="constant", constant=1).fit([[0] * 784] * 2, [1, 2])
    >>> evaluate(model, digits)["DigitNormalizer"]["all"]
    0.1
    """
    from ..preprocessing import DigitNormalizer

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
        accuracies[name] = {group: float(correct[mask].mean()) if mask.any() else float("nan")
                            for group, mask in masks.items()}
    return accuracies


def run(dataset: str = "mnist", *, n_per_class: int = 100, max_epochs: int = 2,
        random_state: int = 0, system_fonts: bool = False) -> dict:
    """Train with and without DigitNormalizer and score on MNIST's test set and the own digits.

    Three Pipelines of :func:`~skmnist.benchmarks.suites.fast_recipe`
    (LeNet-5, ReLU, BatchNorm, one-cycle Adam) are trained on the training
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

    Examples
    --------
    >>> from skmnist.benchmarks.own_digits import run
    >>> result = run("sample", n_per_class=2, max_epochs=1)
    >>> sorted(result["own_digits"])
    ['augmented, prepared', 'prepared', 'raw']
    >>> sorted(result["own_digits"]["raw"])
    ['DigitNormalizer', 'resized', 'resized+inverted']
    """
    from sklearn.pipeline import make_pipeline

    from ..datasets import fetch_mnist, load_mnist_sample
    from ..preprocessing import DigitNormalizer, PixelNormalizer
    from .suites import fast_recipe

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
    for name, X_train, augment in [("raw", train.data, None),
                                   ("prepared", prepared_train, None),
                                   ("augmented, prepared", prepared_train, "affine")]:
        clf = fast_recipe(max_epochs).set_params(random_state=random_state, augment=augment)
        start = time.perf_counter()
        model = make_pipeline(PixelNormalizer(), clf).fit(X_train, train.target)
        seconds[f"fit {name}"] = time.perf_counter() - start
        if name == "raw":
            mnist[name] = {"as is": model.score(test.data, test.target),
                           "DigitNormalizer": model.score(prepared_test, test.target)}
            own[name] = evaluate(model, digits)
        else:
            mnist[name] = {"DigitNormalizer": model.score(prepared_test, test.target)}
            own[name] = evaluate(make_pipeline(DigitNormalizer(), model), digits, prepared=True)
    return {
        "dataset": dataset, "n_train": len(train.data), "n_test": len(test.data),
        "n_own_digits": len(digits.target), "fonts": digits.fonts, "max_epochs": max_epochs,
        "random_state": random_state, "mnist": mnist, "own_digits": own, "seconds": seconds,
    }


#: What each model of :func:`run` was trained on, for the tables.
_MODELS = {
    "raw": "trained on MNIST as it is",
    "prepared": "trained on MNIST prepared by DigitNormalizer",
    "augmented, prepared": "trained on MNIST prepared, augment='affine'",
}


def to_markdown(result: dict) -> str:
    """The tables of :func:`run`'s result, in Markdown.

    Parameters
    ----------
    result : dict
        What :func:`run` returned (with ``command`` when :func:`main` made it).

    Returns
    -------
    text : str
        A heading line, the MNIST test table and the own-digits table.

    Examples
    --------
    >>> from skmnist.benchmarks.own_digits import GROUPS, to_markdown
    >>> result = {
    ...     "dataset": "sample", "n_train": 3000, "n_own_digits": 20, "fonts": ["DejaVuSans.ttf"],
    ...     "max_epochs": 1, "random_state": 0, "seconds": {"fit raw": 1.0},
    ...     "mnist": {"raw": {"as is": 0.9, "DigitNormalizer": 0.89}},
    ...     "own_digits": {"raw": {"DigitNormalizer": dict.fromkeys(GROUPS, 0.5)}},
    ... }
    >>> print(to_markdown(result))
    Own digits: 20 images (1 font and hand-drawn), fast recipe, 1 epoch on 3,000 training
    images (sample), random_state 0.
    <BLANKLINE>
    | model | MNIST test images | accuracy |
    |---|---|---:|
    | trained on MNIST as it is | as is | 90.00% |
    | trained on MNIST as it is | DigitNormalizer | 89.00% |
    <BLANKLINE>
    | model | preparation | all | fonts | hand-drawn | dark on light | light on dark |
    |---|---|---:|---:|---:|---:|---:|
    | trained on MNIST as it is | DigitNormalizer() | 50.0% | 50.0% | 50.0% | 50.0% | 50.0% |
    <BLANKLINE>
    | step | seconds |
    |---|---:|
    | fit raw | 1.0 |
    """
    epochs = f"{result['max_epochs']} epoch{'s' * (result['max_epochs'] != 1)}"
    lines = [
        f"Own digits: {result['n_own_digits']:,} images ({len(result['fonts'])} "
        f"font{'s' * (len(result['fonts']) != 1)} and hand-drawn), fast recipe, {epochs} on "
        f"{result['n_train']:,} training images "
        f"({result['dataset']}), random_state {result['random_state']}.",
    ]
    if "command" in result:
        lines += ["", f"Made by `{result['command']}`."]
    lines += ["", "| model | MNIST test images | accuracy |", "|---|---|---:|"]
    for model, scores in result["mnist"].items():
        for preparation, accuracy in scores.items():
            lines.append(f"| {_MODELS[model]} | {preparation} | {accuracy:.2%} |")
    lines += ["", "| model | preparation | " + " | ".join(GROUPS) + " |",
              "|---|---|" + "---:|" * len(GROUPS)]
    for model, preparations in result["own_digits"].items():
        for preparation, groups in preparations.items():
            cells = " | ".join(f"{groups[group]:.1%}" for group in GROUPS)
            lines.append(f"| {_MODELS[model]} | {PREPARATIONS[preparation]} | {cells} |")
    lines += ["", "| step | seconds |", "|---|---:|"]
    lines += [f"| {step} | {sec:.1f} |" for step, sec in result["seconds"].items()]
    return "\n".join(lines) + "\n"


def plot_examples(digits: Bunch, n_images: int = 12):
    """A figure of own digits: as drawn, resized to 28x28, and prepared by DigitNormalizer.

    Parameters
    ----------
    digits : :class:`~sklearn.utils.Bunch`
        From :func:`make_own_digits`.
    n_images : int, default=12
        How many, spread over the set.

    Returns
    -------
    figure : matplotlib.figure.Figure
        Three rows of images.

    Examples
    --------
    >>> from skmnist.benchmarks.own_digits import make_own_digits, plot_examples
    >>> figure = plot_examples(make_own_digits(n_per_class=2), n_images=4)
    >>> len(figure.axes)
    12
    """
    import matplotlib.pyplot as plt

    from ..preprocessing import DigitNormalizer

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
    """Run the own-digits benchmark from the command line; print its tables, optionally save them.

    ``python -m skmnist.benchmarks.own_digits`` calls this.

    Parameters
    ----------
    argv : list of str, default=None
        The options (``--dataset mnist|sample``, ``--n-per-class``,
        ``--max-epochs``, ``--random-state``, ``--system-fonts``,
        ``--out DIR``); None reads ``sys.argv[1:]``. With ``--out``,
        ``own-digits.json``, ``own-digits.md`` and ``own-digits.png`` (examples
        as drawn, resized and prepared) are written there.

    Returns
    -------
    status : int
        0.

    Examples
    --------
    >>> from skmnist.benchmarks.own_digits import main
    >>> main(["--dataset", "sample", "--n-per-class", "1", "--max-epochs", "1"])
    ... # doctest: +ELLIPSIS
    Own digits: 10 images ...
    Made by `python -m skmnist.benchmarks.own_digits --dataset sample --n-per-class 1 ...`.
    ...
    0
    """
    import matplotlib.pyplot as plt

    parser = argparse.ArgumentParser(prog="python -m skmnist.benchmarks.own_digits",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=["mnist", "sample"], default="mnist")
    parser.add_argument("--n-per-class", type=int, default=100, help="own digits of each class")
    parser.add_argument("--max-epochs", type=int, default=2, help="epochs of each training")
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--system-fonts", action="store_true",
                        help="print own digits in the machine's fonts too")
    parser.add_argument("--out", type=Path, help="folder for own-digits.json, .md and .png")
    args = parser.parse_args(argv)
    result = run(args.dataset, n_per_class=args.n_per_class, max_epochs=args.max_epochs,
                 random_state=args.random_state, system_fonts=args.system_fonts)
    result["command"] = "python -m skmnist.benchmarks.own_digits " + " ".join(
        sys.argv[1:] if argv is None else argv)
    table = to_markdown(result)
    print(table)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        write_json(args.out / "own-digits.json", result)
        write_text(args.out / "own-digits.md", table)
        figure = plot_examples(make_own_digits(args.n_per_class, random_state=args.random_state,
                                               system_fonts=args.system_fonts))
        save_figure(figure, args.out / "own-digits.png", dpi=100)
        plt.close(figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
