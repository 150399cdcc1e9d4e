"""Linked data: every IRI under the base resolves, the ontology is served at its
namespace, and the whole graph can be downloaded.

``/id/<path>`` (the base IRI's path) answers HTML to browsers and Turtle, JSON-LD or
N-Triples by ``Accept`` (or ``?format=ttl|jsonld|nt``).  A document answers its
whole named graph; any other resource its statements in and out.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from ..errors import StoreError
from ..graph import uris
from ..graph.dumps import DUMPS, dump_file
from ..graph.store import ORIGINAL_SUFFIXES
from ..paths import ONTOLOGY_FILE
from ..vocab import PREFIXES
from .deps import AppState, get_state, negotiate, require_person_pages
from .present import lineage_drawing, mark_text

# How the facts beside a document's text are grouped, in Swedish.
FACT_GROUPS = [
    (("Recommendation",), "Rekommendationer"),
    (("DecisionProposal", "Decision"), "Beslutsförslag och beslut"),
    (("PlannedTreatment",), "Beslutsplanering"),
    (("Recipient",), "Beslutet skickas till"),
    (("CaseReference", "DocumentReference", "DecisionReference"), "Hänvisningar"),
    (("Membership",), "Befattningar och partier"),
    (("Mention",), "Omnämnanden"),
]

RDF_TYPES = {
    "text/turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/ld+json": ("jsonld", ox.RdfFormat.JSON_LD),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
}
_BY_PARAM = {v[0]: k for k, v in RDF_TYPES.items()}


def _media(request: Request, fmt: str | None) -> str:
    if fmt:
        if fmt not in _BY_PARAM:
            raise HTTPException(400, f"format {fmt!r}: choose one of {', '.join(_BY_PARAM)}")
        return _BY_PARAM[fmt]
    media = negotiate(request.headers.get("accept"), ["text/html", *RDF_TYPES])
    if media is None:
        raise HTTPException(406, "offered: text/html, " + ", ".join(RDF_TYPES))
    return media


def _rdf(state: AppState, iri: str, media: str) -> Response:
    triples = state.entities.linked_data(iri)
    fmt = RDF_TYPES[media][1]
    body = ox.serialize(triples, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)
    return Response(body, media_type=media + ("; charset=utf-8" if media.startswith("text/") else ""), headers={"Vary": "Accept"})


def make_router(path_prefix: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(path_prefix + "{path:path}")
    def resource(
        request: Request,
        path: str,
        format: Annotated[str | None, Query(max_length=10)] = None,
        state: AppState = Depends(get_state),
    ) -> Response:
        # The IRI is built from the path as sent: minted IRIs keep percent-escapes
        # (``KS+2021%3A5``) that the decoded ``path`` would have lost.
        raw = request.scope.get("raw_path", b"").decode("latin-1")
        if raw.startswith(path_prefix):
            path = raw[len(path_prefix) :]
        iri = state.settings.base_iri + path
        if uris.kind_of(iri, base=state.settings.base_iri) == "person":
            require_person_pages(state)
        media = _media(request, format)
        if state.entities.kind(iri) == "graph":  # a document's named graph: the document answers
            parts = uris.parse(iri, base=state.settings.base_iri).parts
            iri = uris.mint("document", base=state.settings.base_iri, **parts)
            if media == "text/html":
                return RedirectResponse(request.app.state.link(iri), status_code=303)
        if media != "text/html":
            return _rdf(state, iri, media)
        return _page(request, state, iri)

    return router


def _page(request: Request, state: AppState, iri: str) -> Response:
    e = state.entities
    link = request.app.state.link
    try:
        parsed = uris.parse(iri, base=state.settings.base_iri)
    except uris.IriError:
        parsed = None
    kind = parsed.kind if parsed else None
    templates = request.app.state.templates
    if kind == "document":
        doc = e.document(parsed.parts["document"])
        return templates.TemplateResponse(
            request,
            "document.html",
            {
                "doc": doc,
                "original": original_url(state, doc),
                "iri": iri,
                "marked": mark_text(doc["text"], doc["facts"], link),
                "facts_index": {f["iri"]: n for n, f in enumerate(doc["facts"])},
                "groups": FACT_GROUPS,
            },
        )
    if kind == "case":
        case = e.case(iri)
        lin = state.lineage.lineage(iri)
        return templates.TemplateResponse(
            request, "case.html", {"case": case, "lin": lin, "drawing": lineage_drawing(lin, link), "iri": iri}
        )
    if kind in ("body", "administration"):
        return templates.TemplateResponse(request, "body.html", {"body": e.body(iri), "iri": iri})
    if kind == "person":
        return templates.TemplateResponse(request, "person.html", {"person": e.person(iri), "iri": iri})
    return templates.TemplateResponse(request, "resource.html", {"res": e.describe(iri), "iri": iri})


router = APIRouter(include_in_schema=False)


@router.get("/ontology")
def ontology(request: Request, format: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    media = _media(request, format)
    if media == "text/turtle":
        return FileResponse(ONTOLOGY_FILE, media_type="text/turtle; charset=utf-8")
    if media != "text/html":
        store = ox.Store()
        with open(ONTOLOGY_FILE, "rb") as fh:
            store.load(fh, format=ox.RdfFormat.TURTLE)
        triples = [q.triple for q in store]
        return Response(ox.serialize(triples, format=RDF_TYPES[media][1]), media_type=media)
    return request.app.state.templates.TemplateResponse(request, "ontology.html", {"terms": request.app.state.ontology_terms()})


def original_url(state: AppState, doc: dict) -> str | None:
    """Where the web serves a document's source file, or None when it is not kept."""
    suffix = ORIGINAL_SUFFIXES.get(doc.get("media_type") or "")
    try:
        path = state.data.original_file(doc.get("sha256") or "", suffix or "")
    except ValueError:
        return None
    return f"/original/{path.name}" if path.is_file() else None


