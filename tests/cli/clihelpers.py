"""Checks shared by the command-line tests."""

import matplotlib.image


def assert_png(path):
    """``path`` is a non-empty PNG image that matplotlib reads back."""
    assert path.is_file(), f"{path.name} was not written"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is no PNG"
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 50 and image.shape[1] > 50
    assert image.std() > 0, f"{path.name} is blank"
