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
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_lines, load_yaml
from ..model import Organisation, Person, Section
from ..text.regex import anchored_matches, lowered, matches_at, word_alternation
from ..text.sections import line_spans
from .bodies import capitalize
from .organisations import party_abbreviation_of, party_abbreviations

PATTERNS = Path(__file__).resolve().parent / "patterns"

_NAME_WORD = r"[A-ZÅÄÖÉÜ][a-zåäöéüëï]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüëï]+)?"
_PARTICLE = r"(?:von|af|de|van|der|al|el|bin|ibn)"
# one space or tab between the words of a name: a run of spaces is a gap between columns
_NAME = rf"{_NAME_WORD}(?:[ \t](?:{_PARTICLE}[ \t])?{_NAME_WORD}){{1,3}}"
_NAME_RE = re.compile(_NAME)
_PARTY_NAME = re.compile(
    rf"(?P<name>{_NAME})\s*\((?P<party>[A-ZÅÄÖa-zåäö]{{1,6}})\)(?:[ \t]*,[ \t]*(?P<role>[\wåäöÅÄÖ][\wåäö: ]{{2,40}}))?"
)
_TITLE_ENDINGS = (
    "chef",
    "direktör",
    "sekreterare",
    "handläggare",
    "ledare",
    "strateg",
    "controller",
    "samordnare",
    "utvecklare",
    "utredare",
    "jurist",
    "ekonom",
    "ordförande",
    "råd",
    "arkitekt",
    "ingenjör",
    "specialist",
    "rektor",
    "ansvarig",
    "kommunikatör",
    "analytiker",
    "inspektör",
    "konsult",
    "revisor",
)
_REFERENCE_LABELS = (
    "vår referens",
    "handläggare",
    "kontaktperson",
    "föredragande",
    "förslagsställare",
)
# list labels -> the role they give their names; a list heading (Beslutande, Ersättare,
# Justerare) is not a role (docs/extraction.md), a signature label is
_LIST_LABELS = {
    "beslutande": None,
    "beslutande ledamöter": None,
    "ledamöter": None,
    "tjänstgörande ersättare": "Tjänstgörande ersättare",
    "ersättare": None,
    "närvarande ersättare": None,
    "icke tjänstgörande ersättare": None,
    "ej tjänstgörande ersättare": None,
    "ej beslutande ersättare": None,
    "ej beslutande": None,
    "övriga deltagande": None,
    "justerare": None,
    "justerande": None,
    "utses att justera": None,
    "sekreterare": "Sekreterare",
    "ordförande": "Ordförande",
    "övriga närvarande": None,
    "övriga deltagare": None,
    "tjänstepersoner": None,
    "närvarande tjänstepersoner": None,
    "frånvarande": None,
}


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return frozenset(n.lower() for n in load_lines(PATTERNS / "first_names.txt"))


def first_names() -> frozenset[str]:
    """Swedish first names (``patterns/first_names.txt``), lower case."""
    return _first_names()


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
    return (
        low in _titles()
        or words[-1].endswith(_TITLE_ENDINGS)
        or (words[0] in _titles() or words[0].endswith(_TITLE_ENDINGS))
        and candidate.strip()[:1].isupper()
    )


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


def find_persons(
    text: str, sections: list[Section], *, header_end: int, organisations: list[Organisation] = ()
) -> list[Person]:
    """One entry per person (first mention), with role and party merged from all mentions."""
    found: list[Person] = []
    found.extend(_party_mentions(text))
    found.extend(_labelled(text, header_end))
    found.extend(_name_title_lines(text, sections, header_end))
    found.extend(_party_groups(text, organisations))
    found.extend(_officials(text))
    merged = _merge(found)
    # "Lars Nybergs (V) yrkande": a genitive of a person already found
    names = {p.name for p in merged}
    return [p for p in merged if not (p.name.endswith("s") and p.name[:-1] in names)]


_GROUP_GAP = re.compile(
    r"[ \t]*(?:i[ \t]+(?:[A-ZÅÄÖ][\wåäö-]+(?:[ \t]+(?:kommun|stad))?|[\wåäö -]{0,40}?(?:nämnden|styrelsen|fullmäktige)))?[ \t:]*[\n \t]*"
)
_PARTY_LETTERS = re.compile(r"(?:KD|SD|MP|FP|S|M|C|V|L)[ \t]+(?=[A-ZÅÄÖ])")


