"""Decision proposals, motions' att-satser and protokoll decisions.

All three are read by one block parser: an optional *intro* that names the
deciding body (``Kommunstyrelsen föreslås besluta``, ``I kommunstyrelsen:``,
``Vi föreslår att kommunfullmäktige beslutar:``, ``Kommunstyrelsen beslutar att``),
then *items*: numbered or lettered lines, ``att …`` clauses, bullets, or plain
sentences.  A line wrapped by the source continues the item before it.  A block
ends at protokoll furniture (``§``, ``Dnr``, ``Reservation``, signatures), at a
heading, or at the first line that is none of these.

Where blocks are looked for: the ``Förslag till beslut`` and ``Beslut`` sections
(kinds ``proposal``/``decision``), and any line that is itself an intro.  ``Y
uppdras att …`` / ``uppdra åt Y att …`` names Y as the assignee.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..model import BodyMention, DecisionProposal, Item, Section
from ..text.sections import line_spans, standard_heading
from .bodies import find_bodies
from .persons import is_name, is_title
from .spans import within, within_spans

PATTERNS = Path(__file__).resolve().parent / "patterns"

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}|[a-h])[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-–•]\s+(?P<text>\S.*)$")
_SENTENCE_END = (".", "!", "?", ";", ",", "samt", "och")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    spec = load_yaml(PATTERNS / "facts.yml")["proposals"]
    return {k: re.compile(v, re.IGNORECASE | re.MULTILINE) for k, v in spec.items()}


def _bodies_in(bodies: list[BodyMention], s: int, e: int) -> list[BodyMention]:
    return within(bodies, s, e)


def _assignee(text: str, s: int, e: int, bodies: list[BodyMention]) -> str | None:
    m = _patterns()["assignment"].search(text, s, e)
    if m:
        before = _bodies_in(bodies, s, m.start())
        if before:
            return before[-1].name
    m = re.compile(r"\buppdra(?:s|r)?\s+åt\b|\bge\s+|\bger\s+", re.IGNORECASE).search(text, s, e)
    if m and re.search(r"\buppdrag\b|\buppdra\b", text[s:e], re.IGNORECASE):
        after = [b for b in _bodies_in(bodies, m.end(), e)]
        if after:
            return after[0].name
    return None


def _item(text: str, s: int, e: int) -> tuple[int, int | None, bool]:
    """(text start, ordinal, is_marked) of a line: number/letter/bullet stripped."""
    line = text[s:e]
    m = _NUMBERED.match(line)
    if m:
        num = m.group("num")
        return s + m.start("text"), int(num) if num.isdigit() else ord(num) - ord("a") + 1, True
    m = _BULLET.match(line)
    if m:
        return s + m.start("text"), None, True
    return s, None, False


def _is_signature(line: str) -> bool:
    first = re.split(r"\s*[(,]", line, maxsplit=1)[0].strip()
    return is_name(first) or is_title(line.strip()) and len(line.split()) <= 3


def _intro(text: str, s: int, e: int, bodies: list[BodyMention]) -> tuple[str, str | None, int] | None:
    """(kind, body, end of intro) when the line opens a block."""
    pats = _patterns()
    line = text[s:e]
    for kind, key in (("motion", "motion_intro"), ("proposal", "deciding_body"), ("decision", "decision")):
        m = pats[key].search(line)
        if not m:
            continue
        found = _bodies_in(bodies, s, s + m.end()) if kind != "proposal" else _bodies_in(bodies, s, e)
        if kind == "decision" and (not found or found[0].start > s + 3):
            continue
        if kind == "proposal" and key == "deciding_body" and len(line) > 300:
            continue
        body = found[-1].name if kind == "motion" and found else (found[0].name if found else None)
        return kind, body, s + m.end()
    return None


def _parse_block(
    text: str,
    lines: list[tuple[int, int]],
    i: int,
    *,
    kind: str,
    body: str | None,
    bodies: list[BodyMention],
    limit: int,
    cut: set[int] = frozenset(),
) -> tuple[list[DecisionProposal], int]:
    """Items from line ``i`` on; returns the facts and the index of the first line not used.
    Units in ``cut`` are sentences of a long line: only a marked or ``att`` item counts there."""
    pats = _patterns()
    out: list[dict] = []
    ordinal = 0
    while i < len(lines) and lines[i][0] < limit:
        s, e = lines[i]
        line = text[s:e]
        if pats["stop"].match(line) or standard_heading(line) or (_is_signature(line) and not line.endswith(".")):
            break
        ts, num, marked = _item(text, s, e)
        item_text = text[ts:e]
        intro = _intro(text, s, e, bodies)
        if intro and not marked and not pats["att_item"].match(item_text):
            ikind, ibody, iend = intro
            rest = text[iend:e].strip(" :")
            kind = ikind if ikind != "proposal" or kind != "decision" else kind
            body = ibody or body
            if rest and rest.lower() not in ("att", "följande"):
                ordinal += 1
                # "… beslutar: Att …" on one line (a text without line breaks): the item
                # is what follows the intro, not the intro with it
                start = e - len(text[iend:e].lstrip(" :")) if rest.startswith("Att ") else s
                out.append({"text_start": start, "end": e, "ordinal": ordinal, "kind": kind, "body": body})
            i += 1
            continue
        continuation = (
            out and not marked and item_text[:1].islower() and not pats["att_item"].match(item_text)
            and not text[out[-1]["text_start"] : out[-1]["end"]].rstrip().endswith((".", "!"))
        )
        if continuation:
            out[-1]["end"] = e
        elif marked or pats["att_item"].match(item_text) or (i not in cut and (
            pats["procedural"].match(item_text) or (item_text.endswith(_SENTENCE_END) and len(item_text) > 20)
        )):
            ordinal = num if num is not None else ordinal + 1
            opening = [b for b in _bodies_in(bodies, ts, e) if b.start < ts + 3 and b.kind != "förvaltning"]
            out.append({"text_start": ts, "end": e, "ordinal": ordinal, "kind": kind, "body": opening[0].name if opening else body})
        elif out:
            break
        i += 1
    facts = [
        DecisionProposal(
            text=text[d["text_start"] : d["end"]],
            body=d["body"],
            start=d["text_start"],
            end=d["end"],
            ordinal=d["ordinal"],
            kind=d["kind"],
            assignee=_assignee(text, d["text_start"], d["end"], bodies),
        )
        for d in out
    ]
    return facts, i


# A line longer than this is a paragraph, or a text that lost its line breaks: the
# block parser reads it sentence by sentence, or one item would run to its end.
MAX_LINE = 1000


_WRAP_END = (".", ":", ";", "!", "?", ",")


def _unwrapped(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines with their soft-wrapped continuations joined: a line that does not end a
    sentence, followed directly by one that starts in lower case and is not an ``att``
    clause, is one unit with it (a PDF wraps a paragraph into lines of its width)."""
    att = _patterns()["att_item"]
    out: list[tuple[int, int]] = []
    for s, e in lines:
        if out:
            ps, pe = out[-1]
            nxt = text[s:e].lstrip()
            if (
                text[pe:s] == "\n"
                and nxt[:1].islower()
                and not att.match(nxt)
                and text[ps:pe].strip()
                and not text[ps:pe].rstrip().endswith(_WRAP_END)
            ):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def _units(text: str, sentences: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], set[int]]:
    """The lines of ``text``, a long line cut into its sentences; and the positions of
    the units that are such sentences (a plain sentence there is prose, not an item)."""
    out: list[tuple[int, int]] = []
    cut: set[int] = set()
    for s, e in _unwrapped(text, line_spans(text, 0, len(text))):
        inside = within_spans(sentences, s, e) if e - s > MAX_LINE else []
        if not inside:
            out.append((s, e))
            continue
        for a, b in inside:
            cut.add(len(out))
            out.append((max(a, s), min(b, e)))
    return out, cut


