"""SHACL validation of document graphs against ``ontology/shapes.ttl`` and the ontology.

pyshacl has a fixed cost per call (ontology mixed in, shapes compiled), so the build
validates documents in batches: ``failures`` checks a batch in one call and, only if
it fails, each document alone to find which.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import pyshacl
from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query

from .ontology import ontology, shapes

__all__ = ["failures", "first_messages", "validate"]


def validate(graph: Graph) -> tuple[bool, str]:
    """(conforms, readable report) of ``graph`` against the shapes and the ontology.

    No inference: the builder asserts every superclass itself (the store runs no
    reasoner either), and RDFS closure was about half of what validation cost.
    """
    with _prepared_sparql_constraints():
        conforms, _, report = pyshacl.validate(
            graph,
            shacl_graph=shapes(),
            ont_graph=ontology(),
            inference="none",
            abort_on_first=False,
            allow_warnings=False,
        )
    return bool(conforms), str(report)


def failures(graphs: Mapping[str, Graph]) -> dict[str, str]:
    """The graphs (by key) that do not conform, each with the first messages of its report.

    One pyshacl call for the union; only if it fails, one per graph.  A union can fail
    while each graph passes (a cardinality across documents on a shared entity); each
    graph is then judged on its own, which is the contract.
    """
    if not graphs:
        return {}
    union = Graph()
    for g in graphs.values():
        union += g
    if validate(union)[0]:
        return {}
    out = {}
    for key, g in graphs.items():
        ok, report = validate(g)
        if not ok:
            out[key] = first_messages(report)
    return out


def first_messages(report: str, limit: int = 3) -> str:
    """The first ``limit`` ``Message:`` lines of a pyshacl report, on one line."""
    msgs = [
        line.strip()[len("Message:") :].strip()
        for line in report.splitlines()
        if line.strip().startswith("Message:")
    ]
    if not msgs:
        return report.strip().splitlines()[0] if report.strip() else "does not conform"
    more = f" (+{len(msgs) - limit} more)" if len(msgs) > limit else ""
    return "; ".join(msgs[:limit]) + more


@lru_cache(maxsize=256)
def _prepared_query(text: str, base: str | None, namespaces: frozenset[tuple[str, Any]]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces) or None)


@contextmanager
def _prepared_sparql_constraints() -> Iterator[None]:
    """Parse each SHACL-SPARQL constraint once, not once per focus node.

    pyshacl hands rdflib the constraint's query text for every focus node, and
    rdflib parses it each time with pyparsing: measured 90% of validation time
    (corpus: 8.2 s -> 1.2 s for five documents with this cache).  A translated
    query is what rdflib's own ``prepareQuery`` returns and may be evaluated again
    with other bindings.  Patched only for the duration of one validation.
    """
    original = SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            strOrQuery = _prepared_query(strOrQuery, base, frozenset((initNs or {}).items()))
            initNs = None
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]
