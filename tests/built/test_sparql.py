"""Read-only SPARQL on the store built from the real corpus: formats, refusals, limits."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

from beslutsgraf.config import Settings, load_settings
from beslutsgraf.errors import QueryError, StoreError
from beslutsgraf.services.sparql import format_result, run_query

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SOURCES = sorted(p.name for p in CORPUS.glob("*.txt"))

BG = "PREFIX bg: <https://beslutsgraf.se/ontology#>\n"
DOCS = (
    BG + "SELECT ?doc ?source WHERE { ?doc a bg:Document ; bg:sourceFile ?source } ORDER BY ?source"
)
CONSTRUCT = (
    BG
    + "CONSTRUCT { ?doc bg:sourceFile ?source } "
    + "WHERE { ?doc a bg:Document ; bg:sourceFile ?source }"
)


@pytest.fixture(scope="module")
def settings(built_settings: Settings) -> Settings:
    """The corpus built once for the session (conftest); these tests only read it."""
    return built_settings


def test_select_in_each_format(settings: Settings) -> None:
    result = run_query(settings, DOCS)
    assert result.kind == "select" and result.variables == ["doc", "source"]
    assert [row[1].value for row in result.rows] == SOURCES
    assert not result.truncated

    table = format_result(result, "table").splitlines()
    assert table[0].split() == ["?doc", "?source"]
    assert set(table[1]) <= {"-", " "}
    assert [line.split()[-1] for line in table[2:7]] == SOURCES
    assert table[-1] == "(5 rows)"

    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["doc", "source"]
    assert [r[1] for r in rows[1:]] == SOURCES
    assert all(r[0].startswith("https://") for r in rows[1:])

    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == ["doc", "source"]
    bindings = data["results"]["bindings"]
    assert [b["source"] for b in bindings] == [{"type": "literal", "value": s} for s in SOURCES]
    assert all(b["doc"]["type"] == "uri" for b in bindings)


def test_typed_and_unbound_values_in_json_and_csv(settings: Settings) -> None:
    q = (
        BG
        + """SELECT ?source ?date ?nothing WHERE {
        ?doc bg:sourceFile ?source .
        OPTIONAL { ?doc bg:date ?date }
        OPTIONAL { ?doc bg:noSuchTerm ?nothing }
    } ORDER BY ?source LIMIT 1"""
    )
    result = run_query(settings, q)
    binding = json.loads(format_result(result, "json"))["results"]["bindings"][0]
    assert "nothing" not in binding  # unbound: left out, as SPARQL 1.1 JSON says
    if "date" in binding:
        assert binding["date"]["datatype"].startswith("http://www.w3.org/2001/XMLSchema#")
    assert list(csv.reader(io.StringIO(format_result(result, "csv"))))[1][2] == ""


def test_ask_in_each_format(settings: Settings) -> None:
    yes = run_query(settings, BG + "ASK { ?d a bg:Document }")
    no = run_query(settings, BG + "ASK { ?d a bg:NoSuchClass }")
    assert yes.kind == "ask" and yes.boolean is True and no.boolean is False
    assert format_result(yes, "table") == "true\n"
    assert json.loads(format_result(no, "json")) == {"head": {}, "boolean": False}
    assert format_result(yes, "csv").splitlines() == ["_askResult", "true"]


def test_construct_in_each_format(settings: Settings) -> None:
    result = run_query(settings, CONSTRUCT)
    assert result.kind == "graph" and len(result) == 5
    nt = format_result(result, "ntriples").splitlines()
    assert len(nt) == 5 and all(line.endswith(" .") for line in nt)
    assert sorted(line.split('"')[1] for line in nt) == SOURCES
    turtle = format_result(result, "turtle")
    assert "@prefix bg: <https://beslutsgraf.se/ontology#>" in turtle and "bg:sourceFile" in turtle
    assert format_result(result, "table") == turtle
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["subject", "predicate", "object"] and len(rows) == 6
    assert len(json.loads(format_result(result, "json"))["results"]["bindings"]) == 5


def test_describe(settings: Settings) -> None:
    doc = run_query(settings, DOCS).rows[0][0].value
    result = run_query(settings, f"DESCRIBE <{doc}>")
    assert result.kind == "graph" and len(result) > 10
    assert {t[0].value for t in result.triples} == {doc}


def test_graph_formats_need_a_graph_result(settings: Settings) -> None:
    with pytest.raises(QueryError, match="format turtle needs a CONSTRUCT or DESCRIBE query"):
        format_result(run_query(settings, DOCS), "turtle")
    with pytest.raises(QueryError, match="unknown format 'yaml'; choose one of: table, csv, tsv, json, xml"):
        format_result(run_query(settings, DOCS), "yaml")


def test_xml_and_tsv_results_follow_sparql_1_1(settings: Settings) -> None:
    import xml.etree.ElementTree as ET

    result = run_query(settings, DOCS)
    root = ET.fromstring(format_result(result, "xml"))
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["doc", "source"]
    literals = [b.find("s:literal", ns).text for b in root.iter("{{{}}}binding".format(ns["s"])) if b.get("name") == "source"]
    assert literals == SOURCES
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0] == "?doc\t?source"
    assert tsv[1].startswith("<https://beslutsgraf.se/id/dokument/") and tsv[1].endswith('"' + SOURCES[0] + '"')


@pytest.mark.parametrize(
    ("update", "named"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT DATA"),
        ("DELETE DATA { <http://a> <http://b> <http://c> }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE … WHERE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "WITH"),
        ("LOAD <http://example.org/x.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <http://g>", "DROP"),
        ("CREATE GRAPH <http://g>", "CREATE"),
        ("ADD <http://a> TO <http://b>", "ADD"),
        ("MOVE DEFAULT TO <http://b>", "MOVE"),
        ("COPY DEFAULT TO <http://b>", "COPY"),
        (
            "PREFIX ex: <http://e/>\n# a comment\nINSERT DATA { ex:a ex:b 1 } ; DROP ALL",
            "INSERT DATA, DROP",
        ),
    ],
)
def test_updates_are_refused(settings: Settings, update: str, named: str) -> None:
    with pytest.raises(QueryError, match="^SPARQL updates are refused: ") as err:
        run_query(settings, update)
    assert named in str(err.value)


def test_update_words_in_comments_and_literals_are_fine(settings: Settings) -> None:
    q = '# DELETE WHERE { ?s ?p ?o } and DROP ALL\nSELECT ("INSERT DATA; CLEAR ALL" AS ?x) WHERE {}'
    result = run_query(settings, q)
    assert result.rows[0][0].value == "INSERT DATA; CLEAR ALL"


def test_store_is_untouched_after_refusals(settings: Settings) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = run_query(settings, count).rows[0][0].value
    with pytest.raises(QueryError):
        run_query(settings, "DELETE WHERE { ?s ?p ?o }")
    assert run_query(settings, count).rows[0][0].value == before


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("SELECT * WHERE { ?s ?p }", "1:25"),
        ("SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}", "4:2"),
        ("SELEKT * WHERE { ?s ?p ?o }", "1:1"),
    ],
)
def test_malformed_query_names_the_position(settings: Settings, query: str, position: str) -> None:
    with pytest.raises(QueryError, match=f"^malformed SPARQL query: error at {position}"):
        run_query(settings, query)


def test_empty_query(settings: Settings) -> None:
    with pytest.raises(QueryError, match="empty SPARQL query"):
        run_query(settings, "  # nothing\n")


def test_runaway_query_is_stopped(settings: Settings) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.perf_counter()
    with pytest.raises(QueryError, match=r"^query stopped after 1 s"):
        run_query(settings, q, timeout_s=1)
    assert time.perf_counter() - started < 5
    # and the next query runs as usual
    assert len(run_query(settings, DOCS).rows) == 5


def test_max_rows(settings: Settings) -> None:
    result = run_query(settings, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=7)
    assert len(result.rows) == 7 and result.truncated
    assert format_result(result, "table").splitlines()[-1] == "(7 rows; cut at max_rows=7)"
    exact = run_query(settings, DOCS, max_rows=5)
    assert len(exact.rows) == 5 and not exact.truncated
    graph = run_query(settings, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3)
    assert len(graph.triples) == 3 and graph.truncated
    assert len(run_query(settings, DOCS, max_rows=0).rows) == 0


def test_settings_bound_rows_and_time(tmp_path: Path, settings: Settings) -> None:
    small = load_settings(data_dir=settings.data_dir, sparql_max_rows="2", sparql_timeout_s="30")
    assert len(run_query(small, DOCS).rows) == 2


def test_no_store_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph store yet"):
        run_query(load_settings(data_dir=str(tmp_path / "empty")), DOCS)


def test_pool_replaces_a_worker_that_died_while_idle(settings: Settings) -> None:
    from beslutsgraf.services.sparql import QueryPool

    pool = QueryPool(settings, size=1)
    try:
        assert pool.run(DOCS).rows
        proc, _conn = next(iter(pool._all))
        proc.kill()
        proc.join(5)
        result = pool.run(DOCS)  # the dead worker is replaced, not reported as an error
        assert [row[1].value for row in result.rows] == SOURCES
    finally:
        pool.close()


def test_service_is_refused_in_the_cli_path_too(settings: Settings) -> None:
    from beslutsgraf.services.sparql import ServiceRefused

    with pytest.raises(ServiceRefused, match="SERVICE"):
        run_query(settings, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
