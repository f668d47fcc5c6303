"""The examples in skmnist.datasets' docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["_base", "_fetchers", "_idx", "_sample"]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module, tmp_path, monkeypatch):
    monkeypatch.setenv("SKMNIST_DATA", str(tmp_path))
    module = importlib.import_module(f"skmnist.datasets.{module}")
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
