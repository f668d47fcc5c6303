"""docs/architecture.rst, the map of the code, names what the code has."""

import inspect
import re
from pathlib import Path

from skorch import NeuralNetClassifier

from skmnist.estimators import BaseMNISTClassifier

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "architecture.rst").read_text()


def test_the_hooks_listed_are_the_skorch_methods_the_estimator_overrides():
    listed = re.search(r"\(hooks: (.*?)\), then the steps", PAGE, flags=re.DOTALL)
    assert listed, "the _base.py entry lists its hooks as '(hooks: ``a``, ``b``, ...)'"
    hooks = set(re.findall(r"``(\w+)``", listed.group(1)))
    # the contract and the public methods are listed by name before the hooks
    public = {
        "__init__",
        "__repr__",
        "__sklearn_is_fitted__",
        "__sklearn_tags__",
        "get_params",
        "set_params",
        "check_is_fitted",
        "fit",
        "partial_fit",
        "predict_proba",
        "predict",
        "load_params",
    }
    overridden = {
        name
        for name, value in vars(BaseMNISTClassifier).items()
        if (inspect.isfunction(value) or isinstance(value, property))
        and hasattr(NeuralNetClassifier, name)
        and name not in public
    }
    assert hooks == overridden


def test_the_tools_listed_are_the_tools_there_are():
    block = PAGE[PAGE.index("   tools/ ") : PAGE.index("   docs/benchmarks/ ")]
    named = set(re.findall(r"\b[a-z]\w*\b", block))
    modules = {path.stem for path in (ROOT / "tools").glob("*.py") if path.stem != "__init__"}
    assert modules <= named, f"not on the map: {sorted(modules - named)}"
