"""Transformers that prepare MNIST-family images for estimators."""

from ._pixel import PixelNormalizer

__all__ = ["PixelNormalizer"]
