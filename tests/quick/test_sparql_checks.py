"""SPARQL checks that need no store on disk: update refusals name the operation, the
dataset a query names (FROM, FROM NAMED, protocol graphs) is the one it reads."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from beslutsgraf.errors import UpdateRefused
from beslutsgraf.services.sparql import Dataset, _answer, has_dataset_clause, refuse_updates


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("INSERT{}WHERE{}", "INSERT … WHERE"),
        ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE … WHERE"),
        ("WITH <http://g> DELETE {?s ?p ?o} INSERT {?s ?p 1} WHERE {?s ?p ?o}", "WITH … DELETE/INSERT … WHERE"),
        ("INSERT DATA { <http://a> <http://b> 1 }", "INSERT DATA"),
        ("LOAD <http://example.org/x>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
    ],
)
def test_update_refusals_name_the_operation(query: str, named: str) -> None:
    with pytest.raises(UpdateRefused) as err:
        refuse_updates(query)
    assert str(err.value) == f"SPARQL updates are refused: {named} (only queries are run)"


@pytest.mark.parametrize(
    ("query", "has"),
    [
        ("SELECT * FROM <http://g> { ?s ?p ?o }", True),
        ("select * from named <http://g> { graph ?g { ?s ?p ?o } }", True),
        ("SELECT * FROM\n<http://g> {}", True),
        ('SELECT ?from { ?from ?p "FROM x" }', False),
        ("SELECT * { ?s ex:from ?o } # FROM <x>", False),
        ("PREFIX from: <http://x#> SELECT * { ?s from:x ?o }", False),
        ("SELECT * { ?s ?p <http://x/FROM> }", False),
        ("SELECT * { ?s ?p '''a FROM b''' }", False),
    ],
)
def test_dataset_clause_is_found_outside_strings_iris_and_names(query: str, has: bool) -> None:
    assert has_dataset_clause(query) is has


class _Reader:
    """The reader interface of graph.store over an in-memory store (union by default)."""

    generation = "store-test"

    def __init__(self) -> None:
        self.store = ox.Store()
        for g, n in (("http://g/1", 3), ("http://g/2", 2)):
            for i in range(n):
                self.store.add(ox.Quad(ox.NamedNode(f"http://s/{g[-1]}/{i}"), ox.NamedNode("http://p"),
                                       ox.Literal(str(i)), ox.NamedNode(g)))

    def query(self, query: str, *, union: bool = True, **kwargs):
        return self.store.query(query, use_default_graph_as_union=union, **kwargs)


def _count(query: str, dataset: Dataset | None = None) -> int:
    status, result = _answer(_Reader(), query, 10, dataset or Dataset())
    assert status == "ok", result
    return int(result.rows[0][0].value)


def test_default_graph_is_the_union() -> None:
    assert _count("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 5


def test_from_is_honoured() -> None:
    assert _count("SELECT (COUNT(*) AS ?n) FROM <http://g/1> { ?s ?p ?o }") == 3
    assert _count("SELECT (COUNT(*) AS ?n) FROM <http://g/nothing> { ?s ?p ?o }") == 0
    assert _count("SELECT (COUNT(*) AS ?n) FROM NAMED <http://g/2> { GRAPH ?g { ?s ?p ?o } }") == 2
    # FROM NAMED alone: the default graph is empty
    assert _count("SELECT (COUNT(*) AS ?n) FROM NAMED <http://g/2> { ?s ?p ?o }") == 0


def test_protocol_dataset_overrides_the_query() -> None:
    q = "SELECT (COUNT(*) AS ?n) FROM <http://g/1> { ?s ?p ?o }"
    assert _count(q, Dataset(default_graphs=("http://g/2",))) == 2
    named = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    assert _count(named, Dataset(named_graphs=("http://g/1",))) == 3
    assert _count(named, Dataset(default_graphs=("http://g/1",))) == 0
