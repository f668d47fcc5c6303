"""autodoc hooks for the API reference, and the ``vocabulary`` directive.

- Class pages list the members skmnist itself defines or overrides. The
  skmnist estimators are skorch nets and scikit-learn estimators: the dozens
  of methods they inherit unchanged are documented by skorch, scikit-learn
  and PyTorch (the page says so and links there), not copied here.
- ``.. vocabulary:: DOTTED.NAME`` lists the names of a registry (the
  optimizers, the schedules, the augmentation presets and settings, the
  devices, the activations, the poolings) with what each means, read from
  the registry when the docs build: the reference cannot list other names
  than the code takes.
- Base classes are shown under their public names, private ones left out (``torch.nn.Module``, not
  ``torch.nn.modules.module.Module``; ``skmnist.estimators.BaseMNISTClassifier``,
  not its private module), so that they link and ``nitpicky`` stays quiet.
"""

import importlib
import inspect

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective


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


def _registry(dotted):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _meaning(value):
    """What one entry of a registry means, as reStructuredText."""
    from skmnist.estimators._augment import describe_augment

    if inspect.isclass(value):
        return f":class:`{public_name(value)}`"
    if isinstance(value, dict):  # an augmentation preset
        return describe_augment(value)
    for field in (
        "doc",
        "meaning",
        "name",
        "description",
    ):  # a schedule, a setting, a device, a suite
        if isinstance(getattr(value, field, None), str):
            text = getattr(value, field)
            default = getattr(value, "default", None)
            return f"{text} (no change: ``{default!r}``)" if field == "meaning" else text
    raise TypeError(f"no description for a registry entry {value!r}")


def vocabulary_lines(dotted):
    """The reStructuredText list of the registry at ``dotted``: each name and its meaning."""
    return [f'- ``"{name}"``: {_meaning(value)}' for name, value in _registry(dotted).items()]


class VocabularyDirective(SphinxDirective):
    """``.. vocabulary:: DOTTED.NAME``: the names of a registry and what each means."""

    required_arguments = 1

    def run(self):
        container = nodes.container()
        lines = StringList(vocabulary_lines(self.arguments[0]), source=self.get_source_info()[0])
        self.state.nested_parse(lines, self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive("vocabulary", VocabularyDirective)
    app.connect("autodoc-skip-member", skip_member)
    app.connect("autodoc-process-bases", process_bases)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
