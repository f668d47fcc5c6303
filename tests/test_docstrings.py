"""The Examples in every skmnist module's docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import matplotlib.pyplot as plt
import pytest

import skmnist


def _modules_with_examples():
    names = ["skmnist"] + [
        info.name
        for info in pkgutil.walk_packages(skmnist.__path__, prefix="skmnist.")
        if info.name not in {"skmnist.__main__"}
    ]
    found = []
    for name in names:
        finder = doctest.DocTestFinder()
        if any(test.examples for test in finder.find(importlib.import_module(name))):
            found.append(name)
    return found


MODULES = _modules_with_examples()


def test_every_public_module_has_examples():
    for package in [
        "datasets",
        "estimators",
        "model_selection",
        "nets",
        "plotting",
        "preprocessing",
    ]:
        assert any(m.startswith(f"skmnist.{package}.") for m in MODULES), package


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples(module, tmp_path, monkeypatch):
    monkeypatch.setenv("SKMNIST_DATA", str(tmp_path))  # no real data home is touched
    monkeypatch.setenv("MPLBACKEND", "Agg")
    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    plt.close("all")  # the examples' figures
    assert result.failed == 0
