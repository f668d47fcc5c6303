"""Helpers shared by the displays."""

from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted


def final_estimator(estimator):
    """The fitted estimator itself, or the last step of a fitted Pipeline."""
    check_is_fitted(estimator)
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator
