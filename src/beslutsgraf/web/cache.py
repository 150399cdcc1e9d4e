"""Answers cached per store generation, with ETags.

A committed generation never changes, so every GET answer of the application (a
page, an API answer, a search, a SPARQL result) is a function of the URL, the
``Accept`` header and what ``CURRENT`` names (store and search index).  This ASGI
middleware keeps the bodies of such answers in a least-recently-used table bounded
in bytes (setting ``web_cache_mb``), so a repeated request costs a dictionary
look-up instead of a query and a template; every cacheable answer carries a strong
``ETag`` and a client sending it back in ``If-None-Match`` gets ``304``.  A new
build changes ``CURRENT`` and with it every key, so nothing stale is ever served;
old entries age out of the table.

Only complete ``200`` answers of GET requests (HEAD reaches here as GET) up to
``MAX_ENTRY`` bytes are kept; static files and dumps (served from files with their
own validators), error answers and streamed answers pass through untouched.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_ENTRY = 2_000_000  # bytes: a larger answer is not kept
SKIP_PREFIXES = ("/static/", "/dump.", "/original/")
_VARY = (b"accept",)  # request headers an answer may depend on


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class LruBytes:
    """A least-recently-used table bounded by the bytes of its bodies; thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        """The entry of ``key`` (now the most recently used), or None."""
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        """Keep ``entry``, dropping the least recently used ones beyond the bound."""
        if len(entry.body) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._items[key] = entry
            self.size += len(entry.body)
            while self.size > self.max_bytes:
                _key, dropped = self._items.popitem(last=False)
                self.size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._items)


def etag_of(body: bytes) -> bytes:
    """A strong validator: the first 20 hex digits of the body's SHA-1, quoted."""
    return b'"' + hashlib.sha1(body).hexdigest()[:20].encode() + b'"'


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    tags = [t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")]
    return b"*" in tags or etag in tags


class ResponseCache:
    """ASGI middleware: GET answers by (generation, URL, Accept), with ETag and 304."""

    def __init__(self, app, *, generation: Callable[[], object], max_bytes: int) -> None:
        self.app = app
        self.generation = generation
        self.table = LruBytes(max_bytes)

    async def __call__(self, scope, receive, send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or self.table.max_bytes <= 0
            or scope["path"].startswith(SKIP_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = (
            self.generation(),
            scope["path"],
            scope.get("query_string", b""),
            *(headers.get(h, b"") for h in _VARY),
        )
        inm = headers.get(b"if-none-match")
        entry = self.table.get(key)
        if entry is not None:
            await self._replay(entry, inm, send)
            return
        await self._fill(scope, receive, send, key, inm)

    async def _replay(self, entry: Entry, inm: bytes | None, send) -> None:
        if inm is not None and _matches(inm, entry.etag):
            await send({"type": "http.response.start", "status": 304, "headers": _validators(entry.headers)})  # a new list
            await send({"type": "http.response.body", "body": b""})
            return
        # A copy: the middlewares outside (CORS) add headers to the list in place.
        await send({"type": "http.response.start", "status": entry.status, "headers": list(entry.headers)})
        await send({"type": "http.response.body", "body": entry.body})

    async def _fill(self, scope, receive, send, key: tuple, inm: bytes | None) -> None:
        start: dict | None = None
        passing = False  # streamed or not cacheable: forward as it comes

        async def capture(message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                start = message
                if start["status"] != 200 or _no_store(start["headers"]):
                    passing = True
                    await send(message)
                return
            if passing or message["type"] != "http.response.body":
                await send(message)
                return
            body = message.get("body", b"")
            if message.get("more_body", False) or len(body) > MAX_ENTRY:
                passing = True  # streamed: no ETag, not kept
                await send(start)
                await send(message)
                return
            etag = etag_of(body)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"etag"]
            headers += [(b"etag", etag), (b"vary", b"Accept")] if not _has(headers, b"vary") else [(b"etag", etag)]
            entry = Entry(start["status"], headers, body, etag)
            self.table.put(key, entry)
            await self._replay(entry, inm, send)

        await self.app(scope, receive, capture)


def _has(headers: list[tuple[bytes, bytes]], name: bytes) -> bool:
    return any(k.lower() == name for k, _v in headers)


def _no_store(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"cache-control" and b"no-store" in v.lower() for k, v in headers)


def _validators(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers a 304 repeats (RFC 9110 15.4.5): validators and Vary, no body headers."""
    keep = {b"etag", b"vary", b"cache-control"}
    return [(k, v) for k, v in headers if k.lower() in keep]
