"""Transformers that prepare MNIST-family images for estimators."""

from ._digits import DigitNormalizer
from ._pixel import PixelNormalizer

__all__ = ["DigitNormalizer", "PixelNormalizer"]
