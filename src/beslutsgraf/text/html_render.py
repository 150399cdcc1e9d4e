"""An HTML element's content as the plain text with light Markdown that ``normalize`` reads.

``<h1>``…``<h6>`` become ``#``…``######`` lines; paragraphs, divisions and other
blocks are separated by blank lines; a list item is a line (``- `` in ``<ul>``,
``1. `` in ``<ol>``, counting from ``start``/``value``); ``<br>`` breaks the line
and two in a row end the paragraph; ``<b>``/``<strong>`` and ``<i>``/``<em>`` become
``**…**``/``*…*`` (``markup``); white space inside a block is collapsed except in
``<pre>``.  A data table is one line per row, cells separated by a tab (a spanning
cell once).  A table whose cells hold headings, lists or tables is a layout table
(older municipal sites are laid out with them): its cells are read as blocks, so
a data table nested in one is flattened in place.
"""

from __future__ import annotations

import re

from .html_content import collapse
from .markup import Run, mark_line

HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "details", "dialog", "dir",
    "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html",
    "legend", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
_LINES = frozenset({"dt", "dd", "li"})
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em", "cite"})
_LAYOUT = "descendant::*[self::table or self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::ul or self::ol or self::pre or self::blockquote]"
_WHITE = re.compile(r"[ \t\n\r\f]+")


def inline_text(element) -> str:
    """The text of an element on one line: breaks and block boundaries become spaces."""
    parts: list[str] = []

    def visit(node) -> None:
        spaced = node.tag in BLOCKS or node.tag in _LINES or node.tag == "br"
        parts.append(" " if spaced else "")
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            parts.append(child.tail or "")
        parts.append(" " if spaced else "")

    visit(element)
    return collapse("".join(parts))


class Flow:
    """Text written line by line into blocks; inside a list item a block ends only the line."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []
        self.lines: list[str] = []
        self.runs: list[Run] = []
        self.prefix = ""
        self.item_depth = 0

    def text(self, text: str, *, bold: bool, italic: bool, pre: bool = False) -> None:
        """Add text to the current line (``pre``: keep its white space and line breaks)."""
        if pre:
            for n, part in enumerate(text.split("\n")):
                if n:
                    self.end_line()
                if part:
                    self.runs.append(Run(part, bold, italic))
            return
        text = _WHITE.sub(" ", text)
        if text.startswith(" ") and (not self.runs or self.runs[-1].text.endswith(" ")):
            text = text[1:]
        if text:
            self.runs.append(Run(text, bold, italic))

    def end_line(self) -> None:
        """Finish the current line; a line with no text is not written."""
        line = mark_line(self.runs)
        self.runs = []
        if line:
            self.lines.append(f"{self.prefix}{line}")
            self.prefix = ""

    def end_block(self) -> None:
        """Finish the current block (only the line, inside a list item)."""
        self.end_line()
        if self.item_depth == 0 and self.lines:
            self.blocks.append(self.lines)
            self.lines = []

    def line(self, text: str) -> None:
        """Write a finished line (a heading, a table row)."""
        self.end_line()
        if text.strip():
            self.lines.append(f"{self.prefix}{text}")
            self.prefix = ""

    def br(self) -> None:
        """A line break; a second one in a row ends the paragraph."""
        if any(r.text.strip() for r in self.runs):
            self.end_line()
        else:
            self.end_block()

    def result(self) -> str:
        """The blocks joined by blank lines."""
        self.item_depth = 0
        self.end_block()
        return "\n\n".join("\n".join(block) for block in self.blocks)


class Renderer:
    """Walks an element tree into a ``Flow``."""

    def __init__(self) -> None:
        self.flow = Flow()
        self._counters: list[int | None] = []  # per open list: the next number, None for <ul>
        self._pre = 0

    def render(self, element) -> str:
        """The text of ``element`` and everything in it."""
        self._element(element, bold=False, italic=False)
        return self.flow.result()

    def _element(self, el, *, bold: bool, italic: bool) -> None:
        tag = el.tag
        flow = self.flow
        if tag in HEADINGS:
            flow.end_block()
            text = inline_text(el)
            if text:
                flow.line(f"{'#' * HEADINGS[tag]} {text}")
            flow.end_block()
            return
        if tag == "br":
            flow.br()
            return
        if tag == "table" and not el.xpath(f"boolean({_LAYOUT})"):
            self._data_table(el)
            return
        bold = bold or tag in _BOLD
        italic = italic or tag in _ITALIC
        if tag in ("ul", "ol", "menu", "dir"):
            flow.end_block()
            self._counters.append(_int(el.get("start"), 1) if tag == "ol" else None)
        elif tag == "li":
            flow.end_line()
            flow.prefix = self._label(el)
            flow.item_depth += 1
        elif tag in _LINES:
            flow.end_line()
        elif tag in BLOCKS:
            flow.end_block()
        self._pre += tag == "pre"
        if el.text:
            flow.text(el.text, bold=bold, italic=italic, pre=self._pre > 0)
        for child in el:
            if isinstance(child.tag, str):
                self._element(child, bold=bold, italic=italic)
            if child.tail:
                flow.text(child.tail, bold=bold, italic=italic, pre=self._pre > 0)
        self._pre -= tag == "pre"
        if tag in ("ul", "ol", "menu", "dir"):
            self._counters.pop()
            flow.end_block()
        elif tag == "li":
            flow.end_line()
            flow.prefix = ""
            flow.item_depth -= 1
        elif tag in _LINES:
            flow.end_line()
        elif tag in BLOCKS:
            flow.end_block()

    def _label(self, li) -> str:
        if not self._counters or self._counters[-1] is None:
            return "- "
        number = _int(li.get("value"), self._counters[-1])
        self._counters[-1] = number + 1
        return f"{number}. "

    def _data_table(self, table) -> None:
        self.flow.end_block()
        for caption in table.findall("caption"):
            self.flow.line(inline_text(caption))
        for row in table.xpath("tr | thead/tr | tbody/tr | tfoot/tr"):
            cells = [inline_text(cell) for cell in row if cell.tag in ("td", "th")]
            self.flow.line("\t".join(cell for cell in cells if cell))
        self.flow.end_block()


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
