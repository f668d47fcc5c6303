"""The examples in skmnist.plotting's docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "skmnist.plotting",
    "skmnist.plotting._filters",
    "skmnist.plotting._history",
    "skmnist.plotting._images",
]


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
