"""Shared wiring of the web application: one ``AppState`` handed to every view.

The state holds the settings, the serving store (reopened when a build commits),
the entity and lineage services, a pool of SPARQL workers and the search service
(reloaded when the manifest names a new index).  Views get it with ``get_state``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import anyio
from fastapi import Depends, HTTPException, Request

from ..config import Settings
from ..errors import BeslutsgrafError, QueryBusy, TooManyQueries
from ..graph.store import DataDir, Serving, ServingReader
from ..index.encoders import limit_threads
from ..services.entities import EntityService
from ..services.lineage import LineageService
from ..services.search import SearchQuery, SearchService, open_search
from ..services.sparql import Dataset, QueryPool

log = logging.getLogger("beslutsgraf.web")


@dataclass
class AppState:
    settings: Settings
    data: DataDir
    serving: ServingReader
    entities: EntityService
    lineage: LineageService
    pool: QueryPool | None = None
    # SPARQL requests wait for a worker here, without holding one of the threads that
    # every other view needs (a slow query otherwise starved the pages and the API).
    sparql_limiter: Any = None
    # threads that wait for the query workers: their own, so that SPARQL never holds
    # one of the few threads the pages have (setting web_threads)
    sparql_threads: Any = None
    _search: tuple[Serving, SearchService] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _per_client: dict[str, int] = field(default_factory=dict)  # SPARQL queries running per client

    @classmethod
    def create(cls, settings: Settings, *, sparql_workers: int = 2) -> AppState:
        data = DataDir.for_settings(settings)
        serving = ServingReader(data)
        entities = EntityService(serving.get, base_iri=settings.base_iri)
        state = cls(settings, data, serving, entities, LineageService(entities))
        state.pool = QueryPool(settings, size=sparql_workers)
        state.sparql_limiter = anyio.CapacityLimiter(sparql_workers)
        state.sparql_threads = anyio.CapacityLimiter(sparql_workers)
        limit_threads(settings.web_torch_threads)
        return state

    async def sparql(self, query: str, *, dataset: Dataset | None = None, client: str = "?"):
        """Run a query on the pool, waiting for a worker without blocking a thread; a
        request that finds every worker busy for the whole time limit gets ``QueryBusy``,
        a client with ``sparql_per_client`` queries already running ``TooManyQueries``."""
        with self._lock:
            running = self._per_client.get(client, 0)
            if running >= int(self.settings.sparql_per_client):
                raise TooManyQueries(
                    f"{running} of your queries are already running (setting sparql_per_client); "
                    "wait for them to finish"
                )
            self._per_client[client] = running + 1
        try:
            limit = float(self.settings.sparql_timeout_s)
            with anyio.move_on_after(limit) as waited:
                await self.sparql_limiter.acquire()
            if waited.cancelled_caught:
                raise QueryBusy(f"all query workers stayed busy for {limit:g} s; try again shortly")
            try:
                return await anyio.to_thread.run_sync(
                    partial(self.pool.run, query, dataset=dataset), limiter=self.sparql_threads
                )
            finally:
                self.sparql_limiter.release()
        finally:
            with self._lock:
                left = self._per_client[client] - 1
                if left:
                    self._per_client[client] = left
                else:
                    del self._per_client[client]

    def warm_up(self) -> None:
        """Load the search index, the embedding model, the lineage's citation index and
        the entity indexes before the first request (the first search otherwise waited
        ~7 s for the model, the first lineage ~2 s at 1,000 documents for its index)."""
        try:
            self.search().search(SearchQuery("kommunstyrelsen", limit=1))
        except BeslutsgrafError as exc:  # no index yet: searches will say so themselves
            log.warning("search not warmed up: %s", exc)
        try:
            self.lineage.index()
            self.entities.warm_up()
        except BeslutsgrafError as exc:
            log.warning("lineage and entity indexes not warmed up: %s", exc)

    def search(self) -> SearchService:
        """The search service over the index committed with the serving store; reloaded
        when a build switches ``CURRENT`` (read per request)."""
        generation = self.data.serving()
        current = self._search
        if current is not None and current[0] == generation:
            return current[1]
        with self._lock:
            if self._search is None or self._search[0] != generation:
                self._search = (generation, open_search(self.settings, index=generation.index))
            return self._search[1]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        self.serving.close()


def get_state(request: Request) -> AppState:
    return request.app.state.beslutsgraf


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers (q-values, wildcards); None if none fits."""
    if not accept:
        return offered[0]
    prefs: list[tuple[float, int, str]] = []
    for n, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.replace(" ", "").lower().startswith("q="):
                try:
                    q = min(1.0, max(0.0, float(f.split("=", 1)[1])))
                except ValueError:
                    q = 1.0  # a malformed weight is ignored, not read as "not acceptable"
        if media:
            prefs.append((q, n, media))
    best: tuple[float, int, int, int] | None = None
    for q, n, media in prefs:
        if q <= 0:
            continue
        for pos, offer in enumerate(offered):
            main = offer.partition("/")[0]
            if media in (offer, "*/*", f"{main}/*"):
                # higher q first; at equal q an exact type beats a wildcard, then order
                key = (-q, 0 if media == offer else 1, n, pos)
                if best is None or key < best:
                    best = key
    return offered[best[3]] if best else None


def wants_html(request: Request) -> bool:
    """Whether the client prefers an HTML page over JSON (``text/html;q=0`` does not)."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and negotiate(accept, ["application/json", "text/html"]) == "text/html"


def require_person_pages(state: AppState = Depends(get_state)) -> None:
    """Person pages and API entries answer 404 when the setting person_pages is off."""
    if not state.settings.person_pages:
        raise HTTPException(404, "Personsidor är avstängda (inställningen person_pages).")
