"""The Python examples of the user guide (``>>>`` lines in docs/user_guide/*.rst) run as shown.

The pages show what the current API does, so they are doctests: a change
that breaks a page fails here, not only when someone reads it. Examples that
need the full data sets, a download or a GPU are marked ``+SKIP`` on the page.
"""

import doctest
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user_guide"
PAGES = sorted(path.name for path in GUIDE.glob("*.rst") if ">>>" in path.read_text())


def test_pages_with_examples_are_found():
    assert {"getting_started.rst", "training.rst"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_user_guide_examples(page, tmp_path, monkeypatch):
    monkeypatch.setenv("SKMNIST_DATA", str(tmp_path))  # no real data home is touched
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)  # files the examples write land here
    result = doctest.testfile(
        str(GUIDE / page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.failed == 0
