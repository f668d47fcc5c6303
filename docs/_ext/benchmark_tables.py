"""``.. benchmark-table:: path/to/results.md``: a committed Markdown result file, as reST.

The benchmark commands write their tables as Markdown (``results.md``,
``speed-cpu.md``): a sentence naming the data, machine and versions, the
command that made it, and pipe tables. This directive shows such a file in
the documentation as it is committed, so the numbers have one source: its
paragraphs become paragraphs (```code``` stays code) and its tables become
tables. The file is a dependency of the page: editing it rebuilds the page.
"""

import re

from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList

_CODE = re.compile(r"`([^`]+)`")


def _inline(text):
    """Markdown inline code to reST literals; everything else is plain text."""
    text = text.replace("*", r"\*")
    return _CODE.sub(lambda m: f"``{m.group(1)}``", text)


def _cells(line):
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [cell.strip().replace(r"\|", "|") for cell in cells]


def markdown_to_rst(text):
    """Convert the paragraphs and pipe tables of a result file to reST lines."""
    out = []
    blocks = re.split(r"\n\s*\n", text.strip())
    for block in blocks:
        lines = block.splitlines()
        if all(line.lstrip().startswith("|") for line in lines):
            header, rows = _cells(lines[0]), [_cells(line) for line in lines[2:]]
            out += [".. list-table::", "   :header-rows: 1", "   :class: benchmark-table", ""]
            for row in [header, *rows]:
                for i, cell in enumerate(row):
                    out.append(f"   {'* -' if i == 0 else '  -'} {_inline(cell) or '..'}")
            out.append("")
        else:
            out += [_inline(" ".join(line.strip() for line in lines)), ""]
    return out


class BenchmarkTable(Directive):
    """Show a committed Markdown result file (paragraphs and pipe tables)."""

    required_arguments = 1
    has_content = False
    option_spec = {"class": directives.class_option}

    def run(self):
        env = self.state.document.settings.env
        relative, absolute = env.relfn2path(self.arguments[0])
        env.note_dependency(relative)
        with open(absolute, encoding="utf-8") as f:
            lines = markdown_to_rst(f.read())
        content = StringList(lines, source=absolute)
        from docutils import nodes

        container = nodes.container(classes=["benchmark-result", *self.options.get("class", [])])
        self.state.nested_parse(content, self.content_offset, container)
        return [container]


def setup(app):
    app.add_directive("benchmark-table", BenchmarkTable)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
