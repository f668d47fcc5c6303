"""Bad parameter values: one clear ValueError at fit, naming the parameter, before anything changes.

Every case here once trained silently on a bad value or failed deep inside
torch or skorch without naming the parameter; the declarations in
``skmnist/estimators/_constraints.py`` now refuse each at the start of fit.
"""

import numpy as np
import pytest
from estimator_helpers import block_images

from skmnist import CNNClassifier, LeNet5Classifier, MLPNetClassifier

CASES = [
    (LeNet5Classifier, {"clip_grad_norm": -1}, "'clip_grad_norm' parameter"),
    (MLPNetClassifier, {"hidden_layer_sizes": (0,)}, "'hidden_layer_sizes' parameter"),
    (MLPNetClassifier, {"hidden_layer_sizes": ()}, "'hidden_layer_sizes' parameter"),
    (LeNet5Classifier, {"n_iter_no_change": 0}, "'n_iter_no_change' parameter"),
    (LeNet5Classifier, {"tol": float("nan")}, "'tol' parameter"),
    (CNNClassifier, {"kernel_size": 99}, "kernel_size=99 is larger than the 7x7 feature maps"),
    (CNNClassifier, {"kernel_size": 29}, "use at most 7"),
    (CNNClassifier, {"kernel_size": 4}, "kernel_size must be odd"),
    (LeNet5Classifier, {"lr": -1}, "'lr' parameter .* Got -1 instead"),
    (LeNet5Classifier, {"lr": "fast"}, "'lr' parameter .* Got 'fast' instead"),
    (LeNet5Classifier, {"optimizer": 42}, "'optimizer' parameter .* Got 42 instead"),
    (LeNet5Classifier, {"optimizer": dict}, "'optimizer' parameter .* subclass of torch.optim"),
    (LeNet5Classifier, {"device": "tpu"}, "'device' parameter .* Got 'tpu' instead"),
    (LeNet5Classifier, {"device": None}, "'device' parameter .* Got None instead"),
    (LeNet5Classifier, {"augment": {"scale": 2}}, "'augment' parameter .*scale must be"),
    (LeNet5Classifier, {"augment": {"rotation": -5}}, "augment rotation must be a number >= 0"),
    (LeNet5Classifier, {"augment": "nope"}, "'augment' parameter"),
    (LeNet5Classifier, {"lr_schedule": "plateau", "lr_factor": 2}, "'lr_factor' parameter"),
    (
        LeNet5Classifier,
        {"lr_schedule": "cosine", "lr_schedule_params": {"bogus": 1}},
        "lr_schedule_params=\\{'bogus': 1\\}\\) cannot be made",
    ),
    (LeNet5Classifier, {"lr_schedule": "nope"}, "'lr_schedule' parameter"),
    (CNNClassifier, {"dropout": 1.5}, "'dropout' parameter"),
    (LeNet5Classifier, {"fc_dropout": -0.1}, "'fc_dropout' parameter"),
    (CNNClassifier, {"channels": (0, 0, 0)}, "'channels' parameter .* tuple of 3 integers"),
    (CNNClassifier, {"channels": (8, 16)}, "'channels' parameter"),
    (CNNClassifier, {"convs_per_block": 0}, "'convs_per_block' parameter .* range \\[1, 4\\]"),
    (CNNClassifier, {"convs_per_block": 2.5}, "'convs_per_block' parameter"),
    (LeNet5Classifier, {"momentum": -1}, "'momentum' parameter"),
    (
        LeNet5Classifier,
        {"optimizer__betas": (0.5,)},
        "Adam refuses optimizer__betas=\\(0.5,\\) \\(with lr=0.01\\)",
    ),
    (
        LeNet5Classifier,
        {"optimizer": "sgd", "optimizer__nesterov": True, "momentum": 0.0},
        "SGD refuses optimizer__nesterov=True",
    ),
    (LeNet5Classifier, {"callbacks": "x"}, "'callbacks' parameter"),
    (LeNet5Classifier, {"validation_fraction": 1.5}, "'validation_fraction' parameter"),
    (LeNet5Classifier, {"mixed_precision": "fp8"}, "'mixed_precision' parameter"),
    (LeNet5Classifier, {"device_data_budget": -1}, "'device_data_budget' parameter"),
    (LeNet5Classifier, {"checkpoint_dir": 5}, "'checkpoint_dir' parameter .* Got 5 instead"),
    (LeNet5Classifier, {"pooling": "mean"}, "'pooling' parameter"),
    (LeNet5Classifier, {"early_stopping": "yes"}, "'early_stopping' parameter"),
]