def _party_groups(text: str, organisations: list[Organisation]) -> list[Person]:
    """Names signed under a party heading (``För Centerpartiet Jan-Olov Persson Lisbeth
    Hägglund Kristdemokraterna Helena Strand``): each name right after the party's name,
    or after another name of the group, is of that party."""
    abbr_of = party_abbreviation_of()
    out: list[Person] = []
    name_re = _NAME_RE
    for org in organisations:
        if org.kind != "party" or org.name not in abbr_of:
            continue
        pos = _GROUP_GAP.match(text, org.end).end()
        while True:
            letters = _PARTY_LETTERS.match(text, pos)
            pos = letters.end() if letters else pos
            m = name_re.match(text, pos)
            if not m:
                break
            words = _name_words(text, m)
            # two names side by side: "Jan-Olov Persson Lisbeth Hägglund"
            if len(words) > 2 and words[2].split("-")[0].lower() in _first_names():
                words = words[:2]
            name = " ".join(words)
            if not is_name(name):
                break
            out.append(
                Person(
                    name,
                    None,
                    abbr_of[org.name],
                    m.start(),
                    m.start() + len(name),
                    name,
                    "signature",
                )
            )
            pos = m.start() + len(name)
            gap = re.match(r"[ \t]*(?:,|och)?[ \t]*\n?[ \t]*", text[pos:])
            pos += gap.end() if gap else 0
    return out


_OFFICIAL_BEFORE = re.compile(
    rf"(?<![\wåäö-])(?P<title>[A-ZÅÄÖa-zåäö][a-zåäö-]{{3,30}})[ \t](?P<name>{_NAME})"
)
# where a name can follow a title: a space or tab and a capital (see _officials_before)
_NAME_GAP = re.compile(r"[ \t][A-ZÅÄÖÉÜ]")
_TITLE_REST = frozenset("abcdefghijklmnopqrstuvwxyzåäö-")
_TITLE_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ")


def _officials_before(text: str) -> Iterator[re.Match[str]]:
    """``_OFFICIAL_BEFORE.finditer(text)``, tried only at the word before each space and
    capital: a title's start is that word's start (its lookbehind allows no other), so
    the pattern is not tried at every letter of the text."""
    return matches_at(_OFFICIAL_BEFORE, text, (_word_start(text, g.start()) for g in _NAME_GAP.finditer(text)))


def _word_start(text: str, end: int) -> int:
    """Where a title ending at ``end`` starts: back over lower-case letters and hyphens,
    and one capital before them."""
    start = end
    while start > 0 and text[start - 1] in _TITLE_REST:
        start -= 1
    if start > 0 and text[start - 1] in _TITLE_CAPITALS:
        start -= 1
    return start


_OFFICIAL_AFTER = re.compile(
    rf"(?P<name>{_NAME}),[ \t](?P<title>[a-zåäö][a-zåäö-]{{3,30}}(?:[ \t][a-zåäö-]{{3,30}}){{0,2}})"
)


_ROLE_OF_ENTRY_BEFORE = re.compile(r"\([A-Za-zÅÄÖåäö5]{1,6}\)[ \t]*,[ \t]*(?:[\wåäö:]+[ \t]+){0,3}$")


def _officials(text: str) -> list[Person]:
    """Officials in running text: ``ekonomidirektör Kerstin Walldén``, ``Eva Lund,
    kommunsekreterare``; the title must be a known title or end like one."""
    out: list[Person] = []
    for m in _officials_before(text):
        title = m.group("title")
        if not (title.lower() in _titles() or title.lower().endswith(_TITLE_ENDINGS)):
            continue
        if _ROLE_OF_ENTRY_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue  # "Lisa Holm (C), 2:e vice ordförande Johan Strand": Lisa Holm's role
        words = _name_words(text, _NAME_RE.match(text, m.start("name")))
        if len(words) > 2 and words[2].split("-")[0].lower() in _first_names():
            words = words[:2]
        name = " ".join(words)
        if is_name(name):
            out.append(
                Person(
                    name,
                    title,
                    None,
                    m.start("name"),
                    m.start("name") + len(name),
                    name,
                    "official",
                )
            )
    for m in _OFFICIAL_AFTER.finditer(text):
        words = m.group("title").split()
        title = next(
            (
                " ".join(words[:k])
                for k in (3, 2, 1)
                if len(words) >= k and " ".join(words[:k]) in _titles()
            ),
            None,
        )
        if title is None and words[0].endswith(_TITLE_ENDINGS):
            title = words[0]
        if title is None:
            continue
        names = m.group("name").split()
        for k in range(len(names) - 1):
            cand = " ".join(names[k:])
            if is_name(cand):
                start = m.end("name") - len(cand)
                out.append(Person(cand, title, None, start, m.end("name"), cand, "official"))
                break
    return out


