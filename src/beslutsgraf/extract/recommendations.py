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

import bisect
import re
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..model import BodyMention, Organisation, Recommendation
from ..text.regex import literal_alternation, lowered, spans_holding
from .bodies import capitalize
from .spans import within

PATTERNS = Path(__file__).resolve().parent / "patterns"

_LIST_ITEM = re.compile(r"^(?:(?P<num>\d{1,2})[.)]|[-–•])\s+(?P<text>\S.*)$")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str] | list]:
    spec = load_yaml(PATTERNS / "facts.yml")["recommendations"]
    out: dict = {}
    for key, value in spec.items():
        if isinstance(value, str):
            flags = 0 if key == "nominal" else re.IGNORECASE
            out[key] = re.compile(value, flags | re.MULTILINE)
        else:
            out[key] = value
    return out


def _bodies_in(bodies: list[BodyMention], start: int, end: int) -> list[BodyMention]:
    return within(bodies, start, end)


def _unique(names) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n, None)
    return tuple(seen)


# a word every match of _performers' pattern holds: only the sentences that hold one
# are read (searched in the lower-cased text)
_PERFORMED_WORD = re.compile(
    r"genomfört|genomförde|gjort|gjorde|utfört|genomlysningen|granskningen|utredningen"
)


@lru_cache(maxsize=1)
def _audited_word() -> re.Pattern[str]:
    """Any of the pieces every ``audited_list`` match holds (lower case)."""
    return re.compile(literal_alternation(_patterns()["audited_words"]))


def audited_bodies(
    text: str, sentences: list[tuple[int, int]], bodies: list[BodyMention]
) -> tuple[str, ...]:
    """Bodies the document names as audited (``Granskade nämnder är A, B samt C``)."""
    pat = _patterns()["audited_list"]
    names: list[str] = []
    for s, e in spans_holding(_audited_word(), lowered(text), sentences):
        sentence = text[s:e]
        if pat.search(sentence):
            names.extend(
                b.name
                for b in _bodies_in(bodies, s, e)
                if b.kind in ("nämnd", "styrelse", "fullmäktige")
            )
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
    names = [
        b.name
        for b in _bodies_in(bodies, start, end)
        if b.kind != "förvaltning" or b.name == "Stadskontoret"
    ]
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


