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

import bisect
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..model import BodyMention, DecisionProposal, Item, Section
from ..text.regex import lowered, spans_holding
from ..text.sections import line_spans, standard_heading
from .bodies import find_bodies
from .persons import is_name, is_title
from .spans import covers, within, within_spans

PATTERNS = Path(__file__).resolve().parent / "patterns"

_PROPOSING_KINDS = frozenset({"Kallelse", "Föredragningslista", "Tjänsteskrivelse", "Tjänsteutlåtande"})
# Kinds whose writer proposes: "Jag föreslår att …" opens their att-clauses, and a bare
# "Förslag:" is the subject line of the form, not a heading of proposals
_OWN_PROPOSAL_KINDS = frozenset({"Motion", "Medborgarförslag", "Nämndinitiativ"})
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}|[a-h])[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-–•]\s+(?P<text>\S.*)$")
_SENTENCE_END = (".", "!", "?", ";", ",", "samt", "och")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    spec = load_yaml(PATTERNS / "facts.yml")["proposals"]
    return {k: re.compile(v, re.IGNORECASE | re.MULTILINE) for k, v in spec.items() if isinstance(v, str)}


@lru_cache(maxsize=1)
def _intro_words() -> tuple[str, ...]:
    return tuple(load_yaml(PATTERNS / "facts.yml")["proposals"]["intro_words"])


@lru_cache(maxsize=1)
def _any_intro_word() -> re.Pattern[str]:
    """Any of the intro words, as one pattern (a line is searched once, not once a word)."""
    return re.compile("|".join(map(re.escape, _intro_words())))


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


def _intro(
    text: str, s: int, e: int, bodies: list[BodyMention], *, own: bool = False
) -> tuple[str, str | None, int] | None:
    """(kind, body, end of intro) when the line opens a block; ``own``: in a document
    whose writer proposes (a motion), "Jag föreslår" opens one too."""
    pats = _patterns()
    line = text[s:e]
    lower = line.lower()
    if not _any_intro_word().search(lower):
        return None
    m = pats["proposes_to"].search(line)
    if m and not pats["motion_intro"].search(line[: m.end()]) or m and re.match(r"\s*(?:kommun|region|stads)?fullmäktige", m.group("to"), re.IGNORECASE):
        to = _bodies_in(bodies, s + m.start("to"), s + m.end("to"))
        if to:
            return "proposes", to[0].name, s + m.end()
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
    if own:  # last: "Vi föreslår att fullmäktige beslutar: Att …" is read above
        m = pats["own_proposal_intro"].match(line)
        if m:
            # "Vi föreslår att kommunfullmäktige besl utar:" (OCR) introduces the list
            ends_list = line.rstrip().endswith(":") or text[e : e + 3].lstrip().startswith(":")
            return "motion", None, e if ends_list else s + m.end()
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
    proposing: bool = False,
    own: bool = False,
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
        intro = _intro(text, s, e, bodies, own=own)
        if own and out and intro and pats["own_proposal_intro"].match(line):
            break  # the writer's next "Jag föreslår" opens a block of its own
        if intro and not marked and not pats["att_item"].match(item_text):
            ikind, ibody, iend = intro
            rest = text[iend:e].strip(" :")
            if ikind == "proposes":
                kind = "proposal"  # "X föreslår kommunfullmäktige besluta": X decided to propose
            elif not (kind == "proposal" and ikind == "decision" and proposing):
                kind = ikind if ikind != "proposal" or kind != "decision" else kind
            body = ibody or body
            lead_in = (  # "Mitt förslag är att kommunen 1. öppnar … 2. tar fram …"
                own
                and len(rest.split()) <= 3
                and i + 1 < len(lines)
                and _item(text, *lines[i + 1])[2]
            )
            if rest and rest.lower() not in ("att", "följande") and not lead_in:
                ordinal += 1
                # "… beslutar: Att …" / "… beslutar att …" in one unit (a text without line
                # breaks): the item is the clause after the intro, not the intro with it
                start = e - len(text[iend:e].lstrip(" :")) if rest.lower().startswith("att ") else s
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
    for d in out:
        m = _TRAILING_JOIN.search(text, d["text_start"], d["end"])
        if m and m.start() > d["text_start"]:
            d["end"] = m.start()
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


