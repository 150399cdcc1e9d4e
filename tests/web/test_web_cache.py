"""Pages, API answers, searches and SPARQL results of a generation carry an ETag; a
client that has the answer gets 304; security and CORS headers are on every answer."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

URLS = [
    ("/", "text/html"),
    ("/api/documents", "application/json"),
    ("/api/search?q=extremism", "application/json"),
    ("/sok?q=CTC", "text/html"),
    ("/id/arende/malmo/STK-2024-351", "text/html"),
    ("/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"), "application/sparql-results+json"),
]


@pytest.mark.parametrize(("url", "accept"), URLS)
def test_answers_carry_an_etag_and_revalidate(web: TestClient, url: str, accept: str) -> None:
    first = web.get(url, headers={"Accept": accept})
    assert first.status_code == 200 and first.headers["etag"].startswith('"')
    again = web.get(url, headers={"Accept": accept})
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    not_modified = web.get(url, headers={"Accept": accept, "If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    for r in (first, again, not_modified):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_cors_on_a_cached_answer(web: TestClient) -> None:
    web.get("/api/documents")  # kept without an Origin
    r = web.get("/api/documents", headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_head_of_a_cached_answer(web: TestClient) -> None:
    get = web.get("/api/cases")
    head = web.head("/api/cases")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == get.headers["etag"]


def test_cached_headers_do_not_accumulate(web: TestClient) -> None:
    for _ in range(3):
        r = web.get("/api/bodies", headers={"Origin": "https://example.org"})
    assert r.headers.get_list("access-control-allow-origin") == ["*"]
    plain = web.get("/api/bodies")
    assert "access-control-allow-origin" not in plain.headers
