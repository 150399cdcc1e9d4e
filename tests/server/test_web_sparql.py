"""The SPARQL 1.1 Protocol endpoint ``/sparql`` of the running server, with real clients.

SPARQLWrapper is the client for queries in every result format (GET, POST form and
POST ``application/sparql-query``); httpx checks status codes and ``Content-Type``
per ``Accept``.  The refusals: updates (403, the store unchanged), malformed
queries (400 naming the problem), unacceptable ``Accept`` (406), and, on a second
server started with ``BESLUTSGRAF_SPARQL_TIMEOUT_S=1`` and
``BESLUTSGRAF_SPARQL_MAX_ROWS=5``, a runaway query (503 "stopped after") and a
result cut at 5 rows (``X-Result-Truncated``).
"""

from __future__ import annotations

import csv
import io
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from support import serve

from beslutsgraf.config import Settings
from beslutsgraf.paths import ONTOLOGY_FILE, QUERIES_DIR

BG = Namespace("https://beslutsgraf.se/ontology#")
CASE = URIRef("https://beslutsgraf.se/id/arende/malmo/STK-2024-351")
SOURCES = [
    "000_3c3574245795578f.txt",
    "001_e1b0bc157f42c3af.txt",
    "002_a82cb0acb981a939.txt",
    "003_5364846b4b30b45b.txt",
    "004_d69471dc42ee4681.txt",
]
DOC_BASE = "https://beslutsgraf.se/id/dokument/"

SELECT_SOURCES = """
SELECT ?doc ?source WHERE { ?doc <https://beslutsgraf.se/ontology#sourceFile> ?source }
ORDER BY ?source
"""
ASK_TRUE = f"ASK {{ <{CASE}> <{BG.caseNumber}> \"STK-2024-351\" }}"
ASK_FALSE = f"ASK {{ <{CASE}> <{BG.caseNumber}> \"STK-1999-000\" }}"
CONSTRUCT_CASE = f"CONSTRUCT {{ <{CASE}> ?p ?o }} WHERE {{ <{CASE}> ?p ?o }}"
DESCRIBE_CASE = f"DESCRIBE <{CASE}>"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
INSERT = "INSERT DATA { <urn:test:s> <urn:test:p> <urn:test:o> }"
INSERTED = "ASK { <urn:test:s> <urn:test:p> <urn:test:o> }"
# three copies of the whole store joined and sorted: ~5000^3 rows, never finishes
RUNAWAY = """
SELECT ?a ?b ?c WHERE { ?a ?p ?o . ?b ?q ?r . ?c ?x ?y }
ORDER BY ?o ?r ?y
"""


@pytest.fixture(scope="module")
def endpoint(live_server: str) -> str:
    return live_server + "/sparql"


def wrapper(endpoint: str, query: str, fmt: str, method: str = GET) -> SPARQLWrapper:
    w = SPARQLWrapper(endpoint)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    w.setTimeout(30)
    return w


def triple_count(endpoint: str) -> int:
    r = httpx.get(endpoint, params={"query": COUNT_TRIPLES}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- SELECT in every result format ----------------------------------------------


@pytest.mark.parametrize("method", [GET, POST])
def test_select_json(endpoint: str, method: str) -> None:
    result = wrapper(endpoint, SELECT_SOURCES, JSON, method).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    data = result.convert()
    assert data["head"]["vars"] == ["doc", "source"]
    rows = data["results"]["bindings"]
    assert [b["source"]["value"] for b in rows] == SOURCES
    assert all(b["source"]["type"] == "literal" and b["doc"]["type"] == "uri" for b in rows)
    assert [b["doc"]["value"] for b in rows] == [DOC_BASE + s.removesuffix(".txt") for s in SOURCES]


def test_select_xml(endpoint: str) -> None:
    result = wrapper(endpoint, SELECT_SOURCES, XML).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    dom = result.convert()
    names = [v.getAttribute("name") for v in dom.getElementsByTagName("variable")]
    assert names == ["doc", "source"]
    sources = [
        b.getElementsByTagName("literal")[0].firstChild.data
        for b in dom.getElementsByTagName("binding")
        if b.getAttribute("name") == "source"
    ]
    assert sources == SOURCES
    uris = [u.firstChild.data for u in dom.getElementsByTagName("uri")]
    assert uris == [DOC_BASE + s.removesuffix(".txt") for s in SOURCES]


def test_select_csv(endpoint: str) -> None:
    result = wrapper(endpoint, SELECT_SOURCES, CSV).query()
    assert result.response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(result.convert().decode("utf-8"))))
    assert rows[0] == ["doc", "source"]
    assert rows[1:] == [[DOC_BASE + s.removesuffix(".txt"), s] for s in SOURCES]


