"""skmnist.preprocessing.DigitNormalizer: MNIST's convention for any digit image."""

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import ndimage
from sklearn import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skmnist import DigitNormalizer, PixelNormalizer
from skmnist.datasets import load_mnist_sample


def _seven(size=(60, 80), top_left=(10, 20), scale=1.0, ink=20, paper=230):
    """A '7' drawn with bars: ``ink`` on ``paper``, at ``top_left``, ``scale`` times 40x30."""
    image = np.full(size, paper, dtype=np.float64)
    r, c = top_left
    h, w, t = round(40 * scale), round(30 * scale), max(1, round(5 * scale))
    image[r : r + t, c : c + w] = ink  # the top bar
    for i in range(h):  # the diagonal, from the bar's right end down to the left
        col = c + w - t - round(i * (w - t) / (2 * h))
        image[r + i, col : col + t] = ink
    return image


def _distance(row, other):
    """Mean absolute difference of two prepared images, at the best shift of at most a pixel."""
    a, b = row.reshape(28, 28).astype(int), other.reshape(28, 28).astype(int)
    return min(
        np.abs(np.roll(a, (dr, dc), axis=(0, 1)) - b).mean()
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
    )


def _ink_box(row):
    image = row.reshape(28, 28)
    ink = np.argwhere(image > 0)
    return ink.min(axis=0), ink.max(axis=0)


def test_mnist_images_come_out_nearly_unchanged():
    test = load_mnist_sample(subset="test")
    prepared = DigitNormalizer().transform(test.data)
    assert prepared.shape == (1000, 784) and prepared.dtype == np.uint8
    difference = np.abs(prepared.astype(int) - test.data)
    assert (difference.max(axis=1) == 0).mean() > 0.8  # most identical
    assert difference.mean() < 0.5


def test_the_digit_fits_the_box_keeping_its_aspect_ratio_centred_by_mass():
    row = DigitNormalizer().transform([_seven()])[0]
    low, high = _ink_box(row)
    height, width = high - low + 1
    assert height == 20  # the longer side fills the box
    assert width == pytest.approx(20 * 30 / 40, abs=1)  # aspect ratio kept
    centre = ndimage.center_of_mass(row.reshape(28, 28).astype(float))
    np.testing.assert_allclose(centre, (14, 14), atol=0.5)
    assert row.max() == 255 and row.reshape(28, 28)[0].max() == 0


def test_polarity_size_and_place_do_not_matter():
    reference = DigitNormalizer().transform([_seven()])[0]
    variants = [
        255 - _seven(),  # light ink on dark
        _seven(size=(300, 200), top_left=(150, 20), scale=3),  # larger, elsewhere
        _seven(ink=90, paper=170),  # less contrast
    ]
    for variant in DigitNormalizer().transform(variants):
        assert _distance(variant, reference) < 6


def test_paper_noise_and_shading_become_black():
    rng = np.random.default_rng(0)
    clean = _seven()
    shading = np.linspace(-12, 12, clean.shape[1])[None, :]
    noisy = np.clip(clean + shading + rng.normal(0, 6, size=clean.shape), 0, 255)
    out = DigitNormalizer().transform([noisy, clean]).astype(int)
    image = out[0].reshape(28, 28)
    assert image[:3].max() == 0 and image[:, :3].max() == 0  # nothing far from the ink
    assert _distance(out[0], out[1]) < 6


def test_specks_do_not_move_the_digit():
    clean = _seven(size=(200, 200), top_left=(60, 60), scale=2)
    dusty = clean.copy()
    dusty[5:7, 5:7] = 20  # a speck far from the digit: 4 pixels against thousands
    assert (
        len(
            np.flatnonzero(
                DigitNormalizer(speck_fraction=0).transform([dusty])[0]
                != DigitNormalizer().transform([clean])[0]
            )
        )
        > 50
    )
    np.testing.assert_array_equal(
        DigitNormalizer().transform([dusty]), DigitNormalizer().transform([clean])
    )


def test_a_blank_image_gives_a_black_field():
    out = DigitNormalizer().transform([np.full((30, 30), 200.0), np.zeros((5, 5))])
    assert out.shape == (2, 784) and out.max() == 0


@pytest.mark.parametrize("image", [_seven(), 255 - _seven()], ids=["dark ink", "light ink"])
def test_invert_forced(image):
    dark_ink = image[0, 0] > 127
    auto = DigitNormalizer().transform([image])
    np.testing.assert_array_equal(DigitNormalizer(invert=dark_ink).transform([image]), auto)
    # the wrong polarity: nothing is brighter than the background, no ink is found
    assert DigitNormalizer(invert=not dark_ink).transform([image]).max() == 0


def test_field_and_box_sizes():
    out = DigitNormalizer(box_size=10, field_size=16).transform([_seven()])
    assert out.shape == (1, 256)
    ink = np.argwhere(out.reshape(16, 16) > 0)
    assert (ink.max(axis=0) - ink.min(axis=0) + 1).max() == 10


