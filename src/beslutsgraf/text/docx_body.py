"""The text of a WordprocessingML story (the body, a header, a text box) in document order.

Paragraphs and tables come as they stand in the XML, not tables after paragraphs;
content controls (``w:sdt``) and custom XML are looked through, an unfilled
content control's placeholder text is left out, and so are deleted revisions and
hidden text.  A paragraph is a block of its own: a heading as a ``#`` line, a
list paragraph as a line with its label (``1.``, ``a)``, ``-``) joined to the list
items before it, other text with ``**bold**``/``*italic*`` marks (``markup``).  A
table is one line per row, its cells separated by a tab: a merged cell once,
a nested table's rows after the row that holds it.  Text boxes (a DrawingML
shape and its VML fallback hold the same text; only one is read) follow the
paragraph they are anchored in.
"""

from __future__ import annotations

import re

from .docx_styles import Numbering, StyleBook, W, on
from .markup import Run, mark_line, plain_line, split_lines

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Inside a paragraph: what is not shown (deleted or moved-away text, properties).
_NOT_SHOWN = {f"{W}{t}" for t in ("pPr", "rPr", "del", "moveFrom", "sdtPr", "sdtEndPr")}
_RUN_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n",
             f"{W}noBreakHyphen": "-", f"{W}softHyphen": "\u00ad"}
_SHAPES = {f"{W}drawing", f"{W}pict", f"{W}object", f"{MC}AlternateContent"}
_SPACE = re.compile(r"\s+")


class Blocks:
    """Text blocks separated by blank lines; consecutive list items share one block."""

    def __init__(self) -> None:
        self.blocks: list[list[str]] = []
        self._in_list = False

    def add(self, lines: list[str], *, list_item: bool = False) -> None:
        """Add a block of lines (empty lines dropped), or lines of the current list."""
        lines = [line for line in lines if line.strip()]
        if not lines:
            return
        if list_item and self._in_list:
            self.blocks[-1].extend(lines)
        else:
            self.blocks.append(lines)
        self._in_list = list_item

    def text(self) -> str:
        """The blocks joined by blank lines."""
        return "\n\n".join("\n".join(block) for block in self.blocks)


def _chosen(alternate):
    """The branch of an ``mc:AlternateContent`` that is read: the first Choice, else the Fallback."""
    branch = alternate.find(f"{MC}Choice")
    return branch if branch is not None else alternate.find(f"{MC}Fallback")


def _showing_placeholder(sdt) -> bool:
    return sdt.find(f"{W}sdtPr/{W}showingPlcHdr") is not None


def _content(sdt):
    content = sdt.find(f"{W}sdtContent")
    return () if content is None or _showing_placeholder(sdt) else content


def _children(parent, *tags: str):
    """The children of ``parent`` with one of ``tags``, looking through content controls
    and custom XML."""
    wanted = {f"{W}{tag}" for tag in tags}
    for child in parent:
        if child.tag in wanted:
            yield child
        elif child.tag == f"{W}sdt":
            yield from _children(_content(child), *tags)
        elif child.tag == f"{W}customXml":
            yield from _children(child, *tags)


def _text_boxes(shape) -> list:
    """The outermost ``w:txbxContent`` elements of a shape, one branch of each alternate."""
    found = []
    for child in shape:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{W}txbxContent":
            found.append(child)
        elif child.tag == f"{MC}AlternateContent":
            branch = _chosen(child)
            found.extend(_text_boxes(branch) if branch is not None else [])
        else:
            found.extend(_text_boxes(child))
    return found


