"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (read-only) and its HTML query page.

Query via GET ``?query=``, POST form-encoded ``query=`` or POST
``application/sparql-query``.  SELECT/ASK answer SPARQL JSON, XML, CSV or TSV and
CONSTRUCT/DESCRIBE answer Turtle, N-Triples, JSON-LD or RDF/XML, chosen by
``Accept`` or by a ``format``/``output`` parameter (as SPARQLWrapper sends).
Updates (``update=``, ``application/sparql-update`` or an update in ``query=``)
are refused with 403, naming the operation.  A *query* sent the update way is
answered as a query: SPARQLWrapper guesses the query form with a regular expression
that reads words in comments (``# … copy …`` makes it send ``update=``), and a
read-only query is harmless whichever way it comes; malformed queries get 400 with the parser's message; a query
past the time limit is stopped (503); results are cut at ``sparql_max_rows``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ..errors import QueryError
from ..paths import ONTOLOGY_FILE
from ..services.choices import GRAPH_FORMATS, MEDIA_TYPES, RESULT_FORMATS
from ..services.sparql import Dataset, format_result, refuse_updates
from .deps import AppState, get_state, negotiate, wants_html

router = APIRouter(tags=["sparql"])

MAX_QUERY_BYTES = 100_000
ALL_MEDIA = [MEDIA_TYPES[f] for f in RESULT_FORMATS + GRAPH_FORMATS] + ["application/json"]
# format=/output= values (SPARQLWrapper and others) -> our format, per result kind
_FORMAT_PARAM = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "n3": (None, "turtle"),
    "ttl": (None, "turtle"),
    "nt": (None, "ntriples"),
    "ntriples": (None, "ntriples"),
    "json-ld": (None, "jsonld"),
    "jsonld": (None, "jsonld"),
    "rdf+xml": (None, "rdfxml"),
    "rdfxml": (None, "rdfxml"),
}