@pytest.mark.parametrize(
    "cls, params, message", CASES, ids=[f"{cls.__name__}-{'-'.join(p)}" for cls, p, _ in CASES]
)
def test_a_bad_value_is_refused_at_fit_naming_the_parameter(cls, params, message):
    X, y = block_images()
    clf = cls(max_epochs=1, **params)  # stored as given, as scikit-learn wants
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    assert not clf.__sklearn_is_fitted__()


@pytest.mark.parametrize(
    "cls, params, message",
    CASES[:6],
    ids=[f"{cls.__name__}-{'-'.join(p)}" for cls, p, _ in CASES[:6]],
)
def test_partial_fit_checks_too(cls, params, message):
    X, y = block_images()
    with pytest.raises(ValueError, match=message):
        cls(**params).partial_fit(X, y, classes=np.unique(y))


def test_a_bad_value_leaves_a_fitted_model_as_it_was():
    X, y = block_images()
    clf = LeNet5Classifier(max_epochs=1, random_state=0).fit(X, y)
    before = clf.predict_proba(X)
    with pytest.raises(ValueError, match="'lr' parameter"):
        clf.set_params(lr=-1).fit(X, y + 10)  # new labels too: nothing may change
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    np.testing.assert_array_equal(clf.set_params(lr=1e-3).predict_proba(X), before)


def test_a_refit_that_fails_on_y_leaves_the_fitted_model_as_it_was():
    X, y = block_images()
    clf = LeNet5Classifier(max_epochs=1, random_state=0).fit(X, y)
    before = clf.predict_proba(X)
    fewer_features = X.reshape(len(X), -1)[:, :100]  # read as 10x10 images
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(fewer_features, np.zeros(len(X)))  # X checked (and read) first, then y
    assert clf.n_features_in_ == 784 and clf.image_shape_ == (1, 28, 28)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    np.testing.assert_array_equal(clf.predict_proba(X), before)


def test_a_refit_that_fails_building_the_network_leaves_the_fitted_model_as_it_was():
    X, y = block_images()
    clf = CNNClassifier(max_epochs=1, channels=(4, 8, 16), random_state=0).fit(X, y)
    before, module = clf.predict_proba(X), clf.module_
    with pytest.raises(ValueError, match="kernel_size=9 is larger"):
        clf.set_params(kernel_size=9).fit(X, y + 5)  # new labels, then a network that fails
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    assert clf.module_ is module
    np.testing.assert_array_equal(clf.set_params(kernel_size=3).predict_proba(X), before)


def test_a_first_partial_fit_that_fails_leaves_an_unfitted_estimator():
    X, y = block_images()
    clf = MLPNetClassifier()
    with pytest.raises(ValueError, match="not among classes_"):
        clf.partial_fit(X, y, classes=[0, 1])  # y holds a 2 as well
    assert not clf.__sklearn_is_fitted__()
    assert not hasattr(clf, "classes_inferred_") and not hasattr(clf, "n_features_in_")
    clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.__sklearn_is_fitted__()


def test_labels_mixing_numbers_and_strings_are_refused_with_the_fix():
    X, y = block_images()
    y = np.array([1 if c else "one" for c in y], dtype=object)
    with pytest.raises(
        ValueError,
        match=r"y mixes labels of different kinds \(number, "
        r"string\).*y.astype\(str\)",
    ):
        MLPNetClassifier(max_epochs=1).fit(X, y)


def test_a_dataframe_with_text_columns_names_them():
    pd = pytest.importorskip("pandas")
    X, y = block_images()
    frame = pd.DataFrame(X.reshape(len(X), -1), columns=[f"pixel{i}" for i in range(784)])
    frame.insert(0, "file", "a.png")
    frame["split"] = "train"
    with pytest.raises(
        ValueError,
        match=r"X has 2 non-numeric column\(s\): 'file', 'split'\. "
        r"Pass only the pixel columns",
    ):
        MLPNetClassifier(max_epochs=1).fit(frame, y)
