"""The citation index: what the lineage walk needs from the graph, read once per generation.

Built from the rows of the whole-graph queries in ``queries/`` (each joined inside
one document graph: the union default graph repeats shared entities per graph, and
unscoped joins over it were quadratic).  The walk (``walk.py``) is pure functions
over this index, so it can be tested with a small hand-made one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

Row = dict[str, Any]


@dataclass
class CitationIndex:
    """Documents, cases, references, sections and planned treatments of one store generation."""

    documents: list[Row]  # document rows (iri, title, date, municipality, case, …), oldest first
    cases: dict[str, Row] = field(default_factory=dict)  # case IRI -> {number, municipality}
    references: dict[str, list[Row]] = field(default_factory=dict)  # document -> its references, in text order
    case_citations: dict[str, list[Row]] = field(default_factory=dict)  # case -> references to it (d, ref, span)
    titled_references: list[Row] = field(default_factory=list)  # document references with a title (d, ref, title, span)
    sections: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # document -> (key, start, end)
    responses: frozenset[str] = frozenset()  # documents typed as a response (yttrande, remissvar)
    treatments: dict[str, list[Row]] = field(default_factory=dict)  # document -> planned treatments, in text order
    by_iri: dict[str, Row] = field(init=False)
    by_case: dict[str, list[str]] = field(init=False)
    # municipality -> normalised title -> sorted (date, iri) of the documents with it
    _titles: dict[str | None, dict[str, list[tuple[str, str]]]] = field(init=False, repr=False)
    _groups: dict[tuple[str | None, str], list[list[tuple[str, str]]]] = field(init=False, repr=False)
    _cited_by_title: dict[str, list[Row]] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.by_iri = {d["iri"]: d for d in self.documents}
        self.by_case = {}
        self._titles = {}
        self._groups = {}
        for d in self.documents:
            if d.get("case"):
                self.by_case.setdefault(d["case"], []).append(d["iri"])
            title = norm_title(d.get("title"))
            if title:
                self._titles.setdefault(d.get("municipality"), {}).setdefault(title, []).append(
                    (d.get("date") or "", d["iri"])
                )
        for titles in self._titles.values():
            for docs in titles.values():
                docs.sort()

    def latest_titled(self, title: str | None, citing: str) -> str | None:
        """The document a title cited by ``citing`` stands for: of the documents with a
        matching title (``titles_match``) in the citing document's municipality, not
        dated after it and not itself, the most recent; None if there is none."""
        info = self.by_iri.get(citing) or {}
        when, where = info.get("date") or "9999", info.get("municipality")
        wanted = norm_title(title)
        key = (where, wanted)
        groups = self._groups.get(key)
        if groups is None:  # the document titles this reference title matches, once
            titles = self._titles.get(where, {})
            groups = self._groups[key] = [docs for t, docs in titles.items() if titles_match(t, wanted)]
        best: tuple[str, str] | None = None
        for docs in groups:
            i = bisect.bisect_right(docs, (when, "\uffff"))  # dated on or before ``when``
            while i > 0 and docs[i - 1][1] == citing:
                i -= 1
            if i and (best is None or docs[i - 1] > best):
                best = docs[i - 1]
        return best[1] if best else None

    def cited_by_title(self, doc: str) -> list[Row]:
        """The document references whose cited title stands for ``doc``, in order."""
        if self._cited_by_title is None:
            found: dict[str, list[Row]] = {}
            for r in self.titled_references:
                target = self.latest_titled(r["title"], r["d"])
                if target:
                    found.setdefault(target, []).append(r)
            self._cited_by_title = found
        return self._cited_by_title.get(doc, [])


@lru_cache(maxsize=65536)
def norm_title(text: str | None) -> str:
    """A title for comparison: case-folded, punctuation and underscores as single spaces."""
    return re.sub(r"[\W_]+", " ", (text or "").casefold()).strip()


def titles_match(x: str, y: str) -> bool:
    """Whether two normalised titles name the same document (equal, or one inside the
    other when both are long enough to mean something)."""
    if len(x) < 12 or len(y) < 12:
        return False
    return x == y or (min(len(x), len(y)) >= 20 and (x in y or y in x))


def group(rows: Iterable[Row], key: str) -> dict[str, list[Row]]:
    """Rows grouped by the value of ``key``, keeping their order."""
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out
