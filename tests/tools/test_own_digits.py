"""The own-digits benchmark: digits unlike MNIST's, drawn deterministically, and their scores."""

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from skmnist import DigitNormalizer, MLPNetClassifier, PixelNormalizer
from skmnist.datasets import load_mnist_sample
from tools import digit_drawing, own_digits


@pytest.fixture(scope="module")
def digits():
    return own_digits.make_own_digits(n_per_class=12, random_state=0)


def test_the_set_is_balanced_and_varied(digits):
    assert len(digits.images) == 120
    assert np.bincount(digits.target).tolist() == [12] * 10
    for group in ("hand-drawn", "dark on light", "light on dark"):
        members = (digits.source == group) | (digits.polarity == group)
        assert members.sum() == 60 and np.bincount(digits.target[members]).tolist() == [6] * 10
    sizes = {image.shape for image in digits.images}
    assert all(h == w and 32 <= h <= 128 for h, w in sizes) and len(sizes) > 30
    assert all(image.dtype == np.uint8 for image in digits.images)
    fonts = {source for source in digits.source if source.startswith("font: ")}
    assert len(fonts) > 15 and digits.fonts == list(digit_drawing.BUNDLED_FONTS)


def test_polarity_is_what_it_says(digits):
    for image, polarity in zip(digits.images, digits.polarity, strict=False):
        border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
        assert (np.median(border) > 127) == (polarity == "dark on light")


def test_the_same_seed_gives_the_same_images(digits):
    again = own_digits.make_own_digits(n_per_class=12, random_state=0)
    assert all(np.array_equal(a, b) for a, b in zip(digits.images, again.images, strict=False))
    other = own_digits.make_own_digits(n_per_class=12, random_state=1)
    assert not all(
        a.shape == b.shape and np.array_equal(a, b)
        for a, b in zip(digits.images, other.images, strict=False)
    )


def test_system_fonts_add_only_fonts_that_draw_ten_digits():
    fonts = digit_drawing._fonts(system_fonts=True)
    assert [Path(f).name for f in fonts[: len(digit_drawing.BUNDLED_FONTS)]] == list(
        digit_drawing.BUNDLED_FONTS
    )
    assert all(digit_drawing._draws_digits(font) for font in fonts)


def test_resize_images_keeps_or_inverts_polarity():
    dark_on_light = np.full((40, 60), 220, dtype=np.uint8)
    dark_on_light[10:30, 25:30] = 10
    as_is = own_digits.resize_images([dark_on_light])
    inverted = own_digits.resize_images([dark_on_light], invert_light=True)
    assert as_is.shape == (1, 784) and as_is.dtype == np.uint8
    assert as_is[0, 0] == 220 and inverted[0, 0] == 35


def test_digit_normalizer_helps_a_model_trained_on_mnist(digits):
    train = load_mnist_sample(subset="train")
    model = make_pipeline(PixelNormalizer(), MLPNetClassifier(max_epochs=10, random_state=0))
    model.fit(train.data, train.target)
    scores = own_digits.evaluate(model, digits)
    assert set(scores) == set(own_digits.PREPARATIONS)
    assert set(scores["resized"]) == set(own_digits.GROUPS)
    prepared, resized = scores["DigitNormalizer"]["all"], scores["resized"]["all"]
    assert prepared > resized + 0.2, scores
    # a model that prepares its input itself is given the images as they are
    itself = own_digits.evaluate(make_pipeline(DigitNormalizer(), model), digits, prepared=True)
    assert itself == {"DigitNormalizer": scores["DigitNormalizer"]}


def test_main_writes_its_tables_and_examples(tmp_path, capsys):
    argv = [
        "--dataset",
        "sample",
        "--n-per-class",
        "2",
        "--max-epochs",
        "1",
        "--out",
        str(tmp_path),
    ]
    assert own_digits.main(argv) == 0
    printed = capsys.readouterr().out
    assert f"Made by `python -m tools.own_digits {' '.join(argv)}`" in printed
    assert "| trained on MNIST as it is | resized to 28x28 as they are |" in printed
    result = json.loads((tmp_path / "own-digits.json").read_text())
    assert result["n_own_digits"] == 20 and result["n_train"] == 3000
    assert set(result["mnist"]) == {"raw", "prepared", "augmented, prepared"}
    assert set(result["mnist"]["raw"]) == {"as is", "DigitNormalizer"}
    # an accuracy over the 20 own digits: a whole number of them right
    right = result["own_digits"]["prepared"]["DigitNormalizer"]["all"] * 20
    assert right == pytest.approx(round(right))
    assert (tmp_path / "own-digits.md").read_text() == printed.rstrip("\n") + "\n"
    assert (tmp_path / "own-digits.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
