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

from .personal_data import mask_personnummer

_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2043\ufe63\uff0d"), "-")
_DASHES = dict.fromkeys(map(ord, "\u2012\u2013\u2014\u2015\u2212"), "\u2013")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\x01\x02"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"), " ")
_TABLE = {**_HYPHENS, **_DASHES, **_DROP, **_SPACES}
# str.translate with a dict looks up every character (0.07 s per MB); a regex over the
# few characters to replace skips the rest
_TABLE_CHARS = re.compile("[" + "".join(map(chr, _TABLE)) + "]")

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
# Markdown emphasis: marks that touch the words they enclose, within one line of at most
# 200 characters and no paragraph break (two spaces, once a text is flattened); "__" not
# inside a word nor part of a longer run of marks (a PDF's "___" signature lines, once
# flattened, would otherwise pair up across the whole text)
_IN_EMPHASIS = r"(?:(?!\s\s)[^\n]){1,200}?"
# (the guard against a mark before stands after the first mark, so that the regex engine
# skips to the marks: "(?<![*_])\*\*" written as "\*(?<![*_]\*)\*")
_MD_BOLD = re.compile(
    rf"(\*(?<![*_]\*)\*)(?=[^\s*])({_IN_EMPHASIS})(?<=[^\s*])\*\*(?!\*)"
    rf"|(_(?<![_\w]_)_)(?=[^\s_])({_IN_EMPHASIS})(?<=[^\s_])__(?![_\w])"
)
_MD_ITALIC = re.compile(rf"\*(?<![\w*]\*)(?=[^\s*])({_IN_EMPHASIS})(?<=[^\s*])\*(?![\w*])")
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
    page_starts: tuple[int, ...] = ()  # offset where each page begins, when the source had pages ("\f")
    masked: tuple[tuple[int, int], ...] = ()  # spans where a personnummer was masked

    def page_of(self, offset: int) -> int | None:
        """The 1-based page an offset is on, or None for a source without pages."""
        return page_at(self.page_starts, offset)


def page_at(page_starts: tuple[int, ...], offset: int) -> int | None:
    """The 1-based page of ``offset`` given the offsets where pages begin."""
    if not page_starts:
        return None
    return max(1, bisect.bisect_right(page_starts, offset))


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
    if "*" in line or "__" in line:  # the only marks of emphasis
        line = _MD_BOLD.sub(lambda m: _EMPH_START + (m.group(2) or m.group(4)) + _EMPH_END, line)
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


def _join(first: list, second_text: str, second_marks: list[int], at: int) -> None:
    """Append a line's text to an entry whose text is already cut to ``at`` characters,
    carrying the second line's page marks along (they are offsets within the line)."""
    first[2] = first[2] + [at + m for m in second_marks]
    first[0] = first[0][:at] + second_text


def _join_split_words(lines: list[list]) -> None:
    """Join words hyphenated across line ends, in place ([text, is_heading, page marks] entries)."""
    i = 0
    while i < len(lines) - 1:
        cur, nxt = lines[i][0], lines[i + 1][0]
        if cur.endswith("-") and _SPLIT_WORD_END.search(cur) and _LOWER_START.match(nxt):
            first = nxt.split(maxsplit=1)[0].strip(",.;:")
            if first in _SUSPENSION_WORDS:
                lines[i][0] = cur + " "
                _join(lines[i], nxt, lines[i + 1][2], len(cur) + 1)
            else:
                _join(lines[i], nxt, lines[i + 1][2], len(cur) - 1)
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TABLE_CHARS.sub(lambda m: _TABLE[ord(m.group())] or "", text)
    paged = "\f" in text
    lines = _lines(text)
    _join_split_words(lines)
    blocks = _blocks(lines)
    merged: list[list[list]] = []
    for block in blocks:
        if merged and _is_cut_paragraph(merged[-1], block):
            head = block[0]
            last = merged[-1][-1]
            stripped = head[0].lstrip()
            shift = len(head[0]) - len(stripped)
            first_word = stripped.split(maxsplit=1)[0].strip(",.;:") if stripped else ""
            if _SPLIT_WORD_END.search(last[0]) and first_word not in _SUSPENSION_WORDS:
                entry = [last[0], False, list(last[2])]  # a word split across a page break
                at = len(last[0]) - 1
            else:
                entry = [last[0] + " ", False, list(last[2])]
                at = len(last[0]) + 1
            _join(entry, stripped, [max(0, m - shift) for m in head[2]], at)
            merged[-1][-1] = entry
            merged[-1].extend(block[1:])
        else:
            merged.append(block)

    out: list[str] = []
    hints: list[tuple[int, int]] = []
    marks: list[int] = []
    pos = 0
    for b, block in enumerate(merged):
        if b:
            out.append("\n\n")
            pos += 2
        for j, (line, heading, line_marks) in enumerate(block):
            if j:
                out.append("\n")
                pos += 1
            if heading:
                hints.append((pos, pos + len(line)))
            marks.extend(pos + m for m in line_marks)
            out.append(line)
            pos += len(line)
    marks.extend([pos] * lines[-1][2].count(-1) if lines and lines[-1][0] == "" else [])
    # offsets were measured with sentinels in place; recompute them after removal
    marked = "".join(out)
    clean, emphasis = _take_emphasis(marked)
    sentinels = [m.start() for m in _SENTINEL.finditer(marked)]
    hints = [(_clean_offset(sentinels, s), _clean_offset(sentinels, e)) for s, e in hints]
    # emphasis that is a whole heading line says nothing more than the hint
    hint_set = set(hints)
    emphasis = tuple(span for span in emphasis if span not in hint_set)
    starts = (0, *sorted(_clean_offset(sentinels, m) for m in marks)) if paged else ()
    # last, on the final text: the mask keeps lengths, so no offset above moves
    clean, masked = mask_personnummer(clean)
    return NormalizedText(
        text=clean, heading_hints=tuple(hints), emphasis=emphasis, page_starts=starts, masked=masked
    )


def _lines(text: str) -> list[list]:
    """[text, is_heading, page marks] per line; a page break ("\f") marks the first
    non-blank line after it with offset 0, so the mark survives joins and blank lines."""
    lines: list[list] = []
    pending = 0
    for p, page in enumerate(text.split("\f")):
        if p:
            pending += 1
            # a page break ends a paragraph unless the next page continues its sentence,
            # which the cut-paragraph rule below decides
            lines.append(["", False, []])
        for raw in page.split("\n"):
            line, heading = _clean_line(raw)
            entry = [line, heading, []]
            if pending and line.strip():
                entry[2] = [0] * pending
                pending = 0
            lines.append(entry)
    if pending:  # pages with no text at the end: they begin where the text ends
        lines.append(["", False, [-1] * pending])
    return lines


def _clean_offset(sentinels: list[int], offset: int) -> int:
    """The offset in the clean text of ``offset`` in the sentinel-marked text, given the
    sorted positions of the sentinels."""
    return offset - bisect.bisect_left(sentinels, offset)
