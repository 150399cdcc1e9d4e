"""Decision lineage: where a case or a document came from, and what came of it.

``LineageService`` reads the citation index (``citations.py``) once per store
generation from the query files in ``queries/`` and hands it to the pure walk
(``walk.py``, which explains the link types).
"""

from __future__ import annotations

from pathlib import Path

from ...graph import uris
from ..entities import EntityService
from ..entities.cases import wanted_numbers
from ..reader import NotFound
from . import walk
from .citations import CitationIndex, group
from .model import LINK_LABELS, MAX_DEPTH, MAX_DOCUMENTS, Lineage, Link, TimelineEvent

__all__ = [
    "LINK_LABELS",
    "MAX_DEPTH",
    "MAX_DOCUMENTS",
    "QUERIES",
    "CitationIndex",
    "Lineage",
    "LineageService",
    "Link",
    "NotFound",
    "TimelineEvent",
]

QUERIES = Path(__file__).parent / "queries"


class LineageService:
    """Lineage over the graph: a citation index per store generation, walked by pure functions."""

    def __init__(self, entities: EntityService) -> None:
        self.entities = entities
        self.base = entities.base
        self.queries = entities.queries.with_folder(QUERIES)

    def index(self) -> CitationIndex:
        """The citation index of the serving generation (read once per generation)."""
        return self.queries.memo("index", self._read_index)

    def _read_index(self) -> CitationIndex:
        q, base = self.queries, self.base
        references = [
            {**r, "doc": uris.document_of_graph(r["g"], base=base)} for r in q.rows("references") if q.kind(r["g"]) == "graph"
        ]
        treatments = [
            r for r in q.rows("planned_treatments")
            if q.kind(r["g"]) == "graph" and uris.document_of_graph(r["g"], base=base) == r["doc"]
        ]
        sections: dict[str, list[tuple[str, int, int]]] = {}
        for r in q.rows("sections"):
            sections.setdefault(r["doc"], []).append((r["key"], r["start"], r["end"]))
        cases: dict[str, dict[str, str | None]] = {}
        for r in q.rows("cases"):
            cases.setdefault(r["case"], {"number": r["number"], "municipality": r.get("m")})
        return CitationIndex(
            documents=self.entities.all_documents(),
            cases=cases,
            references=group(references, "doc"),
            case_citations=group(q.rows("case_citations"), "case"),
            titled_references=q.rows("titled_references"),
            sections=sections,
            responses=frozenset(r["doc"] for r in q.rows("document_classes") if r["c"] in walk.RESPONSE_CLASSES),
            treatments=group(treatments, "doc"),
        )

    def resolve(self, ident: str) -> str:
        """An IRI for a case number, document id/file name, key under the base or IRI."""
        return walk.resolve(self.index(), ident, base=self.base, case_numbers=wanted_numbers(ident))

    def upstream_of(self, doc: str, depth: int = 1) -> list[Link]:
        """What one document builds on, as typed links with their evidence."""
        return walk.upstream_of(self.index(), doc, depth, base=self.base)

    def downstream_of(self, doc: str | None, case: str | None, depth: int = 1) -> list[Link]:
        """Documents that cite a document (by title) or a case, with the citing span."""
        return walk.downstream_of(self.index(), doc, case, depth, base=self.base)

    def lineage(self, ident: str, *, depth: int = 3) -> Lineage:
        """Upstream and downstream links of a case or a document, and its timeline."""
        if not 1 <= depth <= MAX_DEPTH:
            raise NotFound(f"depth must be between 1 and {MAX_DEPTH}, got {depth}")
        return walk.lineage(self.index(), self.resolve(ident), depth=depth, base=self.base)
