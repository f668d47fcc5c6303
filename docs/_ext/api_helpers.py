"""autodoc hooks for the API reference.

- Class pages list the members skmnist itself defines or overrides. The
  skmnist estimators are skorch nets and scikit-learn estimators: the dozens
  of methods they inherit unchanged are documented by skorch, scikit-learn
  and PyTorch (the page says so and links there), not copied here.
- Base classes are shown under their public names, private ones left out (``torch.nn.Module``, not
  ``torch.nn.modules.module.Module``; ``skmnist.estimators.BaseMNISTClassifier``,
  not its private module), so that they link and ``nitpicky`` stays quiet.
"""

import importlib
import inspect


def _defined_in_skmnist(obj):
    target = obj.fget if isinstance(obj, property) else obj
    target = getattr(target, "__func__", target)
    return (getattr(target, "__module__", None) or "").startswith("skmnist")


def skip_member(app, what, name, obj, skip, options):
    """Skip class members that skmnist does not define (inherited unchanged)."""
    if what == "class" and not _defined_in_skmnist(obj):
        return True
    return None


def public_name(cls):
    """The shortest public dotted path under which ``cls`` can be imported."""
    module = getattr(cls, "__module__", "")
    if module == "builtins":
        return cls.__qualname__
    parts = module.split(".")
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if any(part.startswith("_") for part in parts[:i]):
            break
        try:
            if getattr(importlib.import_module(prefix), cls.__name__, None) is cls:
                return f"{prefix}.{cls.__name__}"
        except ImportError:
            break
    return f"{module}.{cls.__qualname__}"


def process_bases(app, name, obj, options, bases):
    """Show each public base class by its public name, as a cross-reference.

    Private bases (the mixins ``BaseMNISTClassifier`` is assembled from, one
    per concern) are left out: their members are listed on the class itself.
    """
    bases[:] = [
        f":py:class:`{public_name(base)}`"
        if inspect.isclass(base) and base.__module__ != "builtins"
        else base
        for base in bases
        if not (inspect.isclass(base) and base.__name__.startswith("_"))
    ]


def setup(app):
    app.connect("autodoc-skip-member", skip_member)
    app.connect("autodoc-process-bases", process_bases)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
