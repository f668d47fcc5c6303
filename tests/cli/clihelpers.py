"""Checks shared by the command-line tests."""

import matplotlib.image


def assert_png(path):
    """``path`` is a non-empty PNG image that matplotlib reads back."""
    assert path.is_file(), f"{path.name} was not written"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is no PNG"
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 50 and image.shape[1] > 50
    assert image.std() > 0, f"{path.name} is blank"


def check_error(result, status, *messages, verb=None):
    """Exit ``status``, each of ``messages`` on stderr, and no traceback.

    A usage error (status 2) also prints the usage; with ``verb``, it is that
    verb's usage, and the one error line says ``skmnist VERB: error:`` and
    holds the messages.
    """
    assert result.code == status, (result.out, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out
    for message in messages:
        assert message in result.err, result.err
    if status == 2:
        assert "usage: skmnist" in result.err
    if verb is not None:
        errors = [line for line in result.err.splitlines() if "error:" in line]
        assert len(errors) == 1, result.err
        assert errors[0].startswith(f"skmnist {verb}: error: "), result.err
        assert all(message in errors[0] for message in messages), result.err
        assert f"usage: skmnist {verb}" in result.err
