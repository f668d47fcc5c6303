"""skmnist.datasets.load_images and read_image: real image files written by the tests."""

import numpy as np
import pytest
from PIL import Image

from skmnist.datasets import load_images, read_image


def _digit(size=(40, 30), ink=0, paper=255):
    """A grey uint8 'digit': a bar of ``ink`` on ``paper``."""
    image = np.full(size[::-1], paper, dtype=np.uint8)
    image[5:-5, 12:18] = ink
    return image


@pytest.mark.parametrize("suffix", [".png", ".bmp", ".tif", ".gif", ".pgm"])
def test_lossless_grey_formats_read_back_exactly(tmp_path, suffix):
    image = _digit()
    Image.fromarray(image).save(tmp_path / f"digit{suffix}")
    found = load_images(tmp_path)
    np.testing.assert_array_equal(found.images[0], image)
    assert found.filenames == [str(tmp_path / f"digit{suffix}")]
    assert found.skipped == {}


def test_jpeg_reads_back_close(tmp_path):
    image = _digit()
    Image.fromarray(image).save(tmp_path / "digit.jpg", quality=95)
    read = read_image(tmp_path / "digit.jpg")
    assert read.shape == image.shape and read.dtype == np.uint8
    assert np.abs(read.astype(int) - image).mean() < 3


def test_colour_becomes_grey_by_luminance(tmp_path):
    rgb = np.zeros((4, 5, 3), dtype=np.uint8)
    rgb[..., 0] = 255  # red: luminance 0.299 * 255
    Image.fromarray(rgb).save(tmp_path / "red.png")
    np.testing.assert_array_equal(read_image(tmp_path / "red.png"), np.full((4, 5), 76))


@pytest.mark.parametrize("ink, expected_paper", [(0, 255), (255, 0)])
def test_transparency_is_flattened_onto_a_contrasting_background(tmp_path, ink, expected_paper):
    # a drawing app's export: ink strokes opaque, the rest fully transparent (and black)
    rgba = np.zeros((20, 20, 4), dtype=np.uint8)
    rgba[5:15, 8:11] = (ink, ink, ink, 255)
    Image.fromarray(rgba, "RGBA").save(tmp_path / "drawing.png")
    grey = read_image(tmp_path / "drawing.png")
    assert grey[0, 0] == expected_paper  # transparent: the contrasting background
    assert grey[10, 9] == ink  # the ink as drawn


def test_palette_image_with_transparency(tmp_path):
    image = Image.new("P", (10, 10), 0)
    image.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    image.paste(1, (3, 2, 6, 8))
    image.info["transparency"] = 0
    image.save(tmp_path / "palette.gif", transparency=0)
    grey = read_image(tmp_path / "palette.gif")
    assert grey[0, 0] == 255 and grey[4, 4] == 0


def test_sixteen_bit_images_are_scaled_to_eight(tmp_path):
    wide = np.array([[0, 257 * 100, 65535]], dtype=np.uint16)
    Image.fromarray(wide).save(tmp_path / "deep.png")
    np.testing.assert_array_equal(read_image(tmp_path / "deep.png"), [[0, 100, 255]])


def test_gif_gives_its_first_frame(tmp_path):
    frames = [Image.fromarray(_digit(ink=ink)) for ink in (0, 128)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:])
    assert read_image(tmp_path / "anim.gif")[20, 15] == 0


def test_one_bit_images(tmp_path):
    Image.fromarray(_digit() > 0).save(tmp_path / "bits.pbm")
    np.testing.assert_array_equal(read_image(tmp_path / "bits.pbm"), _digit())


def test_folders_are_sorted_and_keep_only_image_files(tmp_path):
    for name in ("b.PNG", "a.jpeg", "c.bmp"):
        Image.fromarray(_digit()).save(tmp_path / name)
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / ".hidden.png").write_bytes(b"hidden: not read")
    (tmp_path / "sub").mkdir()
    Image.fromarray(_digit(size=(8, 8))).save(tmp_path / "sub" / "d.png")
    found = load_images(tmp_path)
    assert [name.rsplit("/", 1)[1] for name in found.filenames] == ["a.jpeg", "b.PNG", "c.bmp"]
    deep = load_images(tmp_path, recursive=True)
    assert len(deep.images) == 4 and deep.images[-1].shape == (8, 8)
    assert "4 images read from 4 files" in deep.DESCR


def test_files_and_folders_keep_their_order_and_sizes(tmp_path):
    Image.fromarray(_digit(size=(10, 12))).save(tmp_path / "z.png")
    (tmp_path / "more").mkdir()
    Image.fromarray(_digit(size=(30, 20))).save(tmp_path / "more" / "a.png")
    found = load_images([tmp_path / "z.png", str(tmp_path / "more")])
    assert [image.shape for image in found.images] == [(12, 10), (20, 30)]
    assert isinstance(found.images, list)


def test_unreadable_files_raise_one_error_naming_them(tmp_path):
    Image.fromarray(_digit()).save(tmp_path / "good.png")
    (tmp_path / "text.png").write_text("hello")
    good = (tmp_path / "good.png").read_bytes()
    (tmp_path / "truncated.png").write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError) as info:
        load_images(tmp_path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("2 of 3 files could not be read as images: ")
    assert f"{tmp_path / 'text.png'} (cannot identify image file)" in message
    assert str(tmp_path / "truncated.png") in message
    assert "on_error='skip'" in message


def test_many_unreadable_files_are_counted(tmp_path):
    for i in range(5):
        (tmp_path / f"bad{i}.png").write_bytes(b"no")
    with pytest.raises(ValueError, match=r"bad2\.png \(.*\); and 2 more\. Remove them"):
        load_images(tmp_path)


def test_skip_lists_the_unreadable_files(tmp_path):
    Image.fromarray(_digit()).save(tmp_path / "good.png")
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8 not a JPEG")
    found = load_images(tmp_path, on_error="skip")
    assert found.filenames == [str(tmp_path / "good.png")]
    assert list(found.skipped) == [str(tmp_path / "bad.jpg")]
    assert str(tmp_path) not in found.skipped[str(tmp_path / "bad.jpg")]  # the reason only
    assert "1 unreadable files skipped" in found.DESCR


def test_a_file_named_directly_is_read_whatever_its_name(tmp_path):
    Image.fromarray(_digit()).save(tmp_path / "digit.data", format="PNG")
    assert load_images(tmp_path / "digit.data").images[0].shape == (30, 40)


def test_missing_paths_empty_folders_and_bad_options(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no such file or folder: .*missing"):
        load_images(tmp_path / "missing")
    with pytest.raises(ValueError, match=r"no image files in .*\(a folder's files must end in"):
        load_images(tmp_path)
    with pytest.raises(ValueError, match="on_error must be 'raise' or 'skip', got 'ignore'"):
        load_images(tmp_path, on_error="ignore")


def test_read_image_errors_start_with_the_path(tmp_path):
    (tmp_path / "x.png").write_bytes(b"")
    with pytest.raises(ValueError, match=rf"^{tmp_path / 'x.png'}: cannot identify image file$"):
        read_image(tmp_path / "x.png")
