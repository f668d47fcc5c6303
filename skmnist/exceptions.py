"""Exceptions raised by skmnist."""


class TrainingDivergedError(RuntimeError):
    """Training diverged: the loss became NaN or infinite, or exploded.

    The estimator keeps the last weights that were finite (those at the start
    of the epoch in which training diverged), so it can still predict.

    Examples
    --------
    >>> from skmnist.exceptions import TrainingDivergedError
    >>> issubclass(TrainingDivergedError, RuntimeError)
    True
    """