@router.get("/original/{name}")
def original(name: str, state: AppState = Depends(get_state)) -> Response:
    """A source file as it was built (content-addressed, so it never changes). PDF and text
    open in the browser (``#page=4`` works there); DOCX and HTML are downloaded, never
    rendered on this site, since a page of someone else's HTML could run its scripts here."""
    digest, _, suffix = name.partition(".")
    try:
        path = state.data.original_file(digest, "." + suffix)
    except ValueError:
        raise HTTPException(404, f"no original {name!r}") from None
    if state.data.withheld_marker(digest).is_file():
        raise HTTPException(404, f"original {name!r} withheld: it names a personnummer (masked in the text)")
    if not path.is_file():
        raise HTTPException(404, f"no original {name!r} (removed from the corpus, or built before originals were kept)")
    media = next(m for m, s in ORIGINAL_SUFFIXES.items() if s == path.suffix)
    inline = media in ("application/pdf", "text/plain")
    return FileResponse(
        path,
        media_type=media,
        filename=name,
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "Cache-Control": "public, max-age=31536000, immutable",
            # a browser's PDF viewer needs object-src; nothing else is ever loaded or run
            "Content-Security-Policy": (
                "default-src 'none'; object-src 'self'; frame-ancestors 'none'"
                if inline
                else "sandbox; default-src 'none'"
            ),
            "X-Content-Type-Options": "nosniff",
        },
    )


def dump(name: str, state: AppState) -> Response:
    """The whole graph, gzipped, as the build wrote it with the serving generation:
    N-Quads (named graphs kept) or Turtle (their union)."""
    generation = state.data.current()
    path = dump_file(state.data, generation, name) if generation else None
    if path is None or not path.is_file():
        raise StoreError(f"no {name} for the serving generation; run `beslutsgraf build` to write it")
    return FileResponse(
        path, media_type="application/gzip",
        filename=f"beslutsgraf-{generation}.{name.split('.', 1)[1]}",
    )


def _dump_view(name: str):
    def view(state: AppState = Depends(get_state)) -> Response:
        return dump(name, state)

    return view


for _name in DUMPS:
    router.add_api_route(f"/{_name}", _dump_view(_name), methods=["GET"])
