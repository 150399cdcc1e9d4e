"""IRI minting: every IRI the graph uses is made (and read back) here.

IRIs are stable and readable, under a configurable base (setting ``base_iri``,
default ``https://beslutsgraf.se/id/``).  Shared entities get IRIs from what
identifies them, so every document that mentions them mints the same IRI:

==============  ==============================================  ==========================
kind            path under the base                             parts
==============  ==============================================  ==========================
municipality    ``kommun/malmo``                                municipality
case            ``arende/malmo/STK-2018-885``                   municipality, number
body            ``organ/malmo/kommunstyrelsen``                 municipality, name
administration  ``forvaltning/malmo/stadskontoret``             municipality, name
person          ``person/malmo/per-erik-ebbestahl``             municipality, name
party           ``parti/sd``                                    party
organisation    ``organisation/kpmg``                           name
role            ``roll/avdelningschef``                         name
document        ``dokument/<stem>``                             document
graph           ``graf/<stem>``                                 document
==============  ==============================================  ==========================

Facts live under their document: ``dokument/<stem>/<segment>/<ordinal>`` (see
``_FACT_SEGMENTS``), the text spans at ``dokument/<stem>/span/120-245``, mentions
at ``dokument/<stem>/omnamnande/organ-3`` and the extraction activity at
``dokument/<stem>/extraktion``.  Ordinals are 1-based positions in the
extraction's lists, so they are stable for a given extractor version.

Slugs (names, municipalities, file stems): lower case, diacritics folded
(``å``/``ä`` → ``a``, ``ö`` → ``o``), any other run of characters → ``-``; file
stems also keep ``_``.  An unknown municipality is ``okand``.  Case numbers keep
their case and are encoded reversibly and readably: ``/`` → ``_``, space → ``+``,
other characters outside ``[A-Za-z0-9.-]`` percent-encoded (``3.1.3-91/2019`` →
``3.1.3-91_2019``, ``KS 2021/317`` → ``KS+2021_317``).

``mint(kind, **parts)`` normalises the parts (slugging names) and builds the IRI;
``parse(iri)`` returns the kind and the normalised parts, so
``mint(p.kind, **p.parts) == iri`` for every ``p = parse(iri)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import MappingProxyType
from urllib.parse import quote, unquote

from ..errors import IriError

DEFAULT_BASE = "https://beslutsgraf.se/id/"
UNKNOWN_MUNICIPALITY = "okand"

# The national parties: the extractor gives a person's party as its abbreviation
# (``SD``) and a party mention by name (``Sverigedemokraterna``); both must mint
# ``parti/sd``.  Local parties fall back to the slug of their name.
PARTY_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "s": "Socialdemokraterna",
        "m": "Moderaterna",
        "sd": "Sverigedemokraterna",
        "c": "Centerpartiet",
        "v": "Vänsterpartiet",
        "kd": "Kristdemokraterna",
        "l": "Liberalerna",
        "mp": "Miljöpartiet",
    }
)
_PARTY_BY_NAME = {name.lower(): abbr for abbr, name in PARTY_NAMES.items()}

# Mention IRIs say what was mentioned: omnamnande/<target>-<n>.
MENTION_TARGETS = ("arende", "organ", "person", "organisation")

_FACT_SEGMENTS = {
    "section": "avsnitt",
    "item": "punkt",
    "attachment": "bilaga",
    "chunk": "stycke",
    "recommendation": "rekommendation",
    "proposal": "forslag",
    "decision": "beslut",
    "treatment": "behandling",
    "recipient": "mottagare",
    "reference": "referens",
    "membership": "medlemskap",
}

# kind -> path segments; "{part}" segments are filled from the parts.
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "municipality": ("kommun", "{municipality}"),
    "case": ("arende", "{municipality}", "{number}"),
    "body": ("organ", "{municipality}", "{name}"),
    "administration": ("forvaltning", "{municipality}", "{name}"),
    "person": ("person", "{municipality}", "{name}"),
    "party": ("parti", "{party}"),
    "organisation": ("organisation", "{name}"),
    "role": ("roll", "{name}"),
    "document": ("dokument", "{document}"),
    "graph": ("graf", "{document}"),
    "activity": ("dokument", "{document}", "extraktion"),
    "span": ("dokument", "{document}", "span", "{start}-{end}"),
    "mention": ("dokument", "{document}", "omnamnande", "{target}-{ordinal}"),
    "referenced_document": ("dokument", "{document}", "referens", "{ordinal}", "handling"),
    "referenced_decision": ("dokument", "{document}", "referens", "{ordinal}", "beslut"),
    **{kind: ("dokument", "{document}", seg, "{ordinal}") for kind, seg in _FACT_SEGMENTS.items()},
}
KINDS: tuple[str, ...] = tuple(_TEMPLATES)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DOC_SLUG = re.compile(r"[a-z0-9_]+(?:-[a-z0-9_]+)*")
_ORDINAL = re.compile(r"[1-9][0-9]*")
_OFFSET = re.compile(r"0|[1-9][0-9]*")
_ENCODED_NUMBER = re.compile(r"(?:[A-Za-z0-9.\-_+]|%[0-9A-F]{2})+")
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "ß": "ss", "đ": "d", "ł": "l", "þ": "th"})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Parsed:
    """What ``parse`` reads out of an IRI: its kind and its (normalised) parts."""

    kind: str
    parts: Mapping[str, str]


# --- slugs and encodings ------------------------------------------------------


def _ascii_slug(text: str, keep: str) -> str:
    """Lower case, diacritics folded, every run of characters outside ``[a-z0-9{keep}]``
    made one ``-``, trimmed of ``-``."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(rf"[^a-z0-9{keep}]+", "-", ascii_only).strip("-")


