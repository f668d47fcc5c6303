"""Optuna search spaces for the skmnist estimators."""

from collections.abc import Sequence


def _import_optuna(needed_by):
    """Optuna, or an ImportError that says how to install it."""
    try:
        import optuna
    except ImportError as exc:
        raise ImportError(
            f'{needed_by} needs Optuna, an optional dependency: pip install "skmnist[tune]"'
        ) from exc
    return optuna


def seed_search_space(
    *,
    prefix: str = "",
    dropout: str | Sequence[str] = ("dropout",),
    for_partial_fit: bool = False,
) -> dict:
    """The seed project's search space as Optuna distributions.

    Learning rate from 1e-5 to 1e-2 (log scale), batch size 64, 128 or 256,
    dropout from 0.2 to 0.5, 5 to 20 epochs with early stopping after 3 to 10
    epochs without improvement, and a plateau schedule that multiplies the
    learning rate by 0.1 to 0.5 after 2 to 5 epochs without improvement. Keys
    are the estimators' parameter names, ready for
    ``optuna_integration.OptunaSearchCV``'s ``param_distributions``;
    ``early_stopping=True`` and ``lr_schedule="plateau"`` are included as
    single-choice distributions, so that every trial records them.

    Parameters
    ----------
    prefix : str, default=""
        Put before every name: ``"clf__"`` when the estimator is the step
        ``"clf"`` of a :class:`~sklearn.pipeline.Pipeline`.
    dropout : str or sequence of str, default=("dropout",)
        The dropout parameter(s) to tune, each from 0.2 to 0.5: ``"dropout"``
        of :class:`~skmnist.MLPNetClassifier` and
        :class:`~skmnist.CNNClassifier`; ``("conv_dropout", "fc_dropout")``
        or ``("fc_dropout",)`` for :class:`~skmnist.LeNet5Classifier`; ``()``
        for none.
    for_partial_fit : bool, default=False
        Leave out what training by ``partial_fit`` ignores: the epochs,
        early stopping and the plateau schedule, which act within one call to
        ``fit``, whereas each ``partial_fit`` call trains one epoch. Use it for
        ``OptunaSearchCV(enable_pruning=True)``, whose ``max_iter`` sets the
        epochs and whose pruner stops trials early.

    Returns
    -------
    space : dict of str to optuna.distributions.BaseDistribution
        The distribution of each parameter, by name.

    Raises
    ------
    ImportError
        When Optuna is not installed (``pip install "skmnist[tune]"``).

    Examples
    --------
    >>> from skmnist.model_selection import seed_search_space
    >>> space = seed_search_space(prefix="clf__")
    >>> sorted(space)  # doctest: +NORMALIZE_WHITESPACE
    ['clf__batch_size', 'clf__dropout', 'clf__early_stopping', 'clf__lr',
     'clf__lr_factor', 'clf__lr_patience', 'clf__lr_schedule', 'clf__max_epochs',
     'clf__n_iter_no_change']
    >>> space["clf__lr"]
    FloatDistribution(high=0.01, log=True, low=1e-05, step=None)
    >>> sorted(seed_search_space(dropout="fc_dropout", for_partial_fit=True))
    ['batch_size', 'fc_dropout', 'lr']
    """
    distributions = _import_optuna("seed_search_space").distributions
    if isinstance(dropout, str):
        dropout = (dropout,)
    space = {
        "lr": distributions.FloatDistribution(1e-5, 1e-2, log=True),
        "batch_size": distributions.CategoricalDistribution([64, 128, 256]),
    }
    space.update({name: distributions.FloatDistribution(0.2, 0.5) for name in dropout})
    if not for_partial_fit:
        space.update(
            max_epochs=distributions.IntDistribution(5, 20),
            early_stopping=distributions.CategoricalDistribution([True]),
            n_iter_no_change=distributions.IntDistribution(3, 10),
            lr_schedule=distributions.CategoricalDistribution(["plateau"]),
            lr_patience=distributions.IntDistribution(2, 5),
            lr_factor=distributions.FloatDistribution(0.1, 0.5),
        )
    return {prefix + name: distribution for name, distribution in space.items()}
