"""Recommendation views: recommendations with issuer, targets, evidence and answer."""

from __future__ import annotations

from typing import Any

from ...graph import uris
from ..reader import QueryReader
from .answers import answering_document
from .common import Page, check_page
from .documents import case_index, documents_by_iri


def _targets(q: QueryReader) -> dict[str, list[dict[str, str]]]:
    """Recommendation IRI -> its target bodies, by name (cached per generation)."""

    def compute() -> dict[str, list[dict[str, str]]]:
        out: dict[str, list[dict[str, str]]] = {}
        for t in q.rows("recommendation_targets"):
            out.setdefault(t["rec"], []).append({"iri": t["t"], "name": t["l"]})
        return out

    return q.memo("recommendation_targets", compute)


def recommendations(q: QueryReader, *, body: str | None, limit: int, offset: int) -> Page:
    """Recommendations (to ``body`` if given) with issuer, targets, evidence and answer.

    Status ``besvarad`` when an answering document is found (see ``answers``).
    """
    limit, offset = check_page(limit, offset)
    rows = q.memo("recommendation_rows", lambda: q.rows("recommendations"))
    if body:
        targets_of = _targets(q)
        rows = [r for r in rows if any(t["iri"] == body for t in targets_of.get(r["rec"], ()))]
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(r["rec"], r)
    items = list(seen.values())
    page = items[offset : offset + limit]
    targets = _targets(q)
    answers = answering_documents(q, {r["doc"] for r in page})
    out = []
    for r in page:
        answer = answers.get(r["doc"])
        out.append(
            {
                "iri": r["rec"],
                "text": r["text"],
                "issuer": {"iri": r["issuer"], "name": r.get("issuerLabel")} if r.get("issuer") else None,
                "targets": targets.get(r["rec"], []),
                "document": uris.document_id(r["doc"], base=q.base),
                "evidence": {"document": r["doc"], "start": r["start"], "end": r["end"], "exact": r["exact"]},
                "answered_by": answer,
                "status": "besvarad" if answer else "inget svar i korpusen",
            }
        )
    return Page(len(items), limit, offset, out)


def _first_proposal(q: QueryReader, doc: str) -> str | None:
    """The first decision proposal (in text order) of a document, from an index of every
    document graph's proposals read once per store generation."""

    def index() -> dict[str, str]:
        out: dict[str, str] = {}
        for r in q.rows("first_proposals"):  # ordered by graph, then start
            out.setdefault(r["graph"], r["proposal"])
        return out

    return q.memo("first_proposals", index).get(uris.graph_of_document(doc, base=q.base))


def _classes(q: QueryReader, doc: str) -> set[str]:
    """The classes a document's own graph gives it (indexed once per generation)."""

    def index() -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for r in q.rows("document_classes"):
            if uris.graph_of_document(r["doc"], base=q.base) == r["graph"]:
                out.setdefault(r["doc"], set()).add(r["cls"])
        return out

    return q.memo("document_classes", index).get(doc, set())


def citing_documents(q: QueryReader, doc: str) -> list[str]:
    """The other documents that cite ``doc``'s case, by IRI (from an index of every
    document's case and citations, read once per store generation)."""
    own, citers = case_index(q)
    found = set().union(*(citers.get(case, set()) for case in own.get(doc, set())))
    return sorted(found - {doc})


def answering_documents(q: QueryReader, docs: set[str]) -> dict[str, dict[str, Any]]:
    """Document IRI -> the document that answers the recommendations it holds."""
    out: dict[str, dict[str, Any]] = {}
    for doc in sorted(docs):
        classes = _classes(q, doc)
        citing = citing_documents(q, doc)
        proposals = {d: _first_proposal(q, d) for d in {doc, *citing[:1]}}
        answer = answering_document(doc, classes=classes, proposals=proposals, citing=citing)
        if answer is None:
            continue
        found = documents_by_iri(q).get(answer.document)
        if found:
            out[doc] = {**found, "proposal": answer.proposal}
    return out
