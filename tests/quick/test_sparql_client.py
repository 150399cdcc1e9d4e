"""Binding values into a query sent to a SPARQL server, and the store setting's checks
(the server itself is exercised in tests/remote/)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from beslutsgraf.config import load_settings
from beslutsgraf.errors import StoreError
from beslutsgraf.graph.sparql_client import Endpoints, with_prefixes, with_values
from beslutsgraf.graph.store import DataDir

X = {ox.Variable("x"): ox.NamedNode("https://example.org/a")}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT ?x ?y WHERE { ?x ?p ?y }",
         "SELECT ?x ?y WHERE { VALUES (?x) { (<https://example.org/a>) }  ?x ?p ?y }"),
        ("ASK { ?x ?p ?o }", "ASK { VALUES (?x) { (<https://example.org/a>) }  ?x ?p ?o }"),
        # the template of a CONSTRUCT is not its WHERE group
        ("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
         "CONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x) { (<https://example.org/a>) }  ?x ?p ?o }"),
        # braces and keywords in comments, strings, IRIs, variables and prefixed names are not read
        ('# WHERE { not this\nSELECT ?where ?x WHERE { ?x <urn:a{b> "WHERE {" ; bg:where ?where }',
         '# WHERE { not this\nSELECT ?where ?x WHERE { VALUES (?x) { (<https://example.org/a>) }  ?x <urn:a{b> "WHERE {" ; bg:where ?where }'),
        ("select ?x where {?x ?p ?o}", "select ?x where { VALUES (?x) { (<https://example.org/a>) } ?x ?p ?o}"),
    ],
)
def test_values_open_the_outer_where_group(query, expected):
    assert with_values(query, X) == expected


def test_a_value_is_serialised_not_spliced():
    hostile = ox.Literal('a" } ; DROP ALL ; #')
    out = with_values("SELECT ?t WHERE { ?s ?p ?t }", {ox.Variable("t"): hostile})
    assert 'VALUES (?t) { ("a\\" } ; DROP ALL ; #") }' in out
    store = ox.Store()  # in memory: the query parses as one SELECT with one VALUES row
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal('a" } ; DROP ALL ; #')))
    assert [s["t"] for s in store.query(out)] == [hostile]


def test_a_query_without_a_group_is_refused():
    with pytest.raises(StoreError, match="no WHERE group"):
        with_values("SELECT ?x", X)


def test_prefixes_are_declared_before_the_query():
    assert with_prefixes("ASK {}", {"bg": "https://beslutsgraf.se/ontology#"}) == (
        "PREFIX bg: <https://beslutsgraf.se/ontology#>\nASK {}"
    )


def test_the_store_setting_names_a_folder_or_a_server(tmp_path):
    folder = DataDir.for_settings(load_settings(data_dir=str(tmp_path / "d"), store=str(tmp_path / "g")))
    assert folder.remote is None and folder.generation_path("store-1") == tmp_path / "g" / "store-1"
    default = DataDir.for_settings(load_settings(data_dir=str(tmp_path / "d")))
    assert default.store_folder == tmp_path / "d"
    remote = DataDir.for_settings(load_settings(data_dir=str(tmp_path / "d"), store="http://localhost:7878",
                                                store_graph_path="/gsp"))
    assert remote.remote == Endpoints("http://localhost:7878", store_path="/gsp")
    assert remote.remote.endpoint(remote.remote.query_path) == "http://localhost:7878/query"
    assert remote.generations() == []
    with pytest.raises(StoreError, match="expected a folder or an http"):
        DataDir.for_settings(load_settings(data_dir=str(tmp_path / "d"), store="ftp://example.org/"))
