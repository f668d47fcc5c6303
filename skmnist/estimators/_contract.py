"""scikit-learn's contract on a skorch net: parameter names, tags, fitted state, set_params.

skorch's :class:`~skorch.NeuralNet` is close to a scikit-learn estimator; these
methods close the gap: ``get_params`` lists the parameters and not the settings
each estimator fixes, the tags describe image classifiers, an estimator is
fitted once ``fit`` or ``partial_fit`` ran, ``set_params`` stores every value
as given (used when training starts), and the repr shows the parameters that
differ from their defaults.
"""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from ._net_base import _NetBase

# skorch settings that each skmnist estimator fixes: they are not parameters.
_FIXED_SKORCH_SETTINGS = (
    "module",
    "criterion",
    "train_split",
    "iterator_train",
    "iterator_valid",
    "dataset",
    "predict_nonlinearity",
    "use_caching",
    "torch_load_kwargs",
    "classes",
)


class _ContractMixin(_NetBase):
    """scikit-learn's contract for :class:`~skmnist.estimators.BaseMNISTClassifier`."""

    initialized_: bool  # set by the estimator class and by skorch's initialize

    def _get_param_names(self):
        return [
            name
            for name in super()._get_param_names()
            if name not in _FIXED_SKORCH_SETTINGS and not name.startswith("_")
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        tags.input_tags.three_d_array = True
        # scikit-learn's toy problems (a few features in blobs) are no images: framed
        # in a 28x28 field, conv nets do not learn them well in a few epochs
        tags.classifier_tags.poor_score = self._native_image_shape is not None
        return tags

    def __sklearn_is_fitted__(self):
        return bool(self.initialized_) and hasattr(self, "classes_inferred_")

    def set_params(self, **params):
        """Set parameters, as for any scikit-learn estimator.

        Unlike skorch, every value is stored as it is and used when training
        starts: a new ``fit`` builds the network, optimizer and callbacks from
        them; with ``warm_start`` (and in ``partial_fit``) changed training
        settings are applied to the trained network, and a changed
        architecture is refused. An initialized estimator takes a new list of
        ``callbacks`` at once.

        Parameters
        ----------
        **params : dict
            Parameter names and their new values, skorch's prefixed settings
            (``optimizer__betas``) included.

        Returns
        -------
        self : object
            The estimator.
        """
        if "callbacks" in params:
            self.callbacks = params.pop("callbacks")
            if self.initialized_ and isinstance(self.callbacks, (list, type(None))):
                self.initialize_callbacks()
        if not (params and self.initialized_):
            return super().set_params(**params) if params else self
        # skorch rebuilds parts of an initialized net here (and fails for some
        # settings); skmnist stores the values and applies them when training
        # continues (_apply_changed_settings) or a new fit builds everything
        self.initialized_ = False
        try:
            return super().set_params(**params)
        finally:
            self.initialized_ = True

    def check_is_fitted(self, attributes=None, *args, **kwargs):
        """Raise :class:`~sklearn.exceptions.NotFittedError` unless ``fit`` was called.

        Parameters
        ----------
        attributes : list of str, default=None
            Ignored: an estimator is fitted once ``fit`` or ``partial_fit``
            has run, whatever attributes it has.
        *args, **kwargs
            Ignored; accepted as skorch's ``check_is_fitted`` accepts them.
        """
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    # scikit-learn's repr: the parameters that differ from their defaults
    __repr__ = BaseEstimator.__repr__