def slug(text: str) -> str:
    """``Arbetsmarknads- och socialnämnden`` → ``arbetsmarknads-och-socialnamnden``."""
    out = _ascii_slug(text, "")
    if not out:
        raise IriError(f"cannot make a slug of {text!r}: no letters or digits")
    return out


def municipality_slug(name: str | None) -> str:
    """``Malmö`` → ``malmo``; ``None`` (unknown) → ``okand``."""
    return UNKNOWN_MUNICIPALITY if name is None or not name.strip() else slug(name)


def document_slug(source: str) -> str:
    """File name (or stem) → the slug of its stem: ``000_3c35.txt`` → ``000_3c35``."""
    stem = PurePosixPath(source.replace("\\", "/")).name
    # One extension only: the file name minus ".txt"/".pdf"; a slug has no dots left.
    stem = stem.rsplit(".", 1)[0] if "." in stem.strip(".") else stem
    out = _ascii_slug(stem, "_")
    if not out:
        raise IriError(f"cannot make a document slug of file name {source!r}")
    return out


def party_slug(name_or_abbreviation: str) -> str:
    """``SD``, ``sd`` and ``Sverigedemokraterna`` → ``sd``; other parties → slug of the name."""
    key = name_or_abbreviation.strip().lower()
    if key in PARTY_NAMES:
        return key
    return _PARTY_BY_NAME.get(key) or slug(name_or_abbreviation)


def encode_case_number(number: str) -> str:
    """``3.1.3-91/2019`` → ``3.1.3-91_2019``; ``KS 2021/317`` → ``KS+2021_317``."""
    if not number or number != number.strip():
        raise IriError(f"case number {number!r} is empty or has surrounding white space")
    # "+" is percent-encoded by quote and "_" (and "~") by us, so "_" and "+" are
    # free to stand for "/" and " ".
    encoded = quote(number, safe="/ ").replace("_", "%5F").replace("~", "%7E")
    return encoded.replace("/", "_").replace(" ", "+")


def decode_case_number(segment: str) -> str:
    """Inverse of ``encode_case_number``."""
    if not _ENCODED_NUMBER.fullmatch(segment):
        raise IriError(f"{segment!r} is not an encoded case number")
    return unquote(segment.replace("_", "%2F").replace("+", "%20"))


