"""Recommendations: who recommends what to which bodies.

Audit recommendations appear in three shapes (patterns in ``patterns/facts.yml``):
passive (``Kommunstyrelsen rekommenderas säkerställa att …``: targets before the
verb, the issuer is the audit the document is about), active
(``Revisionskontoret rekommenderar kommunstyrelsen att …``) and a numbered list
after an intro (``Revisionskontoret lämnar tre rekommendationer till
stadsdelsnämnden: 1. … 2. …``).  Plural class nouns in the target phrase
(``övriga granskade nämnder``, ``stadsdelsnämnderna som ingår i granskningen``)
resolve to the audited bodies the document names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .bodies import capitalize, find_bodies
from .model import BodyMention, Organisation, Recommendation
from .patterns import load_yaml

_LIST_ITEM = re.compile(r"^(?:(?P<num>\d{1,2})[.)]|[-–•])\s+(?P<text>\S.*)$")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str] | list]:
    spec = load_yaml("facts.yml")["recommendations"]
    out: dict = {}
    for key, value in spec.items():
        if isinstance(value, str):
            flags = 0 if key == "nominal" else re.IGNORECASE
            out[key] = re.compile(value, flags | re.MULTILINE)
        else:
            out[key] = value
    return out


def _bodies_in(bodies: list[BodyMention], start: int, end: int) -> list[BodyMention]:
    return [b for b in bodies if start <= b.start and b.end <= end]


def _unique(names) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n, None)
    return tuple(seen)


def audited_bodies(text: str, sentences: list[tuple[int, int]], bodies: list[BodyMention]) -> tuple[str, ...]:
    """Bodies the document names as audited (``Granskade nämnder är A, B samt C``)."""
    pat = _patterns()["audited_list"]
    names: list[str] = []
    for s, e in sentences:
        sentence = text[s:e]
        if pat.search(sentence):
            names.extend(b.name for b in _bodies_in(bodies, s, e) if b.kind in ("nämnd", "styrelse", "fullmäktige"))
    return _unique(names)


def _auditor(bodies: list[BodyMention], organisations: list[Organisation]) -> str | None:
    """The audit a passive recommendation comes from: the first auditor the document names."""
    pats = _patterns()
    for b in bodies:
        if b.kind in pats["auditor_kinds"] or b.name in pats["auditor_names"]:
            return b.name
    return None


def _targets(
    text: str, start: int, end: int, bodies: list[BodyMention], audited: tuple[str, ...]
) -> tuple[str, ...]:
    """Target bodies named in text[start:end], with audited-set and class plurals resolved."""
    pats = _patterns()
    phrase = text[start:end]
    names = [b.name for b in _bodies_in(bodies, start, end) if b.kind != "förvaltning" or b.name == "Stadskontoret"]
    m = pats["audited_set"].search(phrase)
    if m:
        cls = re.search(r"(\w+)nämnderna\s+som\s+ingår", phrase)
        members = list(audited)
        if cls:
            members = [a for a in audited if cls.group(1).lower() in a.lower()]
        names.extend(members)
    else:
        cls = re.search(r"\b(\w+)nämnderna\b", phrase, re.IGNORECASE)
        if cls and audited:
            names.extend(a for a in audited if cls.group(1).lower() in a.lower())
    return _unique(names)


def _issuer_name(phrase: str, bodies_in_phrase: list[BodyMention], orgs_in_phrase: list[Organisation]) -> str | None:
    if bodies_in_phrase:
        return bodies_in_phrase[-1].name
    if orgs_in_phrase:
        return orgs_in_phrase[-1].name
    m = re.search(r"([A-ZÅÄÖ][\wåäö-]+?)(?:s)?\s*$", phrase.strip())
    if m:
        word = phrase.strip().split()[-1]
        word = word[:-1] if word.endswith("s") and word.lower().endswith(("ens", "ets")) else word
        return capitalize(word)
    return None


def find_recommendations(
    text: str,
    sentences: list[tuple[int, int]],
    bodies: list[BodyMention],
    organisations: list[Organisation],
) -> list[Recommendation]:
    """Every recommendation statement, in text order."""
    pats = _patterns()
    audited = audited_bodies(text, sentences, bodies)
    auditor = _auditor(bodies, organisations)
    out: list[Recommendation] = []
    used_lines: set[int] = set()
    for s, e in sentences:
        sentence = text[s:e]
        if pats["list_intro"].search(sentence) and _LIST_ITEM.match(_next_line(text, e)):
            issuer = _intro_issuer(text, s, e, bodies, organisations) or auditor
            target_start = s
            tm = re.search(r"\btill\b", sentence)
            if tm:
                target_start = s + tm.end()
            targets = _targets(text, target_start, e, bodies, audited)
            for n, (ls, le, num) in enumerate(_list_after(text, e)):
                used_lines.add(ls)
                out.append(Recommendation(text[ls:le], issuer, targets, ls, le, int(num) if num else n + 1))
            continue
        if s in used_lines:
            continue
        pm = pats["passive"].search(sentence)
        am = pats["active"].search(sentence)
        nm = pats["nominal"].search(sentence)
        if pm:
            targets = _targets(text, s, s + pm.start(), bodies, audited)
            issuer = auditor if targets else (_section_issuer(text, s) or auditor)
            out.append(Recommendation(sentence, issuer, targets, s, e))
        elif am:
            before_b = _bodies_in(bodies, s, s + am.start())
            before_o = [o for o in organisations if s <= o.start and o.end <= s + am.start()]
            issuer = _issuer_name(sentence[: am.start()], before_b, before_o)
            att = re.search(r"\batt\b", sentence[am.end() :])
            t_end = s + am.end() + (att.start() if att else len(sentence) - am.end())
            targets = _targets(text, s + am.end(), t_end, bodies, audited)
            out.append(Recommendation(sentence, issuer, targets, s, e))
        elif nm:
            issuer = capitalize(nm.group("issuer")[:-1]) if nm.group("issuer").endswith("s") else nm.group("issuer")
            out.append(Recommendation(sentence, issuer, (), s, e))
    return out


def _next_line(text: str, pos: int) -> str:
    rest = text[pos:].lstrip("\n ")
    return rest.split("\n", 1)[0]


def _list_after(text: str, pos: int):
    """(start, end, number) of the list items (``1. …`` or ``- …``) right after ``pos``."""
    i = pos
    while i < len(text) and text[i] in " \n":
        i += 1
    while i < len(text):
        j = text.find("\n", i)
        j = len(text) if j < 0 else j
        line = text[i:j]
        m = _LIST_ITEM.match(line)
        if not m:
            break
        ts = i + m.start("text")
        yield ts, j, m.group("num")
        i = j
        while i < len(text) and text[i] == "\n":
            i += 1


def _intro_issuer(text, s, e, bodies, organisations) -> str | None:
    sentence = text[s:e]
    vm = re.search(r"\b(?:lämnar|ger|riktar|rekommenderar)\b", sentence, re.IGNORECASE)
    if not vm:
        return None
    before_b = _bodies_in(bodies, s, s + vm.start())
    before_o = [o for o in organisations if s <= o.start and o.end <= s + vm.start()]
    if not before_b and not before_o:
        return None
    return _issuer_name(sentence[: vm.start()], before_b, before_o)


def _section_issuer(text: str, pos: int) -> str | None:
    """A section headed ``Genomlysningens rekommendation`` names its issuer."""
    head = text.rfind("rekommendation\n", 0, pos)
    if head < 0:
        return None
    line_start = text.rfind("\n", 0, head) + 1
    words = text[line_start:head].split()
    if len(words) == 1 and words[0].endswith("s"):
        return capitalize(words[0][:-1])
    return None
