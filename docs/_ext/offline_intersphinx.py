"""Intersphinx inventories written at build time from the installed packages.

The documentation is built without a network (on developers' machines and in
CI), so :mod:`sphinx.ext.intersphinx` must not fetch ``objects.inv`` files.
This extension writes one inventory per project, in the documented
"Sphinx inventory version 2" format, from the names the installed packages
define, with each project's own URL scheme, and points
``intersphinx_mapping`` at those local files::

    intersphinx_mapping = {
        "sklearn": ("https://scikit-learn.org/stable/", "_build/inventories/sklearn.inv"),
    }

A project's URLs are only generated where its documentation is regular: one
page per public name (scikit-learn, pandas, and :mod:`torch.nn`,
:mod:`torch.optim`, ...), or one page per module (skorch). The few names
whose pages do not follow a scheme (Python's built-in types, NumPy's scalar
types, :class:`torch.Tensor`, ...) are listed explicitly. A name in no
inventory stays an unresolved reference, which ``nitpicky`` reports and
``-W`` turns into an error.

Each inventory is read back with :class:`sphinx.util.inventory.InventoryFile`
after it is written, so a malformed one fails the build at once.
"""

import importlib
import inspect
import pkgutil
import posixpath
import zlib
from pathlib import Path

from sphinx.util import logging
from sphinx.util.inventory import InventoryFile

logger = logging.getLogger(__name__)

# Where the inventories are written, relative to the documentation's source folder.
INVENTORY_DIR = "_build/inventories"

# name -> (project title, base URL of its documentation)
PROJECTS = {
    "python": ("Python", "https://docs.python.org/3/"),
    "numpy": ("NumPy", "https://numpy.org/doc/stable/"),
    "sklearn": ("scikit-learn", "https://scikit-learn.org/stable/"),
    "torch": ("PyTorch", "https://docs.pytorch.org/docs/stable/"),
    "skorch": ("skorch", "https://skorch.readthedocs.io/en/stable/"),
    "pandas": ("pandas", "https://pandas.pydata.org/docs/"),
    "matplotlib": ("Matplotlib", "https://matplotlib.org/stable/"),
    "joblib": ("joblib", "https://joblib.readthedocs.io/en/stable/"),
}


