"""The mean cross-validated score of a search against each parameter."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.base import BaseEstimator

from ..model_selection import cv_results_frame


def _is_missing(value):
    """NaN marks a parameter that a candidate's grid lacks; None is a value."""
    return isinstance(value, float) and math.isnan(value)


class SearchResultsDisplay:
    """Search results visualization: the mean score against each parameter.

    One Axes per parameter, sharing the score axis; each candidate is a
    point at its value of the parameter, with its mean test score and an
    error bar of one standard deviation over the folds. Numeric parameters
    are drawn on a numeric axis (logarithmic when their values span two
    decades or more), others (strings, booleans, None, tuples, classes) as
    categories. Successive halving's iterations are drawn as separate series.

    Use :meth:`from_search` to create one from a fitted search.

    Parameters
    ----------
    results : pandas.DataFrame
        One row per candidate, as :func:`skmnist.model_selection.cv_results_frame`
        gives it: a column per parameter, ``mean_test_{score_name}``,
        ``std_test_{score_name}`` and, optionally, successive halving's
        ``iter``.
    params : list of str
        The parameter columns to plot, one Axes each.
    score_name : str, default="score"
        The score plotted: ``"score"`` for a search with one metric, else the
        name of one of its ``scoring`` metrics.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
        One Axes per parameter, in the order of ``params``.
    errorbars_ : dict of str to list of matplotlib ErrorbarContainer
        The points of each parameter: one series, or one per halving iteration.
    figure_ : matplotlib Figure
        The figure holding the Axes.

    See Also
    --------
    skmnist.model_selection.cv_results_frame : The results as a DataFrame.
    sklearn.model_selection.ValidationCurveDisplay : The score against one
        parameter's values, all else fixed.

    Examples
    --------
    >>> import pandas as pd
    >>> from skmnist.plotting import SearchResultsDisplay
    >>> results = pd.DataFrame({
    ...     "lr": [1e-4, 1e-2, 1e-4, 1e-2],
    ...     "optimizer": ["adam", "adam", "sgd", "sgd"],
    ...     "mean_test_score": [0.91, 0.95, 0.42, 0.88],
    ...     "std_test_score": [0.01, 0.02, 0.05, 0.01],
    ... })
    >>> disp = SearchResultsDisplay(results, ["lr", "optimizer"]).plot()
    >>> [ax.get_xlabel() for ax in disp.axes_]
    ['lr', 'optimizer']
    >>> disp.axes_[0].get_xscale()
    'log'
    >>> [t.get_text() for t in disp.axes_[1].get_xticklabels()]
    ['adam', 'sgd']
    """

    def __init__(self, results, params, *, score_name="score"):
        self.results = results
        self.params = params
        self.score_name = score_name

    def plot(self, *, ax: Axes | Sequence[Axes] | None = None) -> SearchResultsDisplay:
        """Plot the results.

        Parameters
        ----------
        ax : array-like of matplotlib Axes, default=None
            One Axes per parameter. If None, a new figure with the Axes side
            by side is created.

        Returns
        -------
        display : SearchResultsDisplay
            The display, with ``axes_``, ``errorbars_`` and ``figure_`` set.

        Examples
        --------
        >>> import pandas as pd
        >>> from skmnist.plotting import SearchResultsDisplay
        >>> results = pd.DataFrame({"dropout": [0.0, 0.5], "mean_test_score": [0.9, 0.8],
        ...                         "std_test_score": [0.01, 0.03]})
        >>> disp = SearchResultsDisplay(results, ["dropout"]).plot()
        >>> disp.errorbars_["dropout"][0].lines[0].get_xydata().tolist()
        [[0.0, 0.9], [0.5, 0.8]]
        """
        mean, std = f"mean_test_{self.score_name}", f"std_test_{self.score_name}"
        if mean not in self.results:
            raise ValueError(
                f"The results have no {mean!r} column; score_name must name one of the "
                "search's metrics."
            )
        if ax is None:
            _, grid = plt.subplots(
                1,
                len(self.params),
                figsize=(4 * len(self.params), 3.5),
                sharey=True,
                squeeze=False,
                layout="constrained",
            )
            axes = np.asarray(grid, dtype=object).ravel()
        else:
            axes = np.asarray(ax, dtype=object).ravel()
        if len(axes) != len(self.params):
            raise ValueError(
                f"ax must hold {len(self.params)} Axes, one per parameter; got {len(axes)}."
            )
        halving = "iter" in self.results
        rounds = list(self.results.groupby("iter")) if halving else [(None, self.results)]
        self.errorbars_: dict = {}
        for axis, param in zip(axes, self.params, strict=False):
            values = self.results[param]
            numeric = is_numeric_dtype(values) and not is_bool_dtype(values)
            values = values[~values.map(_is_missing)]
            if numeric:
                positive = values[values > 0]
                if len(positive) == len(values) and positive.max() >= 100 * positive.min():
                    axis.set_xscale("log")
            else:
                # by repr: values such as lists are no dict keys, and 1 == True
                categories = {repr(value): value for value in values}
                position = {key: i for i, key in enumerate(categories)}
                axis.set_xticks(
                    range(len(categories)),
                    [getattr(value, "__name__", str(value)) for value in categories.values()],
                )
                axis.set_xlim(-0.5, len(categories) - 0.5)
            self.errorbars_[param] = []
            for iteration, rows in rounds:
                rows = rows.loc[rows.index.intersection(values.index)]
                x = (
                    rows[param]
                    if numeric
                    else rows[param].map(lambda v, position=position: position[repr(v)])
                )
                yerr = rows[std].to_numpy(float) if std in rows else None
                self.errorbars_[param].append(
                    axis.errorbar(
                        x.to_numpy(float),
                        rows[mean].to_numpy(float),
                        yerr=yerr,
                        fmt="o",
                        capsize=3,
                        label=f"iter {iteration}" if halving else None,
                    )
                )
            axis.set(xlabel=param)
            if halving:
                axis.legend()
        axes[0].set_ylabel(f"mean test {self.score_name}")
        self.axes_ = axes
        self.figure_ = axes[0].figure
        return self

    @classmethod
    def from_search(
        cls,
        search: BaseEstimator,
        *,
        score_name: str | None = None,
        ax: Axes | Sequence[Axes] | None = None,
    ) -> SearchResultsDisplay:
        """Plot the mean score of a fitted search against each parameter.

        Parameters that take a single value in the search are left out.

        Parameters
        ----------
        search : fitted GridSearchCV, RandomizedSearchCV, HalvingGridSearchCV \
                or HalvingRandomSearchCV
            Any fitted scikit-learn search with ``cv_results_``.
        score_name : str, default=None
            The metric plotted; None means the search's ``refit`` metric when
            it names one, else ``"score"``.
        ax : array-like of matplotlib Axes, default=None
            One Axes per parameter plotted. If None, a new figure is created.

        Returns
        -------
        display : SearchResultsDisplay
            The display, plotted.

        Examples
        --------
        >>> from sklearn.model_selection import GridSearchCV
        >>> from skmnist import MLPNetClassifier, load_mnist_sample
        >>> from skmnist.plotting import SearchResultsDisplay
        >>> X, y = load_mnist_sample(return_X_y=True)
        >>> clf = MLPNetClassifier(max_epochs=1, batch_size=32, random_state=0)
        >>> grid = {"lr": [1e-4, 1e-2], "activation": ["relu", "tanh"], "dropout": [0.0]}
        >>> search = GridSearchCV(clf, grid, cv=2).fit(X[:300], y[:300])
        >>> disp = SearchResultsDisplay.from_search(search)
        >>> [ax.get_xlabel() for ax in disp.axes_]
        ['activation', 'lr']
        """
        results = cv_results_frame(search)
        params = [
            name.removeprefix("param_") for name in search.cv_results_ if name.startswith("param_")
        ]
        params = [p for p in params if results[p].map(repr).nunique() > 1]  # noqa: PD101 (values are reprs of any objects)
        if not params:
            raise ValueError("No parameter takes more than one value in this search.")
        if score_name is None:
            score_name = search.refit if isinstance(search.refit, str) else "score"
        return cls(results, params, score_name=score_name).plot(ax=ax)
