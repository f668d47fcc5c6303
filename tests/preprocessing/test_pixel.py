"""Tests for skmnist.preprocessing.PixelNormalizer."""

import doctest
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmnist.preprocessing import PixelNormalizer
from skmnist.preprocessing import _pixel


@parametrize_with_checks(
    [
        PixelNormalizer(),
        PixelNormalizer(standardize="mnist"),
        PixelNormalizer(standardize="fit"),
        PixelNormalizer(max_value=100.0, standardize="fit"),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_docstring_examples():
    result = doctest.testmod(_pixel, raise_on_error=False)
    assert result.attempted > 0
    assert result.failed == 0