# A leading "(?=…)" names the characters a match can start with: the regex engine
# rejects every other position at once, not after trying the pattern (7x faster here).
_PARTY_MARK = re.compile(
    r"(?=[ \t(])[ \t]*\((?P<party>[A-ZÅÄÖa-zåäö5]{1,6})\)(?:[ \t]*,[ \t]*(?P<role>[\wåäöÅÄÖ][\wåäö:]+(?:[ ][a-zåäö0-9][\wåäö:]*){0,4}))?"
)
_WORDS_BEFORE = re.compile(rf"(?:{_NAME_WORD}[ \t]+){{0,4}}{_NAME_WORD}$")


_NOT_PARTIES = frozenset(
    {"KS", "KF", "KSAU", "AU", "PDF", "DNR", "NR", "ST", "CA", "BIL", "OBS", "TF", "TFN"}
)


# OCR reads the S of "(S)" as a five
_OCR_TAGS = {"5": "S"}


def party_tag(tag: str) -> str | None:
    """The party of a tag after a name: a known abbreviation in any case (``s``, ``FP``)
    or a local party's upper-case letters (``SPI``); None for anything else."""
    tag = _OCR_TAGS.get(tag, tag)
    if tag.upper() in party_abbreviations():
        return tag.upper()
    if tag.isupper() and 2 <= len(tag) <= 5 and tag.isalpha() and tag not in _NOT_PARTIES:
        return tag
    return None


_PARTY_BEFORE = re.compile(
    rf"(?=[KSMFCVL])(?:(?<=\bfrån[ \t])|(?<=\bav[ \t])|(?<=\boch[ \t])|(?<=,[ \t])|(?<=^)|(?<=\n))(?P<party>KD|SD|MP|FP|S|M|C|V|L)[ \t](?P<name>{_NAME})"
)


_PARTY_COMMA_TAG = r",[ \t]+(?P<tag>kd|sd|mp|fp|s|m|c|v|l)(?=[ \t]*,|[ \t]+(?:och|yrkar|samt)\b|[ \t]*\.)"
_PARTY_COMMA = re.compile(rf"(?P<name>{_NAME}){_PARTY_COMMA_TAG}")
# what every match ends with: a text without it is not read name by name (it opens with
# a comma, which the regex engine skips to)
_PARTY_COMMA_TAIL = re.compile(_PARTY_COMMA_TAG)


_TAG_BEFORE = re.compile(rf"\((?P<party>[A-ZÅÄÖa-zåäö]{{1,6}})\)[ \t]+(?P<name>{_NAME})")


def _tag_first_marks(text: str) -> set[int]:
    """Starts of the ``(X)`` marks of runs that put the party before the name: a run is
    ``(X) Name (Y) Name …`` whose first mark has no name before it (it follows a label,
    a colon or a line start)."""
    marks = list(_TAG_BEFORE.finditer(text))
    out: set[int] = set()
    run: list[re.Match[str]] = []

    def close() -> None:
        if len(run) >= 2:
            before = text[max(0, run[0].start() - 40) : run[0].start()]
            if not re.search(rf"{_NAME_WORD}[ \t]+{_NAME_WORD}[ \t]*$", before) or before.rstrip().endswith(":"):
                out.update(r.start() for r in run)

    for m in marks:
        if run and (m.start() - run[-1].end() > 3 or "(" in text[run[-1].end("name") : m.start()].strip(" \t\n")):
            close()
            run = []
        run.append(m)
    close()
    return out


