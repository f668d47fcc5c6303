"""Each vocabulary is written once: in its registry, from which code, docstrings and docs derive.

A vocabulary is a set of names a parameter takes (the optimizers, the
learning-rate schedules, the augmentation presets and settings, the devices,
LeNet-5's poolings, the activations, skorch's prefixes) or of codes a file
format uses (IDX's type codes). Outside its registry's module, the package may
*use* a name (``optimizer="adam"``, ``{"clf__optimizer": ["adam", "sgd"]}``,
``def f(pooling="avg")``) but not write the vocabulary again: a literal of a
name that is no such use, or a collection of two or more names, fails here.
The documentation lists each vocabulary from its registry, and prose that
names part of one names all of it.
"""

import ast
import functools
import re
from pathlib import Path

import pytest

from skmnist.datasets._idx import _IDX_DTYPES
from skmnist.estimators._augment import PRESETS, SETTINGS
from skmnist.estimators._base import SKORCH_ITERATOR_SETTINGS, SKORCH_PREFIXES
from skmnist.estimators._devices import DEVICE_KINDS
from skmnist.estimators._options import OPTIMIZERS, SCHEDULES, STEP_MODES
from skmnist.nets._layers import ACTIVATIONS, POOLINGS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "skmnist"

#: name -> (its names, the module of its registry, the parameter that takes them,
#: whether a single literal of a name outside the registry is refused, and how many of
#: its names a collection holds to count as a second list of them)
VOCABULARIES = {
    "optimizers": (set(OPTIMIZERS), "estimators/_options.py", "optimizer", True, 2),
    "schedules": (set(SCHEDULES), "estimators/_options.py", "lr_schedule", True, 2),
    "step modes": (set(STEP_MODES), "estimators/_options.py", "step_mode", True, 2),
    "augment presets": (set(PRESETS), "estimators/_augment.py", "augment", True, 2),
    "augment settings": (set(SETTINGS), "estimators/_augment.py", "augment", False, 2),
    # "cpu" and "cuda" are torch's own device types too: only lists of them are refused
    "devices": (set(DEVICE_KINDS), "estimators/_devices.py", "device", False, 2),
    "poolings": (set(POOLINGS), "nets/_layers.py", "pooling", True, 2),
    "activations": (set(ACTIVATIONS), "nets/_layers.py", "activation", False, 2),
    # without "optimizer", "callbacks" and "compile", which are parameters too
    "skorch settings": (
        {*SKORCH_PREFIXES, *SKORCH_ITERATOR_SETTINGS} - {"optimizer", "callbacks", "compile"},
        "estimators/_base.py",
        None,
        False,
        2,
    ),
    # small numbers: a list of three or more of them
    "IDX type codes": (set(_IDX_DTYPES), "datasets/_idx.py", None, False, 3),
}


@functools.cache
def _parsed(path):
    """``path``'s syntax tree as a list of its nodes (each file is read once per session)."""
    return list(ast.walk(ast.parse(path.read_text())))


def _docstring_nodes(nodes):
    docstrings = set()
    for node in nodes:
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            docstrings.add(id(body[0].value))
    return docstrings


def _is_parameter(name, parameter):
    return parameter is not None and (name == parameter or name.endswith(f"__{parameter}"))


def _uses(nodes, parameter):
    """ids of the nodes that are, or are inside, a value given to ``parameter``: a keyword
    argument, a dict entry or a function's default of that name."""
    values = []
    for node in nodes:
        if isinstance(node, ast.keyword) and node.arg and _is_parameter(node.arg, parameter):
            values.append(node.value)
        elif isinstance(node, ast.Dict):
            values += [
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and _is_parameter(key.value, parameter)
            ]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            positional = arguments.posonlyargs + arguments.args
            named = list(
                zip(
                    positional[len(positional) - len(arguments.defaults) :],
                    arguments.defaults,
                    strict=True,
                )
            )
            named += [
                (arg, default)
                for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
                if default is not None
            ]
            values += [default for arg, default in named if _is_parameter(arg.arg, parameter)]
    return {id(inner) for value in values for inner in ast.walk(value)}


def _literal(node):
    return node.value if isinstance(node, ast.Constant) else None


def _restatements(path, names, parameter, single, at_least=2):
    """Where ``path`` writes names of the vocabulary other than as uses."""
    nodes = _parsed(path)
    skipped = _uses(nodes, parameter) | _docstring_nodes(nodes)
    found = []
    for node in nodes:
        if id(node) in skipped or not isinstance(node, (ast.Set, ast.List, ast.Tuple, ast.Dict)):
            continue
        items = node.keys if isinstance(node, ast.Dict) else node.elts
        hit = {_literal(item) for item in items} & names
        if len(hit) >= at_least:
            found.append(f"{path.name}:{node.lineno}: {sorted(hit)}")
            skipped |= {id(item) for item in items}
    if single:
        found += [
            f"{path.name}:{node.lineno}: {node.value!r}"
            for node in nodes
            if id(node) not in skipped and isinstance(node, ast.Constant) and node.value in names
        ]
    return found


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_a_vocabulary_is_written_only_in_its_registry(vocabulary):
    names, home, parameter, single, at_least = VOCABULARIES[vocabulary]
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != PACKAGE / home:
            found += [
                f"{path.parent.relative_to(ROOT)}/{where}"
                for where in _restatements(path, names, parameter, single, at_least)
            ]
    assert not found, f"the {vocabulary} are written outside {home}: " + "; ".join(found)


