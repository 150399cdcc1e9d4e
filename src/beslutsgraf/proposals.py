"""Decision proposals, motions' att-satser and protokoll decisions.

- ``Förslag till beslut``: the deciding body comes from ``X föreslås besluta``
  (or ``I kommunstyrelsen:``), else from the body that opens the proposal.
  Each numbered item, ``att``-line or plain line is one proposal.
- Motions/initiatives: ``Vi föreslår att X beslutar:`` followed by ``Att …``
  lines; ``Y uppdras att …`` names Y as the assignee.
- Protokoll: ``X beslutar att …`` sentences and the lines of a ``Beslut`` section.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .bodies import find_bodies
from .model import BodyMention, DecisionProposal, Section

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}|[a-h])[.)]\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-–•]\s+(?P<text>\S.*)$")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    from .patterns import load_yaml

    spec = load_yaml("facts.yml")["proposals"]
    return {k: re.compile(v, re.IGNORECASE | re.MULTILINE) for k, v in spec.items()}


def _lines(text: str, start: int, end: int):
    pos = start
    for line in text[start:end].split("\n"):
        s = pos + (len(line) - len(line.lstrip()))
        e = pos + len(line.rstrip())
        pos += len(line) + 1
        if e > s:
            yield s, e


def _opening_body(bodies: list[BodyMention], s: int, e: int) -> BodyMention | None:
    for b in bodies:
        if s <= b.start < min(e, s + 3) and b.kind != "förvaltning":
            return b
    return None


def _assignee(text: str, s: int, e: int, bodies: list[BodyMention]) -> str | None:
    m = _patterns()["assignment"].search(text, s, e)
    if not m:
        return None
    before = [b for b in bodies if s <= b.start and b.end <= m.start()]
    if before:
        return before[-1].name
    after = [b for b in bodies if m.end() <= b.start and b.end <= e]
    return after[0].name if after else None


def _item(text: str, s: int, e: int) -> tuple[int, int, int | None]:
    """Strip a list number/bullet: (start, end, ordinal)."""
    line = text[s:e]
    m = _NUMBERED.match(line)
    if m:
        num = m.group("num")
        return s + m.start("text"), e, int(num) if num.isdigit() else ord(num) - ord("a") + 1
    m = _BULLET.match(line)
    if m:
        return s + m.start("text"), e, None
    return s, e, None


def find_proposals(
    text: str,
    sections: list[Section],
    bodies: list[BodyMention],
    *,
    municipality: str | None = None,
    own_body: str | None = None,
) -> list[DecisionProposal]:
    """Proposals of ``Förslag till beslut`` sections, motions and decisions, in text order."""
    pats = _patterns()
    out: list[DecisionProposal] = []
    covered: list[tuple[int, int]] = []
    for sec in sections:
        if sec.key not in ("forslag_till_beslut", "beslut"):
            continue
        kind = "proposal" if sec.key == "forslag_till_beslut" else "decision"
        body = _body_of_heading(sec.title, municipality) or (own_body if kind == "decision" else None)
        covered.append((sec.start, sec.end))
        ordinal = 0
        for s, e in _lines(text, sec.body_start, sec.end):
            line = text[s:e]
            if pats["not_proposals"].match(line):
                continue
            if pats["deciding_body"].search(line) and len(line) < 160:
                found = [b for b in bodies if s <= b.start and b.end <= e]
                if found:
                    body = found[0].name
                continue
            ts, te, num = _item(text, s, e)
            opening = _opening_body(bodies, ts, te)
            ordinal = num if num is not None else ordinal + 1
            out.append(
                DecisionProposal(
                    text=text[ts:te],
                    body=opening.name if opening else (body or own_body),
                    start=ts,
                    end=te,
                    ordinal=ordinal,
                    kind=kind,
                    assignee=_assignee(text, ts, te, bodies),
                )
            )
    out.extend(_motions(text, bodies, covered))
    out.extend(_decisions(text, bodies, covered, own_body))
    out.sort(key=lambda p: p.start)
    return out


def _body_of_heading(title: str, municipality: str | None) -> str | None:
    found = find_bodies(title, municipality=municipality)
    return found[0].name if found else None


def _inside(pos: int, covered: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in covered)


def _motions(text: str, bodies: list[BodyMention], covered: list[tuple[int, int]]) -> list[DecisionProposal]:
    pats = _patterns()
    out: list[DecisionProposal] = []
    for m in pats["motion_intro"].finditer(text):
        if _inside(m.start(), covered):
            continue
        intro_bodies = [b for b in bodies if m.start() <= b.start and b.end <= m.end()]
        body = intro_bodies[-1].name if intro_bodies else None
        pos = text.find("\n", m.end())
        ordinal = 0
        for s, e in _lines(text, pos if pos >= 0 else len(text), len(text)):
            ts, te, num = _item(text, s, e)
            if not pats["att_item"].match(text[ts:te]):
                break
            ordinal = num if num is not None else ordinal + 1
            out.append(
                DecisionProposal(
                    text=text[ts:te], body=body, start=ts, end=te, ordinal=ordinal, kind="motion",
                    assignee=_assignee(text, ts, te, bodies),
                )
            )
        covered.append((m.start(), out[-1].end if out else m.end()))
    return out


def _decisions(
    text: str, bodies: list[BodyMention], covered: list[tuple[int, int]], own_body: str | None
) -> list[DecisionProposal]:
    pats = _patterns()
    out: list[DecisionProposal] = []
    for s, e in _lines(text, 0, len(text)):
        if _inside(s, covered):
            continue
        m = pats["decision"].search(text, s, e)
        if not m:
            continue
        opening = [b for b in bodies if s <= b.start and b.end <= m.start()]
        if not opening or opening[0].start > s + 3:
            continue
        out.append(
            DecisionProposal(
                text=text[s:e], body=opening[0].name, start=s, end=e, ordinal=None, kind="decision",
                assignee=_assignee(text, s, e, bodies),
            )
        )
    return out
