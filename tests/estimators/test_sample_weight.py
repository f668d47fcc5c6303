"""``sample_weight`` and ``class_weight``: weighted losses, as scikit-learn weighs samples.

A batch's loss is the mean of its samples' losses weighted by their weights.
With the whole data in one batch (``batch_size=-1``), a weight of 0 is the
same as dropping the sample and a weight of 2 the same as repeating it, up to
the order of float32 sums; equal weights are no weights at all.
"""

import numpy as np
import pytest
import sklearn
import torch
from estimator_helpers import KINDS, block_images, make_estimator
from packaging.version import Version
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import AdaBoostClassifier
from sklearn.metrics import accuracy_score, make_scorer
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.utils.class_weight import compute_sample_weight
from skorch.callbacks import Callback

from skmnist import LeNet5Classifier, MLPNetClassifier, PixelNormalizer
from skmnist.datasets import load_mnist_sample


@pytest.fixture(scope="module")
def blocks():
    X, y = block_images(n_samples=60, n_classes=3)
    return X, y


def _weights(n, seed=0):
    return np.random.default_rng(seed).uniform(0.2, 3.0, size=n)


def _parameters(clf):
    return [p.detach().numpy().copy() for p in clf.module_.parameters()]


def _same_network(a, b):
    pairs = zip(a.module_.parameters(), b.module_.parameters(), strict=True)
    return all(torch.equal(p, q) for p, q in pairs)


@pytest.mark.parametrize("cls", KINDS)
def test_equal_weights_train_the_network_of_no_weights(cls, blocks):
    X, y = blocks
    plain = make_estimator(cls).fit(X, y)
    for weights in (np.ones(len(y)), np.full(len(y), 2.5), 4.0):
        weighted = make_estimator(cls).fit(X, y, sample_weight=weights)
        assert _same_network(plain, weighted)
    assert not _same_network(plain, make_estimator(cls).fit(X, y, sample_weight=_weights(len(y))))


@pytest.mark.parametrize("cls", KINDS)
def test_in_one_batch_weight_zero_drops_a_sample_and_weight_two_repeats_it(cls, blocks):
    X, y = blocks
    params = {"batch_size": -1, "max_epochs": 3}
    weights = np.ones(len(y))
    weights[:10] = 0
    weights[10:20] = 2
    weighted = make_estimator(cls, **params).fit(X, y, sample_weight=weights)
    keep = np.r_[np.arange(10, 60), np.arange(10, 20)]
    repeated = make_estimator(cls, **params).fit(X[keep], y[keep])
    unweighted = make_estimator(cls, **params).fit(X, y)
    for a, b, c in zip(
        _parameters(weighted), _parameters(repeated), _parameters(unweighted), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
        assert not np.allclose(a, c, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(
        weighted.history[:, "train_loss"], repeated.history[:, "train_loss"], rtol=1e-5
    )


def test_class_weight_is_the_sample_weight_of_its_classes_times_sample_weight(blocks):
    X, y = blocks
    labels = np.array(["cat", "dog", "emu"])[y]  # the user's own labels
    balanced = make_estimator(MLPNetClassifier, class_weight="balanced").fit(X[7:], labels[7:])
    by_hand = make_estimator(MLPNetClassifier).fit(
        X[7:], labels[7:], sample_weight=compute_sample_weight("balanced", labels[7:])
    )
    assert _same_network(balanced, by_hand)

    weights = _weights(len(y))
    by_dict = make_estimator(MLPNetClassifier, class_weight={"dog": 3.0, "emu": 0.5}).fit(
        X, labels, sample_weight=weights
    )
    per_class = np.select([labels == "dog", labels == "emu"], [3.0, 0.5], 1.0)
    by_hand = make_estimator(MLPNetClassifier).fit(X, labels, sample_weight=weights * per_class)
    assert _same_network(by_dict, by_hand)


class _HeldOut(Callback):
    def on_epoch_end(self, net, dataset_valid=None, **kwargs):
        self.dataset_valid = dataset_valid


def test_the_held_out_images_keep_their_weights_in_the_validation_loss(blocks):
    X, y = blocks
    weights = _weights(len(y))
    held_out = _HeldOut()
    clf = make_estimator(
        LeNet5Classifier,
        max_epochs=1,
        early_stopping=True,
        validation_fraction=0.25,
        callbacks=[("held_out", held_out)],
    ).fit(X, y, sample_weight=weights)
    valid = held_out.dataset_valid
    rows = valid.indices.numpy()
    np.testing.assert_array_equal(valid.weights[valid.indices].numpy(), weights[rows].astype("f4"))
    proba = clf.predict_proba(X[rows])  # the weights of the only epoch, the best one
    losses = -np.log(proba[np.arange(len(rows)), y[rows]])
    expected = np.average(losses, weights=weights[rows])
    assert clf.history[-1, "valid_loss"] == pytest.approx(expected, rel=1e-5)
    assert not np.isclose(expected, losses.mean(), rtol=1e-3)


def test_weights_travel_with_streamed_batches(blocks):
    X, y = blocks
    weights = _weights(len(y))
    resident = make_estimator(LeNet5Classifier).fit(X, y, sample_weight=weights)
    streamed = make_estimator(LeNet5Classifier, device_data_budget=0).fit(
        X, y, sample_weight=weights
    )
    assert _same_network(resident, streamed)


def test_partial_fit_takes_weights_and_a_dict_of_class_weights(blocks):
    X, y = blocks
    weights = _weights(len(y))
    clf = make_estimator(MLPNetClassifier, class_weight={0: 2.0})
    clf.partial_fit(X, y, classes=[0, 1, 2], sample_weight=weights)
    by_hand = make_estimator(MLPNetClassifier).partial_fit(
        X, y, classes=[0, 1, 2], sample_weight=weights * np.where(y == 0, 2.0, 1.0)
    )
    assert _same_network(clf, by_hand)
    with pytest.raises(ValueError, match='class_weight="balanced" is not supported by partial_fit'):
        clf.set_params(class_weight="balanced").partial_fit(X, y)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        ({"sample_weight": -np.ones(60)}, ValueError, "Negative values"),
        ({"sample_weight": np.r_[np.nan, np.ones(59)]}, ValueError, "sample_weight contains NaN"),
        ({"sample_weight": np.ones(59)}, ValueError, r"sample_weight.shape == \(59,\)"),
        ({"sample_weight": np.zeros(60)}, ValueError, "(at least one non-zero|has weight 0)"),
        (
            {"class_weight": {0: 0, 1: 0, 2: 0}},
            ValueError,
            "Every one of the 60 samples has weight 0",
        ),
        ({"sample_weigth": np.ones(60)}, TypeError, r"unexpected keyword arguments \['sample_"),
        ({"class_weight": {7: 2.0}}, ValueError, r"labels that are not classes: \[7\]"),
        ({"class_weight": {0: -1.0}}, ValueError, "finite numbers >= 0"),
        ({"class_weight": "even"}, ValueError, "'class_weight' parameter"),
    ],
    ids=[
        "negative",
        "nan",
        "length",
        "all-zero",
        "all-classes-zero",
        "unknown-keyword",
        "label",
        "negative-class",
        "name",
    ],
)
def test_bad_weights_are_refused_and_leave_the_model_as_it_was(call, error, match, blocks):
    X, y = blocks
    clf = make_estimator(MLPNetClassifier).fit(X, y)
    before = _parameters(clf)
    params = {k: v for k, v in call.items() if k == "class_weight"}
    fit_params = {k: v for k, v in call.items() if k != "class_weight"}
    with pytest.raises(error, match=match):
        clf.set_params(**params).fit(X, y, **fit_params)
    for a, b in zip(before, _parameters(clf), strict=True):
        np.testing.assert_array_equal(a, b)


