"""Body views: the list of bodies and administrations, and one body."""

from __future__ import annotations

from typing import Any

from ...graph import uris
from ..reader import NotFound, QueryReader
from .common import FACT_LABELS, KIND_LABELS, MAX_PAGE, Page, check_page, class_name, page_of
from .documents import documents_mentioning
from .lists import counts, labelled
from .recommendations import recommendations


def all_bodies(q: QueryReader) -> list[dict[str, Any]]:
    """Every body and administration, most mentioned first (cached per generation)."""

    def compute() -> list[dict[str, Any]]:
        mentions = counts(q, "counts_mentioned")
        items = [
            {
                "iri": r["x"],
                "id": q.key(r["x"]),
                "kind": KIND_LABELS.get(q.kind(r["x"]) or "", ""),
                "name": r["name"],
                "municipality": r.get("m"),
                "documents": mentions.get(r["x"], 0),
            }
            for r in labelled(q, "labelled_bodies")
        ]
        return sorted(items, key=lambda b: (-b["documents"], b["name"]))

    return q.memo("bodies", compute)


def bodies(q: QueryReader, *, limit: int, offset: int, municipality: str | None) -> Page:
    """Bodies and administrations, most mentioned first (of one municipality if given)."""
    limit, offset = check_page(limit, offset)
    items = [
        b
        for b in all_bodies(q)
        if municipality is None or (b.get("municipality") or "").casefold() == municipality.casefold()
    ]
    return page_of(items, limit=limit, offset=offset)


# The relation between two bodies, in Swedish, seen from either end.
_RELATIONS = {
    ("subBodyOf", "a"): "underorgan till",
    ("subBodyOf", "b"): "har underorgan",
    ("serves", "a"): "tjänar",
    ("serves", "b"): "betjänas av",
}


def related_bodies(q: QueryReader, iri: str) -> list[dict[str, Any]]:
    """Bodies related to ``iri`` (sub-body, serves) with the relation in Swedish, by
    relation and name (from an index of every relation, read once per generation)."""

    def index() -> dict[str, set[tuple[str, str, str]]]:
        out: dict[str, set[tuple[str, str, str]]] = {}
        for r in q.rows("body_relations"):
            out.setdefault(r["a"], set()).add((_RELATIONS[(r["p"], "a")], r["b"], r["lb"]))
            out.setdefault(r["b"], set()).add((_RELATIONS[(r["p"], "b")], r["a"], r["la"]))
        return out

    found = sorted(q.memo("body_relations", index).get(iri, set()), key=lambda t: (t[0], t[2], t[1]))
    return [{"rel": rel, "other": other, "l": label} for rel, other, label in found]


# Decisions and planned treatments shown for one body, at most.
MAX_ROWS = 500


def by_body(q: QueryReader, name: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of a whole-graph query file grouped by ``?body`` (the body left out of
    each row), read once per store generation."""

    def compute() -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for r in q.rows(name):
            body = r.pop("body")
            out.setdefault(body, []).append(r)
        return out

    return q.memo(name, compute)


def body(q: QueryReader, iri: str) -> dict[str, Any]:
    """A body: documents that mention it, recommendations it received, decisions it takes."""
    rows = q.rows("body_header", body=iri)
    if not rows:
        raise NotFound(f"no body {q.key(iri)!r} in the graph")
    decisions = []
    for d in by_body(q, "decisions_by_body").get(iri, [])[:MAX_ROWS]:
        cls = class_name(d["cls"])
        decisions.append({**d, "type": cls, "label": FACT_LABELS.get(cls, ""), "document": uris.document_id(d["doc"], base=q.base)})
    return {
        "iri": iri,
        "id": q.key(iri),
        "name": rows[0]["l"],
        "kind": KIND_LABELS.get(q.kind(iri) or "", ""),
        "municipality": rows[0].get("m"),
        "related": related_bodies(q, iri),
        "documents": documents_mentioning(q, iri),
        "recommendations": recommendations(q, body=iri, limit=MAX_PAGE, offset=0).items,
        "decisions": decisions,
        "planned_treatments": [
            {**t, "document": uris.document_id(t["doc"], base=q.base)}
            for t in by_body(q, "treatments_by_body").get(iri, [])[:MAX_ROWS]
        ],
    }
