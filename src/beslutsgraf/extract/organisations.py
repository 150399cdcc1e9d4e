"""Organisations and parties named in a document, from gazetteers.

The gazetteers (``patterns/organisations.yml``, ``patterns/parties.yml``) go into
a spaCy ``PhraseMatcher`` on lower-cased tokens (measured 2.3× faster than the
same phrases as token patterns).  Party abbreviations are ambiguous (``S``,
``M``, ``L``) and are only taken inside parentheses, by ``persons``.  Units of
the police (``Polisområde Malmö``, ``lokalpolisområde Norr``) follow a pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..model import Organisation
from .nlp import Doc, PhraseMatcher, sentence_nlp  # spaCy through nlp: it keeps torch out

PATTERNS = Path(__file__).resolve().parent / "patterns"

# the word-start guard after the first letter, so the regex engine skips to P's and p's
_POLICE_UNIT = re.compile(r"(?P<unit>[Pp](?<!\w.)olis(?:område|region))\s+(?P<place>[A-ZÅÄÖ][\wåäö-]+)")


def _party_entries() -> list[dict]:
    parties = load_yaml(PATTERNS / "parties.yml")
    return parties.get("parties", parties) if isinstance(parties, dict) else parties


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, tuple[str, str]], PhraseMatcher, PhraseMatcher]:
    """alias key -> (canonical name, kind); a case-folding matcher and an exact-case one.

    Entries marked ``case_sensitive`` (a party called "Kommunens Väl" must not match
    "för kommunens väl") go to the exact-case matcher under their own spelling.
    """
    table: dict[str, tuple[str, str]] = {}
    folded: list[str] = []
    exact: list[str] = []
    entries = [(e, "organisation") for e in load_yaml(PATTERNS / "organisations.yml") or []]
    entries += [(e, "party") for e in _party_entries()]
    for entry, kind in entries:
        for alias in [entry["name"], *(entry.get("aliases") or [])]:
            if kind == "party" and len(alias) <= 3:
                continue  # party abbreviations only in parentheses (persons.py)
            if entry.get("case_sensitive"):
                if alias not in table:
                    table[alias] = (entry["name"], kind)
                    exact.append(alias)
            elif alias.lower() not in table:
                table[alias.lower()] = (entry["name"], kind)
                folded.append(alias.lower())
    nlp = sentence_nlp()
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    for alias in folded:
        lower.add(alias, [nlp.make_doc(alias)])
    orth = PhraseMatcher(nlp.vocab, attr="ORTH")
    for alias in exact:
        orth.add(alias, [nlp.make_doc(alias)])
    return table, lower, orth


@lru_cache(maxsize=1)
def party_names() -> dict[str, str]:
    """Every written name of a party longer than an abbreviation, lower case -> canonical."""
    out = {}
    for entry in _party_entries():
        for alias in [entry["name"], *(entry.get("aliases") or [])]:
            if len(alias) > 4 and not entry.get("case_sensitive"):
                out.setdefault(alias.lower(), entry["name"])
    return out


@lru_cache(maxsize=1)
def party_abbreviation_of() -> dict[str, str]:
    """Canonical party name (``Centerpartiet``) -> its abbreviation (``C``)."""
    return {entry["name"]: entry["abbr"] for entry in _party_entries()}


@lru_cache(maxsize=1)
def party_abbreviations() -> dict[str, str]:
    """Party abbreviation (``SD``) -> canonical name (``Sverigedemokraterna``)."""
    out = {}
    for entry in _party_entries():
        out[entry["abbr"]] = entry["name"]
        for alias in entry.get("aliases") or []:
            if alias.isupper() and len(alias) <= 4:
                out.setdefault(alias, entry["name"])
    return out


def find_organisations(text: str, *, doc: Doc | None = None) -> list[Organisation]:
    """Every organisation and party mention, in text order, longest match first (``doc``:
    the text already tokenized, see ``nlp.parse``)."""
    table, lower, orth = _gazetteer()
    doc = sentence_nlp().make_doc(text) if doc is None else doc
    spans = []
    for match_id, start, end in [*lower(doc), *orth(doc)]:
        span = doc[start:end]
        spans.append((span.start_char, span.end_char, table[doc.vocab.strings[match_id]]))
    for m in _POLICE_UNIT.finditer(text):
        spans.append((m.start(), m.end(), (f"{m.group('unit').capitalize()} {m.group('place')}", "organisation")))
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[Organisation] = []
    last = -1
    for s, e, (name, kind) in spans:
        if s < last:
            continue
        out.append(Organisation(name=name, text=text[s:e], start=s, end=e, kind=kind))
        last = e
    return out
