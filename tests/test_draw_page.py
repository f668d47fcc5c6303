"""The draw-a-digit page prepares a drawing exactly as DigitNormalizer does.

``docs/_static/draw/prepare.js`` is run with Node.js on drawings made here
(strokes of several widths, dark on light paper and light on dark, with the
paper's grain and specks of dust) and compared pixel for pixel with
:class:`~skmnist.DigitNormalizer`'s output for the same drawings. The
documentation's browser check does the same in Chromium on strokes drawn with
the mouse.
"""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from skmnist import DigitNormalizer

PREPARE_JS = Path(__file__).resolve().parents[1] / "docs" / "_static" / "draw" / "prepare.js"
NODE = shutil.which("node")

_RUN = """
const {prepareDigit} = require(process.argv[1]);
const drawings = JSON.parse(require("fs").readFileSync(0, "utf8"));
const prepared = drawings.map((d) => Array.from(prepareDigit(d.pixels, d.height, d.width)));
console.log(JSON.stringify(prepared));
"""


def _drawings(n=12, seed=0):
    rng = np.random.default_rng(seed)
    drawings = []
    for k in range(n):
        light_paper = k % 2 == 0
        size = (280, 220) if k % 4 < 2 else (200, 300)
        image = Image.new("L", size, 245 if light_paper else 10)
        draw = ImageDraw.Draw(image)
        ink = 20 if light_paper else 240
        points = [tuple(int(v) for v in rng.integers(30, min(size) - 30, 2)) for _ in range(4)]
        draw.line(points, fill=ink, width=int(rng.integers(6, 25)), joint="curve")
        if k % 3 == 0:
            draw.ellipse([5, 5, 9, 9], fill=ink)  # a speck of dust
        pixels = np.asarray(image, dtype=int) + rng.integers(-6, 7, (size[1], size[0]))
        drawings.append(np.clip(pixels, 0, 255).astype(np.uint8))  # with the paper's grain
    drawings.append(np.full((50, 50), 200, dtype=np.uint8))  # a blank page
    return drawings


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed (the page's script needs it)")
def test_the_pages_preparation_is_digit_normalizers():
    drawings = _drawings()
    payload = [
        {"pixels": d.ravel().tolist(), "height": d.shape[0], "width": d.shape[1]} for d in drawings
    ]
    done = subprocess.run(
        [NODE, "-e", _RUN, str(PREPARE_JS)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    from_js = np.asarray(json.loads(done.stdout), dtype=np.uint8)
    np.testing.assert_array_equal(from_js, DigitNormalizer().transform(drawings))
    assert from_js[:-1].max(axis=1).min() > 200 and from_js[-1].max() == 0  # ink, and none