# --- mint and parse -----------------------------------------------------------


def _normal_part(kind: str, key: str, value: object) -> str:
    """A part as it appears in ``Parsed.parts``: slugged, validated, as a string."""
    if key == "municipality":
        return municipality_slug(value if value is None else str(value))
    if value is None:
        raise IriError(f"{kind}: part {key!r} is missing")
    text = str(value)
    if key == "number":
        encode_case_number(text)  # validates
        return text
    if key == "name":
        return slug(text)
    if key == "party":
        return party_slug(text)
    if key == "document":
        return document_slug(text)
    if key == "ordinal":
        if not _ORDINAL.fullmatch(text):
            raise IriError(f"{kind}: ordinal must be a positive integer, got {value!r}")
        return text
    if key in ("start", "end"):
        if not _OFFSET.fullmatch(text):
            raise IriError(f"{kind}: {key} must be a non-negative integer, got {value!r}")
        return text
    if key == "target":
        if text not in MENTION_TARGETS:
            raise IriError(
                f"{kind}: target must be one of {', '.join(MENTION_TARGETS)}, got {value!r}"
            )
        return text
    raise IriError(f"{kind}: unknown part {key!r}")


def part_names(kind: str) -> tuple[str, ...]:
    """The parts ``mint`` needs for ``kind``, in IRI order."""
    template = _TEMPLATES.get(kind)
    if template is None:
        raise IriError(f"unknown IRI kind {kind!r}; known: {', '.join(KINDS)}")
    return tuple(k for seg in template for k in _PLACEHOLDER.findall(seg))


def _check_base(base: str) -> str:
    if not re.fullmatch(r"https?://[^\s#?]+/", base):
        raise IriError(f"base IRI must be an http(s) IRI ending in '/', got {base!r}")
    return base


def mint(kind: str, *, base: str = DEFAULT_BASE, **parts: object) -> str:
    """The IRI of a ``kind`` (one of ``KINDS``) from its parts, e.g. ``mint("case", municipality="Malmö", number="STK-2018-885")``."""
    wanted = part_names(kind)
    template = _TEMPLATES[kind]
    # municipality may be passed as None (unknown), so only a missing key is an error.
    missing = [k for k in wanted if k not in parts]
    extra = sorted(set(parts) - set(wanted))
    if missing or extra:
        raise IriError(
            f"{kind}: expected parts {', '.join(wanted)}; missing {missing}, unexpected {extra}"
        )
    norm = {k: _normal_part(kind, k, parts[k]) for k in wanted}
    if kind == "span" and int(norm["start"]) > int(norm["end"]):
        raise IriError(f"span: start {norm['start']} is after end {norm['end']}")
    if "number" in norm:
        norm["number"] = encode_case_number(norm["number"])
    path = "/".join(_PLACEHOLDER.sub(lambda m: norm[m.group(1)], seg) for seg in template)
    return _check_base(base) + path


def namespace(kind: str, *, base: str = DEFAULT_BASE) -> str:
    """The IRI prefix every IRI of ``kind`` starts with (its fixed leading segments)."""
    fixed = []
    for seg in _TEMPLATES[kind]:
        if _PLACEHOLDER.search(seg):
            break
        fixed.append(seg)
    return _check_base(base) + "".join(f"{seg}/" for seg in fixed)


def _match_segment(pattern: str, segment: str) -> dict[str, str] | None:
    keys = _PLACEHOLDER.findall(pattern)
    if not keys:
        return {} if pattern == segment else None
    if keys == [pattern[1:-1]]:
        return {keys[0]: segment}
    # Two parts joined by "-" ("{start}-{end}", "{target}-{ordinal}"): split at the last "-".
    head, _, tail = segment.rpartition("-")
    return {keys[0]: head, keys[1]: tail} if head and tail else None


_PART_CHECK = {
    "municipality": _SLUG,
    "name": _SLUG,
    "party": _SLUG,
    "document": _DOC_SLUG,
    "ordinal": _ORDINAL,
    "start": _OFFSET,
    "end": _OFFSET,
    "number": _ENCODED_NUMBER,
}