def _tagged_name(words: list[str]) -> str | None:
    """Two or three capitalised words next to a party tag: a name even when its given
    name is not in our list (``Nedzad Talovic (s)``), unless a word is a title, a label,
    a body or a party."""
    if not 2 <= len(words) <= 3:
        return None
    for w in words:
        low = w.lower()
        if (
            not re.fullmatch(_NAME_WORD, w)
            or low in _NOT_NAME_WORDS
            or is_title(w)
            or low in _titles()
            or _BODY_WORD.search(low)
            or low in _LIST_LABELS
            or w in party_abbreviation_of()
        ):
            return None
    return " ".join(words)


def _party_mentions(text: str) -> list[Person]:
    """``Name (PARTY)``: the longest run of capitalised words before the mark that is a
    name; and ``S Anna Berg`` (the party before the name, in a list or after från/av/och)."""
    out = []
    for m in _PARTY_BEFORE.finditer(text):
        words = _name_words(text, _NAME_RE.match(text, m.start("name")))
        if len(words) > 2 and words[2].split("-")[0].lower() in _first_names():
            words = words[:2]
        name = " ".join(words)
        if is_name(name):
            out.append(
                Person(
                    name,
                    None,
                    m.group("party"),
                    m.start("name"),
                    m.start("name") + len(name),
                    name,
                    "party",
                )
            )
    for m in _PARTY_COMMA.finditer(text) if _PARTY_COMMA_TAIL.search(text) else ():
        # "Lena Hallberg, s, Tomas Lundin, m, och Kristina Öberg, c, yrkar …"
        words = _name_words(text, _NAME_RE.match(text, m.start("name")))
        k = next((k for k in range(len(words) - 1) if is_name(" ".join(words[k:]))), None)
        if k is None or len(words) != len(m.group("name").split()):
            continue
        name = " ".join(words[k:])
        start = m.end("name") - len(name)
        out.append(Person(name, None, m.group("tag").upper(), start, m.end("name"), name, "party"))
    tag_first = _tag_first_marks(text)
    for m in _TAG_BEFORE.finditer(text):
        # "(C) Kerstin Karlström (S) Raymond Asp": a list that puts the party first
        if m.start() not in tag_first:
            continue
        abbr = party_tag(m.group("party"))
        words = _name_words(text, _NAME_RE.match(text, m.start("name")))
        name = _tagged_name(words[:3])
        if abbr and name:
            out.append(Person(name, None, abbr, m.start("name"), m.start("name") + len(name), name, "party"))
    for m in anchored_matches(_PARTY_MARK, text, "(", reach=0):
        abbr = party_tag(m.group("party"))
        if abbr is None or m.start("party") - 1 in tag_first:  # the "(" of a party-first list
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        mark_start = m.start()
        while mark_start > line_start and text[mark_start - 1] in " \t":
            mark_start -= 1  # the role of the entry before took the space
        before = _WORDS_BEFORE.search(text, line_start, mark_start)
        if not before:
            continue
        words = before.group().split()
        name = next(
            (" ".join(words[k:]) for k in range(len(words) - 1) if is_name(" ".join(words[k:]))),
            None,
        )
        if name and len(name.split()) >= 4:
            # "Jan-Erik Nordlund Anna-Karin Strand (M)": the last of two names side by side
            parts = name.split()
            later = next(
                (" ".join(parts[k:]) for k in range(2, len(parts) - 1)
                 if parts[k].split("-")[0].lower() in _first_names() and is_name(" ".join(parts[k:]))),
                None,
            )
            name = later or name
        if name is None and abbr in party_abbreviations():
            # an unknown given name, but a national party's tag: "Nedzad Talovic (s)"
            name = _tagged_name(words[-2:]) or _tagged_name(words[-3:])
        if name is None:
            continue
        start = mark_start - len(name)
        role = m.group("role")
        if role:
            words = role.split()
            role = next((" ".join(words[:k]) for k in range(len(words), 0, -1) if is_title(" ".join(words[:k]))), None)
        if role is None and not m.group("role"):
            # a signature: "Stina Höglund (S)" with the title under it (or after it, once
            # the line break is gone), the title ending the signature
            nxt = re.match(
                r"\s+(?P<t>[A-ZÅÄÖ][a-zåäö-]+(?: [a-zåäö-]+){0,2})(?=\s{2,}|\s*$|\s+[A-ZÅÄÖ][a-zåäö]+ [A-ZÅÄÖ])",
                text[m.end() : m.end() + 80],
            )
            if nxt and is_title(nxt.group("t")):
                role = nxt.group("t")
        out.append(Person(name, role, abbr, start, mark_start, name, "party"))
    return out


