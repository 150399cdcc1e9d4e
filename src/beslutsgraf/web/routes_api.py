"""The JSON API under ``/api/``: search, documents, cases, bodies, persons,
recommendations and lineage.  Lists are paginated with ``limit``/``offset`` and say
their ``total``.  The views only call services; OpenAPI is at ``/api/openapi.json``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..errors import NotFound
from ..graph import uris
from ..services.choices import MODES
from ..services.entities import MAX_PAGE
from ..services.lineage import MAX_DEPTH
from ..services.search import MAX_QUERY_CHARS, SearchQuery, SearchResult, hit_json
from .deps import AppState, get_state, require_person_pages


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The body of every error answer of the API (see ``web/errors.py``)."""

    error: ErrorDetail


# Errors the API answers by design, declared so that the OpenAPI document names them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request (e.g. an unknown filter value or malformed date)"},
    404: {"model": ErrorBody, "description": "No such resource"},
    422: {"model": ErrorBody, "description": "Invalid parameters"},
    503: {"model": ErrorBody, "description": "The store or search index is not available"},
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
Segment = Annotated[str, Query(min_length=1, max_length=300)]


class SearchParams:
    """The search service's query, as request parameters (shared by the page and CSV)."""

    def __init__(
        self,
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Words, a case number or a \"quoted phrase\".")],
        mode: Literal[MODES] = "hybrid",  # type: ignore[valid-type]
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
        municipality: Annotated[str | None, Query(max_length=200)] = None,
        body: Annotated[str | None, Query(max_length=200)] = None,
        kind: Annotated[str | None, Query(max_length=200)] = None,
        date_from: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None,
        case_number: Annotated[str | None, Query(max_length=100)] = None,
        group: bool = True,
    ) -> None:
        self.query = SearchQuery(
            q, mode=mode, limit=limit, offset=offset, municipality=municipality or None, body=body or None,
            kind=kind or None, date_from=date_from or None, date_to=date_to or None,
            case_number=case_number or None, group=group,
        )


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": asdict(result.query),
        "total": result.total,
        "took_ms": round(result.took_ms, 2),
        "notice": result.notice,
        "hits": [hit_json(h) for h in result.hits],
        "facets": result.facets,
    }


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting with ``= + - @`` (or a tab
    or carriage return) gets a leading apostrophe (OWASP's advice for CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def search_csv(result: SearchResult) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["rank", "source", "title", "doc_type", "date", "municipality", "section", "case_numbers", "bodies", "score", "snippet", "document"])
    for n, h in enumerate(result.hits, result.query.offset + 1):
        w.writerow(_cell(v) for v in [
            n, h.source, h.title or "", h.doc_type or "", h.date or "", h.municipality or "", h.section,
            "; ".join(h.case_numbers), "; ".join(h.bodies), f"{h.score:.6f}",
            h.snippet.text,
            h.document,
        ])
    return out.getvalue()


@router.get("/search", summary="Hybrid search with filters, facets and snippets")
async def api_search(params: SearchParams = Depends(), state: AppState = Depends(get_state)) -> dict[str, Any]:
    result = await run_in_threadpool(lambda: state.search().search(params.query))
    return search_json(result)


@router.get("/search.csv", summary="Search results as CSV (one row per hit)", response_class=Response)
async def api_search_csv(params: SearchParams = Depends(), state: AppState = Depends(get_state)) -> Response:
    result = await run_in_threadpool(lambda: state.search().search(params.query))
    return Response(
        "\ufeff" + search_csv(result),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="beslutsgraf-sok.csv"'},
    )


@router.get("/search/filters", summary="The values each search filter accepts")
def api_filters(state: AppState = Depends(get_state)) -> dict[str, list[str]]:
    return state.search().choices()


@router.get("/documents", summary="Documents, oldest first")
def api_documents(limit: Limit = 50, offset: Offset = 0, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return state.entities.documents(limit=limit, offset=offset).to_json()


@router.get("/documents/{doc_id}", summary="One document with its text and every fact and its span")
def api_document(doc_id: str, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return state.entities.document(doc_id)


@router.get("/cases", summary="Cases with their document counts")
def api_cases(limit: Limit = 50, offset: Offset = 0, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return state.entities.cases(limit=limit, offset=offset).to_json()


def _iri(state: AppState, kind: str, **parts: str) -> str:
    try:
        return uris.mint(kind, base=state.settings.base_iri, **parts)
    except uris.IriError as err:
        raise NotFound(f"no {kind} {'/'.join(parts.values())!r}: {err}") from None


@router.get("/cases/{municipality}/{number}", summary="One case: its documents and the documents citing it")
def api_case(municipality: str, number: str, state: AppState = Depends(get_state)) -> dict[str, Any]:
    try:  # the id as /api/cases lists it (``KS+2021_317``), or the number as written
        decoded = uris.decode_case_number(number)
    except uris.IriError:
        decoded = number
    return state.entities.case(_iri(state, "case", municipality=municipality, number=decoded))


@router.get("/bodies", summary="Bodies and administrations, most mentioned first")
def api_bodies(
    limit: Limit = 50, offset: Offset = 0, municipality: Annotated[str | None, Query(max_length=200)] = None,
    state: AppState = Depends(get_state),
) -> dict[str, Any]:
    return state.entities.bodies(limit=limit, offset=offset, municipality=municipality).to_json()


@router.get("/bodies/{municipality}/{name}", summary="One body: documents, recommendations received, decisions")
def api_body(municipality: str, name: str, state: AppState = Depends(get_state)) -> dict[str, Any]:
    iri = _iri(state, "body", municipality=municipality, name=name)
    if not state.entities.exists(iri):
        iri = _iri(state, "administration", municipality=municipality, name=name)
    return state.entities.body(iri)


@router.get("/persons", summary="Persons named in the documents", dependencies=[Depends(require_person_pages)])
def api_persons(limit: Limit = 50, offset: Offset = 0, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return state.entities.persons(limit=limit, offset=offset).to_json()


@router.get(
    "/persons/{municipality}/{name}",
    summary="One person: roles, parties and documents",
    dependencies=[Depends(require_person_pages)],
)
def api_person(municipality: str, name: str, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return state.entities.person(_iri(state, "person", municipality=municipality, name=name))


@router.get("/recommendations", summary="Recommendations with issuer, targets, evidence and answer")
def api_recommendations(
    limit: Limit = 50, offset: Offset = 0,
    body: Annotated[str | None, Query(max_length=300, description="Only those to this body (key like organ/malmo/kommunstyrelsen, or IRI).")] = None,
    state: AppState = Depends(get_state),
) -> dict[str, Any]:
    iri = None
    if body:
        try:
            iri = body if body.startswith(("http://", "https://")) else uris.from_relative(
                body.strip("/"), base=state.settings.base_iri
            )
        except uris.IriError:
            raise NotFound(f"no body {body!r} in the graph") from None
        if not state.entities.exists(iri):
            raise NotFound(f"no body {body!r} in the graph")
    return state.entities.recommendations(body=iri, limit=limit, offset=offset).to_json()


@router.get("/lineage", summary="Decision lineage of a case or document: upstream, downstream, timeline")
def api_lineage(
    id: Annotated[str, Query(min_length=1, max_length=300, description="Case number (STK-2024-351), document id, key or IRI.")],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 3,
    state: AppState = Depends(get_state),
) -> dict[str, Any]:
    return state.lineage.lineage(id, depth=depth).to_json()