def _public_names(module):
    """The public names of ``module``: its ``__all__``, else those it defines itself."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            name
            for name, obj in vars(module).items()
            if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__
        ]
    return sorted(name for name in names if not name.startswith("_") and _has(module, name))


def _has(module, name):
    """Whether ``module.name`` can be read (experimental names raise ImportError)."""
    try:
        getattr(module, name)
    except (AttributeError, ImportError):
        return False
    return True


def _role(obj):
    """The Python domain role of a documented object, or None to leave it out."""
    if inspect.isclass(obj):
        return "py:exception" if issubclass(obj, BaseException) else "py:class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj) or callable(obj):
        return "py:function"
    return None


def _members(cls):
    """Public methods and properties a class defines or inherits, with their roles."""
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        if isinstance(inspect.getattr_static(cls, name, None), property):
            yield name, "py:property"
        elif (
            inspect.isfunction(member)
            or inspect.ismethod(member)  # classmethods too
            or inspect.ismethoddescriptor(member)
        ):
            yield name, "py:method"


# --------------------------------------------------------------------------
# One function per project: each yields (name, role, uri, display name), the
# uri relative to the project's base URL.


def _python():
    """Python: the built-ins and standard-library names the docs use (docs.python.org/3)."""
    builtins = {
        "library/functions.html": ["int", "float", "bool", "object", "slice", "type"],
        "library/stdtypes.html": ["str", "dict", "list", "tuple", "range", "bytes"],
    }
    for page, names in builtins.items():
        for name in names:
            yield name, "py:class", f"{page}#{name}", "-"
    for name in ["callable", "isinstance"]:
        yield name, "py:function", f"library/functions.html#{name}", "-"
    for name in ["None", "True", "False", "NotImplemented", "Ellipsis"]:
        yield name, "py:data", f"library/constants.html#{name}", "-"
    for name in [
        "Exception",
        "ValueError",
        "TypeError",
        "RuntimeError",
        "OSError",
        "FileNotFoundError",
        "KeyboardInterrupt",
        "UserWarning",
    ]:
        yield name, "py:exception", f"library/exceptions.html#{name}", "-"
    # standard-library modules: one page each, named after the module
    stdlib = {
        "pathlib": [("Path", "py:class")],
        "os": [("PathLike", "py:class")],
        "tempfile": [("TemporaryDirectory", "py:class"), ("mkdtemp", "py:function")],
        "pickle": [("load", "py:function"), ("dump", "py:function")],
        "numbers": [("Integral", "py:class"), ("Real", "py:class")],
        "collections.abc": [("Callable", "py:class"), ("Sequence", "py:class")],
        "contextlib": [("contextmanager", "py:function")],
        "collections": [("namedtuple", "py:function")],
        "doctest": [("testmod", "py:function")],
        "gzip": [],
        "zlib": [],
        "http.server": [],
    }
    for module, names in stdlib.items():
        page = f"library/{module}.html"
        yield module, "py:module", f"{page}#module-{module}", "-"
        for name, role in names:
            yield f"{module}.{name}", role, f"{page}#{module}.{name}", "-"
    for term in [
        "iterable",
        "sequence",
        "generator",
        "mapping",
        "path-like object",
        "file-like object",
    ]:
        yield term, "std:term", f"glossary.html#term-{term.replace(' ', '-')}", "-"
    yield (
        "bltin-boolean-values",
        "std:label",
        "library/stdtypes.html#bltin-boolean-values",
        "Boolean Values",
    )


def _numpy():
    """NumPy: one page per function and class of the main namespace (numpy.org/doc/stable)."""
    import numpy

    for name in _public_names(numpy):
        obj = getattr(numpy, name)
        if inspect.ismodule(obj) or isinstance(obj, (int, float, str)):
            continue
        if inspect.isclass(obj) and issubclass(obj, numpy.generic):
            continue  # scalar types share one page, below
        role = _role(obj)
        if role is None or getattr(obj, "__name__", name) != name:
            continue  # aliases are documented under their own name
        yield f"numpy.{name}", role, f"reference/generated/numpy.{name}.html#numpy.{name}", "-"
    # irregular pages: the scalar types, the random generators, constants
    for name in [
        "generic",
        "number",
        "integer",
        "floating",
        "bool",
        "uint8",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
    ]:
        yield f"numpy.{name}", "py:class", f"reference/arrays.scalars.html#numpy.{name}", "-"
    for name, page in [
        ("Generator", "generator"),
        ("default_rng", "generator"),
        ("RandomState", "legacy"),
    ]:
        role = "py:function" if name == "default_rng" else "py:class"
        yield f"numpy.random.{name}", role, f"reference/random/{page}.html#numpy.random.{name}", "-"
    for name in ["nan", "inf"]:
        yield f"numpy.{name}", "py:data", f"reference/constants.html#numpy.{name}", "-"
    yield "numpy", "py:module", "reference/index.html#module-numpy", "-"
    yield "array_like", "std:term", "glossary.html#term-array_like", "-"
    yield "arrays.scalars", "std:label", "reference/arrays.scalars.html", "Scalars"


# scikit-learn's autosummary_filename_map: functions whose page name would clash
# with a class's on a case-insensitive file system
_SKLEARN_FILENAME_MAP = {
    "sklearn.cluster.dbscan": "dbscan-function",
    "sklearn.covariance.oas": "oas-function",
    "sklearn.decomposition.fastica": "fastica-function",
}


def _sklearn():
    """scikit-learn: one page per public name of each public module (its API reference).

    A module's names are its ``__all__``, or without one the classes and
    functions it defines itself (``sklearn.base``, ``sklearn.calibration``,
    ``sklearn.metrics.pairwise``, ...).
    """
    import sklearn

    modules = ["sklearn"] + [
        info.name
        for info in pkgutil.walk_packages(sklearn.__path__, prefix="sklearn.")
        if not any(
            part.startswith("_") or part in ("tests", "experimental") or part == "conftest"
            for part in info.name.split(".")
        )
        and info.name.count(".") <= 2
    ]
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except Exception:  # optional dependencies, experimental modules
            continue
        if module_name != "sklearn":
            yield module_name, "py:module", f"api/{module_name}.html#module-{module_name}", "-"
        for name in _public_names(module):
            obj = getattr(module, name)
            role = _role(obj)
            if role is None or inspect.ismodule(obj):
                continue
            full = f"{module_name}.{name}"
            page = f"modules/generated/{_SKLEARN_FILENAME_MAP.get(full, full)}.html"
            yield full, role, f"{page}#{full}", "-"
            if inspect.isclass(obj):
                for member, member_role in _members(obj):
                    yield f"{full}.{member}", member_role, f"{page}#{full}.{member}", "-"


def _torch():
    """PyTorch: one generated page per name of its main modules (docs.pytorch.org/docs/stable)."""
    import torch
    import torch.nn.functional
    import torch.optim.lr_scheduler

    regular = {
        "torch.nn": lambda obj: inspect.isclass(obj) and issubclass(obj, torch.nn.Module),
        "torch.nn.functional": inspect.isfunction,
        "torch.optim": lambda obj: inspect.isclass(obj) and issubclass(obj, torch.optim.Optimizer),
        "torch.optim.lr_scheduler": lambda obj: (
            inspect.isclass(obj) and issubclass(obj, torch.optim.lr_scheduler.LRScheduler)
        ),
    }
    for module_name, wanted in regular.items():
        module = importlib.import_module(module_name)
        for name in _public_names(module) if hasattr(module, "__all__") else dir(module):
            obj = getattr(module, name, None)
            if name.startswith("_") or obj is None or not wanted(obj):
                continue
            full = f"{module_name}.{name}"
            yield full, _role(obj), f"generated/{full}.html#{full}", "-"
    for name in [
        "compile",
        "manual_seed",
        "softmax",
        "no_grad",
        "inference_mode",
        "save",
        "load",
        "from_numpy",
        "as_tensor",
        "zeros",
        "randperm",
        "Generator",
    ]:
        full = f"torch.{name}"
        role = "py:class" if inspect.isclass(getattr(torch, name)) else "py:function"
        yield full, role, f"generated/{full}.html#{full}", "-"
    # pages that hold several names
    yield "torch.Tensor", "py:class", "tensors.html#torch.Tensor", "-"
    yield "torch.device", "py:class", "tensor_attributes.html#torch.device", "-"
    yield "torch.dtype", "py:class", "tensor_attributes.html#torch.dtype", "-"
    yield "torch.autocast", "py:class", "amp.html#torch.autocast", "-"
    yield "torch.utils.data.Dataset", "py:class", "data.html#torch.utils.data.Dataset", "-"
    yield "torch.utils.data.DataLoader", "py:class", "data.html#torch.utils.data.DataLoader", "-"
    for module_name, page in [
        ("torch", "torch.html"),
        ("torch.nn", "nn.html"),
        ("torch.optim", "optim.html"),
        ("torch.nn.functional", "nn.functional.html"),
        ("torch.utils.data", "data.html"),
    ]:
        yield module_name, "py:module", f"{page}#module-{module_name}", "-"


def _skorch():
    """skorch: one page per module, ``<module>.html`` (skorch.readthedocs.io/en/stable)."""
    pages = [
        "callbacks",
        "classifier",
        "net",
        "history",
        "dataset",
        "helper",
        "exceptions",
        "regressor",
        "scoring",
        "utils",
    ]
    aliases = {  # names skorch's top-level package re-exports
        "skorch.classifier.NeuralNetClassifier": "skorch.NeuralNetClassifier",
        "skorch.net.NeuralNet": "skorch.NeuralNet",
        "skorch.regressor.NeuralNetRegressor": "skorch.NeuralNetRegressor",
        "skorch.history.History": "skorch.History",
    }
    for page in pages:
        module_name = f"skorch.{page}"
        module = importlib.import_module(module_name)
        yield module_name, "py:module", f"{page}.html#module-{module_name}", "-"
        for name in _public_names(module):
            obj = getattr(module, name)
            if not inspect.isclass(obj) and not (inspect.isfunction(obj) and obj.__doc__):
                continue  # autodoc's :members: leaves out undocumented functions
            full = f"{module_name}.{name}"
            uri = f"{page}.html#{full}"
            names = [full] + ([aliases[full]] if full in aliases else [])
            for shown in names:
                yield shown, _role(obj), uri, "-"
            if inspect.isclass(obj):  # the members it defines (no :inherited-members:)
                for member, role in _members(obj):
                    if member in vars(obj) and getattr(vars(obj)[member], "__doc__", None):
                        yield f"{full}.{member}", role, f"{uri}.{member}", "-"
    yield "skorch", "py:module", "skorch.html#module-skorch", "-"


def _pandas():
    """pandas: one page per name, methods included (pandas.pydata.org/docs)."""
    import pandas

    yield "pandas", "py:module", "index.html#module-pandas", "-"
    for name in ["DataFrame", "Series", "Index", "read_csv", "concat"]:
        obj = getattr(pandas, name)
        full = f"pandas.{name}"
        yield full, _role(obj), f"reference/api/{full}.html#{full}", "-"
        if inspect.isclass(obj):
            for member, role in _members(obj):
                page = f"reference/api/{full}.{member}.html#{full}.{member}"
                yield f"{full}.{member}", role, page, "-"


def _matplotlib():
    """Matplotlib: the few names the docs use, each with its page (matplotlib.org/stable)."""
    pages = {
        "matplotlib.figure.Figure": ("py:class", "api/_as_gen/matplotlib.figure.Figure.html"),
        "matplotlib.axes.Axes": ("py:class", "api/_as_gen/matplotlib.axes.Axes.html"),
        "matplotlib.axes.Axes.imshow": (
            "py:method",
            "api/_as_gen/matplotlib.axes.Axes.imshow.html",
        ),
        "matplotlib.axes.Axes.plot": ("py:method", "api/_as_gen/matplotlib.axes.Axes.plot.html"),
        "matplotlib.lines.Line2D": ("py:class", "api/_as_gen/matplotlib.lines.Line2D.html"),
        "matplotlib.colors.Colormap": ("py:class", "api/_as_gen/matplotlib.colors.Colormap.html"),
        "matplotlib.pyplot.subplots": (
            "py:function",
            "api/_as_gen/matplotlib.pyplot.subplots.html",
        ),
    }
    for name, (role, page) in pages.items():
        yield name, role, f"{page}#{name}", "-"


def _joblib():
    """joblib: one generated page per function (joblib.readthedocs.io/en/stable)."""
    for name in ["dump", "load", "parallel_backend", "Parallel", "delayed", "Memory"]:
        full = f"joblib.{name}"
        role = "py:class" if name[0].isupper() else "py:function"
        yield full, role, f"generated/{full}.html#{full}", "-"


GENERATORS = {
    "python": _python,
    "numpy": _numpy,
    "sklearn": _sklearn,
    "torch": _torch,
    "skorch": _skorch,
    "pandas": _pandas,
    "matplotlib": _matplotlib,
    "joblib": _joblib,
}


def _version(project):
    if project == "python":
        import platform

        return ".".join(platform.python_version_tuple()[:2])
    module = {"sklearn": "sklearn"}.get(project, project)
    return str(getattr(importlib.import_module(module), "__version__", ""))


def write_inventory(path, project, version, entries):
    """Write ``entries`` ((name, role, uri, display name), ...) as a version 2 inventory."""
    lines = []
    seen = set()
    for name, role, uri, dispname in entries:
        if (name, role) in seen:
            continue
        seen.add((name, role))
        if uri.endswith("#" + name):
            uri = uri[: -len(name)] + "$"  # the format's shorthand for "the name itself"
        # labels and terms have a priority of -1 (shown in searches), objects 1
        priority = -1 if role.startswith("std:") else 1
        lines.append(f"{name} {role} {priority} {uri} {dispname}\n")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = zlib.compress("".join(sorted(lines)).encode(), 9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + body)
    return len(lines)


def write_inventories(srcdir):
    """Write every project's inventory under ``srcdir/INVENTORY_DIR``; returns the mapping."""
    mapping = {}
    for name, (title, base) in PROJECTS.items():
        path = Path(srcdir) / INVENTORY_DIR / f"{name}.inv"
        count = write_inventory(path, title, _version(name), GENERATORS[name]())
        with open(path, "rb") as stream:  # read back: a malformed file fails here
            InventoryFile.load(stream, base, posixpath.join)
        logger.info("offline intersphinx: %s, %d names -> %s", name, count, path)
        mapping[name] = (base, f"{INVENTORY_DIR}/{name}.inv")
    return mapping


def _on_config_inited(app, config):
    mapping = write_inventories(app.srcdir)
    for name, value in config.intersphinx_mapping.items():
        if tuple(value) != mapping.get(name):
            raise ValueError(
                f"intersphinx_mapping[{name!r}] must be {mapping.get(name)} (the offline "
                f"inventory this extension writes), not {value}"
            )


def mapping():
    """The ``intersphinx_mapping`` for conf.py: each project read from its local file."""
    return {name: (base, f"{INVENTORY_DIR}/{name}.inv") for name, (_, base) in PROJECTS.items()}


def setup(app):
    app.setup_extension("sphinx.ext.intersphinx")
    # before intersphinx checks the mapping (priority 800) and loads it (builder-inited)
    app.connect("config-inited", _on_config_inited, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
