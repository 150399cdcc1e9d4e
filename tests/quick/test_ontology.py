"""The ontology and shapes: they parse, every term is labelled in Swedish and English,
``vocab.BG`` lists exactly the ontology's terms, and every external term is declared."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespace

from beslutsgraf import vocab
from beslutsgraf.graph.triples import ontology_graph, shapes_graph
from beslutsgraf.paths import ONTOLOGY_FILE, QUERIES_DIR, SHAPES_FILE
from beslutsgraf.vocab import BG, OWL, RDF, RDFS, SH

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def _bg_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(str(BG))}


def test_files_are_where_paths_say() -> None:
    assert ONTOLOGY_FILE.name == "beslutsgraf.ttl" and ONTOLOGY_FILE.is_file()
    assert SHAPES_FILE.is_file()
    assert QUERIES_DIR.is_dir()


def test_ontology_header(onto: Graph) -> None:
    ontology = URIRef("https://beslutsgraf.se/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in onto
    assert onto.value(ontology, OWL.versionInfo) == Literal("0.1.0")


def test_every_term_is_a_class_or_property(onto: Graph) -> None:
    untyped = sorted(
        t for t in _bg_terms(onto) if not any((t, RDF.type, ty) in onto for ty in TERM_TYPES)
    )
    assert untyped == []


@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment])
def test_every_term_has_swedish_and_english_text(onto: Graph, predicate: URIRef) -> None:
    missing = []
    for term in sorted(_bg_terms(onto)):
        languages = sorted(
            o.language for o in onto.objects(term, predicate) if isinstance(o, Literal)
        )
        if languages != ["en", "sv"]:
            missing.append((term.split("#")[1], languages))
    assert missing == []


def test_vocab_and_ontology_list_the_same_terms(onto: Graph) -> None:
    in_vocab = {str(t) for t in dir(BG)}
    in_ontology = {str(t) for t in _bg_terms(onto)}
    assert sorted(in_vocab - in_ontology) == []
    assert sorted(in_ontology - in_vocab) == []


def test_misspelt_term_fails() -> None:
    with pytest.raises(AttributeError):
        BG.Recomendation  # noqa: B018


def _external_namespaces() -> list[type]:
    return [
        ns
        for name in vocab.__all__
        if isinstance(ns := getattr(vocab, name), type)
        and issubclass(ns, rdflib_namespace.DefinedNamespace)
        and ns is not BG
    ]


def test_every_external_term_in_the_ontology_is_declared(onto: Graph) -> None:
    """A typo in an alignment (eli:passedBy for eli:passed_by) must not go unnoticed."""
    namespaces = _external_namespaces()
    undeclared = []
    for term in sorted({t for triple in onto for t in triple if isinstance(t, URIRef)}):
        if str(term).startswith("https://beslutsgraf.se/"):  # ours, incl. the ontology IRI
            continue
        owner = [ns for ns in namespaces if term.startswith(str(ns))]
        if not owner or term not in owner[0]:
            undeclared.append(str(term))
    assert undeclared == []


def test_alignments(onto: Graph) -> None:
    """The alignments the design relies on (a spot check, not a copy of the file)."""
    assert (BG.Document, RDFS.subClassOf, vocab.ELI.Work) in onto
    assert (BG.Decision, RDFS.subClassOf, vocab.BESLUIT.Besluit) in onto
    assert (BG.Body, RDFS.subClassOf, vocab.ORG.OrganizationalUnit) in onto
    assert (BG.Span, RDFS.subClassOf, vocab.OA.TextPositionSelector) in onto
    assert (BG.ExtractionActivity, RDFS.subClassOf, vocab.PROV.Activity) in onto
    assert (BG.Role, RDFS.subClassOf, vocab.SKOS.Concept) in onto
    assert (BG.cites, RDFS.subPropertyOf, vocab.DCTERMS.references) in onto
    assert (BG.decidedBy, RDFS.subPropertyOf, vocab.ELI.passed_by) in onto
    assert (BG.subBodyOf, RDFS.subPropertyOf, vocab.ORG.subOrganizationOf) in onto


def test_document_kinds_are_subclasses_of_document(onto: Graph) -> None:
    kinds = {s.split("#")[1] for s in onto.subjects(RDFS.subClassOf, BG.Document)}
    assert kinds == {
        "Tjansteskrivelse",
        "Tjansteutlatande",
        "Protokoll",
        "Protokollsutdrag",
        "Kallelse",
        "Foredragningslista",
        "Yttrande",
        "Namndinitiativ",
        "Motion",
        "Medborgarforslag",
        "Skrivelse",
        "Interpellation",
        "Beslutshandling",
        "Revisionsrapport",
        "Missiv",
    }
    assert (BG.Remissvar, RDFS.subClassOf, BG.Yttrande) in onto


def test_shapes_parse_and_target_ontology_classes(onto: Graph) -> None:
    shapes = shapes_graph()
    targets = set(shapes.objects(None, SH.targetClass))
    assert BG.Fact in targets and BG.Span in targets and BG.Document in targets
    not_in_ontology = sorted(t for t in targets if (t, RDF.type, OWL.Class) not in onto)
    assert not_in_ontology == []
    # every bg: term a shape mentions exists in the ontology
    used = {
        t for triple in shapes for t in triple if isinstance(t, URIRef) and t.startswith(str(BG))
    }
    assert sorted(used - _bg_terms(onto)) == []