def find_proposals(
    text: str,
    sections: list[Section],
    bodies: list[BodyMention],
    *,
    items: list[Item] = (),
    municipality: str | None = None,
    own_body: str | None = None,
    sentences: list[tuple[int, int]] = (),
) -> list[DecisionProposal]:
    """Proposals, motions and decisions in text order."""
    lines, cut = _units(text, sentences)
    used: set[int] = set()
    out: list[DecisionProposal] = []
    item_starts = sorted(it.start for it in items)
    for sec in sections:
        if sec.key not in ("forslag_till_beslut", "beslut"):
            continue
        kind = "proposal" if sec.key == "forslag_till_beslut" else "decision"
        heading_body = find_bodies(sec.title, municipality=municipality)
        body = heading_body[0].name if heading_body else own_body
        first = next((n for n, (s, _e) in enumerate(lines) if s >= sec.body_start), len(lines))
        limit = min([b for b in item_starts if b > sec.start] + [sec.end + 1])
        facts, stop = _parse_block(text, lines, first, kind=kind, body=body, bodies=bodies, limit=limit, cut=cut)
        out.extend(facts)
        used.update(range(first, stop))
    n = 0
    while n < len(lines):
        if n in used:
            n += 1
            continue
        s, e = lines[n]
        intro = _intro(text, s, e, bodies)
        if intro is None:
            n += 1
            continue
        kind, body, _iend = intro
        limit = min([b for b in item_starts if b > s] + [len(text) + 1])
        facts, stop = _parse_block(
            text, lines, n, kind=kind, body=body or own_body, bodies=bodies, limit=limit, cut=cut
        )
        out.extend(facts)
        n = max(stop, n + 1)
    out.sort(key=lambda p: p.start)
    return out
