"""Recipes: estimators set up as the benchmarks found best (re-exported by the suites)."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from ..estimators import CNNClassifier, LeNet5Classifier


def best_recipe(max_epochs: int = 45) -> CNNClassifier:
    """The best CNN recipe of the ``cnn`` suite: the CNN, augmented, under a one-cycle schedule.

    ``CNNClassifier`` (32/64/128 feature maps, BatchNorm, dropout 0.25) with
    the ``"affine"`` augmentation preset, AdamW with weight decay 1e-4 under
    a one-cycle learning-rate schedule peaking at 3e-3, batches of 128, for
    ``max_epochs`` epochs. A stratified 10% of the training set is held out:
    the weights of the epoch with the lowest validation loss are kept, and
    training stops after 10 epochs without improvement (patient, because the
    validation loss stalls while the one-cycle rate is high).
    ``docs/benchmarks/cnn/`` has its test accuracy.

    Parameters
    ----------
    max_epochs : int, default=45
        Epochs at most; the one-cycle schedule spans them all.

    Returns
    -------
    estimator : CNNClassifier
        The unfitted estimator.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import best_recipe
    >>> clf = best_recipe(max_epochs=20)
    >>> clf.augment, clf.optimizer, clf.lr, clf.lr_schedule, clf.max_epochs
    ('affine', 'adamw', 0.003, 'onecycle', 20)
    """
    return CNNClassifier(
        channels=(32, 64, 128),
        dropout=0.25,
        augment="affine",
        optimizer="adamw",
        lr=3e-3,
        weight_decay=1e-4,
        lr_schedule="onecycle",
        batch_size=128,
        max_epochs=max_epochs,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=10,
    )


def fast_recipe(max_epochs: int = 2) -> LeNet5Classifier:
    """The fastest honest 99%: LeNet-5 with ReLU, max pooling and BatchNorm, two epochs.

    ``LeNet5Classifier(activation="relu", pooling="max", batch_norm=True)``
    trained with NAdam under a one-cycle schedule peaking at lr 1e-2, batches
    of 256, for 2 epochs, the data kept on the device. It was chosen on the
    training set only, fitting on its first 50,000 images and scoring on the
    last 10,000: among LeNet-5 and small-CNN variants of 1 to 3 epochs, the
    cheapest network to reach 99% there, then among variants of its
    optimizer and schedule at the same cost, the best.
    ``docs/benchmarks/fast/`` has the selection's scores, and its test
    accuracy over 5 seeds and fit times (``skmnist benchmark --suite
    fast``).

    Parameters
    ----------
    max_epochs : int, default=2
        Epochs; the one-cycle schedule spans them all.

    Returns
    -------
    estimator : LeNet5Classifier
        The unfitted estimator.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import fast_recipe
    >>> clf = fast_recipe()
    >>> clf.optimizer, clf.lr, clf.lr_schedule, clf.batch_size, clf.max_epochs
    ('nadam', 0.01, 'onecycle', 256, 2)
    """
    return LeNet5Classifier(
        activation="relu",
        pooling="max",
        batch_norm=True,
        optimizer="nadam",
        lr=1e-2,
        lr_schedule="onecycle",
        batch_size=256,
        max_epochs=max_epochs,
    )


def fashion_recipe(max_epochs: int = 30) -> CNNClassifier:
    """A Fashion-MNIST recipe: the CNN with flips and shifts, the full one-cycle schedule.

    ``CNNClassifier`` (32/64/128 feature maps, BatchNorm, dropout 0.25)
    trained on batches of 128 with left-right flips of half the images and
    shifts up to 10% (``augment="flip"``: clothing is symmetric, digits are
    not), AdamW with weight decay 5e-4 under a one-cycle schedule peaking at
    lr 3e-3, for all ``max_epochs`` epochs on the whole training set. It was
    fixed before it was run, from :func:`best_recipe` and the usual
    Fashion-MNIST augmentation, and is scored once on the test set:
    nothing in it is chosen on test data. ``docs/benchmarks/fashion/`` has
    its score beside the ``fashion`` suite's other configurations.

    Parameters
    ----------
    max_epochs : int, default=30
        Epochs; the one-cycle schedule spans them all.

    Returns
    -------
    estimator : CNNClassifier
        The unfitted estimator.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import fashion_recipe
    >>> clf = fashion_recipe()
    >>> clf.augment, clf.optimizer, clf.lr_schedule, clf.max_epochs, clf.early_stopping
    ('flip', 'adamw', 'onecycle', 30, False)
    """
    return CNNClassifier(
        channels=(32, 64, 128),
        dropout=0.25,
        augment="flip",
        optimizer="adamw",
        lr=3e-3,
        weight_decay=5e-4,
        lr_schedule="onecycle",
        batch_size=128,
        max_epochs=max_epochs,
    )


def record_recipe(max_epochs: int = 45) -> CNNClassifier:
    """The MNIST record attempt: VGG-style blocks, affine augmentation, a full one-cycle run.

    :func:`best_recipe` with two convolutions in each block
    (``convs_per_block=2``: 32, 64 and 128 feature maps, each convolution
    with its BatchNorm), dropout 0.3, trained for all ``max_epochs`` epochs
    on the whole training set. :func:`best_recipe` holds 10% out for early
    stopping, which can end training while the one-cycle rate is still
    high; here the schedule always runs to its end, and nothing is chosen
    on a validation or test score. The recipe was fixed before it was run;
    it is meant for a GPU (the GPU check's records, whose soft vote of
    several seeds is the committee).

    Parameters
    ----------
    max_epochs : int, default=45
        Epochs; the one-cycle schedule spans them all.

    Returns
    -------
    estimator : CNNClassifier
        The unfitted estimator.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import record_recipe
    >>> clf = record_recipe()
    >>> clf.convs_per_block, clf.augment, clf.lr_schedule, clf.max_epochs, clf.early_stopping
    (2, 'affine', 'onecycle', 45, False)
    """
    return CNNClassifier(
        channels=(32, 64, 128),
        convs_per_block=2,
        dropout=0.3,
        augment="affine",
        optimizer="adamw",
        lr=3e-3,
        weight_decay=1e-4,
        lr_schedule="onecycle",
        batch_size=128,
        max_epochs=max_epochs,
    )


#: The data sets the minutes recipes are made for.
_DATASETS = ("mnist", "fashion-mnist")


def _check_dataset(dataset):
    if dataset not in _DATASETS:
        raise ValueError(f"dataset must be one of {_DATASETS}; got {dataset!r}.")


def minute_recipe(dataset: str = "mnist") -> LeNet5Classifier:
    """A minute of fit on a 2-core CPU: :func:`fast_recipe`'s network and training, longer.

    :func:`fast_recipe` (LeNet-5 with ReLU, max pooling and BatchNorm, NAdam
    under a one-cycle schedule peaking at lr 1e-2, batches of 256) for 10
    epochs on MNIST and 8 on Fashion-MNIST. Chosen on the training set only,
    fitting on its first 50,000 images and scoring on the last 10,000: the
    most accurate of the
    candidates whose fit on all 60,000 would take at most 60 s
    (``tools/selection.py``, the ``mnist-1min`` and ``fashion-1min``
    selections; ``docs/benchmarks/minutes/`` has their scores, and the test
    accuracy over 3 seeds, ``skmnist benchmark --suite minutes``).

    Parameters
    ----------
    dataset : {"mnist", "fashion-mnist"}, default="mnist"
        The data set it was chosen for.

    Returns
    -------
    estimator : LeNet5Classifier
        The unfitted estimator.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import minute_recipe
    >>> clf = minute_recipe()
    >>> clf.optimizer, clf.lr_schedule, clf.batch_size, clf.max_epochs
    ('nadam', 'onecycle', 256, 10)
    """
    _check_dataset(dataset)
    return fast_recipe(max_epochs={"mnist": 10, "fashion-mnist": 8}[dataset])


#: The CNN recipes' weight decay on each data set.
_WEIGHT_DECAY = {"mnist": 1e-4, "fashion-mnist": 5e-4}


def _cnn_one_cycle(max_epochs, augment, dataset):
    return CNNClassifier(
        channels=(32, 64, 128),
        dropout=0.25,
        augment=augment,
        optimizer="adamw",
        lr=3e-3,
        weight_decay=_WEIGHT_DECAY[dataset],
        lr_schedule="onecycle",
        batch_size=128,
        max_epochs=max_epochs,
    )


def five_minute_recipe(dataset: str = "mnist") -> CNNClassifier | LeNet5Classifier:
    """Five minutes of fit on a 2-core CPU: the CNN for 5 epochs on MNIST, the minute's on Fashion.

    On MNIST, ``CNNClassifier`` (32/64/128 feature maps, BatchNorm, dropout
    0.25) trained with AdamW (weight decay 1e-4) under a one-cycle schedule
    peaking at lr 3e-3, batches of 128, for 5 epochs on the whole training
    set, without augmentation (at 5 epochs it did not pay on the hold-out).
    On Fashion-MNIST, :func:`minute_recipe`: no candidate of up to five
    minutes (that CNN with and without flips, a smaller CNN for 12 epochs,
    LeNet-5 for 20 or 35 epochs with dropout or flips) scored above it on
    the hold-out. Chosen on the training set only, as :func:`minute_recipe`
    is, among the candidates whose fit on all 60,000 images would take at
    most 300 s (the ``mnist-5min`` and ``fashion-5min`` selections).

    Parameters
    ----------
    dataset : {"mnist", "fashion-mnist"}, default="mnist"
        The data set it was chosen for.

    Returns
    -------
    estimator : CNNClassifier or LeNet5Classifier
        The unfitted estimator.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import five_minute_recipe
    >>> clf = five_minute_recipe()
    >>> clf.optimizer, clf.weight_decay, clf.lr_schedule, clf.max_epochs
    ('adamw', 0.0001, 'onecycle', 5)
    >>> type(five_minute_recipe("fashion-mnist")).__name__
    'LeNet5Classifier'
    """
    _check_dataset(dataset)
    if dataset == "fashion-mnist":
        return minute_recipe(dataset)
    return _cnn_one_cycle(5, augment=None, dataset=dataset)


def half_hour_recipe(dataset: str = "mnist") -> CNNClassifier:
    """Half an hour of fit on a 2-core CPU: the CNN, augmented, a one-cycle schedule of 30 epochs.

    :func:`five_minute_recipe`'s network and optimizer for 30 epochs on the
    whole training set, with the augmentation usual for each data set:
    random affine transforms on MNIST (``augment="affine"``, weight decay
    1e-4), left-right flips of half the images on Fashion-MNIST (clothing
    is symmetric, digits are not; weight decay 5e-4). It was fixed before it
    was run, from :func:`best_recipe` and the usual Fashion-MNIST
    augmentation, with the epochs that fit in 30 minutes on a 2-core CPU;
    nothing in it is chosen on a test or hold-out score.

    Parameters
    ----------
    dataset : {"mnist", "fashion-mnist"}, default="mnist"
        The data set it is made for.

    Returns
    -------
    estimator : CNNClassifier
        The unfitted estimator.

    Examples
    --------
    >>> from skmnist.benchmarks.suites import half_hour_recipe
    >>> clf = half_hour_recipe()
    >>> clf.augment, clf.optimizer, clf.lr_schedule, clf.max_epochs, clf.early_stopping
    ('affine', 'adamw', 'onecycle', 30, False)
    >>> half_hour_recipe("fashion-mnist").augment
    {'hflip': 0.5}
    """
    _check_dataset(dataset)
    return _cnn_one_cycle(
        30, augment="affine" if dataset == "mnist" else {"hflip": 0.5}, dataset=dataset
    )