@lru_cache(maxsize=1)
def _labels_by_start() -> dict[str, tuple[str, ...]]:
    """The reference and list labels by their first two letters, longest first: a line
    is compared with the few that can open it, not with all of them."""
    out: dict[str, list[str]] = {}
    for lab in sorted((*_REFERENCE_LABELS, *_LIST_LABELS), key=len, reverse=True):
        out.setdefault(lab[:2], []).append(lab)
    return {k: tuple(v) for k, v in out.items()}


def _label_lines(text: str) -> list[tuple[int, int]]:
    """Line spans, with a line that starts with a label and goes on with its first value
    (``Beslutande Anna Berg (S), ordförande``, as a PDF cover gives label and value
    columns) cut in two, so that the label stands on a line of its own as in typed text."""
    by_start = _labels_by_start()
    out: list[tuple[int, int]] = []
    for s, e in line_spans(text, 0, len(text)):
        line = text[s:e]
        lead = len(line) - len(line.lstrip())
        low = line[lead:].lower()
        label = next(
            (
                lab
                for lab in by_start.get(low[:2], ())
                if low.startswith(lab)
                and len(low) > len(lab) + 1
                and low[len(lab)] in " \t:"
                and line[lead + len(lab) :].lstrip(" \t:")[:1].isupper()
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


_LIST_ROLE = re.compile(
    r"(?P<role>(?:(?:1|2|förste|andre|första|andra)(?::e)?\s+)?vice ordförande|ordförande|"
    r"tjänstgörande ersättare|tjg\.? ers\.?|ersättare|ledamot|sekreterare|justerare|"
    r"[a-zåäö]*(?:" + "|".join(_TITLE_ENDINGS) + r"))\b",
    re.IGNORECASE,
)
_LIST_ENTRY = re.compile(
    rf"(?:\b(?P<pre>S|M|SD|C|V|KD|MP|L|FP)\s+)?(?P<name>{_NAME})"
    r"(?:[ \t]*\((?P<party>[A-ZÅÄÖa-zåäö-]{1,6})\)|[ \t]*,[ \t]*(?P<tag>[a-zåäö]{1,2})\b(?![ \t]*[a-zåäö]))?"
)


@lru_cache(maxsize=1)
def _party_heading_names() -> dict[str, str]:
    """A party's name as a group heading (``Socialdemokraterna``) -> canonical name."""
    from .organisations import party_names

    return party_names()


@lru_cache(maxsize=1)
def _party_heading_re() -> re.Pattern[str]:
    """The parties' names as whole words, longest first, to search in the lower-cased text."""
    return re.compile(word_alternation(n.lower() for n in _party_heading_names()) + r"(?![\wåäö])")


def _surname_first(text: str, at: int) -> tuple[str, int, int] | None:
    """(name in given-name order, start, end) of ``Sikkilä Alex`` at ``at``: two words,
    the second a given name and the first not."""
    m = re.compile(rf"({_NAME_WORD})[ \t]+({_NAME_WORD})(?![\wåäö-])").match(text, at)
    if not m:
        return None
    last, first = m.group(1), m.group(2)
    names = _first_names()
    if first.split("-")[0].lower() in names and last.split("-")[0].lower() not in names and _tagged_name([first, last]):
        return f"{first} {last}", m.start(), m.end()
    return None


def list_entries(text: str, start: int, end: int, default_role: str | None) -> list[Person]:
    """Persons of a flattened or columned list (``Anna Berg (S), ordförande Per Ek (M) …``):
    each name with the party tag before or after it and the role that follows it."""
    out: list[Person] = []
    flipped_at: set[int] = set()  # entries written surname first
    pos = start
    groups = [(g.start(), text[g.start() : g.end()]) for g in _party_heading_re().finditer(lowered(text), start, end)]
    while pos < end:
        m = _LIST_ENTRY.search(text, pos, end)
        if not m:
            break
        spans = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group("name"))]
        k = next(
            (k for k in range(len(spans) - 1) if is_name(m.group("name")[spans[k][0] :])), None
        )
        if k is None:
            flipped = _surname_first(text, m.start("name"))
            if flipped:
                # "[X] Haverinen Emilia, ordförande": a Finland-Swedish list, surname first
                name, fs, fe = flipped
                role = None
                r = re.match(r"[ \t]*,[ \t]*", text[fe:end])
                rm = _LIST_ROLE.match(text, fe + r.end(), end) if r else None
                if rm:
                    role = rm.group("role")
                flipped_at.add(len(out))
                out.append(Person(name, role or default_role, None, fs, fe, text[fs:fe], "list"))
                pos = fe
                continue
            pos = m.start("name") + spans[0][1]
            continue
        nstart = m.start("name") + spans[k][0]
        name = text[nstart : m.end("name")]
        # the party group the name stands under ("Moderaterna Göran Ekstam": the heading
        # may open the match, as it is capitalised too)
        heading = next((h for at, h in reversed(groups) if at < nstart), None)
        heading_party = (
            party_abbreviation_of().get(_party_heading_names()[heading.lower()]) if heading else None
        )
        kept = _name_words(text, _NAME_RE.match(text, nstart))
        if len(kept) > 2 and kept[2].split("-")[0].lower() in _first_names() or _two_names(kept):
            kept = kept[:2]  # "Kent Ålund Per Sandin": two names side by side
        if len(kept) < len(name.split()):
            # "Erik Sundqvist Kommunsekreterare": a title glued to the name
            name = " ".join(kept)
            if not is_name(name):
                pos = m.end()
                continue
            # no role: a label over two side-by-side names ("Ordförande" over a row of
            # signatures) may be either's
            out.append(Person(name, None, heading_party, nstart, nstart + len(name), name, "list"))
            pos = nstart + len(name)
            continue
        party = None
        if m.group("party"):
            party = party_tag(m.group("party")) if m.group("party") != "-" else None
        elif m.group("tag"):
            party = party_tag(m.group("tag"))
        elif m.group("pre") and m.start("name") == nstart:
            party = m.group("pre")
        elif heading and m.group("party") != "-":
            party = heading_party
        after = m.end()
        role = None
        r = re.match(r"[ \t]*,?[ \t]*", text[after:end])
        rm = _LIST_ROLE.match(text, after + r.end(), end) if r else None
        if rm and (
            r.group().strip() == ","
            or rm.group("role")
            .lower()
            .startswith(("vice", "1", "2", "förste", "andre", "ordf", "tjänstg", "tjg"))
        ):
            role = rm.group("role")
            after = rm.end()
        out.append(
            Person(name, role or default_role, party, nstart, nstart + len(name), name, "list")
        )
        pos = max(after, m.end())
    return _surnames_first_throughout(out, flipped_at)


