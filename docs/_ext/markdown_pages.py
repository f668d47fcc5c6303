"""``.. markdown-page:: ../CONTRIBUTING.md``: a Markdown file of the repository as a page.

The contributor guide and the changelog are Markdown files at the top of the
repository, where contributors look for them; this directive shows them in
the documentation too, so each has one source. It reads the Markdown they
are written in, and only that:

- ``#`` to ``####`` headings (the first one is the page's title);
- paragraphs, ``-`` lists and ``1.`` lists (an item's further lines
  indented), each block separated from the next by a blank line;
- fenced code blocks (```` ```bash ````, ```` ```python ````, ...);
- inline ```code```, ``**bold**`` and ``[text](target)`` links. A URL stays
  a link; a ``docs/NAME.rst`` file becomes a link to the page ``NAME`` (an
  unknown document, and so an error, until that page exists); a file that
  ``markdown_page_links`` in ``conf.py`` names (another Markdown page) a link
  to its page; any other file of the repository, which is not part of the
  documentation, its path as code. A link to a file that does not exist is an
  error.

Anything else (tables, nested lists, HTML, block quotes, ``*`` or ``_``
emphasis) is an error, so that a page that would render wrongly fails the
build (warnings are errors) instead of showing stray markup. The converted
lines are inserted where the directive stands, as ``.. include::`` does, so
the file's headings become the page's title and sections: the directive must
stand at the top level of a page that has no title of its own.
"""

import re
import unicodedata
from pathlib import Path

from docutils.parsers.rst import Directive

_HEADING = re.compile(r"^(#{1,4}) +(\S.*)$")
_ITEM = re.compile(r"^(-|\d+\.) +(\S.*)$")
_FENCE = re.compile(r"^```(\w*)\s*$")
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*`]+)\*\*|\[([^\]`*]+)\]\(([^)\s]+)\)")
# title adornments by heading level: "#" over and under, then underlines
_ADORNMENT = {1: "=", 2: "=", 3: "-", 4: "~"}
# Unicode categories of the punctuation reST accepts before and after inline markup
_OPENING = {"Ps", "Pi", "Pf", "Pd", "Po"}
_CLOSING = {"Pe", "Pi", "Pf", "Pd", "Po"}
# reST reads a paragraph or list item starting with these as other markup
_RISKY_START = re.compile(r"^([-+*:|>#.]|\w{1,3}[.)] |\(\w{1,3}\) )")


class MarkdownError(ValueError):
    """The file uses Markdown that this converter does not read."""


