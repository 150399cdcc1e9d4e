"""The named choices the services accept, in one place: search modes and SPARQL result
formats.  The interfaces build their options from these (CLI enums, API parameters,
the search form), so a new mode or format is added here only.  Imports nothing heavy:
the CLI reads it at start-up."""

from __future__ import annotations

# How search ranks: BM25 and embeddings fused, or either alone.
MODES: tuple[str, ...] = ("hybrid", "lexical", "semantic")

# SPARQL results: SPARQL 1.1 result formats for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE,
# and a plain table for people.
RESULT_FORMATS: tuple[str, ...] = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS: tuple[str, ...] = ("turtle", "ntriples", "jsonld", "rdfxml")
# In the order the CLI lists them (RESULT_FORMATS is in the web's order of preference).
FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml", *GRAPH_FORMATS)
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "table": "text/plain",
}
