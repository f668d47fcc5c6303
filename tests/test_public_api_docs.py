"""Every public class and function has a numpydoc docstring with Parameters and Examples.

The public API is the ``__all__`` of ``skmnist`` and of each public module
below it (found by walking the package, so a new subpackage is checked as
soon as it exists). Names re-exported from other libraries (scikit-learn's
``ConfusionMatrixDisplay``) and data (dicts, numbers) are left out. The
checks are numpydoc's own validation codes:

- GL08: the object has a docstring;
- PR01/PR02: every parameter of the signature is documented, and nothing else;
- EX01: there is an Examples section (``tests/test_docstrings.py`` runs it).

Public methods that skmnist defines (not those inherited from skorch or
scikit-learn) need a docstring and their parameters documented too. Each
public name must also appear in the API reference, ``docs/api.rst``.
"""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import numpydoc.validate
import pytest

import skmnist

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.rst"

# numpydoc validation codes checked on classes and functions, and on methods
CHECKS = {"GL08", "PR01", "PR02", "EX01"}
METHOD_CHECKS = {"GL08", "PR01", "PR02"}


def _public_modules():
    """``skmnist`` and every module below it that no part of its name marks private."""
    names = ["skmnist"]
    for info in pkgutil.walk_packages(skmnist.__path__, prefix="skmnist."):
        parts = info.name.split(".")[1:]
        if not any(part.startswith("_") for part in parts):
            names.append(info.name)
    return names


def _public_objects():
    """``(qualified name, object)`` of each public class and function, once each."""
    seen, found = set(), []
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # data: dicts of presets, numbers, the version string
            if not getattr(obj, "__module__", "").startswith("skmnist"):
                continue  # re-exported from another library
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            found.append((f"{module_name}.{name}", obj))
    return found


def _public_methods():
    """``(qualified name, method)`` of public methods defined by skmnist classes."""
    found = []
    for class_name, cls in _public_objects():
        if not inspect.isclass(cls):
            continue
        for klass in cls.__mro__:
            if not klass.__module__.startswith("skmnist"):
                continue
            for name, member in vars(klass).items():
                if name.startswith(("_", "on_")) or not callable(member):
                    continue  # private, or a skorch callback hook (skorch documents those)
                if inspect.isclass(member):
                    continue
                found.append((f"{class_name}.{name}", getattr(cls, name)))
    unique = {}
    for name, method in found:
        unique.setdefault(name, method)
    return sorted(unique.items())


def _errors(name, checks):
    result = numpydoc.validate.validate(name)
    return [f"{code}: {message}" for code, message in result["errors"] if code in checks]


PUBLIC = _public_objects()
METHODS = _public_methods()


def test_public_api_is_found():
    names = {name.rsplit(".", 1)[1] for name, _ in PUBLIC}
    for expected in [
        "LeNet5Classifier",
        "PixelNormalizer",
        "fetch_mnist",
        "TrainingHistoryDisplay",
        "TrainingDivergedError",
        "run_suite",
        "LeNet5",
    ]:
        assert expected in names


@pytest.mark.parametrize("name", [name for name, _ in PUBLIC])
def test_docstring(name):
    assert _errors(name, CHECKS) == []


@pytest.mark.parametrize("name", [name for name, _ in METHODS])
def test_method_docstring(name):
    assert _errors(name, METHOD_CHECKS) == []


@pytest.mark.parametrize("name", [name for name, _ in PUBLIC])
def test_in_api_reference(name):
    """Each public class and function is listed in docs/api.rst (autosummary)."""
    page = API_PAGE.read_text()
    module, _, short = name.rpartition(".")
    # listed under its module's ``.. currentmodule::``, or by its full name
    sections = re.split(r"^\.\. currentmodule:: ", page, flags=re.M)
    listed = any(
        section.startswith(module + "\n") and re.search(rf"^\s+{re.escape(short)}$", section, re.M)
        for section in sections
    )
    assert listed or re.search(rf"\b{re.escape(name)}\b", page), f"{name} not in {API_PAGE}"