def test_the_scanner_finds_a_restated_vocabulary(tmp_path):
    # what the test above must catch, and what it must let through
    source = tmp_path / "example.py"
    source.write_text(
        "A = ('sgd', 'adam')\n"  # a second list of the optimizers
        "B = {'plateau': 1}\n"
        "clf = make(optimizer='adam', lr_schedule='onecycle')\n"  # uses
        "grid = {'clf__optimizer': ['adam', 'sgd']}\n"
        "def f(optimizer='sgd'):\n    return optimizer == 'nadam'\n"  # a comparison: refused
    )
    lines = [
        int(found.split(":")[1])
        for found in _restatements(source, set(OPTIMIZERS), "optimizer", True)
    ]
    assert sorted(lines) == [1, 6]
    # a name as a dict key outside a use is a single literal, refused too
    assert len(_restatements(source, set(SCHEDULES), "lr_schedule", True)) == 1


# ----------------------------------------------------------------------
# The documentation


def _documented_vocabularies():
    """The vocabularies docs/api.rst lists with the ``vocabulary`` directive (made from
    the registry when the docs build), by their registry's dotted name."""
    text = (ROOT / "docs" / "api.rst").read_text()
    return set(re.findall(r"^\s*\.\. vocabulary:: (\S+)$", text, flags=re.MULTILINE))


def test_the_api_reference_lists_each_vocabulary_from_its_registry():
    assert _documented_vocabularies() == {
        "skmnist.estimators.OPTIMIZERS",
        "skmnist.estimators.ESTIMATORS",
        "skmnist.estimators._options.SCHEDULES",
        "skmnist.estimators._options.STEP_MODES",
        "skmnist.estimators.AUGMENT_PRESETS",
        "skmnist.estimators._augment.SETTINGS",
        "skmnist.estimators._devices.DEVICE_KINDS",
        "skmnist.nets.ACTIVATIONS",
        "skmnist.nets.POOLINGS",
        "skmnist.benchmarks.suites.SUITES",
    }


def test_the_vocabulary_directive_lists_every_name_of_the_registry():
    import sys

    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        from api_helpers import vocabulary_lines
    finally:
        sys.path.pop(0)
    for dotted in _documented_vocabularies():
        module, _, name = dotted.rpartition(".")
        registry = getattr(__import__(module, fromlist=[name]), name)
        lines = "\n".join(vocabulary_lines(dotted))
        listed = re.findall(r'^- ``"([^"]+)"``', lines, flags=re.MULTILINE)
        assert listed == list(registry), dotted


# Prose of the documentation that names part of a vocabulary names all of it: the README,
# the user guide and the docstrings of the public API are read paragraph by paragraph.
_PROSE_VOCABULARIES = {
    "optimizers": (set(OPTIMIZERS), "optimizer"),
    "schedules": (set(SCHEDULES), "lr_schedule"),
    "step modes": (set(STEP_MODES), "step_mode"),
    "augment presets": (set(PRESETS), "augment"),
}


@functools.cache
def _paragraphs():
    """``(where, paragraph)`` of the README, the user guide and the package's docstrings."""
    found = []
    files = [ROOT / "README.md", *sorted((ROOT / "docs" / "user_guide").glob("*.rst"))]
    for path in files:
        for number, paragraph in enumerate(re.split(r"\n\s*\n", path.read_text())):
            found.append((f"{path.relative_to(ROOT)} paragraph {number}", paragraph))
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in _parsed(path):
            docstring = (
                ast.get_docstring(node, clean=True)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                else None
            )
            for number, paragraph in enumerate(re.split(r"\n\s*\n", docstring or "")):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)} {number}"
                found.append((where, paragraph))
    return tuple(found)


def _listing(paragraph, names, parameter):
    """The names of a vocabulary that ``paragraph`` lists, if it lists some: two or more
    quoted names, in a paragraph about the parameter; examples (>>>) and lists in
    brackets (a grid's values) are uses."""
    if parameter not in paragraph or ">>>" in paragraph:
        return set()
    paragraph = re.sub(r"\[[^\]]*\]", "", paragraph)  # grids: ["adam", "sgd"] is a use
    quoted = set(re.findall(r"""["'`]([a-z]+)["'`]""", paragraph)) & names
    return quoted if len(quoted) >= 2 else set()


@pytest.mark.parametrize("vocabulary", _PROSE_VOCABULARIES)
def test_prose_that_lists_a_vocabulary_lists_all_of_it(vocabulary):
    names, parameter = _PROSE_VOCABULARIES[vocabulary]
    partial = [
        f"{where}: {sorted(listed)}"
        for where, paragraph in _paragraphs()
        if (listed := _listing(paragraph, names, parameter)) and listed != names
    ]
    assert not partial, f"these list part of the {vocabulary} {sorted(names)}: {partial}"