def test_select_tsv(endpoint: str) -> None:
    result = wrapper(endpoint, SELECT_SOURCES, TSV).query()
    assert result.response.headers["Content-Type"].startswith("text/tab-separated-values")
    lines = result.convert().decode("utf-8").splitlines()
    assert lines[0].split("\t") == ["?doc", "?source"]
    assert [ln.split("\t") for ln in lines[1:]] == [
        [f"<{DOC_BASE}{s.removesuffix('.txt')}>", f'"{s}"'] for s in SOURCES
    ]


def test_select_post_form_encoded(endpoint: str) -> None:
    w = wrapper(endpoint, SELECT_SOURCES, JSON, POST)
    w.setRequestMethod(URLENCODED)
    rows = w.query().convert()["results"]["bindings"]
    assert [b["source"]["value"] for b in rows] == SOURCES


def test_select_post_directly(endpoint: str) -> None:
    w = wrapper(endpoint, SELECT_SOURCES, JSON, POST)
    w.setRequestMethod(POSTDIRECTLY)  # body is the query, application/sparql-query
    rows = w.query().convert()["results"]["bindings"]
    assert [b["source"]["value"] for b in rows] == SOURCES


# --- ASK -------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [(ASK_TRUE, True), (ASK_FALSE, False)])
@pytest.mark.parametrize("method", [GET, POST])
def test_ask_json(endpoint: str, query: str, expected: bool, method: str) -> None:
    result = wrapper(endpoint, query, JSON, method).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert result.convert()["boolean"] is expected


@pytest.mark.parametrize(("query", "expected"), [(ASK_TRUE, "true"), (ASK_FALSE, "false")])
def test_ask_xml(endpoint: str, query: str, expected: str) -> None:
    result = wrapper(endpoint, query, XML).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    booleans = result.convert().getElementsByTagName("boolean")
    assert [b.firstChild.data for b in booleans] == [expected]


# --- CONSTRUCT and DESCRIBE ----------------------------------------------------------


def graph_of(endpoint: str, query: str, kind: str, method: str = GET) -> Graph:
    """The graph answer of ``query`` in ``kind``, fetched and converted by SPARQLWrapper."""
    if kind in ("rdfxml", "jsonld"):
        w = wrapper(endpoint, query, RDFXML if kind == "rdfxml" else JSONLD, method)
        result = w.query()
        media = "application/rdf+xml" if kind == "rdfxml" else "application/ld+json"
        assert result.response.headers["Content-Type"].startswith(media)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's ConjunctiveGraph
            converted = result.convert()
        assert isinstance(converted, Graph)
        return converted
    # SPARQLWrapper hands Turtle and N-Triples back as bytes; rdflib parses them
    w = wrapper(endpoint, query, TURTLE if kind == "turtle" else N3, method)
    if kind == "ntriples":  # SPARQLWrapper has no N-Triples format name: ask by Accept only
        w.setOnlyConneg(True)
        w.addCustomHttpHeader("Accept", "application/n-triples")
    result = w.query()
    media = "text/turtle" if kind == "turtle" else "application/n-triples"
    assert result.response.headers["Content-Type"].startswith(media)
    data = result.convert()
    assert isinstance(data, bytes)
    return Graph().parse(data=data.decode("utf-8"), format="turtle" if kind == "turtle" else "nt")


