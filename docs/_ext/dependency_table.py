"""``.. dependency-table::``: the supported versions, read from ``pyproject.toml``.

One row for Python and one for each dependency of the package and of its
extras (but the test and documentation tools): the oldest version declared,
which CI's oldest-versions leg installs and tests (``python -m tools.oldest``),
and the upper bound where there is one. The table cannot differ from what pip
is told.
"""

import re
import tomllib
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
EXTRAS = ("tune", "distributed", "onnx")
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$")


def table_lines():
    """The reStructuredText list-table of the supported versions."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    rows = [("Python", project["requires-python"].removeprefix(">="), "", "")]
    groups = [("", project["dependencies"])]
    groups += [(extra, project["optional-dependencies"][extra]) for extra in EXTRAS]
    for extra, requirements in groups:
        for requirement in requirements:
            name, _, specifiers = _REQUIREMENT.match(requirement).groups()
            oldest = upper = ""
            for specifier in (s.strip() for s in specifiers.split(",")):
                if specifier.startswith(">="):
                    oldest = specifier[2:]
                elif specifier.startswith("<"):
                    upper = f"below {specifier[1:]}"
            rows.append((name, oldest, upper, f"``{extra}``" if extra else ""))
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - dependency",
        "     - oldest supported (tested in CI)",
        "     - upper bound",
        "     - extra",
    ]
    for row in rows:
        lines.append(f"   * - {row[0]}")
        lines += [f"     - {cell}" for cell in row[1:]]
    return lines


class DependencyTable(SphinxDirective):
    """``.. dependency-table::``: the supported versions, from pyproject.toml."""

    def run(self):
        self.env.note_dependency(str(PYPROJECT))
        container = nodes.container()
        lines = StringList(table_lines(), source=str(PYPROJECT))
        self.state.nested_parse(lines, self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive("dependency-table", DependencyTable)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
