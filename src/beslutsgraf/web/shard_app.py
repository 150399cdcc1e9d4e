"""``create_shard_app``: a search process that serves some partitions of a partitioned
index to ``ShardedSearch`` (``services/sharded_search.py``), over HTTP and JSON.

``GET /shard`` says which index and partitions it serves; ``POST /shard/search``
answers the query phase and ``POST /shard/fetch`` the fetch phase.  Errors answer as
the web application's API does: ``{"error": {"status", "message"}}``.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import Body, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from .. import __version__
from ..config import load_settings
from ..errors import BeslutsgrafError, SearchError
from ..services.sharded_search import ShardHost, shard_query


def create_shard_app(host=None) -> FastAPI:
    """The shard app for the settings in the environment (``beslutsgraf search-shard``), or
    for ``host`` (anything with ``current()`` giving a ``LocalShard``: a benchmark's)."""
    host = host or ShardHost(load_settings())
    lock = threading.Lock()  # one load of a new generation at a time

    def shard():
        with lock:
            return host.current()

    app = FastAPI(title="beslutsgraf search shard", version=__version__, docs_url=None, redoc_url=None)

    @app.exception_handler(BeslutsgrafError)
    async def known(_request: Request, exc: BeslutsgrafError) -> JSONResponse:
        return JSONResponse({"error": {"status": exc.status, "message": str(exc)}}, status_code=exc.status)

    @app.get("/shard")
    async def info() -> dict[str, Any]:
        return (await run_in_threadpool(shard)).info().to_json()

    @app.post("/shard/search")
    async def search(body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        q, vector, window, index = shard_query(body)
        answer = await run_in_threadpool(lambda: shard().first_phase(q, vector, window=window, index=index))
        return answer.to_json()

    @app.post("/shard/fetch")
    async def fetch(body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        try:
            rows, index = [int(r) for r in body["rows"]], str(body["index"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SearchError(f"fetch request: {exc}") from None
        found = await run_in_threadpool(lambda: shard().fetch(rows, index=index))
        return {"rows": {str(k): v for k, v in found.items()}}

    return app