class _Converter:
    """Markdown lines to reST lines, for one file (links are resolved from its folder)."""

    def __init__(self, path, srcdir, page_links):
        self.path = Path(path)
        self.srcdir = Path(srcdir)
        self.page_links = page_links  # absolute Path of a Markdown file -> docname

    # -- blocks ---------------------------------------------------------

    def convert(self, text):
        lines = text.splitlines()
        out, i = [], 0
        while i < len(lines):
            line = lines[i]
            if not line.strip():
                i += 1
            elif _FENCE.match(line):
                i = self._code(lines, i, out)
            elif _HEADING.match(line):
                self._heading(line, i, out)
                i += 1
            elif _ITEM.match(line):
                i = self._list(lines, i, out)
            else:
                i = self._paragraph(lines, i, out)
        return out

    def _fail(self, i, message):
        raise MarkdownError(f"{self.path.name}, line {i + 1}: {message}")

    def _code(self, lines, i, out):
        language = _FENCE.match(lines[i]).group(1) or "text"
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), None)
        if end is None:
            self._fail(i, "a code block without its closing ```")
        out += [f".. code-block:: {language}", ""]
        out += [f"   {line}" if line.strip() else "" for line in lines[i + 1 : end]]
        out.append("")
        return end + 1

    def _heading(self, line, i, out):
        hashes, title = _HEADING.match(line).groups()
        title = self._inline(title.rstrip(" #"), i)
        rule = _ADORNMENT[len(hashes)] * max(len(title), 3)
        out += ([rule] if len(hashes) == 1 else []) + [title, rule, ""]

    def _block(self, lines, i):
        """The lines from ``i`` to the next blank line (or the end)."""
        end = i
        while end < len(lines) and lines[end].strip():
            end += 1
        return lines[i:end], end

    def _check_line(self, line, i):
        stripped = line.strip()
        if stripped.startswith(("|", "<", ">", "```")) or re.fullmatch(r"[-*_=]{3,}", stripped):
            self._fail(i, f"tables, HTML, quotes, rules and code inside a block are not read: {line!r}")
        if _HEADING.match(stripped):
            self._fail(i, f"a heading must stand alone, with blank lines around it: {line!r}")

    def _paragraph(self, lines, i, out):
        block, end = self._block(lines, i)
        for k, line in enumerate(block):
            self._check_line(line, i + k)
            if line.startswith(" "):
                self._fail(i + k, f"an indented line outside a list: {line!r}")
            if k and _ITEM.match(line):
                self._fail(i + k, "put a blank line between a paragraph and a list")
        text = " ".join(block)
        out += [self._safe_start(text, self._inline(text, i)), ""]
        return end

    def _list(self, lines, i, out):
        block, end = self._block(lines, i)
        items, marker = [], None
        for k, line in enumerate(block):
            self._check_line(line, i + k)
            match = _ITEM.match(line)
            if match:
                kind = "-" if match.group(1) == "-" else "#."
                if marker not in (None, kind):
                    self._fail(i + k, "a list mixes '-' and numbered items")
                marker = kind
                items.append((i + k, [match.group(2)], len(match.group(1)) + 1))
            else:
                indent = len(line) - len(line.lstrip())
                if indent != items[-1][2]:
                    self._fail(i + k, f"indent an item's further lines by {items[-1][2]} "
                                      f"spaces (lists do not nest): {line!r}")
                if _ITEM.match(line.strip()):
                    self._fail(i + k, f"nested lists are not read: {line!r}")
                items[-1][1].append(line.strip())
        for start, parts, _ in items:
            text = " ".join(parts)
            out.append(f"{marker} {self._safe_start(text, self._inline(text, start))}")
        out.append("")
        return end

    @staticmethod
    def _safe_start(markdown, rest):
        """``rest`` with its first character escaped where the Markdown starts with plain text
        that reST would read as other markup (``--out ...`` as an option list, ``A. ...``
        as a list)."""
        plain = not markdown.startswith(("`", "**", "["))
        return "\\" + rest if plain and _RISKY_START.match(markdown) else rest

    # -- inline ---------------------------------------------------------

    def _inline(self, text, i):
        """One line of Markdown inline markup as reST."""
        out, pos = [], 0
        for match in _INLINE.finditer(text):
            out.append(self._plain(text[pos : match.start()], i))
            code, bold, link_text, target = match.groups()
            if code is not None:
                markup = f"``{code}``"
            elif bold is not None:
                markup = f"**{self._plain(bold, i)}**"
            else:
                markup = self._link(link_text, target, i)
            # reST takes inline markup only after a space or an opening punctuation mark,
            # and before a space or a closing one; elsewhere an escaped space, which the
            # output drops, sets it apart
            before = text[match.start() - 1] if match.start() else " "
            after = text[match.end()] if match.end() < len(text) else " "
            fits_before = before.isspace() or unicodedata.category(before) in _OPENING
            fits_after = after.isspace() or unicodedata.category(after) in _CLOSING
            out.append(("" if fits_before else "\\ ") + markup + ("" if fits_after else "\\ "))
            pos = match.end()
        out.append(self._plain(text[pos:], i))
        return "".join(out)

    def _plain(self, text, i):
        for mark in ("`", "*", "](", "<"):
            if mark in text:
                self._fail(i, f"{mark!r} outside code, bold or a link is not read: {text!r}")
        if re.search(r"(?<![\w\\])_+\w", text):
            self._fail(i, f"'_' emphasis is not read (put names in code): {text!r}")
        return re.sub(r"([\\_|])", r"\\\1", text)

    def _link(self, text, target, i):
        label = self._plain(text, i)
        if re.match(r"https?://", target):
            return f"`{label} <{target}>`__"
        if "#" in target:
            self._fail(i, f"links to anchors are not read: {target!r}")
        path = (self.path.parent / target).resolve()
        if path in self.page_links:
            return f":doc:`{label} </{self.page_links[path]}>`"
        if path.suffix == ".rst" and path.is_relative_to(self.srcdir):
            docname = path.relative_to(self.srcdir).with_suffix("").as_posix()
            return f":doc:`{label} </{docname}>`"
        if not path.exists():
            self._fail(i, f"the link's target does not exist: {target!r}")
        return f"``{target}``" if text == target else f"{label} (``{target}``)"


class MarkdownPage(Directive):
    """Insert a Markdown file (the subset the module docstring lists) as reST."""

    required_arguments = 1
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        _, absolute = env.relfn2path(self.arguments[0])
        env.note_dependency(absolute)
        srcdir = Path(env.srcdir)
        page_links = {
            (srcdir / md).resolve(): docname
            for md, docname in env.config.markdown_page_links.items()
        }
        converter = _Converter(absolute, srcdir, page_links)
        try:
            lines = converter.convert(Path(absolute).read_text(encoding="utf-8"))
        except (OSError, MarkdownError) as exc:
            raise self.severe(f"markdown-page: {exc}") from None
        self.state_machine.insert_input(lines, absolute)
        return []


def setup(app):
    # Markdown files shown as pages, by their path from the documentation's folder, so
    # that links between them become links between their pages
    app.add_config_value("markdown_page_links", {}, "env")
    app.add_directive("markdown-page", MarkdownPage)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