def _issuer_name(
    phrase: str, bodies_in_phrase: list[BodyMention], orgs_in_phrase: list[Organisation]
) -> str | None:
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
    *,
    doc_kind: str | None = None,
) -> list[Recommendation]:
    """Every recommendation statement, in text order."""
    pats = _patterns()
    audited = audited_bodies(text, sentences, bodies)
    auditor = _auditor(bodies, organisations)
    performers = _performers(text, sentences, bodies)
    sentence_starts = [a for a, _b in sentences]
    out: list[Recommendation] = []
    used_lines: set[int] = set()
    words = pats["sentence_words"]
    for s, e in sentences:
        sentence = text[s:e]
        lower = sentence.lower()
        if not any(w in lower for w in words):
            continue
        if pats["list_intro"].search(sentence) and (
            _LIST_ITEM.match(_next_line(text, e)) or _TARGET_HEAD.match(_next_line(text, e))
        ):
            issuer, targets = _intro_parties(text, s, e, bodies, organisations, audited, performers)
            if issuer is None or (
                auditor and doc_kind in pats["audit_kinds"] and (issuer.lower() in _REVIEW_NOUNS or _WE.search(sentence))
            ):
                issuer = auditor  # "Granskningen rekommenderar …", "lämnar vi" in the auditors' own document
            n = 0
            pos = e
            while True:
                # "Till regionstyrelsen:" heads the items meant for that body
                head = _TARGET_HEAD.match(_next_line(text, pos))
                group_targets = targets
                if head:
                    hs = text.index(head.group(), pos)
                    group_targets = _targets(text, hs, hs + len(head.group()), bodies, audited) or targets
                    pos = hs + len(head.group())
                items = list(_list_after(text, pos, sentences, sentence_starts))
                for ls, le, num in items:
                    used_lines.add(ls)
                    trail = re.search(r"(?:[,;]|\s+(?:samt|och))\s*$", text[ls:le])
                    le = ls + trail.start() if trail else le
                    n += 1
                    out.append(
                        Recommendation(text[ls:le], issuer, group_targets, ls, le, int(num) if num else n)
                    )
                if not items:
                    break
                pos = items[-1][1]
                if not _TARGET_HEAD.match(_next_line(text, pos)):
                    break
            continue
        if s in used_lines:
            continue
        pm = pats["passive"].search(sentence)
        am = pats["active"].search(sentence)
        nm = pats["nominal"].search(sentence)
        sm = (
            pats["should"].match(sentence)
            if doc_kind in pats["audit_kinds"] and not (pm or am or nm)
            else None
        )
        if sm:
            targets = _targets(text, s + sm.start("target"), s + sm.end("target"), bodies, audited)
            if targets:
                out.append(Recommendation(sentence, auditor, targets, s, e))
            continue
        if pm:
            targets = _targets(text, s, s + pm.start(), bodies, audited)
            issuer = auditor
            if not targets:
                noun = _section_issuer(text, s)
                issuer = (_performer(performers, noun) if noun else None) or noun or auditor
            out.append(Recommendation(sentence, issuer, targets, s, e))
        elif am:
            if re.search(r"\bsom\s+(?:\S+\s+){0,3}$", sentence[: am.start()]):
                continue  # "den vägledning som revisionskontoret rekommenderar …" restates one
            issuer, targets = _intro_parties(text, s, e, bodies, organisations, audited, performers)
            out.append(Recommendation(sentence, issuer or auditor, targets, s, e))
        elif nm:
            noun = nm.group("issuer") or nm.group("issuer2")
            noun = capitalize(noun.removesuffix("s"))
            out.append(Recommendation(sentence, _performer(performers, noun) or noun, (), s, e))
    return out


_WE = re.compile(r"(?i)\b(?:lämnar|ger|riktar|rekommenderar)\s+vi\b|\bvi\s+(?:lämnar|ger|riktar|rekommenderar)\b")
_TARGET_HEAD = re.compile(r"^Till[ \t]+[^\n:]{3,80}:\s*$")


def _next_line(text: str, pos: int) -> str:
    """The line after ``pos``, blank lines and spaces skipped (no copy of the rest of the
    text: that was quadratic in a long document)."""
    n = len(text)
    while pos < n and text[pos] in "\n ":
        pos += 1
    end = text.find("\n", pos)
    return text[pos:] if end < 0 else text[pos:end]


def _list_after(text: str, pos: int, sentences: list[tuple[int, int]], starts: list[int] | None = None):
    """(start, end, number) of the list items (``1. …`` or ``- …``) right after ``pos``.

    An item ends with its line, or with its sentence where the text lost its line
    breaks (else one item would run to the end of the document).
    """
    starts = starts if starts is not None else [a for a, _b in sentences]
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
        k = bisect.bisect_right(starts, ts) - 1  # the sentence the item starts in
        end = min(j, sentences[k][1]) if k >= 0 and sentences[k][1] > ts else j
        yield ts, end, m.group("num")
        if end < j:
            break  # the rest of this line is not an item of the list
        i = j
        while i < len(text) and text[i] == "\n":
            i += 1


_AUDITOR_KINDS = ("revision",)


