"""Case views: the list of cases, one case, and finding a case by its number."""

from __future__ import annotations

from typing import Any

from ...extract.case_numbers import find_case_numbers
from ...graph import uris
from ..reader import NotFound, QueryReader
from .common import Page, check_page, page_of
from .documents import all_documents, case_index, documents_mentioning
from .lists import counts, labelled


def all_cases(q: QueryReader) -> list[dict[str, Any]]:
    """Every case with its document counts, most documents first (cached per generation)."""

    def compute() -> list[dict[str, Any]]:
        own = counts(q, "counts_own_case")
        mentioned = counts(q, "counts_mentioned_case")
        items = [
            {
                "iri": r["x"],
                "id": uris.case_id(r["x"], base=q.base),
                "number": r["name"],
                "municipality": r.get("m"),
                "documents": own.get(r["x"], 0),
                "mentioned": mentioned.get(r["x"], 0),
            }
            for r in labelled(q, "labelled_cases")
        ]
        return sorted(items, key=lambda c: (-c["documents"], c["number"]))

    return q.memo("cases", compute)


def cases(q: QueryReader, *, limit: int, offset: int) -> Page:
    """All cases, with how many documents belong to each and how many mention it."""
    limit, offset = check_page(limit, offset)
    return page_of(all_cases(q), limit=limit, offset=offset)


def wanted_numbers(text: str) -> set[str]:
    """The normalised case numbers a user's text may stand for (as written, and as read)."""
    return {text.strip()} | {c.normalized for c in find_case_numbers(text)}


def find_case(q: QueryReader, number: str) -> list[str]:
    """IRIs of the cases whose normalised number is ``number`` (any municipality)."""
    wanted = wanted_numbers(number)
    return sorted({r["case"] for r in q.rows("case_numbers") if r["n"] in wanted})


def documents_of_case(q: QueryReader) -> dict[str, list[dict[str, Any]]]:
    """Case IRI -> the documents that belong to it, oldest first (once per generation)."""

    def compute() -> dict[str, list[dict[str, Any]]]:
        own = case_index(q)[0]
        out: dict[str, list[dict[str, Any]]] = {}
        for d in all_documents(q):
            for case_iri in sorted(own.get(d["iri"], ())):
                out.setdefault(case_iri, []).append(d)
        return out

    return q.memo("documents_of_case", compute)


def case(q: QueryReader, iri: str) -> dict[str, Any]:
    """A case: number, municipality, its documents and the documents that mention it."""
    fields: dict[str, Any] = {}
    for r in q.rows("case_fields", case=iri):
        fields.setdefault(r["field"], r["v"])  # the first value of each, as LIMIT 1 gave it
    if fields.get("number") is None or not q.ask("is_case", case=iri):
        raise NotFound(f"no case {q.key(iri)!r} in the graph")
    own = case_index(q)[0]  # document -> its own cases
    return {
        "iri": iri,
        "id": uris.case_id(iri, base=q.base),
        "number": fields["number"],
        "municipality": fields.get("municipality"),
        "registry": fields.get("registry"),
        "registered_by": fields.get("registered_by"),
        "year": fields.get("year"),
        "documents": documents_of_case(q).get(iri, []),
        "mentioned_in": [d for d in documents_mentioning(q, iri) if iri not in own.get(d["iri"], ())],
    }
