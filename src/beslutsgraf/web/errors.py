"""One boundary for errors: engine and service errors become a clear 4xx/5xx.

API and SPARQL paths answer JSON (or plain text for SPARQL), pages answer an HTML
page in Swedish.  A stack trace never leaves the server: an unexpected error is
logged and answered with a short message.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import BeslutsgrafError
from .deps import wants_html

log = logging.getLogger("beslutsgraf.web")

# Titles for the statuses that Starlette and FastAPI raise themselves; our own errors
# carry their title in the catalogue (errors.py).
TITLES = {
    400: "Felaktig förfrågan",
    403: "Inte tillåtet",
    404: "Hittades inte",
    405: "Metoden stöds inte",
    406: "Formatet stöds inte",
    413: "För stor förfrågan",
    415: "Innehållstypen stöds inte",
    422: "Ogiltiga parametrar",
    500: "Internt fel",
    503: "Tjänsten är inte tillgänglig",
}


def status_of(exc: Exception) -> int:
    """HTTP status for an exception: ours carry it (errors.py), anything else is a 500."""
    return exc.status if isinstance(exc, BeslutsgrafError) else 500


def error_response(request: Request, status: int, message: str, *, title: str | None = None) -> Response:
    path = request.url.path
    if path.startswith("/sparql") and not wants_html(request):
        return PlainTextResponse(f"{title or TITLES.get(status, 'Fel')}: {message}\n", status_code=status)
    if path.startswith("/api/") or not wants_html(request):
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": title or TITLES.get(status, "Fel"), "message": message},
        status_code=status,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(BeslutsgrafError)
    async def _ours(request: Request, exc: BeslutsgrafError) -> Response:
        return error_response(request, exc.status, str(exc), title=exc.title_sv)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg')}")
        return error_response(request, 422, "; ".join(parts) or "invalid parameters")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Fel")
        if exc.status_code == 404 and message == "Not Found":
            message = f"ingen sida på {request.url.path}"
        response = error_response(request, exc.status_code, message)
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, "ett oväntat fel inträffade; det är loggat på servern")
