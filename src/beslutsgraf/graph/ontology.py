"""The ontology and the SHACL shapes, read and parsed once per process.

Mapping (superclasses), validation, the build (the ontology's own named graph and
the fingerprint that rebuilds every graph when it changes) and the web's ontology
page all read them from here.  ``ontology()`` and ``shapes()`` are shared: callers
must not change them; ``ontology_copy()`` and ``shapes_copy()`` are for callers that do.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from rdflib import Graph, URIRef

from ..errors import ValidationError
from ..paths import ONTOLOGY_FILE, SHAPES_FILE
from ..vocab import OWL, RDF

__all__ = ["fingerprint", "ontology", "ontology_copy", "ontology_iri", "shapes", "shapes_copy"]


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """``ontology/beslutsgraf.ttl``, parsed once; shared, do not modify."""
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@lru_cache(maxsize=1)
def shapes() -> Graph:
    """``ontology/shapes.ttl``, parsed once; shared, do not modify."""
    return Graph().parse(SHAPES_FILE, format="turtle")


def ontology_copy() -> Graph:
    """A copy of the ontology (triples and prefixes) that the caller may change."""
    return _copy(ontology())


def shapes_copy() -> Graph:
    """A copy of the shapes (triples and prefixes) that the caller may change."""
    return _copy(shapes())


def ontology_iri() -> URIRef:
    """The IRI of the one ``owl:Ontology`` the ontology file declares."""
    iris = list(ontology().subjects(RDF.type, OWL.Ontology))
    if len(iris) != 1:
        raise ValidationError(f"{ONTOLOGY_FILE}: expected one owl:Ontology, found {len(iris)}")
    return URIRef(iris[0])


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """SHA-256 over the names and bytes of the ontology and shapes files."""
    h = hashlib.sha256()
    for path in (ONTOLOGY_FILE, SHAPES_FILE):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _copy(graph: Graph) -> Graph:
    # A copy of the parsed graph is several times cheaper than parsing the Turtle again.
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    out += graph
    return out