def example_queries() -> list[dict[str, str]]:
    """The example queries of ``ontology/queries/``: name, first comment line, text."""
    out = []
    for path in sorted(Path(ONTOLOGY_FILE).parent.joinpath("queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), path.stem)
        out.append({"name": path.stem, "title": first, "query": text})
    return out


async def _read_query(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    params = {k: request.query_params.getlist(k) for k in request.query_params}
    if request.method == "GET":
        return (params.get("query") or [None])[0], params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = b""
    async for chunk in request.stream():  # read no more than the limit allows
        body += chunk
        if len(body) > MAX_QUERY_BYTES:
            raise QueryError(f"query body is over the limit of {MAX_QUERY_BYTES} bytes")
    text = body.decode("utf-8", errors="replace")
    if not body and "query" in params:  # POST with the query in the URL and no body
        return params["query"][0], params
    if ctype == "application/sparql-update":
        return _as_query(text), params
    if ctype == "application/sparql-query":
        return text, params
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form and "query" not in form:
            return _as_query(form["update"][0]), params
        for k, v in form.items():
            params.setdefault(k, v)
        return (form.get("query") or [None])[0], params
    raise QueryError(
        f"unsupported content type {ctype or '(none)'!r}; send application/sparql-query "
        "or application/x-www-form-urlencoded with query="
    )


def _dataset(params: dict[str, list[str]]) -> Dataset:
    """The protocol's ``default-graph-uri`` / ``named-graph-uri`` (absolute IRIs only)."""
    graphs = {}
    for name in ("default-graph-uri", "named-graph-uri"):
        values = tuple(v.strip() for v in params.get(name, []))
        for v in values:
            if not v.lower().startswith(("http://", "https://", "urn:")):
                raise QueryError(f"{name}: expected an absolute IRI, got {v!r}")
        graphs[name] = values
    return Dataset(graphs["default-graph-uri"], graphs["named-graph-uri"])


def _client(request: Request) -> str:
    """Who is asking, for the per-client limit: the peer address."""
    return request.client.host if request.client else "?"


def _as_query(text: str) -> str:
    """Text sent as an update: refused (403) if it is one, else answered as the query it is."""
    refuse_updates(text)
    return text


def _choose(result_kind: str, accept: str | None, params: dict[str, list[str]]) -> str | None:
    asked = ((params.get("format") or params.get("output") or [""])[0]).strip().lower()
    graph = result_kind == "graph"
    if asked:
        if asked in _FORMAT_PARAM:
            fmt = _FORMAT_PARAM[asked][1 if graph else 0]
            if fmt:
                return fmt
        choices = GRAPH_FORMATS if graph else RESULT_FORMATS
        raise QueryError(f"format {asked!r} does not fit this query; choose one of: {', '.join(choices)}")
    offered = [MEDIA_TYPES[f] for f in (GRAPH_FORMATS if graph else RESULT_FORMATS)]
    offered.append("application/json")  # SPARQL JSON results, or JSON-LD for a graph
    media = negotiate(accept, offered)
    if media is None:
        return None
    if media == "application/json":
        return "jsonld" if graph else "json"
    return next(f for f, m in MEDIA_TYPES.items() if m == media)


@router.get("/sparql", operation_id="sparql_get", summary="SPARQL 1.1 Protocol: query by GET (read-only)")
@router.post("/sparql", operation_id="sparql_post", summary="SPARQL 1.1 Protocol: query by POST (read-only)")
async def sparql(request: Request, state: AppState = Depends(get_state)) -> Response:
    query, params = await _read_query(request)
    if "update" in params and query is None:
        query = _as_query(params["update"][0])
    dataset = _dataset(params)
    accept = request.headers.get("accept")
    html = wants_html(request) and not (params.get("format") or params.get("output"))
    if query is None:
        if html or request.method == "GET" and not accept:
            return _page(request, state, "", None, None)
        raise QueryError("missing the query parameter: send query=… (GET or POST form) or a sparql-query body")
    if html:
        try:
            result = await state.sparql(query, dataset=dataset, client=_client(request))
        except QueryError as exc:
            from .errors import status_of

            return _page(request, state, query, None, str(exc), status=status_of(exc))
        return _page(request, state, query, result, None)
    if not (params.get("format") or params.get("output")) and negotiate(accept, ALL_MEDIA) is None:
        from fastapi import HTTPException  # refuse before running a query nobody can read

        raise HTTPException(406, f"none of the accepted types ({accept}) is offered: {', '.join(ALL_MEDIA)}")
    result = await state.sparql(query, dataset=dataset, client=_client(request))
    fmt = _choose(result.kind, accept, params)
    if fmt is None:
        from fastapi import HTTPException

        offered = GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS
        raise HTTPException(
            406,
            f"none of the accepted types ({accept}) fits this query; offered: "
            + ", ".join(MEDIA_TYPES[f] for f in offered),
        )
    body = format_result(result, fmt)
    media = MEDIA_TYPES[fmt]
    if media.startswith("text/"):
        media += "; charset=utf-8"
    headers = {"Vary": "Accept", "X-Query-Seconds": f"{result.seconds:.4f}"}
    if result.truncated:
        headers["X-Result-Truncated"] = f"cut at {result.max_rows} rows (setting sparql_max_rows)"
    return Response(body, media_type=media, headers=headers)


def _page(request: Request, state: AppState, query: str, result, error: str | None, status: int = 200) -> Response:
    rows = []
    if result is not None and result.kind == "select":
        rows = [[(t.kind, t.value) if t is not None else None for t in row] for row in result.rows]
    elif result is not None and result.kind == "graph":
        rows = [[(t.kind, t.value) for t in triple] for triple in result.triples]
    return request.app.state.templates.TemplateResponse(
        request,
        "sparql.html",
        {
            "query": query,
            "result": result,
            "rows": rows,
            "error": error,
            "examples": example_queries(),
            "base": state.settings.base_iri,
        },
        status_code=status,
    )
