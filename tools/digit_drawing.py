"""Digits unlike MNIST's, drawn deterministically: printed in fonts and hand-drawn as strokes.

The data of the own-digits benchmark (:mod:`tools.own_digits`,
which re-exports :func:`make_own_digits`).
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.utils import Bunch

#: The fonts matplotlib ships whose digits are ordinary (lining) figures.
BUNDLED_FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf",
    "DejaVuSansMono-BoldOblique.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
    "STIXGeneral.ttf",
    "STIXGeneralBol.ttf",
    "STIXGeneralItalic.ttf",
    "STIXGeneralBolIta.ttf",
    "cmr10.ttf",
    "cmb10.ttf",
    "cmss10.ttf",
    "cmtt10.ttf",
    "cmti10.ttf",
)

# Hand-drawn digits as pen strokes in a unit box (x to the right, y down). A stroke is a
# polyline of points, or an arc ("arc", centre x, centre y, radius x, radius y, from, to)
# in degrees, 0 to the right and 90 down.
_STROKES: dict[int, Any] = {
    0: [[("arc", 0.5, 0.5, 0.32, 0.48, -90, 270)]],
    1: [[(0.55, 0.0), (0.5, 1.0)], [(0.3, 0.2), (0.55, 0.0), (0.5, 1.0)]],
    2: [[("arc", 0.5, 0.3, 0.33, 0.3, 190, 400), (0.12, 1.0), (0.9, 1.0)]],
    3: [[("arc", 0.5, 0.27, 0.3, 0.25, 200, 450), ("arc", 0.5, 0.74, 0.33, 0.26, 270, 520)]],
    4: [
        [(0.68, 1.0), (0.68, 0.0), (0.05, 0.68), (0.95, 0.68)],
        [(0.15, 0.0), (0.1, 0.6), (0.9, 0.6)],
        [(0.7, 0.15), (0.7, 1.0)],
    ],
    5: [[(0.85, 0.0), (0.25, 0.0), (0.2, 0.42), ("arc", 0.5, 0.68, 0.32, 0.3, 220, 500)]],
    6: [[(0.75, 0.0), (0.42, 0.2), (0.24, 0.45), ("arc", 0.5, 0.72, 0.3, 0.27, 180, 540)]],
    7: [[(0.1, 0.02), (0.9, 0.02), (0.4, 1.0)]],
    8: [[("arc", 0.5, 0.26, 0.25, 0.24, 90, 450)], [("arc", 0.5, 0.73, 0.3, 0.26, -90, 270)]],
    9: [[("arc", 0.5, 0.3, 0.3, 0.27, 0, 360), (0.72, 1.0)]],
}
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
        images=images,
        target=np.asarray(target, dtype=np.int64),
        source=np.asarray(source),
        polarity=np.asarray(polarity),
        fonts=[Path(font).name for font in fonts],
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
        fonts += [path for path in found if Path(path).name not in bundled and _draws_digits(path)]
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
    ImageDraw.Draw(image).text(
        (2 - left, 2 - top), text, font=font, fill=255, stroke_width=stroke_width, stroke_fill=255
    )
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
    glyph = glyph.resize(
        (max(1, round(glyph.width * scale)), max(1, round(height))), Image.Resampling.BICUBIC
    )
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
        lines.append(
            np.column_stack(
                [x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)]
            )
        )
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
        coverage = np.asarray(
            Image.fromarray(coverage.astype(np.float32)).resize(
                (max(1, int(width * scale)), max(1, int(height * scale))), Image.Resampling.BOX
            ),
            dtype=np.float64,
        )
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
