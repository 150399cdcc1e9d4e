"""Server-rendered pages in Swedish: start, search results, lists, lineage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..errors import BeslutsgrafError
from ..services.lineage import MAX_DEPTH
from ..services.search import MAX_QUERY_CHARS, SearchQuery
from .deps import AppState, get_state, require_person_pages
from .present import lineage_drawing

router = APIRouter(include_in_schema=False)
PAGE = 20


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


@router.get("/", response_class=HTMLResponse)
def start(request: Request, state: AppState = Depends(get_state)) -> HTMLResponse:
    e = state.entities
    return render(
        request,
        "start.html",
        municipalities=e.municipalities(),
        documents=e.documents(limit=10).items,
        cases=e.cases(limit=10).items,
        counts={
            "handlingar": e.documents(limit=1).total,
            "ärenden": e.cases(limit=1).total,
            "organ": e.bodies(limit=1).total,
            "rekommendationer": e.recommendations(limit=1).total,
        },
    )


@router.get("/sok", response_class=HTMLResponse)
async def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    mode: Annotated[str, Query(max_length=20)] = "hybrid",
    sida: Annotated[int, Query(ge=1, le=500)] = 1,
    kommun: Annotated[str, Query(max_length=200)] = "",
    organ: Annotated[str, Query(max_length=200)] = "",
    typ: Annotated[str, Query(max_length=200)] = "",
    fran: Annotated[str, Query(max_length=10)] = "",
    till: Annotated[str, Query(max_length=10)] = "",
    diarienummer: Annotated[str, Query(max_length=100)] = "",
    state: AppState = Depends(get_state),
) -> HTMLResponse:
    filters = {"kommun": kommun, "organ": organ, "typ": typ, "fran": fran, "till": till, "diarienummer": diarienummer}
    context = {"q": q, "mode": mode, "filters": filters, "result": None, "error": None, "page": sida, "per_page": PAGE}
    if q.strip():
        query = SearchQuery(
            q, mode=mode, limit=PAGE, offset=(sida - 1) * PAGE, municipality=kommun or None, body=organ or None,
            kind=typ or None, date_from=fran or None, date_to=till or None, case_number=diarienummer or None,
        )
        try:
            context["result"] = await run_in_threadpool(lambda: state.search().search(query))
        except BeslutsgrafError as exc:
            context["error"] = str(exc)
            return render(request, "search.html", status=400, **context)
    return render(request, "search.html", **context)


LISTS = {
    "handlingar": ("Handlingar", "documents"),
    "arenden": ("Ärenden", "cases"),
    "organ": ("Organ och förvaltningar", "bodies"),
    "personer": ("Personer", "persons"),
    "rekommendationer": ("Rekommendationer", "recommendations"),
}


def _list_page(name: str):
    title, method = LISTS[name]

    def view(
        request: Request,
        sida: Annotated[int, Query(ge=1, le=100_000)] = 1,
        state: AppState = Depends(get_state),
    ) -> HTMLResponse:
        if name == "personer":
            require_person_pages(state)
        page = getattr(state.entities, method)(limit=50, offset=(sida - 1) * 50)
        return render(request, "list.html", title=title, kind=name, page=page, sida=sida)

    return view


for _name in LISTS:
    router.add_api_route(f"/{_name}", _list_page(_name), methods=["GET"], response_class=HTMLResponse)


@router.get("/harkomst", response_class=HTMLResponse)
def lineage_page(
    request: Request,
    id: Annotated[str, Query(min_length=1, max_length=300)],
    djup: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = 3,
    state: AppState = Depends(get_state),
) -> HTMLResponse:
    lin = state.lineage.lineage(id, depth=djup)
    link = request.app.state.link
    return render(request, "lineage.html", lin=lin, drawing=lineage_drawing(lin, link), depth=djup)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The JSON API's operations, read from its OpenAPI document (no scripts from elsewhere)."""
    spec = request.app.openapi()
    operations = []
    for path, ops in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in ops.items():
            params = [
                {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                 "description": p.get("description") or p.get("schema", {}).get("description", "")}
                for p in op.get("parameters", [])
            ]
            operations.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""), "params": params})
    return render(request, "api.html", operations=operations, version=spec["info"]["version"])
