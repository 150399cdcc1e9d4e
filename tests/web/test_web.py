"""The web application in process (``TestClient``, fixture ``web`` in conftest): pages,
JSON API, linked data, dumps, errors and safety.  What needs a real socket (the SPARQL
protocol through SPARQLWrapper, raw request paths, the browser) is in ``tests/server/``.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from beslutsgraf.config import Settings, load_settings
from beslutsgraf.web.app import create_app

BASE = "https://beslutsgraf.se/id/"
BG = "https://beslutsgraf.se/ontology#"
HTML = {"Accept": "text/html"}


# -- pages ----------------------------------------------------------------------------


def test_start_page_in_swedish_with_search(web: TestClient) -> None:
    r = web.get("/", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in r.text and 'name="viewport"' in r.text
    assert 'action="/sok"' in r.text and "STK-2024-351" in r.text


def test_search_page_has_hits_highlights_facets_and_csv_link(web: TestClient) -> None:
    r = web.get("/sok", params={"q": "CTC"}, headers=HTML)
    assert r.status_code == 200
    assert "Överföring av medel, CTC" in r.text
    assert "<mark>CTC</mark>" in r.text
    assert 'id="csv"' in r.text and "Kommun</h3>" in r.text
    bad = web.get("/sok", params={"q": "CTC", "fran": "igår"}, headers=HTML)
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text and "Traceback" not in bad.text


def test_document_page_marks_facts_with_their_spans(web: TestClient) -> None:
    r = web.get("/id/dokument/004_d69471dc42ee4681", headers=HTML)
    assert r.status_code == 200
    assert 'id="doc-title">Överföring av medel, CTC' in r.text
    assert 'class="case-link" href="/id/arende/malmo/STK-2024-351"' in r.text
    assert r.text.count('class="fact ') > 50 and 'data-start="' in r.text
    assert "Beslutsplanering" in r.text and "Kommunfullmäktige" in r.text


def test_case_page_shows_lineage_timeline_and_drawing(web: TestClient) -> None:
    r = web.get("/id/arende/malmo/STK-2024-351", headers=HTML)
    assert r.status_code == 200
    assert 'id="case-number">STK-2024-351' in r.text
    assert 'id="upstream"' in r.text and "beslutsunderlag" in r.text
    assert 'id="timeline"' in r.text and "2024-06-19" in r.text and "<svg" in r.text


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/id/organ/stockholm/skarholmens-stadsdelsnamnd", "Säkerställa att berörda medarbetare"),
        ("/id/person/malmo/per-erik-ebbestahl", "Avdelningschef"),
        ("/id/kommun/malmo", "Malmö"),
        ("/handlingar", "Överföring av medel, CTC"),
        ("/arenden", "STK-2018-885"),
        ("/organ", "Kommunstyrelsen"),
        ("/personer", "Per-Erik Ebbeståhl"),
        ("/rekommendationer", "besvarad"),
        ("/harkomst?id=3.1.3-91/2019", "besvaras av"),
        ("/ontology", "bg:Recommendation"),
    ],
)
def test_pages_render(web: TestClient, path: str, expected: str) -> None:
    r = web.get(path, headers=HTML)
    assert r.status_code == 200, r.text[:300]
    assert expected in r.text


# -- linked data ------------------------------------------------------------------------


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")])
def test_iris_resolve_to_rdf_by_accept(web: TestClient, accept: str, fmt: str) -> None:
    r = web.get("/id/arende/malmo/STK-2024-351", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = Graph().parse(data=r.text, format=fmt)
    assert (URIRef(BASE + "arende/malmo/STK-2024-351"), URIRef(BG + "caseNumber"), Literal("STK-2024-351")) in g


def test_document_iri_gives_its_whole_graph_and_spans_check_out(web: TestClient) -> None:
    r = web.get("/id/dokument/004_d69471dc42ee4681", params={"format": "ttl"})
    g = Graph().parse(data=r.text, format="turtle")
    doc = URIRef(BASE + "dokument/004_d69471dc42ee4681")
    text = str(g.value(doc, URIRef(BG + "text")))
    oa = "http://www.w3.org/ns/oa#"
    spans = list(g.subjects(URIRef(BG + "inDocument"), doc))
    assert len(spans) > 50
    for span in spans:
        start, end = int(g.value(span, URIRef(oa + "start"))), int(g.value(span, URIRef(oa + "end")))
        assert text[start:end] == str(g.value(span, URIRef(oa + "exact")))


def test_fact_iris_resolve_too(web: TestClient) -> None:
    r = web.get("/id/dokument/001_e1b0bc157f42c3af/rekommendation/1", headers=HTML)
    assert r.status_code == 200 and "Säkerställa att berörda" in r.text


def test_ontology_at_its_namespace(web: TestClient) -> None:
    r = web.get("/ontology", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    assert (URIRef(BG + "Recommendation"), None, None) in g


def test_dumps_hold_the_whole_graph(web: TestClient) -> None:
    r = web.get("/dump.nq.gz")
    assert r.status_code == 200 and r.headers["content-type"] == "application/gzip"
    quads = gzip.decompress(r.content).decode("utf-8").splitlines()
    assert len(quads) > 5000
    t = web.get("/dump.ttl.gz")
    g = Graph().parse(data=gzip.decompress(t.content).decode("utf-8"), format="turtle")
    assert (URIRef(BASE + "arende/malmo/STK-2024-351"), URIRef(BG + "caseNumber"), Literal("STK-2024-351")) in g


# -- JSON API ---------------------------------------------------------------------------


def test_api_search_with_filters_facets_and_csv(web: TestClient) -> None:
    r = web.get("/api/search", params={"q": "våldsbejakande extremism", "municipality": "Stockholm"})
    body = r.json()
    assert r.status_code == 200 and body["total"] >= 1
    assert {h["municipality"] for h in body["hits"]} == {"Stockholm"}
    assert body["facets"]["municipality"] == {"Stockholm": body["total"]}
    c = web.get("/api/search.csv", params={"q": "CTC"})
    assert c.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(c.text.lstrip("\ufeff"))))
    assert "Överföring av medel, CTC" in {row["title"] for row in rows}
    assert all("<mark>" not in row["snippet"] for row in rows)
    bad = web.get("/api/search", params={"q": "CTC", "municipality": "Atlantis"})
    assert bad.status_code == 400 and "Atlantis" in bad.json()["error"]["message"]


def test_api_lists_paginate_and_entities_resolve(web: TestClient) -> None:
    page = web.get("/api/documents", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == 1 and len(page["items"]) == 2
    case = web.get("/api/cases/malmo/STK-2024-351").json()
    assert case["documents"][0]["id"] == "004_d69471dc42ee4681"
    assert web.get("/api/cases/stockholm/3.1.3-91_2019").json()["number"] == "3.1.3-91/2019"
    body = web.get("/api/bodies/malmo/kommunstyrelsen").json()
    assert body["name"] == "Kommunstyrelsen" and body["recommendations"]
    assert web.get("/api/bodies/malmo/stadskontoret").json()["kind"] == "Förvaltning"
    assert web.get("/api/persons/malmo/per-erik-ebbestahl").json()["name"] == "Per-Erik Ebbeståhl"
    recs = web.get("/api/recommendations", params={"body": "organ/malmo/kommunstyrelsen"}).json()
    assert recs["total"] >= 1 and all(
        any(t["name"] == "Kommunstyrelsen" for t in r["targets"]) for r in recs["items"]
    )
    doc = web.get("/api/documents/004_d69471dc42ee4681").json()
    assert all(doc["text"][f["start"] : f["end"]] == f["exact"] for f in doc["facts"])


def test_api_lineage(web: TestClient) -> None:
    lin = web.get("/api/lineage", params={"id": "STK-2024-351"}).json()
    assert lin["subject"]["label"] == "STK-2024-351"
    assert any(x["type"] == "beslutsunderlag" for x in lin["upstream"])
    assert any(e["kind"] == "planerad behandling" for e in lin["timeline"])


@pytest.mark.parametrize(
    "path, status",
    [
        ("/api/documents/no_such_doc", 404),
        ("/api/cases/malmo/STK-1999-1", 404),
        ("/api/documents?limit=0", 422),
        ("/api/documents?limit=abc", 422),
        ("/api/lineage?id=nothing-here", 404),
        ("/api/search?q=", 422),
    ],
)
def test_api_errors_are_json_with_a_message(web: TestClient, path: str, status: int) -> None:
    r = web.get(path)
    assert r.status_code == status
    err = r.json()["error"]
    assert err["status"] == status and err["message"] and "Traceback" not in r.text


def test_openapi_is_served(web: TestClient) -> None:
    spec = web.get("/api/openapi.json").json()
    assert {"/api/search", "/api/documents", "/api/lineage", "/api/recommendations"} <= set(spec["paths"])


# -- safety -----------------------------------------------------------------------------


def test_cors_for_read_only_gets(web: TestClient) -> None:
    r = web.get("/api/documents", headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = web.options(
        "/api/documents", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "DELETE"}
    )
    assert pre.status_code == 400 or "DELETE" not in pre.headers.get("access-control-allow-methods", "")


def test_unknown_pages_are_swedish_error_pages(web: TestClient) -> None:
    r = web.get("/finns-inte", headers=HTML)
    assert r.status_code == 404 and "Hittades inte" in r.text and "Traceback" not in r.text
    r = web.get("/id/organ/malmo/finns-inte", headers=HTML)
    assert r.status_code == 404 and "Hittades inte" in r.text


def test_writes_are_not_allowed(web: TestClient) -> None:
    assert web.delete("/api/documents").status_code == 405
    assert web.post("/api/documents").status_code == 405


def test_shared_entities_answer_each_statement_once(web: TestClient) -> None:
    # Kommunstyrelsen is named in three document graphs; its RDF states each triple once.
    r = web.get("/id/organ/malmo/kommunstyrelsen", headers={"Accept": "application/n-triples"})
    lines = [ln for ln in r.text.splitlines() if ln.strip()]
    assert len(lines) > 10 and len(lines) == len(set(lines))


def test_api_docs_page_needs_no_outside_scripts(web: TestClient) -> None:
    r = web.get("/api/docs", headers=HTML)
    assert r.status_code == 200 and "GET /api/search" in r.text and "/api/openapi.json" in r.text
    assert "cdn" not in r.text.lower() and "<script src=\"http" not in r.text


def test_head_is_answered_like_get_without_a_body(web: TestClient) -> None:
    for path in ("/", "/api/documents", "/id/dokument/004_d69471dc42ee4681", "/ontology"):
        r = web.head(path)
        assert r.status_code == 200, path
        assert r.content == b""


def test_graph_iris_resolve_to_their_document(web: TestClient) -> None:
    r = web.get("/id/graf/004_d69471dc42ee4681", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/id/dokument/004_d69471dc42ee4681"
    ttl = web.get("/id/graf/004_d69471dc42ee4681", params={"format": "ttl"})
    assert ttl.status_code == 200 and "Överföring av medel, CTC" in ttl.text


def test_html_only_when_preferred(web: TestClient) -> None:
    r = web.get("/api/nothing-here", headers={"Accept": "text/html;q=0, application/json"})
    assert r.headers["content-type"].startswith("application/json")


def test_links_to_other_schemes_are_not_followed(web: TestClient) -> None:
    query = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)") AS ?x) }'
    r = web.get("/sparql", params={"query": query}, headers=HTML)
    assert r.status_code == 200
    assert 'href="javascript:' not in r.text


def test_dumps_are_files_of_the_build_never_made_per_request(
    built_settings: Settings, tmp_path: Path
) -> None:
    # A copy without dumps: the server says so and does not serialise the graph itself.
    data = tmp_path / "data"
    shutil.copytree(built_settings.data_path, data, ignore=shutil.ignore_patterns("dumps", "*.lock"))
    app = create_app(load_settings(data_dir=str(data)))
    with TestClient(app, raise_server_exceptions=False) as client, ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: client.get("/dump.ttl.gz"), range(6)))
        head = client.head("/dump.nq.gz")
    assert {a.status_code for a in answers} == {503}
    assert "run `beslutsgraf build`" in answers[0].json()["error"]["message"]
    assert head.status_code == 503
    assert not (data / "dumps").exists()


def test_facet_links_keep_the_other_filters(web: TestClient) -> None:
    r = web.get("/sok", params={"q": "nämnd", "typ": "Tjänsteskrivelse"}, headers=HTML)
    assert r.status_code == 200
    assert "kommun=Malm%C3%B6" in r.text
    facet_links = [ln for ln in r.text.split('href="') if ln.startswith("/sok?") and "kommun=Malm" in ln]
    assert facet_links and all("typ=Tj%C3%A4nsteskrivelse" in ln.split('"')[0] for ln in facet_links)
