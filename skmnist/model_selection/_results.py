"""The ``cv_results_`` of a search as a tidy DataFrame."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

_SCORE_PREFIXES = ("mean_test_", "std_test_", "rank_test_", "mean_train_", "std_train_")
# successive halving's columns: the round of each row and the resources it had
_ROUND_COLUMNS = ("iter", "n_resources")


def _param_values(values):
    """A ``param_`` array of ``cv_results_``: NaN where masked, None kept as a value.

    pandas would read a None among strings as missing too, losing the
    difference between ``lr_schedule=None`` and a grid without ``lr_schedule``.
    """
    if values.dtype != object:
        return values
    return pd.Series(np.ma.filled(values, np.nan), dtype=object)


def cv_results_frame(search: BaseEstimator) -> pd.DataFrame:
    """The candidates of a fitted search: parameters, scores, rank and fit time.

    One row per candidate (per candidate and round for successive halving),
    best first, indexed by its position in ``cv_results_``. Each searched
    parameter is a column named as in the grid, without ``cv_results_``'s
    ``param_`` prefix; a parameter that a candidate's grid lacks is NaN (and
    a None in the grid stays None).

    Parameters
    ----------
    search : fitted GridSearchCV, RandomizedSearchCV, HalvingGridSearchCV or \
            HalvingRandomSearchCV
        Any fitted scikit-learn search with ``cv_results_``.

    Returns
    -------
    frame : pandas.DataFrame
        The parameter columns, ``iter`` and ``n_resources`` for successive
        halving, ``mean_test_score``, ``std_test_score``, ``rank_test_score``
        (one set per metric: ``mean_test_accuracy``, ... with several
        ``scoring`` metrics; ``mean_train_*`` too with
        ``return_train_score=True``) and ``mean_fit_time`` in seconds. Sorted
        by the rank of the ``refit`` metric, where there is one.

    See Also
    --------
    skmnist.plotting.SearchResultsDisplay : The mean score against each
        parameter.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skmnist import MLPNetClassifier, load_mnist_sample
    >>> from skmnist.model_selection import cv_results_frame
    >>> X, y = load_mnist_sample(return_X_y=True)
    >>> clf = MLPNetClassifier(max_epochs=1, batch_size=32, random_state=0)
    >>> search = GridSearchCV(clf, {"lr": [1e-6, 1e-2]}, cv=2).fit(X[:300], y[:300])
    >>> frame = cv_results_frame(search)
    >>> list(frame.columns)
    ['lr', 'mean_test_score', 'std_test_score', 'rank_test_score', 'mean_fit_time']
    >>> frame["lr"].tolist()
    [0.01, 1e-06]
    """
    check_is_fitted(search, "cv_results_")
    results = search.cv_results_
    frame = pd.DataFrame(
        {
            **{
                name.removeprefix("param_"): _param_values(values)
                for name, values in results.items()
                if name.startswith("param_")
            },
            **{name: results[name] for name in _ROUND_COLUMNS if name in results},
            **{
                name: values for name, values in results.items() if name.startswith(_SCORE_PREFIXES)
            },
            "mean_fit_time": results["mean_fit_time"],
        }
    )
    frame.index.name = "candidate"
    refit = search.refit if isinstance(search.refit, str) else "score"
    if f"rank_test_{refit}" in frame:
        frame = frame.sort_values(f"rank_test_{refit}", kind="stable")
    return frame