def _two_names(words: list[str]) -> bool:
    """Four words, a given name, a surname and two more: two names side by side in a
    list's columns ("Ola Löfström Klaus Leidecker"), whether or not the given-name list
    knows the second one's given name; a person with two given names ("Anna Karin Berg
    Holm") has a given name second."""
    return (
        len(words) == 4
        and words[0].split("-")[0].lower() in _first_names()
        and words[1].split("-")[0].lower() not in _first_names()
    )


def _surnames_first_throughout(entries: list[Person], flipped_at: set[int]) -> list[Person]:
    """A list that writes its names surname first does so for every entry: where two or
    more entries were read so (their surname is no given name), an entry of two given
    names ("Harald Amanda") is turned as well."""
    if len(flipped_at) < 2:
        return entries
    out = []
    for i, p in enumerate(entries):
        words = p.name.split()
        if (
            i not in flipped_at
            and p.party is None
            and len(words) == 2
            and words[1].split("-")[0].lower() in _first_names()
        ):
            p = replace(p, name=f"{words[1]} {words[0]}")  # the span keeps its text
        out.append(p)
    return out


def _region_end(text: str, lines: list[tuple[int, int]], i: int, limit: int = 3) -> int:
    """End of a label's value: its following lines up to the next label or heading line."""
    end = lines[i][1]
    for ns, ne in lines[i + 1 : i + 1 + limit]:
        t = text[ns:ne].strip().rstrip(":").lower()
        if (
            t in _LIST_LABELS
            or t in _REFERENCE_LABELS
            or len(t.split()) <= 4
            and t.startswith(
                ("justering", "underskrift", "paragraf", "plats", "anslag", "organ", "§")
            )
        ):
            break
        end = ne
    return end


