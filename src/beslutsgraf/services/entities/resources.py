"""Views of any IRI: does it exist, its name, its statements, its linked-data triples."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from ...errors import BeslutsgrafError
from ...graph import uris
from ..reader import NotFound, QueryReader
from .lists import counts, labelled

DESCRIBE_LIMIT = 500  # the LIMIT of describe_*.rq


def exists(q: QueryReader, iri: str) -> bool:
    """Whether the graph says anything about ``iri``, in or out."""
    return q.ask("exists", x=iri)


def label(q: QueryReader, iri: str) -> str:
    """A display name: case number, label or title, else the path under the base."""
    rows = q.rows("label", x=iri)
    row = rows[0] if rows else {}
    return row.get("n") or row.get("l") or row.get("t") or q.key(iri)


def describe(q: QueryReader, iri: str, *, limit: int) -> dict[str, Any]:
    """Every statement about an IRI, outgoing and incoming (for the generic page)."""
    if not 1 <= limit <= DESCRIBE_LIMIT:
        raise BeslutsgrafError(f"limit must be between 1 and {DESCRIBE_LIMIT}, got {limit}")
    out = q.rows("describe_outgoing", x=iri)[:limit]
    inc = q.rows("describe_incoming", x=iri)[:limit]
    if not out and not inc:
        raise NotFound(f"nothing in the graph is called {q.key(iri)!r}")
    out = [{"p": r["p"], "o": str(r["o"])} for r in out]
    return {"iri": iri, "id": q.key(iri), "kind": q.kind(iri), "label": label(q, iri), "outgoing": out, "incoming": inc}


def linked_data(q: QueryReader, iri: str) -> list[ox.Triple]:
    """The linked-data answer of an IRI: a document's whole graph, else its statements in and out."""
    if q.kind(iri) == "document":
        triples = q.triples("graph_triples", graph=uris.graph_of_document(iri, base=q.base))
    else:
        triples = q.triples("resource_triples", x=iri)
    if not triples:
        raise NotFound(f"nothing in the graph is called {q.key(iri)!r}")
    return triples


def municipalities(q: QueryReader) -> list[dict[str, Any]]:
    """Municipalities with documents, and how many (cached per generation)."""

    def compute() -> list[dict[str, Any]]:
        documents = counts(q, "counts_municipality")
        return sorted(
            (
                {"m": r["x"], "name": r["name"], "documents": documents[r["x"]]}
                for r in labelled(q, "labelled_municipalities")
                if r["x"] in documents
            ),
            key=lambda m: m["name"],
        )

    return q.memo("municipalities", compute)