# An att-clause list written on one line ("beslutar att godkänna …, att uppdra …, samt att
# …"), as every list is once the line breaks are gone: each clause is a unit of its own.
# The lead-in ("beslutar för egen del", "föreslås besluta:") is cut off its first clause too,
# and a dash or bullet before a clause is its mark.
# (the leading lookahead names the characters a cut starts with: the regex engine skips
# to them, where the lookbehinds made it try every position; twice as fast)
# (``_inline_att_cuts`` tries it only before an "att", up to 5 characters before the run
# of spaces and dashes there: keep its separators that short, or widen the reach there)
_INLINE_ATT = re.compile(
    r"(?=[,;:\s])(?:[,;:]|\s(?:samt|och)|\s[-–•]|(?<=besluta)|(?<=beslutar)|(?<=egen del))\s+(?:[-–•]\s+)?(?=att\s+\S)"
    r"|:\s+(?=Att\s+\S)"  # "… besl utar: Att …" (OCR), where no heading cue broke the line
)
_ATT = re.compile(r"[aA]tt")


def _inline_att_cuts(text: str, a: int, b: int) -> list[re.Match[str]]:
    """``_INLINE_ATT.finditer(text, a, b)``, tried only before an "att": every cut ends
    at one, after a separator (at most " samt") and a run of spaces and dashes.  The
    pattern opens on white space, and trying it at every space of every unit was the
    most of reading units."""
    out: list[re.Match[str]] = []
    end = a
    for att in _ATT.finditer(text, a, b):
        p = att.start()
        if p == a or not text[p - 1].isspace():
            continue  # white space stands right before the "att" of every cut
        q = p
        while q > a and (text[q - 1].isspace() or text[q - 1] in "-–•"):
            q -= 1
        for c in range(max(end, q - 5, a), p):
            m = _INLINE_ATT.match(text, c, b)
            if m is not None:
                out.append(m)
                end = m.end()
                break
    return out


_TRAILING_JOIN = re.compile(r"(?:[,;]|\s+(?:samt|och))\s*$")


_MARK_ONLY = re.compile(r"(?:\d{1,2}|[a-h])[.)]")