class Story:
    """Renders the block content of one story; ``plain`` leaves out every Markdown mark."""

    def __init__(self, styles: StyleBook, numbering: Numbering, *, plain: bool = False) -> None:
        self.styles = styles
        self.numbering = numbering
        self.plain = plain

    def render(self, container) -> str:
        """The text of the paragraphs and tables in ``container`` (``w:body``, ``w:hdr``, …)."""
        out = Blocks()
        self._walk(container, out)
        return out.text()

    def _walk(self, container, out: Blocks) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                self._paragraph(child, out)
            elif tag == f"{W}tbl":
                out.add(self._table(child))
            elif tag == f"{W}sdt":
                self._walk(_content(child), out)
            elif tag == f"{W}customXml":
                self._walk(child, out)
            elif tag == f"{MC}AlternateContent":
                branch = _chosen(child)
                self._walk(branch if branch is not None else (), out)

    def _paragraph(self, p, out: Blocks) -> None:
        runs, boxes = self._runs(p)
        lines = split_lines(runs)
        level = self.styles.heading_level(p)
        numbered = self.styles.numbering(p)
        label = self.numbering.label(*numbered) if numbered else None  # counted even when empty
        if self.plain:
            out.add([plain_line(line) for line in lines])
        elif level is not None:
            heading = " ".join(plain_line(line) for line in lines).strip()
            out.add([f"{'#' * min(level, 6)} {heading}"] if heading else [])
        elif numbered:
            marked = [m for m in (mark_line(line) for line in lines) if m]
            if marked and label:
                marked[0] = f"{label} {marked[0]}"
            out.add(marked, list_item=True)
        else:
            out.add([mark_line(line) for line in lines])
        for box in boxes:
            self._walk(box, out)

    def _runs(self, p) -> tuple[list[Run], list]:
        runs: list[Run] = []
        boxes: list = []
        p_style = self.styles.paragraph_style(p)

        def visit(element) -> None:
            for child in element:
                tag = child.tag
                if not isinstance(tag, str) or tag in _NOT_SHOWN:
                    continue
                if tag == f"{W}r":
                    self._run(child, p_style, runs, boxes)
                elif tag == f"{W}sdt":
                    visit(_content(child))
                elif tag == f"{MC}AlternateContent":
                    branch = _chosen(child)
                    visit(branch if branch is not None else ())
                else:  # hyperlinks, insertions, smart tags, simple fields, custom XML
                    visit(child)

        visit(p)
        return runs, boxes

    def _run(self, r, p_style: str | None, runs: list[Run], boxes: list) -> None:
        if on(r, "w:rPr/w:vanish"):
            return  # hidden text is neither shown nor printed
        parts = []
        for child in r:
            if child.tag in _RUN_TEXT:
                parts.append(_RUN_TEXT[child.tag] or child.text or "")
            elif child.tag in _SHAPES:
                boxes.extend(_text_boxes([child]))
        if parts:
            bold = self.styles.run_flag(r, p_style, "b")
            italic = self.styles.run_flag(r, p_style, "i")
            runs.append(Run("".join(parts), bold, italic))

    def _table(self, tbl) -> list[str]:
        lines: list[str] = []
        for tr in _children(tbl, "tr"):
            cells: list[list[str]] = []
            nested: list[str] = []
            for tc in _children(tr, "tc"):
                if _merged_away(tc):
                    continue
                texts = []
                for child in _children(tc, "p", "tbl"):
                    if child.tag == f"{W}p":
                        texts.append(plain_line(self._runs(child)[0]))
                    else:
                        nested.extend(self._table(child))
                paragraphs = [p for p in (_SPACE.sub(" ", t).strip() for t in texts) if p]
                if paragraphs:
                    cells.append(paragraphs)
            if cells:
                # A cover page's row "Beslutande | one member per paragraph": the last
                # cell's paragraphs stay lines, as a label column and a value column do
                # in typed text; other cells' paragraphs are joined into the row.
                row = [" ".join(c) for c in cells[:-1]] + [cells[-1][0]]
                lines.append("\t".join(row))
                lines.extend(cells[-1][1:])
            lines.extend(nested)
        return lines


def _merged_away(tc) -> bool:
    """Whether a cell continues a merge begun in the cell above or to the left."""
    for tag in ("vMerge", "hMerge"):
        merge = tc.find(f"{W}tcPr/{W}{tag}")
        if merge is not None and merge.get(f"{W}val", "continue") != "restart":
            return True
    return False
