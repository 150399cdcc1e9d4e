"""Persons with their role and party.

Persons are taken only where the genre puts them, which keeps precision high
without a statistical NER model: header fields (``Vår referens``,
``Handläggare``), ``Ansvariga`` and signature lines (``Andreas Norbrant
Stadsdirektör``), ``Name (PARTY)`` anywhere, and the member lists of a protokoll
(``Beslutande``, ``Ersättare``, ``Justerare``, …).  A name is 2–4 capitalised
words whose first word is a known given name (``patterns/first_names.txt``);
a role is a title from ``patterns/titles.yml`` or a word with a title ending.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_lines, load_yaml
from ..model import Person, Section
from ..text.sections import line_spans
from .bodies import capitalize
from .organisations import party_abbreviations

PATTERNS = Path(__file__).resolve().parent / "patterns"

_NAME_WORD = r"[A-ZÅÄÖÉÜ][a-zåäöéüëï]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüëï]+)?"
_PARTICLE = r"(?:von|af|de|van|der|al|el|bin|ibn)"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{1,3}}"
_PARTY_NAME = re.compile(rf"(?P<name>{_NAME})\s*\((?P<party>[A-ZÅÄÖa-zåäö]{{1,6}})\)(?:[ \t]*,[ \t]*(?P<role>[\wåäöÅÄÖ][\wåäö: ]{{2,40}}))?")
_TITLE_ENDINGS = (
    "chef", "direktör", "sekreterare", "handläggare", "ledare", "strateg", "controller", "samordnare",
    "utvecklare", "utredare", "jurist", "ekonom", "ordförande", "råd", "arkitekt", "ingenjör",
    "specialist", "rektor", "ansvarig", "kommunikatör", "analytiker", "inspektör", "konsult", "revisor",
)
_REFERENCE_LABELS = ("vår referens", "handläggare", "kontaktperson", "föredragande", "förslagsställare")
_LIST_LABELS = {
    "beslutande": "Ledamot", "beslutande ledamöter": "Ledamot", "ledamöter": "Ledamot",
    "tjänstgörande ersättare": "Tjänstgörande ersättare", "ersättare": "Ersättare",
    "närvarande ersättare": "Ersättare", "icke tjänstgörande ersättare": "Ersättare",
    "ej tjänstgörande ersättare": "Ersättare", "ej beslutande ersättare": "Ersättare", "ej beslutande": None,
    "övriga deltagande": None,
    "justerare": "Justerare", "justerande": "Justerare", "utses att justera": "Justerare",
    "sekreterare": "Sekreterare", "ordförande": "Ordförande", "övriga närvarande": None,
    "övriga deltagare": None, "tjänstepersoner": None,
}


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return frozenset(n.lower() for n in load_lines(PATTERNS / "first_names.txt"))


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    data = load_yaml(PATTERNS / "titles.yml")
    items = data.get("titles", data) if isinstance(data, dict) else data
    return frozenset(t.lower() for t in items)


def is_name(candidate: str) -> bool:
    """2–4 capitalised words starting with a known given name."""
    if not re.fullmatch(_NAME, candidate):
        return False
    first = candidate.split()[0].split("-")[0].lower()
    return first in _first_names()


def is_title(candidate: str) -> bool:
    low = candidate.lower().strip()
    if not low or len(low.split()) > 4 or low[-1] in ".,;:":
        return False
    words = low.split()
    # "Avdelningschef", "Biträdande förvaltningschef", "Direktör Social hållbarhet"
    return low in _titles() or words[-1].endswith(_TITLE_ENDINGS) or (
        words[0] in _titles() or words[0].endswith(_TITLE_ENDINGS)
    ) and candidate.strip()[:1].isupper()


def split_name_title(line: str) -> tuple[str, str | None] | None:
    """``Eva Marie Tancred Utvecklingssekreterare`` → (name, title)."""
    words = line.split()
    # multi-word titles only from the gazetteer ("Biträdande förvaltningschef"), so that a
    # title ending does not swallow a surname ("Eva Marie Tancred Utvecklingssekreterare")
    for k in (3, 2, 1):
        if len(words) - k < 2:
            continue
        title = " ".join(words[-k:])
        name = " ".join(words[:-k])
        known = title.lower() in _titles()
        if (known or (k == 1 and is_title(title))) and is_name(name):
            return name, title
    if is_name(line.strip()):
        return line.strip(), None
    return None


def find_persons(text: str, sections: list[Section], *, header_end: int) -> list[Person]:
    """One entry per person (first mention), with role and party merged from all mentions."""
    found: list[Person] = []
    found.extend(_party_mentions(text))
    found.extend(_labelled(text, header_end))
    found.extend(_name_title_lines(text, sections, header_end))
    return _merge(found)


_PARTY_MARK = re.compile(r"[ \t]*\((?P<party>[A-ZÅÄÖa-zåäö]{1,6})\)(?:[ \t]*,[ \t]*(?P<role>[\wåäöÅÄÖ][\wåäö: ]{2,40}))?")
_WORDS_BEFORE = re.compile(rf"(?:{_NAME_WORD}[ \t]+){{0,4}}{_NAME_WORD}$")


def _party_mentions(text: str) -> list[Person]:
    """``Name (PARTY)``: the longest run of capitalised words before the mark that is a name."""
    parties = party_abbreviations()
    out = []
    for m in _PARTY_MARK.finditer(text):
        abbr = m.group("party").upper()
        if abbr not in parties:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = _WORDS_BEFORE.search(text, line_start, m.start())
        if not before:
            continue
        words = before.group().split()
        name = next((" ".join(words[k:]) for k in range(len(words) - 1) if is_name(" ".join(words[k:]))), None)
        if name is None:
            continue
        start = m.start() - len(name)
        role = m.group("role")
        role = role.strip() if role and is_title(role.strip()) else None
        if role is None and not m.group("role"):
            # a signature: "Stina Höglund (S)" with the title on the next line
            rest = text[m.end() :].lstrip(" \t")
            nxt = rest.split("\n", 2)
            if rest.startswith("\n") and len(nxt) > 1 and is_title(nxt[1].strip()):
                role = nxt[1].strip()
        out.append(Person(name, role, abbr, start, m.start(), name, "party"))
    return out


def _label_lines(text: str) -> list[tuple[int, int]]:
    """Line spans, with a line that starts with a label and goes on with its first value
    (``Beslutande Anna Berg (S), ordförande``, as a PDF cover gives label and value
    columns) cut in two, so that the label stands on a line of its own as in typed text."""
    labels = sorted((*_REFERENCE_LABELS, *_LIST_LABELS), key=len, reverse=True)
    out: list[tuple[int, int]] = []
    for s, e in line_spans(text, 0, len(text)):
        line = text[s:e]
        lead = len(line) - len(line.lstrip())
        low = line[lead:].lower()
        label = next(
            (
                lab for lab in labels
                if low.startswith(lab) and len(low) > len(lab) + 1 and low[len(lab)] in " \t:"
                and line[lead + len(lab):].lstrip(" \t:")[:1].isupper()
            ),
            None,
        )
        if label is None:
            out.append((s, e))
            continue
        cut = s + lead + len(label)
        value = cut + len(text[cut:e]) - len(text[cut:e].lstrip(" \t:"))
        out.extend(((s, cut), (value, e)))
    return out


def _labelled(text: str, header_end: int) -> list[Person]:
    """Header fields and protokoll lists: a label line, then names."""
    out: list[Person] = []
    lines = _label_lines(text)
    for i, (s, e) in enumerate(lines):
        label = text[s:e].strip().rstrip(":").lower()
        if label in _REFERENCE_LABELS and (s < header_end or label == "förslagsställare"):
            if i + 1 < len(lines):
                ns, ne = lines[i + 1]
                name = text[ns:ne].strip()
                nt = split_name_title(name)
                if nt:
                    role = nt[1]
                    if role is None and i + 2 < len(lines):
                        ts, te = lines[i + 2]
                        if is_title(text[ts:te]):
                            role = text[ts:te].strip()
                    if role is None and label in ("handläggare", "föredragande", "förslagsställare"):
                        role = capitalize(label)
                    out.append(Person(nt[0], role, None, ns, ns + len(nt[0]), nt[0], "header"))
        elif ":" in text[s:e] and text[s:e].split(":", 1)[0].strip().lower() in ("handläggare", "vår referens", "kontaktperson", "föredragande") and s < header_end:
            lab, value = text[s:e].split(":", 1)
            nt = split_name_title(value.strip().split(",")[0])
            if nt:
                vs = s + len(lab) + 1 + (len(value) - len(value.lstrip()))
                role = nt[1] or (capitalize(lab.strip().lower()) if lab.strip().lower() in ("handläggare", "föredragande") else None)
                out.append(Person(nt[0], role, None, vs, vs + len(nt[0]), nt[0], "header"))
        elif label in _LIST_LABELS:
            role = _LIST_LABELS[label]
            caption = i > 0 and _names_person(text[lines[i - 1][0] : lines[i - 1][1]]) and (
                i + 1 >= len(lines) or "\n\n" in text[e : lines[i + 1][0]]
            )
            if caption:
                continue  # "Stina Höglund (S)" / "Ordförande" under a signature, not a list
            for ns, ne in lines[i + 1 : i + 40]:
                line = text[ns:ne]
                if line.strip().rstrip(":").lower() in _LIST_LABELS or not line.strip():
                    break
                m = _PARTY_NAME.match(line)
                if m and is_name(m.group("name")):
                    continue  # taken by _party_mentions; role merged below
                name_part, _, rest = line.partition(",")
                nt = split_name_title(name_part.strip())
                if not nt:
                    break
                given = rest.strip() if rest.strip() and is_title(rest.strip()) else None
                out.append(Person(nt[0], nt[1] or given or role, None, ns, ns + len(nt[0]), nt[0], "list"))
            # roles of party mentions under the label
            for ns, ne in lines[i + 1 : i + 40]:
                m = _PARTY_NAME.match(text[ns:ne])
                if not m or not is_name(m.group("name")):
                    if text[ns:ne].strip().rstrip(":").lower() in _LIST_LABELS:
                        break
                    continue
                explicit = m.group("role")
                explicit = explicit.strip() if explicit and is_title(explicit.strip()) else None
                out.append(
                    Person(m.group("name"), explicit or role, None,
                           ns, ns + len(m.group("name")), m.group("name"), "list")
                )
    return out


_PLACE_DATE_LINE = re.compile(r"^[A-ZÅÄÖ][\wåäö -]{1,30},?\s+(?:den\s+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-zåäö]+\s+\d{4})$")


def _after_place_date(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """A name signed right under ``Lund 2022-04-10``."""
    return any(_PLACE_DATE_LINE.match(text[s:e].strip()) for s, e in lines[max(0, i - 2) : i])


def _names_person(line: str) -> bool:
    m = _PARTY_NAME.match(line.strip())
    return bool(m and is_name(m.group("name"))) or is_name(line.strip())


def _name_title_lines(text: str, sections: list[Section], header_end: int) -> list[Person]:
    """``Ansvariga`` lines and signatures: ``Name Title`` or ``Name`` / ``Title``."""
    out: list[Person] = []
    spans = [(s.body_start, s.end) for s in sections if s.key == "ansvariga"]
    # signatures: the last lines of the document
    tail = max(header_end, len(text) - 600)
    spans.append((tail, len(text)))
    seen: set[int] = set()
    for a, b in spans:
        lines = list(line_spans(text, a, b))
        for i, (s, e) in enumerate(lines):
            if s in seen:
                continue
            line = text[s:e]
            nt = split_name_title(line)
            if not nt:
                continue
            name, title = nt
            if title is None:
                if i + 1 < len(lines) and is_title(text[lines[i + 1][0] : lines[i + 1][1]]):
                    title = text[lines[i + 1][0] : lines[i + 1][1]].strip()
                elif (a, b) != spans[-1] or _after_place_date(text, lines, i):
                    pass
                else:
                    continue  # a bare name at the end is too weak without a title or a dated signature
            seen.add(s)
            out.append(Person(name, title, None, s, s + len(name), name, "ansvariga" if (a, b) != spans[-1] else "signature"))
    return out


def _merge(found: list[Person]) -> list[Person]:
    by_name: dict[str, Person] = {}
    for p in sorted(found, key=lambda p: p.start):
        have = by_name.get(p.name)
        if have is None:
            by_name[p.name] = p
        else:
            by_name[p.name] = Person(
                have.name, have.role or p.role, have.party or p.party, have.start, have.end, have.text, have.context
            )
    return sorted(by_name.values(), key=lambda p: p.start)
