"""Splitting a normalised document into sections and numbered items.

A *section* starts at a heading: a standard heading from ``patterns/sections.yml``
(``Sammanfattning``, ``Förslag till beslut``, …), or, once the first standard
heading has been seen, a free heading (a short stand-alone line followed by a
paragraph, or a line the source marked as a heading).  The text before the first
heading is the document header (section key ``header``).

An *item* is a protokoll paragraph (``§ 112 Title``) or an agenda item of a
kallelse/föredragningslista (``3. Title`` with a case number on the next line):
the unit that carries its own case number, proposals and decision.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..datafiles import load_yaml
from ..model import Attachment, Item, Section
from .regex import first_of, folded, literal_tail, which

PATTERNS = Path(__file__).resolve().parent / "patterns"

# "§ 12", "KS § 12", "Kf § 275", "§ 3 a"; the body abbreviation is part of the mark
_PARAGRAPH_MARK = re.compile(
    r"^(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}\s+)?§\s*(\d+(?:\s?[a-z]\b)?)\s*(?:[.:–-]\s*)?(.*)$"
)
# a Dnr label and number standing after the mark on its line: not the title
_TRAILING_DNR = re.compile(
    r"\s*\b(?:dnr|diarienr|diarienummer)\b\.?:?\s*\S+(?:\s\S+)?\s*$", re.IGNORECASE
)
# ... or right after the mark, the title following it on the line (a layout view)
_LEADING_DNR = re.compile(
    r"^(?:dnr|diarienr|diarienummer)\b\.?:?\s*\S+\s*", re.IGNORECASE
)
# Finland-Swedish protokoll put the number first: "39 § Sammanträdets laglighet"
_PARAGRAPH_MARK_AFTER = re.compile(r"^(\d{1,4})\s*§\s*(?:[.:–-]\s*)?(.*)$")
# a date right after a § mark makes it a reference to that meeting's paragraph
_MEETING_DATE = re.compile(r"(?:19|20)?\d{2}-\d{2}-\d{2}\b|\d{1,2}\.\d{1,2}\.(?:19|20)?\d{2}\b")
# a table of contents line: a title, dot leaders and a page number
_TOC_LINE = re.compile(r"(?:\.{4,}|…{2,})\s*\d{1,4}\s*$")
# the same test for a search over a whole line: the last four dots of a run suffice, and
# "\.{4,}" tried at every dot of a long run of leaders was quadratic
_TOC_LINE_END = re.compile(r"(?:\.{4}|…{2})\s*\d{1,4}\s*$")
# a bilaga listed in an item ("Bilaga: Bokslut 2022", "Bilaga 2 – Karta") and the stamp of
# an appended bilaga page naming its item ("Bilaga Personalsektionen, 28.03.2023 § 19")
# (the guard before "Bilag" stands after it: a literal start lets the regex engine skip
# to each "Bilag" instead of trying every position)
_ATTACHMENT = re.compile(
    r"Bilag(?<![\w-]Bilag)(?:a|or)\b[ \t]*(?:\d{1,2}\b)?[ \t]*[:–-]\s*(?P<title>[A-ZÅÄÖ0-9][^\n]{2,150}?)"
    r"(?=\s{2,}|\n|$|[ \t]+(?:Bilag(?:a|or)\b|[A-ZÅÄÖ][a-zåäö]+direktör|[a-zåäö]*chef\b))"
)
_ATTACHMENT_STAMP = re.compile(
    r"Bilaga(?<![\w-]Bilaga)\s+(?P<title>[A-ZÅÄÖ][^\n§]{1,60}?,[ \t]*\d{1,2}\.\d{1,2}\.(?:19|20)\d{2})\s*§[ \t]*(?P<item>\d{1,4})\b"
)
_AGENDA_ITEM = re.compile(r"^(\d{1,3})[.)]?\s+(\S.{2,150})$")
_CASE_HINT = re.compile(
    r"\b(?:dnr|diarienummer|ärendenummer|ärende nr)\b|\b[A-ZÅÄÖ]{2,6}[ -]?\d{4}[/:]\d+|\b[A-ZÅÄÖ]{2,6}-\d{4}-\d+|\b\d{4}/[A-ZÅÄÖ]{2,6}\b",
    re.IGNORECASE,
)
_NOT_FREE_HEADING = re.compile(
    r"^[-–•*]|^\d|@|\d{4}-\d{2}-\d{2}|[.,;]$|^[a-zåäö]|föreslås|beslutar|\bbesluta\b"
)
_ITEM_END = re.compile(
    r"^(?:Justerandes signatur|Utdragsbestyrkande|Justerare|Signatur)\b", re.IGNORECASE
)


class Line(NamedTuple):
    """A non-empty line of a text (a tuple: a document's lines number in the thousands,
    and a frozen dataclass took five times as long to make)."""

    start: int
    end: int
    text: str
    blank_before: bool
    blank_after: bool


@lru_cache(maxsize=1)
def _heading_sources() -> tuple[tuple[str, str, str], ...]:
    """(key, label, pattern as written) of every heading pattern, in the file's order."""
    data = load_yaml(PATTERNS / "sections.yml")
    return tuple((key, spec["label"], pattern) for key, spec in data.items() for pattern in spec["headings"])


