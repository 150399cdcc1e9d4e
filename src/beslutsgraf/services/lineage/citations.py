"""The citation index: what the lineage walk needs from the graph, read once per generation.

Built from the rows of the whole-graph queries in ``queries/`` (each joined inside
one document graph: the union default graph repeats shared entities per graph, and
unscoped joins over it were quadratic).  The walk (``walk.py``) is pure functions
over this index, so it can be tested with a small hand-made one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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

    def __post_init__(self) -> None:
        self.by_iri = {d["iri"]: d for d in self.documents}
        self.by_case = {}
        for d in self.documents:
            if d.get("case"):
                self.by_case.setdefault(d["case"], []).append(d["iri"])


def group(rows: Iterable[Row], key: str) -> dict[str, list[Row]]:
    """Rows grouped by the value of ``key``, keeping their order."""
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out