def parse(iri: str, *, base: str = DEFAULT_BASE) -> Parsed:
    """The kind and parts of an IRI minted by ``mint``; ``IriError`` for any other IRI."""
    _check_base(base)
    if not iri.startswith(base):
        raise IriError(f"{iri!r} is not under the base IRI {base!r}")
    segments = iri[len(base) :].split("/")
    for kind, template in _TEMPLATES.items():
        if len(template) != len(segments):
            continue
        parts: dict[str, str] = {}
        for pattern, segment in zip(template, segments):
            got = _match_segment(pattern, segment)
            if got is None:
                break
            parts.update(got)
        else:
            if all(_valid_part(k, v) for k, v in parts.items()):
                if "number" in parts:
                    parts["number"] = decode_case_number(parts["number"])
                return Parsed(kind, MappingProxyType(parts))
    raise IriError(f"{iri!r} does not match any beslutsgraf IRI pattern; kinds: {', '.join(KINDS)}")


def local_path(iri: str, *, base: str = DEFAULT_BASE) -> str | None:
    """The part of ``iri`` after ``base`` (``dokument/000_3c35``), or None for an IRI
    that is not under the base (an ontology term, another site's IRI)."""
    _check_base(base)
    return iri[len(base) :] if iri.startswith(base) else None


def _valid_part(key: str, value: str) -> bool:
    if key == "target":
        return value in MENTION_TARGETS
    return bool(_PART_CHECK[key].fullmatch(value))


# --- helpers for the services (read IRIs back without string surgery) ----------


def kind_of(iri: str, *, base: str = DEFAULT_BASE) -> str | None:
    """The kind of an IRI minted by ``mint``, or None for any other IRI."""
    try:
        return parse(iri, base=base).kind
    except IriError:
        return None


def relative(iri: str, *, base: str = DEFAULT_BASE) -> str:
    """The path of ``iri`` under the base (``arende/malmo/STK-2018-885``); other IRIs unchanged."""
    local = local_path(iri, base=base)
    return iri if local is None else local


def from_relative(path: str, *, base: str = DEFAULT_BASE) -> str:
    """Inverse of ``relative`` for a path under the base: ``arende/malmo/X`` → the full IRI.
    A full IRI, an empty path or a ``.``/``..``/empty segment is refused."""
    if path.startswith(("http://", "https://", "/")):
        raise IriError(f"{path!r} is not a path under the base IRI")
    if any(seg in ("", ".", "..") for seg in path.split("/")):
        raise IriError(f"{path!r} is not a path under the base IRI (empty, '.' or '..' segment)")
    return _check_base(base) + path


def _parsed_as(iri: str, kind: str, *, base: str) -> Parsed:
    parsed = parse(iri, base=base)
    if parsed.kind != kind:
        raise IriError(f"{iri!r} is a {parsed.kind} IRI, not a {kind} IRI")
    return parsed


def document_id(iri: str, *, base: str = DEFAULT_BASE) -> str:
    """The id of a document IRI (its slug: ``dokument/000_3c35`` → ``000_3c35``)."""
    return _parsed_as(iri, "document", base=base).parts["document"]


def case_id(iri: str, *, base: str = DEFAULT_BASE) -> str:
    """The path of a case IRI under ``arende/`` (``malmo/STK-2018-885``, encoded as in the IRI)."""
    _parsed_as(iri, "case", base=base)
    return relative(iri, base=base).split("/", 1)[1]


def graph_of_document(iri: str, *, base: str = DEFAULT_BASE) -> str:
    """The named graph that holds a document: ``dokument/<stem>`` → ``graf/<stem>``."""
    return mint("graph", base=base, **_parsed_as(iri, "document", base=base).parts)


def document_of_graph(iri: str, *, base: str = DEFAULT_BASE) -> str:
    """The document a named graph holds: ``graf/<stem>`` → ``dokument/<stem>``."""
    return mint("document", base=base, **_parsed_as(iri, "graph", base=base).parts)
