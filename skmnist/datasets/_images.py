"""Reading image files (PNG, JPEG, BMP, TIFF, GIF, ...) as grey uint8 arrays, with Pillow."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

#: The suffixes of the files a folder is searched for (any case).
IMAGE_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".bmp",
    ".gif",
    ".tif",
    ".tiff",
    ".webp",
    ".pgm",
    ".ppm",
    ".pbm",
)
# how many unreadable files an error message names before "and N more"
_NAMED_IN_ERROR = 3


def load_images(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    on_error: str = "raise",
    recursive: bool = False,
) -> Bunch:
    """Read image files, and the images in folders, as grey uint8 arrays.

    Any format Pillow reads: PNG, JPEG, BMP, TIFF, GIF (its first frame),
    WebP, PGM/PPM/PBM and more, of any size. Colour is turned into grey by
    luminance (ITU-R 601-2, as Pillow's ``"L"`` mode), 16-bit images are
    scaled to 8 bits, and an alpha channel is flattened onto a background
    that contrasts with the opaque pixels: white under dark ink, black under
    light ink, so that a drawing on a transparent background stays visible.
    The images keep their size and polarity: bring them to MNIST's
    convention with :class:`~skmnist.DigitNormalizer`.

    Parameters
    ----------
    paths : str, path-like or iterable of them
        Image files and folders. A folder contributes its files whose names
        end in one of ``.png``, ``.jpg``, ``.jpeg``, ``.bmp``, ``.gif``,
        ``.tif``, ``.tiff``, ``.webp``, ``.pgm``, ``.ppm`` or ``.pbm`` (in any
        case; hidden files are left out), sorted by name; a file named
        directly is read whatever its name.
    on_error : {"raise", "skip"}, default="raise"
        What to do with files that cannot be read as images (not an image,
        truncated, unreadable): ``"raise"`` a :class:`ValueError` naming them
        all, after trying every file, or ``"skip"`` them and list them in
        ``skipped``.
    recursive : bool, default=False
        Whether folders are searched in their subfolders too.

    Returns
    -------
    images : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        images : list of ndarray of shape (height, width), uint8
            The images in the order of ``paths`` (a folder's sorted by name),
            each its own size: a list, also when all sizes agree
            (``np.stack(images)`` then makes an array).
        filenames : list of str
            The path of each image, as given or found in a folder.
        skipped : dict of str to str
            With ``on_error="skip"``, each unreadable file's path and why it
            could not be read; else empty.
        DESCR : str
            What was read.

    Raises
    ------
    FileNotFoundError
        If a path does not exist.
    ValueError
        If ``on_error`` is not valid, if the paths hold no image files at all
        (an empty folder, say), or with ``on_error="raise"`` if a file cannot
        be read as an image.

    See Also
    --------
    skmnist.DigitNormalizer : Prepare images of digits the way
        MNIST's were.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from PIL import Image
    >>> from skmnist.datasets import load_images
    >>> folder = Path(tempfile.mkdtemp())
    >>> Image.new("RGB", (40, 30), "white").save(folder / "a.png")
    >>> Image.new("L", (16, 16), 0).save(folder / "b.jpg")
    >>> _ = (folder / "notes.txt").write_text("not an image: a folder's other files are ignored")
    >>> found = load_images(folder)
    >>> [Path(name).name for name in found.filenames], [image.shape for image in found.images]
    (['a.png', 'b.jpg'], [(30, 40), (16, 16)])
    >>> found.images[0].dtype, int(found.images[0].max())
    (dtype('uint8'), 255)
    >>> _ = (folder / "broken.png").write_bytes(b"not a PNG")
    >>> load_images(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ValueError: 1 of 3 files could not be read as images: .../broken.png (cannot identify ...
    >>> found = load_images(folder, on_error="skip")
    >>> len(found.images), [Path(name).name for name in found.skipped]
    (2, ['broken.png'])
    """
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = [file for path in paths for file in _image_files(Path(path), recursive)]
    if not files:
        raise ValueError(
            f"no image files in {', '.join(map(str, paths)) or 'an empty list of paths'} "
            f"(a folder's files must end in one of {', '.join(IMAGE_SUFFIXES)})"
        )
    images, filenames, skipped = [], [], {}
    for file in files:
        try:
            images.append(read_image(file))
        except ValueError as exc:
            skipped[str(file)] = str(exc).removeprefix(f"{file}: ")
        else:
            filenames.append(str(file))
    if skipped and on_error == "raise":
        named = [f"{name} ({why})" for name, why in list(skipped.items())[:_NAMED_IN_ERROR]]
        more = len(skipped) - len(named)
        raise ValueError(
            f"{len(skipped)} of {len(files)} files could not be read as images: "
            + "; ".join(named)
            + (f"; and {more} more" if more else "")
            + ". Remove them, or skip them (on_error='skip')."
        )
    descr = f"{len(images)} images read from {len(files)} files"
    if skipped:
        descr += f"; {len(skipped)} unreadable files skipped"
    return Bunch(images=images, filenames=filenames, skipped=skipped, DESCR=descr + ".")


def _image_files(path: Path, recursive: bool) -> list[Path]:
    """``path`` if it is a file, else the image files in the folder, sorted by name."""
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    if not path.is_dir():
        return [path]
    found = path.rglob("*") if recursive else path.iterdir()
    return sorted(
        file
        for file in found
        if file.suffix.lower() in IMAGE_SUFFIXES
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(path).parts)
    )


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Read one image file as a grey uint8 array of shape (height, width).

    See :func:`~skmnist.load_images` for how colour, 16-bit pixels and transparency
    become grey.

    Parameters
    ----------
    path : str or path-like
        The image file; a GIF or multi-page TIFF gives its first frame.

    Returns
    -------
    image : ndarray of shape (height, width), uint8
        The grey image.

    Raises
    ------
    ValueError
        If the file cannot be read as an image; the message starts with
        the path and says why, in one line.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from skmnist.datasets import read_image
    >>> path = Path(tempfile.mkdtemp()) / "red.bmp"
    >>> Image.new("RGB", (3, 2), (255, 0, 0)).save(path)
    >>> read_image(path)
    array([[76, 76, 76],
           [76, 76, 76]], dtype=uint8)
    """
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.seek(0)
            image.load()
            return _grey(image)
    except Exception as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        reason = reason.replace(f"{str(path)!r}", "").replace(str(path), "").strip(" :")
        raise ValueError(f"{path}: {reason or type(exc).__name__}") from None


def _grey(image) -> np.ndarray:
    """A Pillow image as grey uint8: luminance, 16 bits scaled, alpha flattened."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        pixels = np.asarray(image, dtype=np.float64)
        top = (
            1.0
            if image.mode == "F" and pixels.max(initial=0) <= 1
            else (255.0 if pixels.max(initial=0) <= 255 else 65535.0)
        )
        return np.rint(np.clip(pixels, 0, top) * (255 / top)).astype(np.uint8)
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    if not has_alpha:
        return np.asarray(image.convert("L"), dtype=np.uint8)
    rgba = image.convert("RGBA")
    grey = np.asarray(rgba.convert("L"), dtype=np.float64)
    alpha = np.asarray(rgba.getchannel("A"), dtype=np.float64) / 255
    if alpha.sum() == 0:  # nothing opaque: no drawing at all
        return np.zeros(grey.shape, dtype=np.uint8)
    ink = (grey * alpha).sum() / alpha.sum()
    background = 255.0 if ink < 128 else 0.0
    return np.rint(grey * alpha + background * (1 - alpha)).astype(np.uint8)
