"""The examples in skmnist.benchmarks.suites' docstrings run and give what they show."""

import doctest

from skmnist.benchmarks import suites


def test_docstring_examples():
    result = doctest.testmod(suites, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
