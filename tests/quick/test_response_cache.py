"""The answer cache: keyed by generation, URL and Accept; ETag and 304; bounded in bytes;
errors and streamed answers pass through."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.testclient import TestClient

from beslutsgraf.web.cache import Entry, LruBytes, ResponseCache


def _app(max_bytes: int = 1_000_000):
    calls: list[str] = []
    generation = {"now": ("store-1", "index-1")}
    app = FastAPI()

    @app.get("/svar")
    def answer(q: str = "") -> PlainTextResponse:
        calls.append(q)
        return PlainTextResponse(f"svar {q} {len(calls)}")

    @app.get("/fel")
    def error() -> PlainTextResponse:
        calls.append("fel")
        return PlainTextResponse("nej", status_code=404)

    @app.get("/ström")
    def stream() -> StreamingResponse:
        calls.append("ström")
        return StreamingResponse(iter([b"a", b"b"]), media_type="text/plain")

    app.add_middleware(ResponseCache, generation=lambda: generation["now"], max_bytes=max_bytes)
    return TestClient(app), calls, generation


def test_a_repeated_request_is_answered_from_the_table() -> None:
    client, calls, _ = _app()
    first = client.get("/svar?q=a")
    second = client.get("/svar?q=a")
    assert first.text == second.text == "svar a 1" and calls == ["a"]
    assert first.headers["etag"] == second.headers["etag"] and first.headers["vary"] == "Accept"
    client.get("/svar?q=b")
    client.get("/svar?q=a", headers={"Accept": "application/json"})  # another Accept: another answer
    assert calls == ["a", "b", "a"]


def test_etag_and_304() -> None:
    client, calls, _ = _app()
    etag = client.get("/svar?q=x").headers["etag"]
    r = client.get("/svar?q=x", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
    assert client.get("/svar?q=x", headers={"If-None-Match": '"annan"'}).status_code == 200
    assert calls == ["x"]


def test_a_new_generation_is_a_new_key() -> None:
    client, calls, generation = _app()
    client.get("/svar?q=a")
    generation["now"] = ("store-2", "index-2")
    assert client.get("/svar?q=a").text == "svar a 2" and calls == ["a", "a"]


def test_errors_and_streams_are_not_kept() -> None:
    client, calls, _ = _app()
    assert client.get("/fel").status_code == 404 and client.get("/fel").status_code == 404
    assert client.get("/ström").text == "ab" and client.get("/ström").text == "ab"
    assert "etag" not in client.get("/ström").headers
    assert calls == ["fel", "fel", "ström", "ström", "ström"]


def test_the_table_is_bounded_in_bytes() -> None:
    table = LruBytes(10)
    for n in range(5):
        table.put((n,), Entry(200, [], b"1234", b'"e"'))
    assert table.size <= 10 and len(table) == 2
    assert table.get((0,)) is None and table.get((4,)) is not None
    table.put(("stor",), Entry(200, [], b"x" * 11, b'"e"'))  # larger than the table: not kept
    assert table.get(("stor",)) is None
