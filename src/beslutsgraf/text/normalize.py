"""Normalising decoded text into the text the graph stores.

All offsets anywhere in beslutsgraf refer to the output of ``normalize_text``.
The steps (docs/extraction.md) undo what PDF and Word export does to a document:
Unicode variants, dashes, soft hyphens, words split at line ends, Markdown marks
and paragraphs cut by page breaks.  Lines are otherwise kept as they are, since
line structure (header fields, list items, headings) carries meaning.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2043\ufe63\uff0d"), "-")
_DASHES = dict.fromkeys(map(ord, "\u2012\u2013\u2014\u2015\u2212"), "\u2013")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\x01\x02"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"), " ")
_TABLE = {**_HYPHENS, **_DASHES, **_DROP, **_SPACES}

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*$")
_SPLIT_WORD_END = re.compile(r"(?<=[a-zåäöéü])-$")
_LOWER_START = re.compile(r"^[a-zåäöéü]")
_TERMINAL = tuple(".:;!?…»\"”)")

# A line ending in "arbetsmarknads-" followed by one of these keeps its hyphen:
# it is a suspended compound ("arbetsmarknads- och socialnämnden"), not a split word.
_SUSPENSION_WORDS = frozenset({"och", "eller", "samt", "respektive", "resp", "som", "till", "men"})


@dataclass(frozen=True)
class NormalizedText:
    text: str
    heading_hints: tuple[tuple[int, int], ...]  # spans of lines marked as headings in the source
    emphasis: tuple[tuple[int, int], ...] = ()  # spans the source marked *italic* or **bold** (titles, names)


_EMPH_START = "\x01"
_EMPH_END = "\x02"
_SENTINEL = re.compile("[\x01\x02]")


def _clean_line(line: str) -> tuple[str, bool]:
    """Strip Markdown heading marks, mark emphasis with sentinels; say whether it is a heading."""
    heading = False
    m = _MD_HEADING.match(line)
    if m:
        line, heading = m.group(1), True
    elif _BOLD_LINE.match(line):
        heading = True
    line = _MD_BOLD.sub(lambda m: _EMPH_START + m.group(2) + _EMPH_END, line)
    line = _MD_ITALIC.sub(lambda m: _EMPH_START + m.group(1) + _EMPH_END, line)
    return line.rstrip(), heading


def _take_emphasis(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Remove emphasis sentinels, returning the clean text and the emphasised spans."""
    if _EMPH_START not in text and _EMPH_END not in text:
        return text, ()
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for removed, m in enumerate(_SENTINEL.finditer(text)):
        pos = m.start() - removed  # offset in the clean text
        if m.group() == _EMPH_START:
            stack.append(pos)
        elif stack:
            start = stack.pop()
            if not stack and pos > start:
                spans.append((start, pos))
    return _SENTINEL.sub("", text), tuple(sorted(spans))


def _join_split_words(lines: list[list]) -> None:
    """Join words hyphenated across line ends, in place ([text, is_heading] entries)."""
    i = 0
    while i < len(lines) - 1:
        cur, nxt = lines[i][0], lines[i + 1][0]
        if _SPLIT_WORD_END.search(cur) and _LOWER_START.match(nxt):
            first = nxt.split(maxsplit=1)[0].strip(",.;:")
            if first in _SUSPENSION_WORDS:
                lines[i][0] = cur + " " + nxt
            else:
                lines[i][0] = cur[:-1] + nxt
            del lines[i + 1]
            continue
        i += 1


def _blocks(lines: list[list]) -> list[list[list]]:
    blocks: list[list[list]] = []
    current: list[list] = []
    for entry in lines:
        if entry[0].strip():
            current.append(entry)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


_ATT_CLAUSE = re.compile(r"^(?:[-–•]\s*)?att\s", re.IGNORECASE)


def _is_cut_paragraph(prev: list[list], nxt: list[list]) -> bool:
    last = prev[-1][0].rstrip()
    first = nxt[0][0].lstrip()
    # "att …," / "att …" clauses of a proposal are separate paragraphs, not a cut one
    if _ATT_CLAUSE.match(first) and (_ATT_CLAUSE.match(prev[0][0].lstrip()) or last.endswith((",", "samt", "och"))):
        return False
    return (
        len(last) >= 30
        and not prev[-1][1]
        and not last.endswith(_TERMINAL)
        and bool(_LOWER_START.match(first))
    )


def normalize_text(raw: str) -> NormalizedText:
    """Normalise decoded text; see the module docstring and docs/extraction.md."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.translate(_TABLE)
    lines = [list(_clean_line(line)) for line in text.split("\n")]
    _join_split_words(lines)
    blocks = _blocks(lines)
    merged: list[list[list]] = []
    for block in blocks:
        if merged and _is_cut_paragraph(merged[-1], block):
            head = block[0]
            merged[-1][-1] = [merged[-1][-1][0] + " " + head[0].lstrip(), False]
            merged[-1].extend(block[1:])
        else:
            merged.append(block)

    out: list[str] = []
    hints: list[tuple[int, int]] = []
    pos = 0
    for b, block in enumerate(merged):
        if b:
            out.append("\n\n")
            pos += 2
        for j, (line, heading) in enumerate(block):
            if j:
                out.append("\n")
                pos += 1
            if heading:
                hints.append((pos, pos + len(line)))
            out.append(line)
            pos += len(line)
    # heading hints were measured with sentinels in place; recompute them after removal
    marked = "".join(out)
    clean, emphasis = _take_emphasis(marked)
    sentinels = [m.start() for m in _SENTINEL.finditer(marked)]
    hints = [(_clean_offset(sentinels, s), _clean_offset(sentinels, e)) for s, e in hints]
    # emphasis that is a whole heading line says nothing more than the hint
    hint_set = set(hints)
    emphasis = tuple(span for span in emphasis if span not in hint_set)
    return NormalizedText(text=clean, heading_hints=tuple(hints), emphasis=emphasis)


def _clean_offset(sentinels: list[int], offset: int) -> int:
    """The offset in the clean text of ``offset`` in the sentinel-marked text, given the
    sorted positions of the sentinels."""
    return offset - bisect.bisect_left(sentinels, offset)
