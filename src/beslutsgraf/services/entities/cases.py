"""Case views: the list of cases, one case, and finding a case by its number."""

from __future__ import annotations

from typing import Any

from ...extract.case_numbers import find_case_numbers
from ...graph import uris
from ..reader import NotFound, QueryReader
from .common import Page, check_page, page_of
from .documents import documents_by
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


def case(q: QueryReader, iri: str) -> dict[str, Any]:
    """A case: number, municipality, its documents and the documents that mention it."""
    fields: dict[str, Any] = {}
    for r in q.rows("case_fields", case=iri):
        fields.setdefault(r["field"], r["v"])  # the first value of each, as LIMIT 1 gave it
    if fields.get("number") is None or not q.ask("is_case", case=iri):
        raise NotFound(f"no case {q.key(iri)!r} in the graph")
    return {
        "iri": iri,
        "id": uris.case_id(iri, base=q.base),
        "number": fields["number"],
        "municipality": fields.get("municipality"),
        "registry": fields.get("registry"),
        "registered_by": fields.get("registered_by"),
        "year": fields.get("year"),
        "documents": documents_by(q, "documents_of_case", x=iri),
        "mentioned_in": documents_by(q, "documents_mentioning_case", x=iri),
    }
