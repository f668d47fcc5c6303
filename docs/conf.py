"""Sphinx configuration of the skmnist documentation.

Build it with ``make -C docs html`` (warnings are errors). The build needs no
network: intersphinx reads the inventories committed in ``_inventories/`` and
the gallery runs on the MNIST sample shipped with skmnist.
"""

import os
import sys
from pathlib import Path

# The gallery trains small networks in this process, where one thread is fastest; on
# a busy 2-core machine, PyTorch's default of a thread per core made the examples
# several times slower. An OMP_NUM_THREADS set by the caller is kept.
os.environ.setdefault("OMP_NUM_THREADS", "1")

HERE = Path(__file__).resolve().parent
# Document (and run the gallery with) the skmnist of this checkout, whatever is installed.
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE / "_ext"))

import skmnist  # noqa: E402

# -- Project ------------------------------------------------------------------

project = "skmnist"
author = "The skmnist developers"
copyright = "The skmnist developers, BSD-3-Clause"
version = release = skmnist.__version__

# -- General ------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "sphinx.ext.intersphinx",
    "benchmark_tables",
    "myst_parser",
    "api_helpers",
    "draw_page",
    "dependency_table",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "benchmarks", "node_modules"]
root_doc = "index"
# Every reference must resolve: to skmnist's own API, or through intersphinx.
nitpicky = True
default_role = "literal"

# The contributor guide and the changelog are Markdown files at the top of the repository,
# included by contributing.md and changelog.md (MyST); the result tables in benchmarks/ are
# Markdown too, shown by ``.. benchmark-table::``, not pages of their own.
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

# -- API reference: autodoc, autosummary, numpydoc ----------------------------

autosummary_generate = True
autosummary_imported_members = False
# Types are in the numpydoc Parameters sections; signatures stay short.
autodoc_typehints = "none"
autodoc_member_order = "groupwise"
autodoc_inherit_docstrings = True

numpydoc_show_class_members = False  # the templates list members with autodoc
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# Parameter types link to their documentation: only the names listed here,
# and names written as roles, so that plain words ("of", "shape") are left alone.
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
numpydoc_xref_aliases = {
    # skmnist
    "BaseMNISTClassifier": ":class:`~skmnist.estimators.BaseMNISTClassifier`",
    "LeNet5Classifier": ":class:`~skmnist.LeNet5Classifier`",
    "MLPNetClassifier": ":class:`~skmnist.MLPNetClassifier`",
    "CNNClassifier": ":class:`~skmnist.CNNClassifier`",
    "TrainingHistoryDisplay": ":class:`~skmnist.plotting.TrainingHistoryDisplay`",
    "ImageGridDisplay": ":class:`~skmnist.plotting.ImageGridDisplay`",
    "FilterDisplay": ":class:`~skmnist.plotting.FilterDisplay`",
    # scikit-learn, NumPy, pandas
    "array-like": ":term:`array-like <numpy:array_like>`",
    "Bunch": ":class:`~sklearn.utils.Bunch`",
    "Pipeline": ":class:`~sklearn.pipeline.Pipeline`",
    "RandomState": ":class:`~numpy.random.RandomState`",
    "DataFrame": ":class:`~pandas.DataFrame`",
    "pandas.DataFrame": ":class:`pandas.DataFrame`",
    "Series": ":class:`~pandas.Series`",
    # Python
    "pathlib.Path": ":class:`pathlib.Path`",
    "path-like": ":term:`path-like <python:path-like object>`",
    # PyTorch, skorch, matplotlib
    "torch.device": ":class:`torch.device`",
    "torch.nn.Module": ":class:`torch.nn.Module`",
    "torch.Tensor": ":class:`torch.Tensor`",
    "skorch.History": ":class:`skorch.History <skorch.history.History>`",
    "Axes": ":class:`~matplotlib.axes.Axes`",
    "Figure": ":class:`~matplotlib.figure.Figure`",
    "matplotlib.figure.Figure": ":class:`matplotlib.figure.Figure`",
    "Line2D": ":class:`~matplotlib.lines.Line2D`",
    "Colormap": ":class:`~matplotlib.colors.Colormap`",
}
# numpydoc's own checks, on every docstring autodoc renders: a missing
# docstring, and parameters missing from or unknown to the signature.
numpydoc_validation_checks = {"GL08", "PR01", "PR02"}
numpydoc_validation_exclude = {
    r"\.on_\w+$",  # skorch callback hooks, documented by skorch.callbacks.Callback
    r"\.__init__$",
}

# -- Intersphinx: committed inventories, never fetched --------------------------
# Each project's objects.inv, read from _inventories/ (CONTRIBUTING.md says how to refresh
# one from the URL given here).

intersphinx_mapping = {
    name: (url, f"_inventories/{name}.inv")
    for name, url in {
        "python": "https://docs.python.org/3/",
        "numpy": "https://numpy.org/doc/stable/",
        "sklearn": "https://scikit-learn.org/stable/",
        "torch": "https://docs.pytorch.org/docs/stable/",
        "skorch": "https://skorch.readthedocs.io/en/stable/",
        "pandas": "https://pandas.pydata.org/docs/",
        "matplotlib": "https://matplotlib.org/stable/",
        "joblib": "https://joblib.readthedocs.io/en/stable/",
    }.items()
}
intersphinx_timeout = 1  # nothing is fetched; a mistake fails fast
intersphinx_disabled_reftypes = ["std:doc"]

# -- Gallery ------------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # every example is run at build time (on the shipped sample: seconds each)
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "abort_on_example_error": True,
    "within_subsection_order": "gallery_order.ExampleOrder",
    "doc_module": ("skmnist",),
    "backreferences_dir": "generated/backreferences",
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 0,
    # no sg_execution_times page: it loads its table's CSS and JS from a CDN.
    # The build log prints each example's time, and each example's page shows it.
    "write_computation_times": False,
    "plot_gallery": "True",
    "matplotlib_animations": False,
    "capture_repr": ("_repr_html_", "__repr__"),
    # a cell ending in a plotting call shows its figure, not the call's return value
    "ignore_repr_types": r"matplotlib\.|skmnist\.plotting\.|sklearn\.metrics\._plot\.",
}

# -- HTML ---------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skmnist {version}"
html_static_path = ["_static"]
html_favicon = "_static/favicon.png"  # an MNIST "5" from the shipped sample
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
