"""A layout view of a document: the same text, line breaks only where the genre's cues are.

Most real documents reach us as PDF text whose line breaks are gone (GENRE.md), while
others keep every break of their typesetting.  Extraction must give the same facts from
both, so it never reads the source's own line breaks: ``layout_view`` turns every line
and page break into a space and puts a break back only before (and after) what the genre
marks as structure, wherever it stands: section headings (``patterns/sections.yml``),
cover-page and header labels, ``§`` paragraphs, numbered list items and bullets
(``patterns/layout.yml``).  The view has the length of the text it came from, so every
offset into it is an offset into the stored text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from .regex import anchored_matches, capitalised_matches, is_literal, literal_alternation, unescape

PATTERNS = Path(__file__).resolve().parent / "patterns"

# guards written after the first character, so the regex engine skips to candidates
_NUMBERED = re.compile(r"(\d(?<=\s.)\d?)[.)](?=[ \t]+[^\s\d])")
# "Att" opening an att-sats: a break in the white space before it (found from the "A":
# a pattern opening with white space is tried at every space of the text)
_CAPITAL_ATT = re.compile(r"Att(?<=\sAtt)(?=\s+[a-zåäö])")
# the start of the heading patterns naming any body (sections.yml): "Kultur- och fritidsnämndens"
_ANY_BODY = r"(?>\w+)(?:- och (?>\w+))?"


@dataclass(frozen=True)
class _Cues:
    cue: re.Pattern[str]
    opening_only: frozenset[str]
    opening_chars: int
    paragraph: re.Pattern[str]
    paragraph_reach: int
    not_after: re.Pattern[str]
    bullet: re.Pattern[str]
    dash: re.Pattern[str]
    dash_opens_after: re.Pattern[str]
    dash_item_end: re.Pattern[str]
    dash_item_start: re.Pattern[str]
    list_opener: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = load_yaml(PATTERNS / "layout.yml")
    sections = load_yaml(PATTERNS / "sections.yml")
    # headings with a free tail (".{1,60}") would swallow the text after them
    headings = [
        p for spec in sections.values() for p in spec["headings"] if ".{" not in p and p.strip(":")
    ]
    labels = [re.escape(lab) for lab in data["labels"]]
    alternatives = {*headings, *labels}
    # the patterns first (they are the longer, "Förvaltningens förslag till beslut"), then
    # the literal words as one trie: a flat alternation of 200 words was two thirds of
    # the view's time
    patterns = sorted((p for p in alternatives if not is_literal(p)), key=len, reverse=True)
    # the "<any body>s beslut" patterns share their start, which reads a word: merged
    # under one start, each position's word is read once, not once per pattern (half
    # the view's time)
    shared = [p[len(_ANY_BODY) :] for p in patterns if p.startswith(_ANY_BODY)]
    if shared:
        patterns = [f"{_ANY_BODY}(?:{'|'.join(shared)})"] + [
            p for p in patterns if not p.startswith(_ANY_BODY)
        ]
    words = literal_alternation(unescape(p).lower() for p in alternatives if is_literal(p))
    cue = re.compile(
        rf"(?<!\S)(?P<cue>(?:{'|'.join([*patterns, words])}))(?P<colon>[ \t]*:)?"
        rf"(?=(?(colon)\s|[ \t]+(?-i:{data['value_start']}))|\s*$)",
        re.IGNORECASE,
    )
    return _Cues(
        cue=cue,
        opening_only=frozenset(x.lower() for x in data["opening_only"]),
        opening_chars=int(data["opening_chars"]),
        paragraph=re.compile(data["paragraph"]),
        paragraph_reach=int(data["paragraph_reach"]),
        not_after=re.compile(data["paragraph_not_after"], re.IGNORECASE),
        bullet=re.compile(rf"{data['bullets']}(?<=\s.)"),
        dash=re.compile(data["dash"]),
        dash_opens_after=re.compile(data["dash_opens_after"], re.IGNORECASE),
        dash_item_end=re.compile(data["dash_item_end"]),
        dash_item_start=re.compile(data["dash_item_start"]),
        list_opener=re.compile(data["list_openers"], re.IGNORECASE),
    )


def flatten(text: str) -> str:
    """``text`` with every line and page break turned into a space (same length)."""
    # four replaces: str.translate with a table looks up every character (10x slower)
    return text.replace("\n", " ").replace("\f", " ").replace("\r", " ").replace("\v", " ")


def layout_view(text: str) -> str:
    """The layout view of ``text``: same length, breaks only before and after the cues."""
    flat = flatten(text)
    cues = _cues()
    breaks: set[int] = set()
    openings = [0]
    for m in anchored_matches(cues.paragraph, flat, "§", reach=cues.paragraph_reach):
        before = flat[max(0, m.start() - 60) : m.start()].rstrip()
        if cues.not_after.search(before):
            continue
        breaks.add(m.start() - 1)
        openings.append(m.start())
    # only a capitalised cue breaks a line, so the cue pattern is tried at the capitals
    # that start words (60 % of the view's time, tried everywhere)
    for m in capitalised_matches(cues.cue, flat):
        word = m.group("cue")
        if not word[:1].isupper():
            continue
        if word.lower() in cues.opening_only and not any(
            0 <= m.start() - o < cues.opening_chars for o in openings
        ):
            continue
        breaks.add(m.start() - 1)
        breaks.add(m.end())
    for m in cues.bullet.finditer(flat):
        breaks.add(m.start() - 1)
    breaks.update(_numbered_items(flat, cues.list_opener))
    if "Att" in flat:
        text_start = len(flat) - len(flat.lstrip())
        for m in _CAPITAL_ATT.finditer(flat):
            if m.start() - 1 > text_start:  # white space before it, and text before that
                breaks.add(m.start() - 1)
    breaks.update(_dash_bullets(flat, breaks, cues))
    pieces = []
    last = 0
    for at in sorted(breaks):
        if 0 <= at < len(flat) and flat[at] in " \t":
            pieces.append(flat[last:at])
            pieces.append("\n")
            last = at + 1
    pieces.append(flat[last:])
    return "".join(pieces)


def _dash_bullets(flat: str, breaks: set[int], cues: _Cues) -> list[int]:
    """Break positions before the dashes that are bullets (see ``layout.yml``)."""
    out: list[int] = []
    ordered = sorted(breaks)
    in_list = False
    last = 0
    for m in cues.dash.finditer(flat):
        k = bisect.bisect_left(ordered, m.start())
        prev_break = ordered[k - 1] if k else -1
        if prev_break >= last:
            in_list = False  # a cue since the last dash ended the run
        last = m.end()
        before = flat[max(0, m.start() - 30) : m.start()]
        after = flat[m.end() : m.end() + 40]
        if before.rstrip()[-1:].isdigit() and after.lstrip()[:1].isdigit():
            continue  # a range: "2019 – 2020"
        opens = not flat[prev_break + 1 : m.start()].strip() or cues.dash_opens_after.search(before)
        item_like = cues.dash_item_end.search(before) or cues.dash_item_start.match(after)
        if opens or (in_list and item_like):
            out.append(m.start() - 1)
            in_list = True
    return out


def _numbered_items(flat: str, opener: re.Pattern[str]) -> list[int]:
    """Break positions before ``1.``, ``2.``, … that follow each other as a list does."""
    found = [(m.start(), int(m.group(1))) for m in _NUMBERED.finditer(flat)]
    out: list[int] = []
    last: tuple[int, int] | None = None  # (position, number) of the previous accepted item
    for n, (pos, num) in enumerate(found):
        if last and num == last[1] + 1 and pos - last[0] < 2500:
            out.append(pos - 1)
            last = (pos, num)
            continue
        opens = opener.search(flat[max(0, pos - 30) : pos].rstrip())
        if num == 1 and (
            opens or any(k == 2 and 0 < p - pos < 2500 for p, k in found[n + 1 : n + 12])
        ):
            out.append(pos - 1)
            last = (pos, num)
    return out
