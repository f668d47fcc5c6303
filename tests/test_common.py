"""scikit-learn's estimator checks over every public estimator and transformer."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skmnist import (
    CNNClassifier,
    DigitNormalizer,
    LeNet5Classifier,
    MLPNetClassifier,
    PixelNormalizer,
)

ESTIMATORS = [
    MLPNetClassifier(random_state=0),
    LeNet5Classifier(random_state=0),
    CNNClassifier(channels=(8, 16, 32), random_state=0),
    PixelNormalizer(),
    PixelNormalizer(standardize="fit"),
    DigitNormalizer(),
    DigitNormalizer(box_size=4, field_size=6, invert=True, speck_fraction=0),
]


def _expected_failed_checks(estimator):
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)
