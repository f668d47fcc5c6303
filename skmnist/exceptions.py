"""Exceptions raised by skmnist."""

__all__ = ["TrainingDivergedError"]


class TrainingDivergedError(RuntimeError):
    """Training diverged: the loss became NaN or infinite, or exploded.

    Raised during ``fit`` or ``partial_fit`` when a training batch's loss is
    NaN, infinite, or more than 100 times that of the first batch (at least
    1). The message names the epoch and suggests a lower learning rate or
    gradient clipping. The estimator keeps the last weights that were finite
    (those at the start of the epoch in which training diverged), so it can
    still predict.

    Examples
    --------
    >>> from skmnist import LeNet5Classifier, load_mnist_sample
    >>> from skmnist.exceptions import TrainingDivergedError
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = LeNet5Classifier(optimizer="sgd", lr=1e8, random_state=0)
    >>> try:
    ...     clf.fit(X[:500], y[:500])
    ... except TrainingDivergedError as exc:
    ...     print(str(exc).split(":")[0])
    Training diverged in epoch 1
    >>> clf.predict(X[:3]).shape  # the weights of the start of epoch 1
    (3,)
    """
