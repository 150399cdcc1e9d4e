"""Document views: the list of documents, one document with its text, sections and facts."""

from __future__ import annotations

from typing import Any

from ...graph import uris
from ..reader import NotFound, QueryReader
from .common import FACT_LABELS, Page, check_page, class_name, page_of


def document_row(q: QueryReader, row: dict[str, Any]) -> dict[str, Any]:
    """A row of the document queries as the views show it."""
    return {
        "iri": row["doc"],
        "id": uris.document_id(row["doc"], base=q.base),
        "source": row["source"],
        "title": row.get("title"),
        "doc_type": row.get("doc_type"),
        "date": row.get("date"),
        "municipality": row.get("municipality"),
        "case_number": row.get("case_number"),
        "case": row.get("case"),
    }


def documents_by(q: QueryReader, name: str, **iris: str) -> list[dict[str, Any]]:
    """The documents a query file selects (oldest first), ``iris`` bound."""
    return [document_row(q, r) for r in q.rows(name, **iris)]


def all_documents(q: QueryReader) -> list[dict[str, Any]]:
    """Every document, oldest first (cached per store generation)."""
    return q.memo("documents", lambda: documents_by(q, "documents"))


def documents_by_iri(q: QueryReader) -> dict[str, dict[str, Any]]:
    """Every document's row by its IRI (cached per store generation)."""
    return q.memo("documents_by_iri", lambda: {d["iri"]: d for d in all_documents(q)})


def case_index(q: QueryReader) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(document -> its own cases, case -> documents citing it), read once per generation."""

    def index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        own: dict[str, set[str]] = {}
        citers: dict[str, set[str]] = {}
        for r in q.rows("case_citers"):
            if r["how"] == "own":
                own.setdefault(r["doc"], set()).add(r["case"])
            else:
                citers.setdefault(r["case"], set()).add(r["doc"])
        return own, citers

    return q.memo("case_citers", index)


def documents_mentioning(q: QueryReader, iri: str) -> list[dict[str, Any]]:
    """The documents that mention ``iri``, oldest first: a look-up in an index of every
    mention, read once per store generation (a query per body page took 0.4-1.9 s at
    1,000 documents)."""

    def index() -> dict[str, list[dict[str, Any]]]:
        mentioned_by: dict[str, set[str]] = {}
        for r in q.rows("mentions"):
            mentioned_by.setdefault(r["doc"], set()).add(r["x"])
        out: dict[str, list[dict[str, Any]]] = {}
        for d in all_documents(q):  # oldest first, so every list is too
            for x in mentioned_by.get(d["iri"], ()):
                out.setdefault(x, []).append(d)
        return out

    return q.memo("mentions", index).get(iri, [])


def document_info(q: QueryReader, iri: str) -> dict[str, Any] | None:
    """One document's metadata row, or None if the graph has no such document."""
    # The bound ?doc is left out of the rows (see QueryReader.rows): put it back.
    found = q.rows("document", doc=iri)
    return document_row(q, {**found[0], "doc": iri}) if found else None


def documents(q: QueryReader, *, limit: int, offset: int) -> Page:
    """All documents, oldest first."""
    limit, offset = check_page(limit, offset)
    total = q.memo("documents_count", lambda: int(q.rows("documents_count")[0]["n"]))
    return page_of(all_documents(q), limit=limit, offset=offset, total=total)


def document_iri(q: QueryReader, doc_id: str) -> str:
    """The IRI of the document with id ``doc_id`` (``NotFound`` if it cannot be one)."""
    try:
        return uris.mint("document", base=q.base, document=doc_id)
    except uris.IriError as err:
        raise NotFound(f"no document {doc_id!r}: {err}") from None


def graph_of(q: QueryReader, doc_iri: str) -> str:
    """The IRI of the named graph that holds a document (minted by ``uris``)."""
    kind = q.kind(doc_iri)
    if kind is None:
        raise NotFound(f"not a document IRI: {doc_iri!r}")
    if kind != "document":
        raise NotFound(f"{q.key(doc_iri)!r} is a {kind}, not a document")
    return uris.graph_of_document(doc_iri, base=q.base)


def document(q: QueryReader, doc_id: str) -> dict[str, Any]:
    """One document: its metadata, text, sections and every fact with its span."""
    iri = document_iri(q, doc_id)
    graph = uris.graph_of_document(iri, base=q.base)
    doc = document_info(q, iri)
    if doc is None:
        raise NotFound(f"no document {doc_id!r} in the graph")
    meta = q.rows("document_meta", doc=iri, graph=graph)[0]
    doc.update(
        text=meta["text"],
        sha256=meta["sha"],
        media_type=meta.get("mediaType") or "text/plain",
        page_count=meta.get("pages"),
        addressee=meta.get("addressee"),
        reference_person={"iri": meta["ref"], "name": meta["refName"]} if meta.get("ref") else None,
        extractor_version=meta.get("version"),
        graph=q.key(graph),
    )
    doc["sections"] = q.rows("document_sections", graph=graph)
    doc["facts"] = facts(q, graph)
    return doc


def facts(q: QueryReader, graph: str) -> list[dict[str, Any]]:
    """The facts of one document graph, in text order, each once, with its targets."""
    out: dict[str, dict[str, Any]] = {}
    for r in q.rows("document_facts", graph=graph):
        if r["fact"] in out:
            continue
        cls = class_name(r["cls"])
        # A Decision reached through a reference is the reference's target, not a fact here.
        if cls == "Decision" and q.kind(r["fact"]) == "referenced_decision":
            continue
        out[r["fact"]] = {
            "iri": r["fact"],
            "type": cls,
            "label": FACT_LABELS.get(cls, cls),
            "start": r["start"],
            "end": r["end"],
            "exact": r["exact"],
            "page": r.get("page"),
            "derived": bool(r.get("derived")),
            "text": r.get("text"),
            "target": r.get("target"),
            "target_label": r.get("targetLabel"),
            "target_kind": q.kind(r["target"]) if r.get("target") else None,
            "body": r.get("body"),
            "body_label": r.get("bodyLabel"),
            "date": r.get("date"),
            "role": r.get("role"),
            "party": r.get("orgLabel"),
            "issuer": r.get("issuer"),
            "issuer_label": r.get("issuerLabel"),
        }
    targets: dict[str, list[dict[str, str]]] = {}
    for r in q.rows("document_recommendation_targets", graph=graph):
        targets.setdefault(r["fact"], []).append({"iri": r["t"], "name": r.get("l") or q.key(r["t"])})
    for f in out.values():
        f["targets"] = targets.get(f["iri"], [])
    return list(out.values())