def _marks_joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences with a lone list mark (``1.``, which a sentencizer ends a sentence at)
    joined to the sentence it numbers."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and _MARK_ONLY.fullmatch(text[out[-1][0] : out[-1][1]].strip()):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _units(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The units a block is read in: the sentences of each line of the layout view, an
    inline list of att-clauses cut into its clauses, without the joining ``, samt``."""
    out: list[tuple[int, int]] = []
    for s, e in line_spans(text, 0, len(text)):
        inside = _marks_joined(text, [(max(a, s), min(b, e)) for a, b in within_spans(sentences, s, e)] or [(s, e)])
        for a, b in inside:
            a, b = max(a, s), min(b, e)
            # every cut is before an "att": most units have none
            cuts = [m for m in _inline_att_cuts(text, a, b) if m.end() > a + 4]
            starts = [a] + [m.end() for m in cuts]
            ends = [m.start() for m in cuts] + [b]
            for x, y in zip(starts, ends):
                # a typed rule ("______", as protokoll items end) is not part of a sentence
                while y > x and (text[y - 1].isspace() or text[y - 1] == "_"):
                    y -= 1
                if y > x:
                    out.append((x, y))
    return out


def _next_start(starts: list[int], pos: int, default: int) -> int:
    """The first of the sorted ``starts`` after ``pos``, else ``default``."""
    k = bisect.bisect_right(starts, pos)
    return starts[k] if k < len(starts) else default


def _deciding_body(sections: list[Section], proposal: Section, limit: int, municipality: str | None) -> str | None:
    """The body of the first Beslut heading after ``proposal`` and before ``limit``."""
    for sec in sections:
        if sec.key == "beslut" and proposal.start < sec.start < limit:
            found = find_bodies(sec.title, municipality=municipality)
            return found[0].name if found else None
    return None


def find_proposals(
    text: str,
    sections: list[Section],
    bodies: list[BodyMention],
    *,
    items: list[Item] = (),
    municipality: str | None = None,
    own_body: str | None = None,
    sentences: list[tuple[int, int]] = (),
    doc_kind: str | None = None,
) -> list[DecisionProposal]:
    """Proposals, motions and decisions in text order."""
    lines = _units(text, sentences)
    # in a Förslag till beslut or Beslut section every sentence is an item; elsewhere
    # only a marked or att item after an intro is (a plain sentence there is prose)
    own = doc_kind in _OWN_PROPOSAL_KINDS
    blocks = [
        sec
        for sec in sections
        if sec.key in ("forslag_till_beslut", "beslut")
        # "Förslag: Sänk farten på Frösakullsvägen" names a motion's subject
        and not (own and sec.title.strip(" :").lower() == "förslag")
    ]
    in_sections = [(sec.body_start, sec.end) for sec in blocks]
    in_sections.sort()
    cut = {n for n, (s, _e) in enumerate(lines) if not covers(in_sections, s)}
    used: set[int] = set()
    out: list[DecisionProposal] = []
    item_starts = sorted(it.start for it in items)
    line_starts = [s for s, _e in lines]
    for sec in blocks:
        kind = "proposal" if sec.key == "forslag_till_beslut" else "decision"
        heading_body = find_bodies(sec.title, municipality=municipality)
        body = heading_body[0].name if heading_body else own_body
        first = bisect.bisect_left(line_starts, sec.body_start)
        item_end = _next_start(item_starts, sec.start, len(text))
        limit = min(item_end, sec.end + 1)
        if kind == "proposal" and body is None:
            # a bare "Förslag:" in a protokoll goes to the body whose "X:s beslut" follows
            # it in the same item
            body = _deciding_body(sections, sec, item_end, municipality)
        facts, stop = _parse_block(
            text, lines, first, kind=kind, body=body, bodies=bodies, limit=limit, cut=cut, proposing=kind == "proposal"
        )
        out.extend(facts)
        used.update(range(first, stop))
    # only a line that holds an intro word can open a block (``_intro``)
    may_open = set(spans_holding(_any_intro_word(), lowered(text), lines))

    def blocks_from_intros(own_intros: bool) -> list[list[DecisionProposal]]:
        found: list[list[DecisionProposal]] = []
        n = 0
        while n < len(lines):
            if n in used or lines[n] not in may_open:
                n += 1
                continue
            s, e = lines[n]
            intro = _intro(text, s, e, bodies, own=own_intros)
            if intro is None:
                n += 1
                continue
            kind, body, _iend = intro
            kind = "proposal" if kind == "proposes" else kind
            limit = _next_start(item_starts, s, len(text) + 1)
            facts, stop = _parse_block(
                text, lines, n, kind=kind, body=body or own_body, bodies=bodies, limit=limit, cut=cut,
                own=own_intros,
            )
            found.append(facts)
            n = max(stop, n + 1)
        return found

    from_intros = blocks_from_intros(False)
    if own and not any(p.kind == "motion" for p in out + [p for b in from_intros for p in b]):
        # No "… beslutar" closes the motion: its writer's own "Jag föreslår att …" does
        # (where one does, a "jag föreslår" in the reasoning before it is argument).  A
        # list of att-clauses is the proposal; a lone "vi föreslår att …" beside one is
        # reasoning or reported speech.
        from_intros = blocks_from_intros(True)
        if any(len(b) > 1 for b in from_intros):
            from_intros = [b for b in from_intros if len(b) > 1]
    out.extend(p for b in from_intros for p in b)
    if doc_kind in _PROPOSING_KINDS:
        # nothing is decided in a kallelse or a tjänsteskrivelse: "X beslutar att" there
        # is what X is proposed to decide
        out = [replace(p, kind="proposal") if p.kind == "decision" else p for p in out]
    out.sort(key=lambda p: p.start)
    return out
