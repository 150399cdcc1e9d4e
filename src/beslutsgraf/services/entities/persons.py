"""Person views: the list of persons, and one person with roles, parties and mentions."""

from __future__ import annotations

from typing import Any

from ...graph import uris
from ..reader import NotFound, QueryReader
from .common import Page, check_page, page_of
from .documents import documents_mentioning
from .lists import counts, labelled


def all_persons(q: QueryReader) -> list[dict[str, Any]]:
    """Every person, by name (cached per generation)."""

    def compute() -> list[dict[str, Any]]:
        mentions = counts(q, "counts_mentioned")
        items = [
            {"iri": r["x"], "id": q.key(r["x"]), "name": r["name"], "municipality": r.get("m"), "documents": mentions.get(r["x"], 0)}
            for r in labelled(q, "labelled_persons")
        ]
        return sorted(items, key=lambda p: p["name"])

    return q.memo("persons", compute)


def persons(q: QueryReader, *, limit: int, offset: int) -> Page:
    """Persons named in the documents, by name."""
    limit, offset = check_page(limit, offset)
    return page_of(all_persons(q), limit=limit, offset=offset)


def person(q: QueryReader, iri: str) -> dict[str, Any]:
    """A person: roles and parties as the documents state them, and those documents."""
    rows = q.rows("person_header", person=iri)
    if not rows:
        raise NotFound(f"no person {q.key(iri)!r} in the graph")
    memberships = q.rows("person_memberships", person=iri)
    contexts = q.rows("person_mentions", person=iri)
    for m in memberships + contexts:
        m["document"] = uris.document_id(m["doc"], base=q.base)
    return {
        "iri": iri,
        "id": q.key(iri),
        "name": rows[0]["l"],
        "municipality": rows[0].get("m"),
        "memberships": memberships,
        "mentions": contexts,
        "documents": documents_mentioning(q, iri),
    }