def _labelled(text: str, header_end: int) -> list[Person]:
    """Header fields and protokoll lists: a label line, then names."""
    out: list[Person] = []
    lines = _label_lines(text)
    for i, (s, e) in enumerate(lines):
        label = text[s:e].strip().rstrip(":").lower()
        if label in _REFERENCE_LABELS and (s < header_end or label == "förslagsställare"):
            if i + 1 < len(lines):
                ns, ne = lines[i + 1]
                found = name_title_at(text, ns, ne)
                if found:
                    name, role = found
                    if role is None and label in (
                        "handläggare",
                        "föredragande",
                        "förslagsställare",
                    ):
                        role = capitalize(label)
                    out.append(Person(name, role, None, ns, ns + len(name), name, "header"))
        elif (
            ":" in text[s:e]
            and text[s:e].split(":", 1)[0].strip().lower()
            in ("handläggare", "vår referens", "kontaktperson", "föredragande")
            and s < header_end
        ):
            lab, value = text[s:e].split(":", 1)
            vs = s + len(lab) + 1 + (len(value) - len(value.lstrip()))
            found = name_title_at(text, vs, e)
            if found:
                name, role = found
                role = role or (
                    capitalize(lab.strip().lower())
                    if lab.strip().lower() in ("handläggare", "föredragande")
                    else None
                )
                out.append(Person(name, role, None, vs, vs + len(name), name, "header"))
        elif label in _LIST_LABELS:
            role = _LIST_LABELS[label]
            caption = (
                i > 0
                and _names_person(text[lines[i - 1][0] : lines[i - 1][1]])
                and i + 1 >= len(lines)
            )
            if caption or i + 1 >= len(lines):
                continue  # "Stina Höglund (S)" / "Ordförande" under a signature, not a list
            out.extend(list_entries(text, lines[i + 1][0], _region_end(text, lines, i), role))
    return out


_BODY_WORD = re.compile(
    r"styrelse|nämnd|fullmäktige|förvaltning|kontor|utskott|revision|kommun$|partiet|demokrat|moderat"
)
_NOT_NAME_WORDS = frozenset(
    {
        "biträdande",
        "tillförordnad",
        "vice",
        "telefon",
        "tel",
        "mobil",
        "e-post",
        "epost",
        "datum",
        "dnr",
        "diarienummer",
        "sida",
        "enhet",
        "avdelning",
    }
)


def _name_words(text: str, m: re.Match[str]) -> list[str]:
    """The words of a name match up to the first that is a title, a field label or the
    start of an e-mail address (``Per Ek Avdelningschef``, ``Per Ek Telefon``)."""
    out: list[str] = []
    pos = m.start()
    for word in m.group().split():
        at = text.index(word, pos)
        pos = at + len(word)
        follows = text[pos : pos + 1]
        low = word.lower()
        if out and (
            low in _NOT_NAME_WORDS
            or is_title(word)
            or low in _titles()
            or _BODY_WORD.search(low)
            or word in party_abbreviation_of()
        ):
            break
        if follows in (".", "@") and text[pos + 1 : pos + 2].isalpha():
            break
        if out and follows == "-" and text[pos + 1 : pos + 2].isspace():
            break  # "… Kristina Wikblad Kosthålls- och städchefen": a suspended compound
        out.append(word)
    return out


def name_title_runs(text: str, start: int, end: int, context: str) -> list[Person]:
    """``Name Title`` pairs one after another (``Ansvariga``, signature blocks), with
    or without line breaks between them."""
    out: list[Person] = []
    pos = start
    name_re = _NAME_RE
    while pos < end:
        m = name_re.search(text, pos, end)
        if not m:
            break
        found = name_title_at(text, m.start(), end)
        if not found or found[1] is None:
            pos = m.start() + len(m.group().split()[0])
            continue
        name, title = found
        out.append(Person(name, title, None, m.start(), m.start() + len(name), name, context))
        pos = text.index(title, m.start() + len(name)) + len(title)
    return out


