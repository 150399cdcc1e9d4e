"""``create_app``: assembles the routers around one ``AppState``; nothing else."""

from __future__ import annotations

from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..config import Settings, load_settings
from ..graph.ontology import ontology
from ..graph.store import DataDir
from . import errors, routes_api, routes_ld, routes_pages, routes_sparql
from .cache import ResponseCache
from .deps import AppState
from .present import MODE_LABELS, Linker, local_name, short, snippet_html

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def ontology_terms() -> list[dict[str, str]]:
    """Classes and properties of the ontology with their Swedish and English labels."""
    from rdflib import OWL, RDF, RDFS, URIRef

    g = ontology()
    out = []
    for kind, cls in (("klass", OWL.Class), ("objektegenskap", OWL.ObjectProperty), ("dataegenskap", OWL.DatatypeProperty)):
        for term in sorted(set(g.subjects(RDF.type, cls)), key=str):
            if not isinstance(term, URIRef) or "#" not in term:
                continue
            labels = {lit.language: str(lit) for lit in g.objects(term, RDFS.label)}
            comments = {lit.language: str(lit) for lit in g.objects(term, RDFS.comment)}
            out.append({
                "iri": str(term), "name": str(term).split("#", 1)[1], "kind": kind,
                "sv": labels.get("sv", ""), "en": labels.get("en", ""), "comment": comments.get("sv", ""),
            })
    return out


# Pages load scripts, styles and images from this site only, and no other site may
# frame them; JSON and RDF answers are never sniffed as HTML.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        (
            b"default-src 'self'; img-src 'self' data:; object-src 'none'; "
            b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Add ``SECURITY_HEADERS`` to every HTTP answer (pages, API, errors, static files)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answer HEAD like GET without the body (FastAPI routes declare GET only); link
    checkers and linked-data clients ask HEAD."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b"", "more_body": False}
                if sent_body:
                    return
                sent_body.append(True)
            await send(message)

        sent_body: list[bool] = []
        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web application over the data directory of ``settings`` (default: from the environment)."""
    settings = settings or load_settings()
    sparql_workers = int(settings.sparql_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Pages and searches hold the GIL; many threads only share it more finely, which
        # stretches every request (see the setting's help).
        anyio.to_thread.current_default_thread_limiter().total_tokens = int(settings.web_threads)
        app.state.beslutsgraf = AppState.create(settings, sparql_workers=sparql_workers)
        app.state.beslutsgraf.warm_up()
        try:
            yield
        finally:
            app.state.beslutsgraf.close()

    app = FastAPI(
        title="beslutsgraf",
        version=__version__,
        description="Kunskapsgraf och sökmotor över kommunala beslutshandlingar. "
        "JSON-API, SPARQL 1.1-ändpunkt på /sparql och länkade data under /id/.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads its scripts from a CDN; /api/docs is our own page
        redoc_url=None,
        lifespan=lifespan,
    )
    link = Linker(settings.base_iri, person_pages=bool(settings.person_pages))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        link=link, short=short, local_name=local_name, modes=MODE_LABELS, base_iri=settings.base_iri,
        person_pages=bool(settings.person_pages),
    )
    templates.env.filters["marked"] = snippet_html
    app.state.templates = templates
    app.state.link = link
    app.state.ontology_terms = ontology_terms
    # From the inside out: the answer cache sees only GET (HEAD arrives as GET) and
    # keeps answers before CORS and security headers are added to each.
    data = DataDir.for_settings(settings)
    app.add_middleware(
        ResponseCache, generation=data.serving, max_bytes=int(float(settings.web_cache_mb) * 1024 * 1024)
    )
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS"], allow_headers=["Accept"],
    )
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(routes_api.router)
    app.include_router(routes_sparql.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_ld.router)
    app.include_router(routes_ld.make_router(urlsplit(settings.base_iri).path))
    return app
