"""Entity views: documents, cases, bodies, persons and recommendations read from the graph.

Plain Python over the serving store, no web types: the web pages, the JSON API and
the CLI show the same dictionaries.  Every view runs a few fixed query files from
``queries/`` (bounded by LIMIT or by one named graph, so they need no worker process
as user queries do), with IRIs bound as substitutions (see ``..reader``).  Lists over
the whole graph are cached per store generation and paginated in Python.

Every fact a view returns carries its evidence: the document, the character span
and the exact text (``oa:exact``), so a reader can check it against the source.

One module per entity (``documents``, ``cases``, ``bodies``, ``persons``,
``recommendations``, ``resources`` for any IRI); ``EntityService`` is the facade the
interfaces hold.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ...graph.store import StoreReader
from ..reader import NotFound, QueryReader
from . import bodies as _bodies
from . import cases as _cases
from . import documents as _documents
from . import persons as _persons
from . import recommendations as _recommendations
from . import resources as _resources
from .common import BG, FACT_LABELS, KIND_LABELS, MAX_PAGE, Page, check_page

__all__ = [
    "BG",
    "FACT_LABELS",
    "KIND_LABELS",
    "MAX_PAGE",
    "QUERIES",
    "EntityService",
    "NotFound",
    "Page",
    "check_page",
]

QUERIES = Path(__file__).parent / "queries"


class EntityService:
    """Views of the things in the graph; ``reader`` gives the serving ``StoreReader``."""

    def __init__(self, reader: Callable[[], StoreReader], *, base_iri: str) -> None:
        self.queries = QueryReader(reader, base_iri=base_iri, folder=QUERIES)
        self.base = base_iri

    # -- IRIs ----------------------------------------------------------------------

    def key(self, iri: str) -> str:
        """The path of an IRI under the base (``arende/malmo/STK-2018-885``)."""
        return self.queries.key(iri)

    def kind(self, iri: str) -> str | None:
        """The kind of one of our IRIs (``case``, ``document``…), None for others."""
        return self.queries.kind(iri)

    def exists(self, iri: str) -> bool:
        """Whether the graph says anything about ``iri``, in or out."""
        return _resources.exists(self.queries, iri)

    def label(self, iri: str) -> str:
        """A display name for any IRI."""
        return _resources.label(self.queries, iri)

    # -- documents -----------------------------------------------------------------

    def documents(self, *, limit: int = 50, offset: int = 0) -> Page:
        """All documents, oldest first."""
        return _documents.documents(self.queries, limit=limit, offset=offset)

    def all_documents(self) -> list[dict[str, Any]]:
        """Every document, oldest first (cached per store generation)."""
        return _documents.all_documents(self.queries)

    def graph_of(self, doc_iri: str) -> str:
        """The IRI of the named graph that holds a document."""
        return _documents.graph_of(self.queries, doc_iri)

    def document_iri(self, doc_id: str) -> str:
        """The IRI of the document with id ``doc_id``."""
        return _documents.document_iri(self.queries, doc_id)

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document: its metadata, text, sections and every fact with its span."""
        return _documents.document(self.queries, doc_id)

    # -- cases, bodies, persons, recommendations -------------------------------------

    def cases(self, *, limit: int = 50, offset: int = 0) -> Page:
        """All cases, with how many documents belong to each and how many mention it."""
        return _cases.cases(self.queries, limit=limit, offset=offset)

    def find_case(self, number: str) -> list[str]:
        """IRIs of the cases whose normalised number is ``number`` (any municipality)."""
        return _cases.find_case(self.queries, number)

    def case(self, iri: str) -> dict[str, Any]:
        """A case: number, municipality, its documents and the documents that mention it."""
        return _cases.case(self.queries, iri)

    def bodies(self, *, limit: int = 50, offset: int = 0, municipality: str | None = None) -> Page:
        """Bodies and administrations, most mentioned first."""
        return _bodies.bodies(self.queries, limit=limit, offset=offset, municipality=municipality)

    def warm_up(self) -> None:
        """Read the whole-graph indexes of the serving generation now (about a second at
        1,000 documents) rather than on the first page that needs them."""
        q = self.queries
        _documents.all_documents(q)
        _documents.documents_mentioning(q, "")
        _bodies.related_bodies(q, "")
        for name in ("decisions_by_body", "treatments_by_body"):
            _bodies.by_body(q, name)
        _recommendations.recommendations(q, body=None, limit=1, offset=0)
        _recommendations.citing_documents(q, "")
        _cases.documents_of_case(q)

    def body(self, iri: str) -> dict[str, Any]:
        """A body: documents that mention it, recommendations it received, decisions it takes."""
        return _bodies.body(self.queries, iri)

    def persons(self, *, limit: int = 50, offset: int = 0) -> Page:
        """Persons named in the documents, by name."""
        return _persons.persons(self.queries, limit=limit, offset=offset)

    def person(self, iri: str) -> dict[str, Any]:
        """A person: roles and parties as the documents state them, and those documents."""
        return _persons.person(self.queries, iri)

    def recommendations(self, *, body: str | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Recommendations (to ``body`` if given) with issuer, targets, evidence and answer."""
        return _recommendations.recommendations(self.queries, body=body, limit=limit, offset=offset)

    # -- any IRI -------------------------------------------------------------------

    def describe(self, iri: str, *, limit: int = 500) -> dict[str, Any]:
        """Every statement about an IRI, outgoing and incoming (for the generic page)."""
        return _resources.describe(self.queries, iri, limit=limit)

    def linked_data(self, iri: str) -> list[ox.Triple]:
        """The triples an IRI answers as linked data (a document: its whole graph)."""
        return _resources.linked_data(self.queries, iri)

    def municipalities(self) -> list[dict[str, Any]]:
        """Municipalities with documents, and how many."""
        return _resources.municipalities(self.queries)