_FIELD = re.compile(r"[ \t]+(?P<field>[A-ZÅÄÖ][a-zåäö]+(?:[ \t][a-zåäö]+){0,2})(?=\s{2,}|\s*$)")


def _title_with_field(rest: str, title: str) -> str:
    """A title with the field it heads, up to a column gap or the end (``Direktör Social
    hållbarhet``), when the field is not a name."""
    m = _FIELD.match(rest, len(title))
    if (
        m
        and m.group("field").split()[0].lower() not in _first_names()
        and not _BODY_WORD.search(m.group("field").lower())
    ):
        return title + rest[len(title) : m.end()]
    return title


def name_title_at(text: str, start: int, end: int) -> tuple[str, str | None] | None:
    """The name that opens ``text[start:end]`` and the title right after it, if any
    (``Per Ek Avdelningschef per.ek@…``, ``Per Ek, utredare``)."""
    m = _NAME_RE.match(text, start, end)
    if not m:
        return None
    words = _name_words(text, m)
    # the longest opening run that is a name; a title may follow in the same run
    for k in range(len(words), 1, -1):
        name = " ".join(words[:k])
        if not is_name(name):
            continue
        rest = text[start + len(name) : end]
        lead = re.match(r"[ \t]*,?[ \t]*", rest).end()
        tail = rest[lead:].split()
        for n in (3, 2, 1):
            cand = " ".join(tail[:n]).rstrip(",.;")
            if len(tail) >= n and (cand.lower() in _titles() or (n == 1 and is_title(cand))):
                return name, _title_with_field(rest[lead:], cand)
        return name, None
    return None


_PLACE_DATE_LINE = re.compile(
    r"^[A-ZÅÄÖ][\wåäö -]{1,30},?\s+(?:den\s+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-zåäö]+\s+\d{4})$"
)


def _after_place_date(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """A name signed right under ``Lund 2022-04-10``."""
    return any(_PLACE_DATE_LINE.match(text[s:e].strip()) for s, e in lines[max(0, i - 2) : i])


def _names_person(line: str) -> bool:
    m = _PARTY_NAME.match(line.strip())
    return bool(m and is_name(m.group("name"))) or is_name(line.strip())


def _name_title_lines(text: str, sections: list[Section], header_end: int) -> list[Person]:
    """``Ansvariga`` and signatures at the end: ``Name Title`` pairs."""
    out: list[Person] = []
    for sec in sections:
        if sec.key == "ansvariga":
            out.extend(name_title_runs(text, sec.body_start, sec.end, "ansvariga"))
    tail = max(header_end, len(text) - 600)
    out.extend(
        p
        for p in name_title_runs(text, tail, len(text), "signature")
        if all(p.start != q.start for q in out)
    )
    return out


def _clean_role(role: str | None) -> str | None:
    """A role as one title: the last column of a run of columns (``Kommunstyrelsens
    ordförande     Kommundirektör``), without a list label before it (``Övriga
    närvarande kommundirektör``)."""
    if not role:
        return role
    role = re.split(r"\s{2,}", role.strip())[-1]
    low = role.lower()
    for label in sorted(_LIST_LABELS, key=len, reverse=True):
        if low.startswith(label + " ") and len(role) > len(label) + 1:
            role = role[len(label) + 1 :].strip()
            break
    return role or None


def _merge(found: list[Person]) -> list[Person]:
    by_name: dict[str, Person] = {}
    found = [p if p.role == _clean_role(p.role) else replace(p, role=_clean_role(p.role)) for p in found]
    for p in sorted(found, key=lambda p: p.start):
        have = by_name.get(p.name)
        if have is None:
            by_name[p.name] = p
        else:
            by_name[p.name] = Person(
                have.name,
                have.role or p.role,
                have.party or p.party,
                have.start,
                have.end,
                have.text,
                have.context,
            )
    return sorted(by_name.values(), key=lambda p: p.start)
