"""Shared wiring of the web application: one ``AppState`` handed to every view.

The state holds the settings, the serving store (reopened when a build commits),
the entity and lineage services, a pool of SPARQL workers and the search service
(reloaded when the manifest names a new index).  Views get it with ``get_state``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from fastapi import Request

from ..config import Settings
from ..entities import EntityService
from ..lineage import LineageService
from ..search import SearchService, open_search
from ..sparql import QueryPool
from ..store import DataDir, ServingReader
from ..vectors import limit_threads


@dataclass
class AppState:
    settings: Settings
    data: DataDir
    serving: ServingReader
    entities: EntityService
    lineage: LineageService
    pool: QueryPool | None = None
    _search: tuple[str, SearchService] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, settings: Settings, *, sparql_workers: int = 2) -> AppState:
        data = DataDir(settings.data_path)
        serving = ServingReader(data)
        entities = EntityService(serving.get, base_iri=settings.base_iri)
        state = cls(settings, data, serving, entities, LineageService(entities))
        state.pool = QueryPool(settings, size=sparql_workers)
        limit_threads(settings.web_torch_threads)
        return state

    def search(self) -> SearchService:
        """The search service over the index of the committed manifest (reloaded on change)."""
        index = self.data.read_manifest().index or ""
        current = self._search
        if current is not None and current[0] == index:
            return current[1]
        with self._lock:
            if self._search is None or self._search[0] != index:
                self._search = (index, open_search(self.settings))
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
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
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
    accept = request.headers.get("accept", "")
    return "text/html" in accept
