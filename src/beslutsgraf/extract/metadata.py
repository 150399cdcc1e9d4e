"""Document metadata: kind, title, date, municipality, own case number, addressee.

The header of a decision document is a sequence of label/value lines
(``Datum`` / ``2018-10-10``, ``Vår referens`` / name / title / e-mail, ``Till`` /
addressee), the document kind on a line of its own, and the title.  We walk the
header lines, skip labels with their values (``patterns/header.yml``) and take
the first remaining line as the title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_tsv, load_yaml
from ..errors import PatternError
from ..model import CaseNumber, Section
from ..text.regex import (
    capitalised_alternation,
    first_of,
    literal_head,
    lowered,
    matches_at,
    occurrences,
    required_literal,
    which,
)
from ..text.sections import lines_of
from .bodies import find_bodies
from .case_numbers import has_prefix_label, registry_municipality
from .dates import ISO_DATE, MONTHS, find_dates
from .persons import first_names

PATTERNS = Path(__file__).resolve().parent / "patterns"

# Swedish domains, and Finland's and Åland's, whose Swedish-speaking municipalities
# write in the same genre
_TLD = r"\.(?:se|fi|ax)"
_EMAIL = re.compile(rf"[\w.+-]+@(?P<domain>[\w-]+(?:\.[\w-]+)*{_TLD})\b", re.IGNORECASE)
# the domain of an e-mail address, found from its "@" (reading each word as a possible
# address before it was most of the municipality's time; the guard after the "@" lets
# the regex engine skip to the "@"s, 50x faster than a lookbehind before it)
_EMAIL_DOMAIN = re.compile(rf"@(?<=[\w.+-]@)(?P<domain>[\w-]+(?:\.[\w-]+)*{_TLD})\b", re.IGNORECASE)
_WEB = re.compile(
    rf"(?<![@\w.-])(?:https?://)?(?:www\.)?(?P<domain>[a-z0-9-]+{_TLD})\b", re.IGNORECASE
)
# what a web address ends with, and what can stand before its domain (see web_addresses)
_WEB_END = re.compile(rf"{_TLD}\b", re.IGNORECASE)
_DOMAIN_CHAR = re.compile(r"[a-z0-9-]", re.IGNORECASE)
_WEB_OPENINGS = ("www.", "http://", "https://", "http://www.", "https://www.")


def web_addresses(text: str) -> Iterator[re.Match[str]]:
    """``_WEB.finditer(text)``, found from the top-level domains: an address starts at
    its domain's first letter, or at the "www." or "http://" before it, so the pattern is
    tried only there, not at every word of the text (a twentieth of the time)."""
    return matches_at(_WEB, text, (q for hit in _WEB_END.finditer(text) for q in _web_starts(text, hit.start())))


def _web_starts(text: str, tld: int) -> list[int]:
    """Where an address whose top-level domain starts at ``tld`` can start, ascending."""
    first = tld
    while first > 0 and _DOMAIN_CHAR.match(text, first - 1):
        first -= 1
    if first == tld:
        return []
    openings = {first - len(o) for o in _WEB_OPENINGS if text[max(0, first - len(o)) : first].lower() == o}
    return sorted(openings | {first})
_PHONE = re.compile(r"^(?:tel(?:efon)?\.?:?\s*|växel\s*|mobil\s*)?\+?[\d\s()-]{7,}$", re.IGNORECASE)
_PAGE = re.compile(r"^(?:sida\s*)?\d+\s*(?:\(\d+\)|av\s+\d+)$", re.IGNORECASE)
# a web page's breadcrumb trail as the HTML reader writes it: "Hem > Kommun och politik > …"
_BREADCRUMB = re.compile(r"[^>\n]{1,100}(?: > [^>\n]{1,100})+")
# a letterhead naming only the municipality or region: "Exempelby kommun", "MALMÖ STAD"
_LETTERHEAD = re.compile(r"(?i)(?:region\s+[\wåäö-]+|[\wåäö-]+(?:\s[\wåäö-]+)?\s+(?:kommun|stad))")
_PLACE_DATE = re.compile(
    rf"^(?P<place>[A-ZÅÄÖ][\wåäö -]{{1,30}}?),?\s+(?:den\s+)?(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\s+\d{{4}})$",
    re.MULTILINE | re.IGNORECASE,
)
# a document that calls itself "förvaltningens tjänsteutlåtande" (in either case) is one;
# the word-start guard stands after the first letter, so that the regex engine skips to
# the candidates (4x faster)
_SELF_KIND = re.compile(
    r"[fFkKsS](?<!\w.)(?i:(?<=[fF])örvaltningens|(?<=[kK])ontorets|(?<=[sS])tadskontorets)"
    r"\s+(?P<kind>(?i:tjänsteutlåtande|tjänsteskrivelse))\b"
)
_MAX_TITLE = 300
_HEADER_WALK = 5000  # characters of the header read for its fields


@dataclass(frozen=True)
class Header:
    doc_type: str | None
    title: str | None
    title_start: int | None
    title_end: int | None
    date: str | None
    addressee_text: str | None
    addressee_span: tuple[int, int] | None
    reference_person: str | None
    header_end: int
    own_case_lines: tuple[tuple[int, int], ...]  # spans where the own case number stands


@lru_cache(maxsize=1)
def _header_vocab():
    data = load_yaml(PATTERNS / "header.yml")
    # one alternation, a group per pattern, in the file's order: a full match takes the
    # first pattern that matches the whole line, as trying them one by one did (a line
    # was fullmatched 47 times)
    kinds = [(kind, p) for kind, pats in data["doc_types"].items() for p in pats]
    types = (
        first_of((rf"{p}\s*:?" for _kind, p in kinds), re.IGNORECASE),
        tuple(kind for kind, _p in kinds),
    )
    prefixes = [
        (kind, re.compile(rf"{re.escape(p)}\b", re.IGNORECASE))
        for kind, pats in data["title_prefixes"].items()
        for p in pats
    ]
    labels = data["labels"]
    label_re = re.compile(
        r"^(?P<label>" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")"
        r"(?:\s*:\s*(?P<value>.*)|\s+(?P<spaced>(?:den\s+)?\d.*))?$",
        re.IGNORECASE,
    )
    return types, prefixes, labels, label_re


def doc_type_of_line(line: str) -> str | None:
    (pattern, kinds), _prefixes, _labels, _ = _header_vocab()
    m = pattern.fullmatch(line.strip())
    return kinds[which(m)] if m else None


def _is_value_like(line: str) -> bool:
    t = line.strip()
    return (
        len(t.split()) <= 5
        and not t.endswith(".")
        and (t[:1].isupper() or "@" in t or t[:1].isdigit() or t.startswith("+"))
    )


def read_header(
    text: str, sections: list[Section], case_numbers: list[CaseNumber], *, title_only: bool = False
) -> Header:
    """Walk the header lines; see the module docstring.  ``title_only``: the title's
    fields are all the caller reads, so the kind and date are not looked for elsewhere."""
    _types, prefixes, labels, label_re = _header_vocab()
    header_end = _header_end(text, sections)
    # a header's fields stand in its first lines; a document whose first heading comes
    # late (a guide, a report) would otherwise have its whole front matter walked
    lines = lines_of(text, until=min(header_end, _HEADER_WALK))
    doc_type = date = addressee = ref_person = None
    addressee_span = None
    title_line = None
    own_lines: list[tuple[int, int]] = []
    skip = 0
    skip_field = None
    for line in lines:
        t = line.text.strip()
        if skip and (doc_type_of_line(t) or label_re.match(t)):
            skip = 0
        if skip:
            skip -= 1
            if skip_field == "reference_person" and not _is_value_like(t):
                skip = 0
            else:
                if skip_field == "date" and not date:
                    date = _first_iso(t)
                elif skip_field == "addressee" and addressee is None:
                    addressee, addressee_span = (
                        t,
                        (line.start + (len(line.text) - len(line.text.lstrip())), line.end),
                    )
                elif skip_field == "reference_person" and ref_person is None:
                    ref_person = t
                if skip_field == "reference_person" and (_EMAIL.search(t) or _PHONE.match(t)):
                    skip = 0  # contact details close the reference block
                elif skip_field == "case_number":
                    own_lines.append((line.start, line.end))
                continue
        m = label_re.match(t)
        if m:
            spec = labels[m.group("label").lower()]
            value = m.group("value")
            if (
                value is None
                and m.group("spaced")
                and spec["field"] in ("date", "case_number", None)
            ):
                value = m.group("spaced")
            if value:
                if spec["field"] == "date" and not date:
                    date = _first_iso(value)
                elif spec["field"] == "addressee" and addressee is None:
                    addressee = value.strip()
                    vs = line.start + line.text.index(value.strip())
                    addressee_span = (vs, vs + len(addressee))
                elif spec["field"] == "reference_person" and ref_person is None:
                    ref_person = value.strip()
                elif spec["field"] == "case_number":
                    own_lines.append((line.start, line.end))
                continue
            skip, skip_field = spec["skip"], spec["field"]
            continue
        if re.match(r"^till\s+\S", t, re.IGNORECASE) and len(t.split()) <= 8 and addressee is None:
            addressee = t[5:].strip()
            addressee_span = (line.end - len(addressee), line.end)
            continue
        kind = doc_type_of_line(t)
        if kind:
            doc_type = doc_type or kind
            continue
        if _is_noise(t, case_numbers, line.start, line.end):
            if _only_case_number(t, case_numbers, line.start, line.end):
                own_lines.append((line.start, line.end))
            if not date and ISO_DATE.fullmatch(t):
                date = t
            continue
        if title_line is None and not _header_parts_only(t):
            title_line = line
    title = title_start = title_end = None
    if title_line is not None:
        title_start = title_line.start + (len(title_line.text) - len(title_line.text.lstrip()))
        title_end = title_line.end
        for c in case_numbers:
            if (
                title_start < c.start
                and c.end <= title_line.end
                and not text[c.end : title_line.end].strip(" .)")
            ):
                # the number that ends the title is the document's own; others in it are cited
                own_lines.insert(0, (c.start, c.end))
                title_end = c.start
                if has_prefix_label(text, c.start):
                    title_end = title_start + len(
                        re.sub(
                            r"(?i)\s*(?:dnr|diarienummer)[.:]?\s*$", "", text[title_start:title_end]
                        )
                    )
        title_end = _strip_end(text, title_start, title_end)
        title_end = min(title_end, title_start + _MAX_TITLE)
        title = text[title_start:title_end]
    if not title_only:
        doc_type = doc_type or _self_kind(text) or _kind_from_title(title, prefixes)
        date = date or _fallback_date(text, header_end)
    return Header(
        doc_type=doc_type,
        title=title,
        title_start=title_start,
        title_end=title_end,
        date=date,
        addressee_text=addressee,
        addressee_span=addressee_span,
        reference_person=ref_person,
        header_end=header_end,
        own_case_lines=tuple(own_lines),
    )


@dataclass(frozen=True)
class _KindCues:
    opening_chars: int
    # (kind, pattern, weak, text every match holds): the test on that text spares most
    # of the 45 scans of the opening
    cues: tuple[tuple[str, re.Pattern[str], bool, str], ...]
    any_cue: re.Pattern[str]  # the cues' patterns as one: whether a line is a cue
    self_cues: tuple[tuple[str, re.Pattern[str], str], ...]
    phrase_after: re.Pattern[str]
    phrase_is_kind: frozenset[str]
    extract_mark: re.Pattern[str]


@lru_cache(maxsize=1)
def _kind_cues() -> _KindCues:
    data = load_yaml(PATTERNS / "kinds.yml")
    weak = set(data["weak"])
    cues = tuple(
        (kind, re.compile(rf"(?<![\w-])(?:{p})(?![\wåäö])", re.IGNORECASE), p in weak, _head(p))
        for kind, pats in data["kinds"].items()
        for p in pats
    )
    return _KindCues(
        opening_chars=int(data["opening_chars"]),
        cues=cues,
        any_cue=first_of((c[1].pattern for c in cues), re.IGNORECASE),
        self_cues=tuple(
            (kind, re.compile(rf"\b(?:{p})\b", re.IGNORECASE), required_literal(p))
            for kind, pats in data["self_cues"].items()
            for p in pats
        ),
        phrase_after=re.compile(data["phrase_after"], re.IGNORECASE),
        phrase_is_kind=frozenset(data["phrase_is_kind"]),
        extract_mark=re.compile(data["extract_mark"], re.IGNORECASE),
    )


def _head(pattern: str) -> str:
    """The literal text a kind cue opens with (lower case): its matches start where it
    stands in the lower-cased opening."""
    head = literal_head(pattern)
    if not head:
        raise PatternError(f"kinds.yml: the cue {pattern!r} does not open with a literal word")
    return head


# letters spaced out by a heading style or OCR: "M E D B O R G A R F Ö R S L A G"
# "U t d r a g  u r  p r o t o k o l l": words of single letters, two spaces between words
_L = "A-Za-zÅÄÖåäöÉé"
# (the guard after the first letter: the regex engine skips to letters, where a
# lookbehind first made it try every position)
_SPACED = re.compile(rf"[{_L}](?<!\w.)(?: [{_L}])+(?:  [{_L}](?: [{_L}])*)*(?![\w])")


def _unspaced(m: re.Match[str]) -> str:
    """A spaced-out phrase read as words, padded to its length (offsets stay)."""
    if sum(c.isalpha() for c in m.group()) < 4:
        return m.group()
    words = " ".join(w.replace(" ", "") for w in m.group().split("  "))
    return words.ljust(len(m.group()))


def document_kind(text: str, *, paragraphs: int = 0) -> tuple[str, int, int] | None:
    """The kind a document announces in its opening, wherever the cue stands:
    (kind, start, end) of the earliest strong cue (a capitalised kind word, or the
    document naming itself), else of the earliest weak one."""
    c = _kind_cues()
    opening = _SPACED.sub(_unspaced, text[: c.opening_chars])
    found: list[tuple[bool, int, str, int]] = []  # (weak, start, kind, end)
    lower = lowered(opening)
    for kind, pattern, weak, head in c.cues:
        # a cue is tried only where its opening word stands, not at every position
        for m in matches_at(pattern, opening, occurrences(lower, head)):
            if not m.group()[:1].isupper():
                continue
            phrase = kind not in c.phrase_is_kind and c.phrase_after.match(opening, m.end())
            found.append((weak or bool(phrase), m.start(), kind, m.end()))
            break
    lower = lowered(text)
    for kind, pattern, needle in c.self_cues:
        m = pattern.search(text) if needle in lower else None
        if m:
            found.append((False, m.start(), kind, m.end()))
    if not found:
        return None
    weak, start, kind, end = min(found)
    if kind == "Protokoll" and paragraphs == 1 and c.extract_mark.search(text):
        kind = "Protokollsutdrag"
    return kind, start, end


# Labels of a document's own date, and of a meeting's: a protokoll or a kallelse is dated
# by its meeting, any other document by its own date (a breadcrumb's "Sammanträde
# 2024-03-12" above a tjänsteskrivelse is the meeting it goes to, not its date).
_DATE_LABEL = re.compile(
    r"(?i)\b(?:datum|dokumentdatum|beslutsdatum|utfärdat|upprättad|daterad)\b[ \t]*:?\s*(?:den\s+)?$"
)
_MEETING_LABEL = re.compile(
    r"(?i)\b(?:sammanträdesdatum|mötesdatum|sammanträde|sammanträdet|sammanträdestid|tid|plats\s+och\s+tid|tid\s+och\s+plats)\b"
    r"[ \t]*:?\s*(?:\w+dag(?:en)?\s+)?(?:den\s+)?$"
)
# Kinds of a meeting's documents: an agenda lists its items, a protokoll records them;
# all of them are dated by the meeting.
AGENDA_KINDS = frozenset({"Kallelse", "Föredragningslista", "Anmälningslista"})
_MANY_ITEMS_KINDS = AGENDA_KINDS | {"Protokoll"}
# A protokoll or an agenda has no title of its own: what stands where a title would is
# its body, meeting and attendance (an extract's title is its one paragraph's)
UNTITLED_KINDS = _MANY_ITEMS_KINDS
MEETING_KINDS = _MANY_ITEMS_KINDS | {"Protokollsutdrag", "Beslut"}
_MEETING_HEAD = re.compile(r"(?i)s?ammanträdesdatum|mötesdatum")
_NOT_OWN_DATE = re.compile(
    r"(?i)(?:inkom\w*|inkommen|ink\.|ankomstdatum|diarieförd|registrerad|utskrift\w*|senast ändrad|giltig\s+(?:från|till)|reviderad)\W{0,3}(?:den\s+)?$"
)
_NUMERIC_DATES = re.compile(
    r"(?=\d)(?<![\d.,/-])(?:(?P<c8>(?:19|20)\d{2}[01]\d[0-3]\d)|(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d{2}))(?![\d.,/-]?\d)"
)


def all_dates(text: str) -> list[tuple[int, int, str]]:
    """Full dates in every Swedish form: ISO, ``1 september 2014``, ``den 1 sept. 2014``,
    ``20140901`` and ``1.9.2014``."""
    from .dates import iso, parse_compact

    found = [d for d in find_dates(text) if len(d[2]) == 10]
    for m in _NUMERIC_DATES.finditer(text):
        v = parse_compact(m["c8"]) if m["c8"] else iso(int(m["y"]), int(m["m"]), int(m["d"]))
        if v:
            found.append((m.start(), m.end(), v))
    found.sort()
    return found


def document_date(text: str, header_end: int, kind: str | None = None) -> str | None:
    """The document's own date, from the strongest cue that is there:

    1. a labelled date in the opening (for a meeting's documents the meeting's label
       first: ``Sammanträdesdatum``, ``Tid``);
    2. a ``Datum:`` label anywhere (a form's date at its end);
    3. an unlabelled date in the header that is not a received, printed or cited one
       (``Inkom 2023-02-14``, ``(KF 2018-11-22, § 171)``);
    4. the last place-and-date signature (``Karlstad den 14 oktober 2021``, ``Trelleborg
       10.2.2023``).
    """
    opening_end = max(min(header_end, 2500), 800)
    # the dates starting in the opening (a date is shorter than the 50 characters read
    # past it); the whole text is read only for a "Datum:" label
    dates = [d for d in all_dates(text[: opening_end + 50]) if d[0] < opening_end]
    labels = (_MEETING_LABEL, _DATE_LABEL) if kind in MEETING_KINDS else (_DATE_LABEL,)
    for label in labels:
        for s, _e, v in dates:
            if label.search(text[max(0, s - 40) : s]):
                return v
    if kind in MEETING_KINDS:
        # a cover page's columns: "Sammanträdesdatum" over "Kommunstyrelsen  20190514"
        head = _MEETING_HEAD.search(text, 0, opening_end)
        after = [v for s, _e, v in dates if head and 0 <= s - head.end() < 100]
        if after:
            return after[0]
    for label in _FORM_DATE_LABEL.finditer(text):
        found = all_dates(text[label.end() : label.end() + 50])
        if found and found[0][0] == 0 and label.end() - label.start() <= 20:
            return found[0][2]
    header_dates = [d for d in dates if d[0] < max(min(header_end, 2500), 400)]
    for s, _e, v in header_dates:
        before = text[max(0, s - 40) : s]
        if _NOT_OWN_DATE.search(before) or (kind not in MEETING_KINDS and _CITED_DATE.search(before)):
            continue
        if kind in MEETING_KINDS or not _MEETING_LABEL.search(before):
            return v
    sig = place_dates(text)
    if sig:
        found = all_dates(sig[-1].group("date"))
        return found[0][2] if found else None
    return None


# "Datum: 12 april 2017" in a form, wherever it stands
# (the guard against a word before stands after the "D", so the regex engine skips to
# the D's: 40x faster than a lookbehind first)
_FORM_DATE_LABEL = re.compile(r"D(?<![\w-]D)atum[ \t]*:[ \t]*\n?")
# a date that dates another decision: "(KF 2018-11-22", "regionstyrelsen 2021-03-18"
_CITED_DATE = re.compile(
    r"(?i)(?:\(\s*|\b)(?:(?-i:[A-ZÅÄÖ]{2,6})|\w*(?:nämnd|styrelse|fullmäktige|utskott)\w*|beslut\w*|antogs)\s*:?\s*(?:den\s+)?$"
)


# (``place_dates`` tries it only at the capitals of the run of ``_PLACE_RUN`` characters
# before a date's first digit: a place and its separator keep to those characters)
_PLACE_DATE_ANY = re.compile(
    rf"(?P<place>[A-ZÅÄÖ](?<![\w-].)[a-zåäö]+(?:[ -][A-ZÅÄÖ][a-zåäö]+)?),?[ \t]+(?:den[ \t]+)?"
    rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[ \t]+(?:{'|'.join(MONTHS)})\.?[ \t]+\d{{4}}|[0-3]?\d\.[01]?\d\.(?:19|20)\d{{2}})"
)


# where the date of a place and date can start: a digit after a space or tab, opening
# one of its three forms (2021-10-14, 14 oktober 2021, 14.10.2021)
_DATE_AFTER_SPACE = re.compile(r"\d(?<=[ \t]\d)(?=\d{3}-\d\d-\d\d|\d?[ \t]+[a-z]|\d?\.\d)")
# the characters a place and what stands between it and its date are written with
_PLACE_RUN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖabcdefghijklmnopqrstuvwxyzåäö \t,-")


@lru_cache(maxsize=4)
def place_dates(text: str) -> tuple[re.Match[str], ...]:
    """``_PLACE_DATE_ANY.finditer(text)`` ("Karlstad den 14 oktober 2021"), tried only at
    the capitals in the run of letters, spaces and commas right before a date's first
    digit (it was tried at every capital); kept for the date and the municipality, which
    both ask."""
    starts: list[int] = []
    for d in _DATE_AFTER_SPACE.finditer(text):
        q = d.start()
        while q > 0 and text[q - 1] in _PLACE_RUN:
            q -= 1
        starts.extend(c for c in range(q, d.start()) if "A" <= text[c] <= "Z" or text[c] in "ÅÄÖ")
    return tuple(matches_at(_PLACE_DATE_ANY, text, starts))


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t,–-:":
        end -= 1
    return end


def _first_iso(value: str) -> str | None:
    dates = find_dates(value)
    return dates[0][2] if dates and len(dates[0][2]) == 10 else None


def _header_end(text: str, sections: list[Section]) -> int:
    if sections and sections[0].key == "header":
        return sections[0].end
    if sections:
        return sections[0].start
    # no standard headings: the header ends at the first long paragraph
    for line in lines_of(text):
        if len(line.text) > 200:
            return line.start
    return len(text)


def _only_case_number(t: str, case_numbers: list[CaseNumber], start: int, end: int) -> bool:
    inside = [c for c in case_numbers if start <= c.start and c.end <= end]
    if not inside:
        return False
    rest = t
    for c in inside:
        rest = rest.replace(c.text, "")
    return not re.sub(r"(?i)\b(?:dnr|diarienummer|diarienr|ärendenummer)\b[.:]?|[\s,;]", "", rest)


def _is_noise(t: str, case_numbers: list[CaseNumber], start: int, end: int) -> bool:
    if "@" in t and _EMAIL.search(t) or _PHONE.match(t) or _PAGE.match(t) or ISO_DATE.fullmatch(t):
        return True
    if " > " in t and _BREADCRUMB.fullmatch(t) or _LETTERHEAD.fullmatch(t.strip()):
        return True
    if _only_case_number(t, case_numbers, start, end):
        return True
    if _WEB.fullmatch(t):
        return True
    if t.lower() in _org_names_lower():
        return True
    # the sending office or the addressed body on a line of its own ("Kommunledningskontoret")
    return _is_body_line(t)


@lru_cache(maxsize=4096)
def _is_body_line(t: str) -> bool:
    """``t`` is one body's name and nothing else; cached, as header lines recur in every
    document of a sender and in both readings of one document."""
    bodies = find_bodies(t)
    return len(bodies) == 1 and bodies[0].start == 0 and bodies[0].end >= len(t.rstrip(" .:"))


# What stands before a title on the header line of a flattened document: contact
# details, dates, page numbers, classification codes ("Sida 1 (3)", "1.2.4.1")
_BEFORE_TITLE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:tfn|tel|telefon|mobil|växel)\b\.?:?[ \t]*\+?[\d \t()-]{6,}\d"
    r"|\bsida[ \t]+\d+(?:[ \t]*\(\d+\)|[ \t]+av[ \t]+\d+)?"
    r"|\b\d{4}-\d{2}-\d{2}\b|(?<![\w.])\d{1,2}(?:\.\d{1,3}){2,}(?![\w.])",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(r"[A-ZÅÄÖ0-9][^\n]{2,149}")


def flat_title(view: str, first_heading: int, case_numbers: list[CaseNumber]) -> tuple[str, int, int] | None:
    """(title, start, end) of a document whose text lost its line breaks: the end of
    the layout view's last line before the first section heading, after the header
    values on it ("… karin.sandell@vimmerby.se Barn- och utbildningsnämnden Revidering
    av riktlinjer för skolskjuts"); None when no such tail reads as a title (too long,
    a sentence, lower case)."""
    end = first_heading
    while end > 0 and view[end - 1].isspace():
        end -= 1
    start = view.rfind("\n", 0, end) + 1
    if end - start < 3:
        return None
    cut = start
    for m in _BEFORE_TITLE.finditer(view, start, end):
        cut = max(cut, m.end())
    for c in case_numbers:
        if start <= c.start < end:
            cut = max(cut, c.end)
    line = view[start:end]
    for b in find_bodies(line):
        if b.text[:1].isupper():  # the addressee; a body inside the title is lower case
            cut = max(cut, start + b.end)
    org_re, _table = _org_name_re()
    for m in org_re.finditer(line):
        cut = max(cut, start + m.end())
    gap = _COLUMN_GAP.search(view, cut, end)  # the last column of the line
    while gap:
        cut = gap.end()
        gap = _COLUMN_GAP.search(view, cut, end)
    m = _TITLE_WORDS.match(view, cut + len(view[cut:end]) - len(view[cut:end].lstrip(" \t,–-:")), end)
    if m is None or m.end() != end:
        return None
    title = m.group()
    words = [w for w in title.split() if any(c.isalpha() for c in w)]
    if (
        title.endswith((".", ":", ";", ","))
        or len(words) < 2
        or _NOT_TITLE_TAIL.search(title)
        or words[0].lower().rstrip(":") in _header_vocab()[2]
        or words[0].lower().rstrip(":") in _NOT_TITLE_START
    ):
        return None
    if _BODY_START.match(title) or words[0].split("-")[0].lower() in first_names():
        # "Individ- och familjeutskottet", "Nämnden för Teknik": an addressee; "Helena
        # Strandberg Gråbo": the writer of a medborgarförslag, a private person
        return None
    return title, m.start(), m.end()


_BODY_START = re.compile(
    r"(?:[\wåäö]+-\s+och\s+)?[\wåäö]*(?:nämnd|utskott|styrelse|direktion|beredning|förvaltning)(?:en|et)?\b"
    r"|[\wåäö]*fullmäktige\b",
    re.IGNORECASE,
)


_COLUMN_GAP = re.compile(r"[ \t]{2,}(?=\S)")
# first words that are no title's beside the header labels: a property, a contents page
_NOT_TITLE_START = frozenset({"fastighet", "fastighetsbeteckning", "innehåll", "innehållsförteckning"})


# a sentence, not a title: a finite verb after the subject ("Kalix kommun har getts …")
_NOT_TITLE_TAIL = re.compile(r"\b(?:har|är|ska|kommer|kan|bör|var|hade|blir)\s+\w+")


_COLUMNS = re.compile(r"[ \t]{2,}")
_TRAILING_NUMBERS = re.compile(r"[\s\d()/.:-]+$")
_PERSON_WITH_PARTY = re.compile(r"^[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+){1,3}\s*\([A-ZÅÄÖa-zåäö]{1,5}\)")


def _header_parts_only(line: str) -> bool:
    """Whether a header line holds only what is no title, in columns or not: a
    letterhead, the document's kind (spaced out or numbered: "M I S S I V", "Protokoll
    3/2023"), a date, a page number, a label and its value ("Organ Välfärdsnämnden",
    "Ink. 2023-03-02"), a body or a party alone, a member with a party, a typed rule."""
    unspaced = _SPACED.sub(_unspaced, line)
    if not any(c.isalpha() for c in unspaced) or _PERSON_WITH_PARTY.match(unspaced.strip()):
        return True
    parts = [p for p in _COLUMNS.split(unspaced.strip()) if p]
    value_of_label = False
    for part in parts:
        if value_of_label:  # "Plats och tid      Rådhuset, sal Tölö": the label's value
            value_of_label = False
            continue
        if _is_label(part):
            value_of_label = True
            continue
        if not _is_header_part(part):
            return False
    return True


def _is_label(part: str) -> bool:
    """A header label, alone or with a short value: "Organ Välfärdsnämnden", "Ink. 2023-03-02"."""
    words = part.split()
    first = words[0].lower().rstrip(".:")
    if first == "plats" and len(words) >= 3 and words[1].lower() == "och":
        return True  # "Plats och tid"
    return (first in _header_vocab()[2] or first == "ink") and (
        len(words) <= 4 and first != "ärende" or words[0].endswith(":")
    )


def _is_header_part(part: str) -> bool:
    part = " ".join(part.split())
    if _is_noise(part, [], 0, 0):  # letterhead, contact details, a date, a page, a body
        return True
    place_date = _PLACE_DATE_ANY.fullmatch(part)  # "Kungsbacka den 1 dec. 2023"
    if place_date and place_date.group("place").split()[0] in _names():
        return True
    for s, e, _v in reversed(all_dates(part)):  # "Kommunfullmäktige 24 april 2023"
        part = (part[:s] + part[e:]).strip()
    if not part:
        return True
    bare = _TRAILING_NUMBERS.sub("", part) or part
    if _LETTERHEAD.fullmatch(bare):
        return True
    bare = _LETTERHEAD_BEFORE.sub("", bare)  # "HÖGSBY KOMMUN Protokoll 1(14 )"
    if _kind_cues().any_cue.fullmatch(bare):
        return True
    from .organisations import party_names  # spaCy's gazetteer module: loaded when used

    return bare.lower() in party_names() or _is_noise(bare, [], 0, 0)


_LETTERHEAD_BEFORE = re.compile(r"^(?i:[\wåäö-]+\s+(?:kommun|stad)|region\s+[\wåäö-]+)\s+")


def _self_kind(text: str) -> str | None:
    """The kind of a document that calls itself so ("förvaltningens tjänsteutlåtande")."""
    m = _SELF_KIND.search(text)
    return m.group("kind").capitalize() if m else None


def _kind_from_title(title: str | None, prefixes) -> str | None:
    """The kind a title opens with ("Motion om …")."""
    return next((kind for kind, pattern in prefixes if title and pattern.match(title)), None)


def _fallback_date(text: str, header_end: int) -> str | None:
    """A date in the header; else a signature line ``Malmö 2025-02-25``."""
    m = ISO_DATE.search(text, 0, header_end)
    if m:
        return m.group()
    sig = list(_PLACE_DATE.finditer(text))
    if sig:
        return _first_iso(sig[-1].group("date"))
    return None


# --- municipality -----------------------------------------------------------


@lru_cache(maxsize=1)
def _municipalities() -> tuple[dict[str, str], ...]:
    return load_tsv(PATTERNS / "municipalities.tsv")


@lru_cache(maxsize=1)
def _org_names() -> tuple[str, ...]:
    return tuple(n for row in _municipalities() for n in row["org_names"].split("|") if n)


@lru_cache(maxsize=1)
def _org_names_lower() -> frozenset[str]:
    return frozenset(n.lower() for n in _org_names())


@lru_cache(maxsize=1)
def _by_domain() -> dict[str, str]:
    return {row["domain"].lower(): row["name"] for row in _municipalities() if row.get("domain")}


@lru_cache(maxsize=1)
def _org_name_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {}
    for row in _municipalities():
        for n in row["org_names"].split("|"):
            if n:
                table[n.lower()] = row["name"]
        # several write their name in the genitive: "Orusts kommun", "Tjörns kommun"
        if row["genitive"] != row["name"] and f"{row['name']} kommun" in row["org_names"].split("|"):
            table.setdefault(f"{row['genitive']} kommun".lower(), row["name"])
    # only a capitalised name counts ("Malmö stad", "HÖGSBY KOMMUN"), so the pattern
    # opens on the capitals of their first letters
    return re.compile(rf"{capitalised_alternation(table)}(?i:s)?(?!\w)"), table


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {row["name"]: row["name"] for row in _municipalities()}


_OWN_LABEL = re.compile(
    r"(?i)(?<![\w])(?:(?:dnr|diarienr|diarienummer|ärendenummer|ärendenr|änr|vår\s+beteckning|vår\s+ref(?:erens)?|beteckning)\b\.?\s*:?"
    # "Ärende: KS 2021/12" is a label, "svar på ärende ASN-2023-12667" a citation
    r"|(?-i:Ärende)\s*:?|ärende\s*:)\s*$"
)
_NOT_OWN_LABEL = re.compile(
    r"(?i)(?:\b(?:er|ert|era|deras)\s+|\w+s\s+(?:ärende\s+)?)(?:dnr|diarienr|diarienummer|beteckning|ref(?:erens)?|ärendenummer)\b\.?\s*:?\s*$"
)


def own_case_number(
    text: str, numbers: list[CaseNumber], header_end: int, kind: str | None, n_items: int
) -> CaseNumber | None:
    """The document's own case number, from cues that hold without line breaks: the first
    number of the opening under a ``Dnr``-type label that is not another party's (``Er
    referens``, ``Kommunrevisionens dnr``), else the first number of the opening; none
    for a protokoll or kallelse of several items."""
    if kind in _MANY_ITEMS_KINDS and n_items != 1:
        return None
    end = max(min(header_end, _OPENING), 300)
    opening = [c for c in numbers if c.start < end]
    labelled = [
        c
        for c in opening
        if _OWN_LABEL.search(text[max(0, c.start - 40) : c.start])
        and not _NOT_OWN_LABEL.search(text[max(0, c.start - 40) : c.start])
    ]
    if labelled:
        return labelled[0]
    others = [c for c in opening if not _NOT_OWN_LABEL.search(text[max(0, c.start - 40) : c.start])]
    # a number that ends the title (the view breaks the line before the first heading)
    ending = [c for c in others if _ENDS_LINE.match(text, c.end)]
    if ending:
        return ending[0]
    # "Svar på ärende ASN-2023-12667": a case the document answers or cites
    own = [c for c in others if not _CITED_BEFORE.search(text[max(0, c.start - 30) : c.start])]
    return (own or others or [None])[0]


_ENDS_LINE = re.compile(r"[ \t]*(?:\n|$)")
_CITED_BEFORE = re.compile(r"(?i)\b(?:ärende[nt]?|ärendena|remiss(?:en)?|svar\s+på|enligt|se)\s*:?\s*$")


_OPENING = 1500  # letterhead, header, cover page
_CLOSING = 600  # signatures, footer


def find_municipality(text: str, case_numbers: list[CaseNumber]) -> str | None:
    """The municipality a document comes from, by weighted evidence; None when unsure.

    A document says who it is in its letterhead (the first lines), e-mail domains,
    registry prefixes and signature; a municipality named in the running text counts
    for little (at most ``_PASSING_CAP`` in all), so a remiss that mentions another
    municipality in passing is not taken for it.  A kommunalförbund's name in the
    letterhead is its own answer.  The best needs ``_DECIDES`` points and a lead."""
    score: Counter[str] = Counter()
    passing: Counter[str] = Counter()
    by_domain = _by_domain()
    for m in list(_EMAIL_DOMAIN.finditer(text)) + list(web_addresses(text)):
        domain = m.group("domain").lower()
        parts = domain.split(".")
        for i in range(len(parts) - 1):
            name = by_domain.get(".".join(parts[i:]))
            if name:
                score[name] += 3
                break
    # a letterhead spaced out by its typeface: "O R U S T S  K O M M U N"
    text = _SPACED.sub(_unspaced, text[:_LETTERHEAD_CHARS]) + text[_LETTERHEAD_CHARS:]
    org_re, table = _org_name_re()
    closing = len(text) - _SIGNATURE_CHARS
    signed: set[str] = set()
    # a name in a letterhead, signature or sentence is capitalised ("Malmö stad", "HÖGSBY KOMMUN")
    for m in org_re.finditer(text):
        key = m.group().lower()
        name = table.get(key) or table.get(key[:-1])
        if not name:
            continue
        if m.start() < _LETTERHEAD_CHARS:
            score[name] += 6
        elif m.start() > closing and name not in signed:
            signed.add(name)
            score[name] += 2
        elif passing[name] < _PASSING_CAP:
            passing[name] += 1
            score[name] += 1
    for m in _IN_MUNICIPALITY.finditer(text, 0, _LETTERHEAD_CHARS):
        if m.group(1) in _names():
            score[m.group(1)] += 4  # "Centerpartiet i Gävle", "kommunfullmäktige i Gävle"
    for c in case_numbers:
        name = registry_municipality(c.registry)
        if name:
            score[name] += 2
    for m in place_dates(text):
        place = m.group("place").strip()
        if place.startswith("Region "):
            continue  # "Remiss från Region Värmland, 2021-06-28": a sender, not a place
        if place not in _names():
            place = place.split()[0]  # "Nacka Inkom 2020-02-14"
        if place in _names():
            score[place] += 3 if m.start() > closing or m.start() < _LETTERHEAD_CHARS else 1
    federation = _FEDERATION.search(text, 0, _LETTERHEAD_CHARS)
    if federation and not any(v >= 6 for v in score.values()):
        # the name is written in one style: "KUNSKAPSFÖRBUNDET VÄST Trollhättan",
        # "Räddningstjänsten Storgöteborg TJÄNSTEUTLÅTANDE"
        words = federation.group().split()
        capitals = words[0].isupper()
        while words[-1].isupper() != capitals:
            words.pop()
        return " ".join(words).title() if capitals else " ".join(words)
    if not score:
        return None
    (best, points), *rest = score.most_common()
    if points < _DECIDES or (rest and rest[0][1] == points):
        return None
    return best


_LETTERHEAD_CHARS = 300  # the letterhead and the first header lines
_SIGNATURE_CHARS = 300  # the signature and the footer
_IN_MUNICIPALITY = re.compile(r"i(?<=\si)[ \t]+([A-ZÅÄÖ][a-zåäö]+(?:[ -][A-ZÅÄÖ][a-zåäö]+)?)(?![\wåäö])")
_PASSING_CAP = 2
_DECIDES = 3
# a kommunalförbund named in its own letterhead
_FEDERATION = re.compile(
    r"(?i:(?<![\w-])(?:[\wåäö]+förbundet|räddningstjänsten)[ \t]+(?-i:[A-ZÅÄÖ])[\wåäö-]+(?:[ \t]+(?-i:[A-ZÅÄÖ])[\wåäö-]+)?"
    r"|(?<![\w-])(?-i:[A-ZÅÄÖ])[\wåäö-]+[ \t]+[\wåäö]*förbund)(?![\w-])"
)