def test_input_layouts_agree():
    test = load_mnist_sample(subset="test")
    images = test.images[:5]
    expected = DigitNormalizer().transform(list(images))
    for X in [
        images,
        images[:, None],
        test.data[:5],
        list(test.data[:5].tolist()),
        pd.DataFrame(test.data[:5]),
        images.astype(np.float32) / 255,
    ]:
        np.testing.assert_array_equal(DigitNormalizer().transform(X), expected)
    rows = images.reshape(5, -1)
    np.testing.assert_array_equal(
        DigitNormalizer(image_shape=(14, 56)).transform(rows),
        DigitNormalizer().transform(list(rows.reshape(5, 14, 56))),
    )


def test_images_of_different_sizes_in_a_list():
    out = DigitNormalizer().transform([_seven(), _seven(size=(500, 400), scale=8), np.eye(3)])
    assert out.shape == (3, 784)


def test_non_square_rows_are_padded_like_the_estimators_do():
    row = np.zeros((1, 30))
    row[0, 7:9] = 255
    out = DigitNormalizer().transform(row)  # a 6x6 image: 30 pixels and 6 zeros
    padded = np.zeros((1, 6, 6))
    padded.reshape(1, -1)[0, :30] = row
    np.testing.assert_array_equal(out, DigitNormalizer().transform(list(padded)))


def test_stateless_but_remembers_the_row_length_of_fit():
    X = load_mnist_sample(subset="test").data[:4]
    unfitted = DigitNormalizer().transform(X)
    normalizer = DigitNormalizer().fit(X)
    assert normalizer.n_features_in_ == 784
    np.testing.assert_array_equal(normalizer.transform(X), unfitted)
    with pytest.raises(ValueError, match="X has 100 features, but DigitNormalizer is expecting"):
        normalizer.transform(np.zeros((2, 100)))
    # images carry their own size, whatever fit saw
    assert normalizer.transform([np.eye(50)]).shape == (1, 784)
    normalizer.fit([np.eye(50)])
    assert not hasattr(normalizer, "n_features_in_")


@pytest.mark.parametrize(
    "params, X, message",
    [
        ({}, np.zeros((2, 3, 8, 8)), "DigitNormalizer takes grey images; got 3 channels"),
        ({}, [np.full((3, 3), np.nan)], "Input image 0 contains NaN"),
        ({}, np.full((1, 3, 3), np.inf), "Input X contains infinity"),
        ({}, np.zeros((2, 4)) + np.nan, "Input X contains NaN"),
        ({}, [np.zeros((0, 5))], "holding no pixels"),
        ({}, [np.array([["a", "b"], ["c", "d"]])], "takes numeric pixels; image 0 has dtype"),
        ({"box_size": 30}, [np.eye(5)], "field_size=28 is smaller than box_size=30"),
        ({"image_shape": (4,)}, np.zeros((1, 4)), r"image_shape must be \(height, width\)"),
        ({"image_shape": (2, 2)}, np.zeros((1, 5)), r"image_shape=\(2, 2\) holds 4 pixels, but"),
        ({"threshold": 1.0}, [np.eye(5)], "The 'threshold' parameter of DigitNormalizer"),
        ({"invert": "yes"}, [np.eye(5)], "The 'invert' parameter of DigitNormalizer"),
    ],
)
def test_bad_input_and_parameters(params, X, message):
    with pytest.raises(ValueError, match=message):
        DigitNormalizer(**params).transform(X)


def test_colour_images_in_a_list_are_refused():
    with pytest.raises(
        ValueError,
        match=r"grey images as 2-D arrays \(height, width\); image 1 "
        r"has shape \(8, 8, 3\)\. Convert colour images",
    ):
        DigitNormalizer().transform([np.zeros((8, 8)), np.zeros((8, 8, 3))])


def test_pipeline_takes_images_of_any_size():
    train = load_mnist_sample(subset="train")
    model = make_pipeline(DigitNormalizer(), PixelNormalizer(), LogisticRegression(max_iter=200))
    model.fit(train.data[:1000], train.target[:1000])
    sevens = [_seven(), 255 - _seven(size=(120, 90), scale=2)]
    assert model.predict(sevens).tolist() == [7, 7]
    test = load_mnist_sample(subset="test")
    assert model.score(test.data, test.target) > 0.8


def test_pandas_output_names_the_pixels():
    out = DigitNormalizer().set_output(transform="pandas").fit_transform([_seven()])
    assert list(out.columns[:2]) == ["pixel1", "pixel2"] and out.shape == (1, 784)


def test_clone_and_pickle():
    normalizer = DigitNormalizer(box_size=16, threshold=0.3).fit(np.zeros((2, 784)))
    assert clone(normalizer).get_params() == normalizer.get_params()
    restored = pickle.loads(pickle.dumps(normalizer))
    np.testing.assert_array_equal(restored.transform([_seven()]), normalizer.transform([_seven()]))
