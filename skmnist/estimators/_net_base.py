"""What the estimators' mixins are mixed into, as the type checker should see it."""

# Authors: The skmnist developers
# SPDX-License-Identifier: BSD-3-Clause

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # each mixin of BaseMNISTClassifier uses the attributes of skorch's net it is mixed
    # into; skorch carries no type information, so this makes them Any for mypy
    from skorch import NeuralNetClassifier as _NetBase
else:
    _NetBase = object