@lru_cache(maxsize=1)
def _heading_patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple(
        (key, label, re.compile(rf"(?:{pattern})\s*:?", re.IGNORECASE)) for key, label, pattern in _heading_sources()
    )


def line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of ``text[start:end]``, trimmed of white space."""
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        s = pos + (len(line) - len(line.lstrip()))
        e = pos + len(line.rstrip())
        pos += len(line) + 1
        if e > s:
            out.append((s, e))
    return out


def lines_of(text: str, *, until: int | None = None) -> tuple[Line, ...]:
    """Non-empty lines with offsets and whether a blank line surrounds them; with
    ``until``, only the lines that start before it (a header's)."""
    lines = _all_lines(text)
    if until is None:
        return lines
    return lines[: bisect.bisect_left(lines, until, key=lambda ln: ln.start)]


@lru_cache(maxsize=4)
def _all_lines(text: str) -> tuple[Line, ...]:
    """A text's lines, kept for the last few texts: a document's sections, items and
    header read the same lines (they were split six times a document)."""
    return _split_lines(text)


def _split_lines(text: str) -> tuple[Line, ...]:
    raw = text.split("\n")
    blank = [not t.strip() for t in raw]
    out: list[Line] = []
    pos = 0
    last = len(raw) - 1
    for i, t in enumerate(raw):
        if not blank[i]:
            before = i == 0 or blank[i - 1]
            after = i == last or blank[i + 1]
            out.append(Line(pos, pos + len(t), t, before, after))
        pos += len(t) + 1
    return tuple(out)


@lru_cache(maxsize=1)
def _any_heading() -> re.Pattern[str]:
    """Every heading pattern in one, a group each, in the file's order: most lines are
    none and one scan tells, and the group that matched names the section (a full match
    takes the first pattern that matches the whole line, as trying them in turn did)."""
    return first_of((p.pattern for _k, _l, p in _heading_patterns()), re.IGNORECASE)


@lru_cache(maxsize=1)
def _heading_ends() -> tuple[tuple[str, ...], re.Pattern[str] | None, tuple[int, ...]]:
    """The literal endings of the heading patterns ("sammanfattning", " förslag till
    beslut"), and the patterns that have none, as one alternation with their indexes.

    Most lines end with none of the endings, and only those patterns can match them: the
    endings are one ``str.endswith``, where the full alternation tried every pattern on
    every line (a tenth of the layout view's time on real documents)."""
    tails = [literal_tail(pattern) for _key, _label, pattern in _heading_sources()]
    untailed = tuple(i for i, tail in enumerate(tails) if not tail)
    rest = first_of((_heading_patterns()[i][2].pattern for i in untailed), re.IGNORECASE) if untailed else None
    return tuple({tail for tail in tails if tail}), rest, untailed


def standard_heading(line: str) -> str | None:
    """The section key of a standard heading line, or None."""
    stripped = line.strip()
    if len(stripped) > 90:
        return None
    tails, rest, untailed = _heading_ends()
    low = folded(stripped)
    # a heading may end with its own colon, and white space before it
    if low.endswith(tails) or (low.endswith(":") and low[:-1].rstrip().endswith(tails)):
        m = _any_heading().fullmatch(stripped)
        return _heading_patterns()[which(m)][0] if m else None
    m = rest.fullmatch(stripped) if rest is not None else None
    return _heading_patterns()[untailed[which(m)]][0] if m else None


def _is_free_heading(line: Line, nxt: Line | None, hinted: bool) -> bool:
    t = line.text.strip()
    words = t.split()
    if hinted:
        return 0 < len(words) <= 14 and not t.endswith((".", ","))
    if not (line.blank_before and line.blank_after) or nxt is None:
        return False
    if not (1 <= len(words) <= 10 and len(t) <= 80) or _NOT_FREE_HEADING.search(t):
        return False
    return len(nxt.text) >= 80


def find_sections(
    text: str,
    heading_hints: tuple[tuple[int, int], ...] = (),
    *,
    boundaries: tuple[int, ...] = (),
    layout_view: bool = False,
) -> list[Section]:
    """Sections in text order; the part before the first heading is ``header``.

    ``boundaries`` (the starts of protokoll paragraphs and agenda items) also end a
    section, so that ``Förslag till beslut`` of one item does not run into the next.
    In a layout view (``text.layout``) a line that is a standard heading was set apart by
    its cue and needs no blank line around it; free headings need the source's layout
    and are not sought there.
    """
    lines = lines_of(text)
    hinted = {s for s, _e in heading_hints}
    heads: list[tuple[Line, str]] = []
    seen_standard = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        standalone = (
            layout_view
            or line.blank_before
            or line.blank_after
            or line.start in hinted
            or (nxt and _starts_body(nxt))
        )
        key = standard_heading(line.text) if standalone else None
        if key:
            heads.append((line, key))
            seen_standard = True
        elif (
            seen_standard and not layout_view and _is_free_heading(line, nxt, line.start in hinted)
        ):
            heads.append((line, "other"))
    sections: list[Section] = []
    if not heads:
        return sections
    first = heads[0][0]
    if first.start > 0:
        sections.append(Section("header", "", 0, _rstrip_end(text, 0, first.start), 0))
    for n, (line, key) in enumerate(heads):
        end = heads[n + 1][0].start if n + 1 < len(heads) else len(text)
        end = min([b for b in boundaries if line.start < b < end], default=end)
        body_start = min(line.end + 1, len(text))
        sections.append(
            Section(
                key,
                line.text.strip().rstrip(":"),
                line.start,
                _rstrip_end(text, line.start, end),
                body_start,
            )
        )
    return sections


def _starts_body(line: Line) -> bool:
    # "Förslag till beslut" directly followed by its proposals, without a blank line
    return bool(re.match(r"^(?:\d+[.)]|[-–•]|att\b|[A-ZÅÄÖ]\w+ föreslås)", line.text))


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def attachment_stamps(text: str) -> list[re.Match[str]]:
    """The stamp on every page of an appended bilaga, naming its item (``Bilaga
    Personalsektionen, 28.03.2023 § 19``): what follows one is the bilaga's own text."""
    return list(_ATTACHMENT_STAMP.finditer(text))


def find_attachments(
    text: str, items: list[Item], *, stamps: list[re.Match[str]] | None = None
) -> list[Attachment]:
    """Bilagor: ``Bilaga: title`` inside an item, and stamps of appended pages naming
    their item (``attachment_stamps``, found here unless given), wherever they stand on a
    line (see ``_ATTACHMENT``); a stamp repeated on the pages of one bilaga counts once."""
    out: list[Attachment] = []
    seen_stamps: set[tuple[str, str]] = set()
    stamped: list[tuple[int, int]] = []
    for m in attachment_stamps(text) if stamps is None else stamps:
        stamped.append((m.start(), m.end()))
        key = (m.group("title").rstrip(" ,"), m.group("item"))
        if key not in seen_stamps:
            seen_stamps.add(key)
            stamp = " ".join(m.group().split())
            out.append(Attachment(stamp, m.start(), m.end(), item=m.group("item"), appended=True))
    for m in _ATTACHMENT.finditer(text):
        if any(a <= m.start() < b for a, b in stamped) or _TOC_LINE.match(text, m.end()):
            continue
        title = m.group("title").rstrip(" .,;:")
        if len(title) < 3:
            continue
        start, end = m.start(), m.start("title") + len(title)
        owner = next((i.number for i in items if i.start <= start < i.end), None)
        out.append(Attachment(title, start, end, item=owner))
    out.sort(key=lambda a: a.start)
    return out


# where an agenda item's title ends on a line of the layout view: a column gap, a case
# number label, a paragraph of text
_TITLE_END = re.compile(
    r"\s{2,}|\s(?=(?:dnr|diarienummer|ärendenummer|ärende nr)\b)|(?<=[a-zåäö]{3}[.:])\s",
    re.IGNORECASE,
)


def _agenda_head(line: str) -> str:
    """The numbered title that opens a line of the layout view, without what follows it."""
    m = _TITLE_END.search(line)
    return line[: m.start()] if m else line[:150]


def find_items(text: str, *, layout_view: bool = False) -> list[Item]:
    """Protokoll paragraphs (§ N) and agenda items (N. title + case number).

    In a layout view (``text.layout``) a mark that starts a line was set apart by its
    cue and needs no blank line before it.
    """
    lines = lines_of(text)
    starts: list[tuple] = []
    for i, line in enumerate(lines):
        t = line.text.strip()
        if ("...." in t or "……" in t) and _TOC_LINE_END.search(t):  # dot leaders
            continue
        m = (_PARAGRAPH_MARK.match(t) or _PARAGRAPH_MARK_AFTER.match(t)) if "§" in t else None
        if m and _MEETING_DATE.match(m.group(2)):
            continue  # "KU § 317 06-12-05": a reference to another meeting's paragraph
        if m and (line.blank_before or layout_view):
            rest = m.group(2)
            if layout_view:
                # the mark, "DNR:" and its value may each have been set apart by their cues
                for nxt in lines[i + 1 : i + 3]:
                    if rest.strip() and not _LEADING_DNR.fullmatch(rest.strip() + " x"):
                        break
                    rest = f"{rest.strip()} {nxt.text.strip()}"
                rest = _agenda_head(_LEADING_DNR.sub("", rest.strip()))
            title = _TRAILING_DNR.sub("", rest).strip()
            if not title and i + 1 < len(lines):
                title = lines[i + 1].text.strip()
            starts.append((line, "paragraph", m.group(1).replace(" ", ""), title, True))
            continue
        # an item's number opens its line; reading the title of every line was slow
        m = _AGENDA_ITEM.match(_agenda_head(t) if layout_view else t) if t[:1].isdigit() else None
        if m and (line.blank_before or layout_view) and not m.group(0).endswith((".", ":", ";")):
            block = [line]
            for x in lines[i + 1 : i + 4]:
                if block[-1].blank_after:
                    break
                block.append(x)
            has_case = bool(_CASE_HINT.search(" ".join(x.text for x in block)))
            starts.append((line, "agenda_item", m.group(1), m.group(2).strip(), has_case))
            continue
    # numbered lines are agenda items only in a document where at least two carry a case number
    if sum(1 for s in starts if s[1] == "agenda_item" and s[4]) < 2:
        starts = [s for s in starts if s[1] != "agenda_item"]
    starts = [s[:4] for s in starts]
    # a paragraph's mark repeated at a page break ("39 §" in a running head) is one item
    starts = [
        s
        for n, s in enumerate(starts)
        if not (n and s[1] == "paragraph" and starts[n - 1][1:3] == s[1:3])
    ]
    items: list[Item] = []
    for n, (line, kind, number, title) in enumerate(starts):
        end = starts[n + 1][0].start if n + 1 < len(starts) else len(text)
        items.append(Item(kind, number, title, line.start, _rstrip_end(text, line.start, end)))
    return items