@pytest.mark.parametrize("kind", ["turtle", "ntriples", "jsonld", "rdfxml"])
@pytest.mark.parametrize("query", [CONSTRUCT_CASE, DESCRIBE_CASE], ids=["construct", "describe"])
def test_graph_results(endpoint: str, query: str, kind: str) -> None:
    g = graph_of(endpoint, query, kind)
    assert (CASE, BG.caseNumber, Literal("STK-2024-351")) in g
    assert set(g.subjects()) == {CASE}  # only what was asked for


def test_graph_formats_agree(endpoint: str) -> None:
    graphs = [graph_of(endpoint, CONSTRUCT_CASE, k) for k in ("turtle", "ntriples", "jsonld", "rdfxml")]
    triples = [set(g) for g in graphs]
    assert len(triples[0]) > 1
    assert all(t == triples[0] for t in triples[1:])


def test_construct_post(endpoint: str) -> None:
    g = graph_of(endpoint, CONSTRUCT_CASE, "turtle", POST)
    assert (CASE, BG.caseNumber, Literal("STK-2024-351")) in g
    w = wrapper(endpoint, DESCRIBE_CASE, RDFXML, POST)
    w.setRequestMethod(POSTDIRECTLY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        g = w.query().convert()
    assert (CASE, BG.caseNumber, Literal("STK-2024-351")) in g


# --- content negotiation with plain HTTP ----------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("image/png, text/*;q=0.8", "text/csv"),
    ],
)
def test_select_content_type_per_accept(endpoint: str, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = httpx.get(endpoint, params={"query": SELECT_SOURCES}, headers=headers, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    assert "Accept" in r.headers.get("vary", "")
    assert all(s in r.text for s in SOURCES)


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_graph_content_type_per_accept(endpoint: str, accept: str, media: str, fmt: str) -> None:
    r = httpx.post(endpoint, data={"query": CONSTRUCT_CASE}, headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's JSON-LD parser
        g = Graph().parse(data=r.text, format=fmt)
    assert (CASE, BG.caseNumber, Literal("STK-2024-351")) in g


def test_post_sparql_query_body_with_httpx(endpoint: str) -> None:
    r = httpx.post(
        endpoint,
        content=ASK_TRUE.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("query", [SELECT_SOURCES, ASK_TRUE, CONSTRUCT_CASE])
def test_unacceptable_accept_is_406(endpoint: str, query: str) -> None:
    r = httpx.get(endpoint, params={"query": query}, headers={"Accept": "image/png"}, timeout=30)
    assert r.status_code == 406, r.text
    assert "image/png" in r.text


def test_format_that_does_not_fit_is_400(endpoint: str) -> None:
    r = httpx.get(endpoint, params={"query": CONSTRUCT_CASE, "format": "csv"}, timeout=30)
    assert r.status_code == 400
    assert "csv" in r.text


# --- refusals: updates ------------------------------------------------------------------


def test_update_via_sparqlwrapper_is_refused(endpoint: str) -> None:
    before = triple_count(endpoint)
    w = SPARQLWrapper(endpoint)
    w.setMethod(POST)
    w.setQuery(INSERT)
    assert w.isSparqlUpdateRequest()  # sent as update= in a form body
    with pytest.raises(HTTPError) as err:
        w.query()
    assert err.value.code == 403
    assert "refused" in err.value.read().decode("utf-8")
    w = SPARQLWrapper(endpoint)
    w.setMethod(POST)
    w.setRequestMethod(POSTDIRECTLY)  # body application/sparql-update
    w.setQuery(INSERT)
    with pytest.raises(HTTPError) as err:
        w.query()
    assert err.value.code == 403
    assert triple_count(endpoint) == before
    assert wrapper(endpoint, INSERTED, JSON).query().convert()["boolean"] is False


@pytest.mark.parametrize(
    "send",
    [
        lambda e: httpx.get(e, params={"query": INSERT}, timeout=30),
        lambda e: httpx.post(e, data={"query": INSERT}, timeout=30),
        lambda e: httpx.post(e, data={"update": INSERT}, timeout=30),
        lambda e: httpx.get(e, params={"update": INSERT}, timeout=30),
        lambda e: httpx.post(e, content=INSERT, headers={"Content-Type": "application/sparql-update"}, timeout=30),
        lambda e: httpx.post(e, content=INSERT, headers={"Content-Type": "application/sparql-query"}, timeout=30),
        lambda e: httpx.post(e, data={"query": "DELETE WHERE { ?s ?p ?o }"}, timeout=30),
        lambda e: httpx.post(e, data={"query": "DROP ALL"}, timeout=30),
    ],
    ids=["get-query", "form-query", "form-update", "get-update", "sparql-update-body", "sparql-query-body", "delete-where", "drop-all"],
)
def test_update_is_403_and_store_unchanged(endpoint: str, send) -> None:
    before = triple_count(endpoint)
    r = send(endpoint)
    assert r.status_code == 403, r.text
    assert "refused" in r.text
    assert triple_count(endpoint) == before
    assert wrapper(endpoint, INSERTED, JSON).query().convert()["boolean"] is False


def test_update_in_query_names_the_operation(endpoint: str) -> None:
    r = httpx.post(endpoint, data={"query": INSERT}, timeout=30)
    assert r.status_code == 403
    assert "INSERT DATA" in r.text


# --- refusals: malformed queries ---------------------------------------------------------


def test_malformed_query_via_sparqlwrapper(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed) as err:
        wrapper(endpoint, "SELECT * WHERE { ?s ?p }", JSON).query()
    assert "malformed SPARQL query" in str(err.value)


@pytest.mark.parametrize(
    "query",
    ["SELECT * WHERE { ?s ?p }", "SELEKT ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p ?o "],
)
def test_malformed_query_is_400_naming_the_problem(endpoint: str, query: str) -> None:
    r = httpx.get(endpoint, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "malformed SPARQL query" in r.text
    assert "error at" in r.text or "expected" in r.text  # the parser's position / expectation


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"query": "   "}, "empty SPARQL query"),
        ({"query": "# only a comment"}, "empty SPARQL query"),
        ({"format": "json"}, "missing the query parameter"),
        ({"query": SELECT_SOURCES, "default-graph-uri": "graf/000"}, "default-graph-uri: expected an absolute IRI"),
    ],
)
def test_bad_requests_are_400(endpoint: str, params: dict[str, str], needle: str) -> None:
    r = httpx.get(endpoint, params=params, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 400, r.text
    assert needle in r.text


COUNT_FROM = "SELECT (COUNT(*) AS ?n) FROM <{g}> {{ ?s ?p ?o }}"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"


def _count(endpoint: str, query: str, **params: str) -> int:
    r = httpx.get(endpoint, params={"query": query, **params}, timeout=30,
                  headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_dataset_clauses_and_protocol_graphs_are_honoured(endpoint: str, built_settings: Settings) -> None:
    from beslutsgraf.graph.store import DataDir

    manifest = DataDir(built_settings.data_path).read_manifest()
    entry = manifest.sources["000_3c3574245795578f.txt"]
    assert _count(endpoint, COUNT_ALL) == manifest.triples  # the default graph: the union
    assert _count(endpoint, COUNT_FROM.format(g=entry.graph)) == entry.triples
    assert _count(endpoint, COUNT_FROM.format(g="https://beslutsgraf.se/id/graf/finns-inte")) == 0
    # the protocol's graphs override the query's
    assert _count(endpoint, COUNT_ALL, **{"default-graph-uri": entry.graph}) == entry.triples
    assert _count(endpoint, COUNT_NAMED, **{"named-graph-uri": entry.graph}) == entry.triples
    assert _count(endpoint, COUNT_ALL, **{"named-graph-uri": entry.graph}) == 0


def test_post_without_a_known_content_type_is_400(endpoint: str) -> None:
    r = httpx.post(endpoint, content=SELECT_SOURCES, headers={"Content-Type": "text/plain"}, timeout=30)
    assert r.status_code == 400
    assert "unsupported content type" in r.text


# --- the HTML query page -------------------------------------------------------------------


def test_html_page_lists_the_example_queries(endpoint: str) -> None:
    r = httpx.get(endpoint, headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    names = sorted(p.stem for p in (Path(ONTOLOGY_FILE).parent / "queries").glob("*.rq"))
    assert names, "no example queries in ontology/queries"
    for name in names:
        assert f">{name}</a>" in r.text, name
    assert "<textarea" in r.text


def test_html_page_runs_a_query(endpoint: str) -> None:
    r = httpx.get(endpoint, params={"query": SELECT_SOURCES}, headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200
    assert all(s in r.text for s in SOURCES)
    r = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 400
    assert "malformed SPARQL query" in r.text


# --- limits: a second server with a 1 s timeout and 5 rows ------------------------------------


@pytest.fixture(scope="module")
def limited_endpoint(built_settings: Settings) -> Iterator[str]:
    """``beslutsgraf serve`` on the built data, with sparql_timeout_s=1 and sparql_max_rows=5."""
    with serve(built_settings.data_path, sparql_timeout_s="1", sparql_max_rows="5") as url:
        yield url + "/sparql"


def test_result_is_cut_at_max_rows(limited_endpoint: str) -> None:
    r = httpx.get(limited_endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]["bindings"]) == 5
    assert "5 rows" in r.headers["X-Result-Truncated"]
    w = wrapper(limited_endpoint, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", TURTLE)
    result = w.query()
    assert "X-Result-Truncated" in result.response.headers
    assert len(Graph().parse(data=result.convert().decode("utf-8"), format="turtle")) == 5
    # a result that fits is not marked
    r = httpx.get(limited_endpoint, params={"query": ASK_TRUE}, timeout=30)
    assert r.status_code == 200 and "X-Result-Truncated" not in r.headers


def test_runaway_query_is_stopped_and_the_endpoint_recovers(limited_endpoint: str) -> None:
    # more runaways than pool workers (2): each stopped worker must have been replaced
    for _ in range(3):
        started = time.monotonic()
        r = httpx.post(limited_endpoint, data={"query": RUNAWAY}, timeout=30)
        took = time.monotonic() - started
        assert r.status_code == 503, r.text
        assert "stopped after" in r.text
        assert took < 8, f"the answer took {took:.1f} s"
        result = wrapper(limited_endpoint, SELECT_SOURCES, JSON).query()
        assert [b["source"]["value"] for b in result.convert()["results"]["bindings"]] == SOURCES
    # SPARQLWrapper sees the 503 as an error too
    with pytest.raises(Exception) as err:
        wrapper(limited_endpoint, RUNAWAY, JSON).query()
    assert "stopped after" in str(err.value) or "503" in str(err.value)
    assert wrapper(limited_endpoint, ASK_TRUE, JSON).query().convert()["boolean"] is True


EXAMPLES = sorted(QUERIES_DIR.glob("*.rq"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_example_queries_run_through_sparqlwrapper(endpoint: str, path: Path, fmt: str) -> None:
    # SPARQLWrapper guesses the query form from words in comments (it read "copy" in
    # one and sent it as an update); the endpoint answers such a query as a query.
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(path.read_text(encoding="utf-8"))
    sw.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sw.query()
    assert result.response.status == 200
    body = result.convert()
    if fmt == JSON:
        assert "results" in body and body["head"]["vars"]
    elif fmt == XML:
        assert body.getElementsByTagName("variable")
    else:
        assert body.decode("utf-8").splitlines()[0]


def test_federated_queries_are_refused(endpoint: str) -> None:
    # SERVICE would make the server fetch from any address the query names.
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/secret> { ?s ?p ?o } }"
    r = httpx.get(endpoint, params={"query": query}, timeout=30)
    assert r.status_code == 403 and "SERVICE" in r.text
    ok = httpx.get(endpoint, params={"query": 'ASK { FILTER(CONTAINS("public service", "service")) }'}, timeout=30)
    assert ok.status_code == 200 and ok.json()["boolean"] is True