def _intro_parties(
    text, s, e, bodies, organisations, audited, performers=None
) -> tuple[str | None, tuple[str, ...]]:
    """(issuer, targets) of ``X rekommenderar Y att``, ``rekommenderar X Y att`` or ``X lämnar … till Y``."""
    sentence = text[s:e]
    vm = re.search(r"\b(?:lämnar|ger|riktar|rekommenderar)\b", sentence, re.IGNORECASE)
    if not vm:
        return None, _targets(text, s, e, bodies, audited)
    v_start, v_end = s + vm.start(), s + vm.end()
    before_b = _bodies_in(bodies, s, v_start)
    before_o = [o for o in organisations if s <= o.start and o.end <= v_start]
    after = _bodies_in(bodies, v_end, e)
    issuer = None
    if (
        after
        and (after[0].kind in _AUDITOR_KINDS or after[0].name == "Revisionskontoret")
        and not text[v_end : after[0].start].strip()
    ):
        # "… rekommenderar revisorerna nämnden att": the auditor right after the verb is
        # its subject, never a target
        issuer = after[0].name
        v_end = after[0].end
    elif before_b or before_o:
        issuer = _issuer_name(sentence[: vm.start()], before_b, before_o)
    elif after and (after[0].kind in _AUDITOR_KINDS or after[0].name == "Revisionskontoret"):
        # inverted word order: "Vidare rekommenderar revisorerna nämnden att …"
        issuer = after[0].name
        v_end = after[0].end
    else:
        subject = re.search(
            r"(?P<noun>[A-ZÅÄÖa-zåäö]+(?:ningen|ningens|en|ens))\s+$", sentence[: vm.start()]
        )
        if subject:
            noun = subject.group("noun")
            noun = noun.removesuffix("s")
            issuer = _performer(performers or {}, noun) or capitalize(noun)
    tm = re.search(r"\btill\b", text[v_end:e])
    t_start = v_end + tm.end() if tm and vm.group().lower() != "rekommenderar" else v_end
    att = re.search(r"\batt\b", text[t_start:e])
    t_end = t_start + att.start() if att else e
    return issuer, _targets(text, t_start, t_end, bodies, audited)


def _performer(performers: dict[str, str], noun: str) -> str | None:
    """The body behind a review noun; with one review in the document, any review noun is it."""
    found = performers.get(noun.lower())
    if found is None and len(set(performers.values())) == 1 and noun.lower() in _REVIEW_NOUNS:
        found = next(iter(performers.values()))
    return found


_REVIEW_NOUNS = frozenset(
    {
        "genomlysningen",
        "granskningen",
        "utredningen",
        "kartläggningen",
        "översynen",
        "utvärderingen",
        "rapporten",
    }
)


def _performers(
    text: str, sentences: list[tuple[int, int]], bodies: list[BodyMention]
) -> dict[str, str]:
    """Who did a review: "stadskontoret har genomfört en genomlysning" → {"genomlysningen": "Stadskontoret"}.

    ``på uppdrag av X`` names the body a review was done for, which is its issuer.
    """
    out: dict[str, str] = {}
    pat = re.compile(
        r"\b(?:genomfört|genomförde|gjort|gjorde|utfört)\s+(?:en|ett)\s+(?P<noun>genomlysning|granskning|utredning|kartläggning|översyn|uppföljning|utvärdering)"
        r"|\b(?P<noun2>genomlysningen|granskningen|utredningen)\s+(?:är|har\s+varit)\s+(?:genomförd|gjord|utförd)",
        re.IGNORECASE,
    )
    for s, e in spans_holding(_PERFORMED_WORD, lowered(text), sentences):
        m = pat.search(text, s, e)
        if not m:
            continue
        noun = (m.group("noun") or m.group("noun2")).lower()
        noun = noun if noun.endswith("en") else noun + "en"
        commissioned = re.search(r"\bpå\s+uppdrag\s+av\b", text[s:e])
        found = (
            _bodies_in(bodies, s + commissioned.end(), e)
            if commissioned
            else _bodies_in(bodies, s, e)
        )
        if found:
            out.setdefault(noun, found[0].name)
    return out


def _section_issuer(text: str, pos: int) -> str | None:
    """The last ``Genomlysningens rekommendation(er)`` before ``pos`` names the issuer of
    the passive recommendations after it (a heading or a sentence: the text may have
    lost its line breaks)."""
    found = None
    for m in _SECTION_ISSUER.finditer(text, 0, pos):
        found = m
    return capitalize(found.group(1)[:-1]) if found else None


_SECTION_ISSUER = re.compile(r"([A-ZÅÄÖ](?<![\w-].)[a-zåäö]{3,}s)\s+rekommendation(?:er)?\b")