def test_metadata_routing_takes_weights_through_pipelines_and_searches(blocks):
    X, y = blocks
    weights = _weights(len(y))
    direct = make_estimator(MLPNetClassifier).fit(
        PixelNormalizer().fit_transform(X), y, sample_weight=weights
    )
    with sklearn.config_context(enable_metadata_routing=True):
        clf = make_estimator(MLPNetClassifier).set_fit_request(sample_weight=True)
        pipe = make_pipeline(PixelNormalizer(), clf)
        pipe.fit(X, y, sample_weight=weights)
        assert _same_network(pipe[-1], direct)
        scoring = make_scorer(accuracy_score).set_score_request(sample_weight=True)
        search = GridSearchCV(pipe, {"mlpnetclassifier__lr": [1e-2]}, cv=2, scoring=scoring)
        search.fit(X, y, sample_weight=weights)
        assert _same_network(search.best_estimator_[-1], direct)
        scores = cross_validate(
            pipe, X, y, params={"sample_weight": weights}, cv=2, scoring=scoring
        )
        assert np.isfinite(scores["test_score"]).all()
        with pytest.raises(sklearn.exceptions.UnsetMetadataPassedError):
            make_pipeline(make_estimator(MLPNetClassifier)).fit(X, y, sample_weight=weights)


def test_meta_estimators_pass_weights_without_routing(blocks):
    X, y = blocks
    weights = _weights(len(y))
    direct = make_estimator(MLPNetClassifier).fit(X, y, sample_weight=weights)
    search = GridSearchCV(make_estimator(MLPNetClassifier), {"lr": [1e-2]}, cv=2)
    assert _same_network(search.fit(X, y, sample_weight=weights).best_estimator_, direct)

    # digits that three short epochs of LeNet-5 get partly wrong: each round of boosting
    # weighs up the images the round before missed
    digits, labels = load_mnist_sample(return_X_y=True)
    boosted = AdaBoostClassifier(
        make_estimator(LeNet5Classifier, max_epochs=3, batch_size=32),
        n_estimators=3,
        random_state=0,
    )
    boosted.fit(digits[:400], labels[:400])
    assert len(boosted.estimators_) == 3
    assert 0 < boosted.estimator_errors_[0] < 0.5
    assert len(set(boosted.estimator_weights_.round(6))) == 3

    # scikit-learn before 1.7 fits its sigmoid with float64 weights against float32
    # probabilities and fails (the user guide says so): its isotonic method works there
    method = "sigmoid" if Version(sklearn.__version__) >= Version("1.7") else "isotonic"
    calibrated = CalibratedClassifierCV(make_estimator(MLPNetClassifier), cv=2, method=method)
    proba = calibrated.fit(X, y, sample_weight=weights).predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
