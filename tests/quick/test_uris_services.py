"""The IRI helpers the services use instead of string surgery: each reads back what ``mint`` made."""

from __future__ import annotations

import pytest

from beslutsgraf.graph import uris

BASE = "https://example.org/id/"


def test_kind_of_reads_our_iris_and_none_for_others() -> None:
    assert uris.kind_of(uris.mint("case", base=BASE, municipality="Malmö", number="STK-2018-885"), base=BASE) == "case"
    assert uris.kind_of(uris.mint("referenced_decision", base=BASE, document="a_b", ordinal=2), base=BASE) == "referenced_decision"
    assert uris.kind_of("https://beslutsgraf.se/ontology#Body", base=BASE) is None
    assert uris.kind_of(BASE + "nothing/here", base=BASE) is None


def test_relative_and_from_relative_round_trip() -> None:
    iri = uris.mint("case", base=BASE, municipality="Stockholm", number="KS 2021/317")
    assert uris.relative(iri, base=BASE) == "arende/stockholm/KS+2021_317"
    assert uris.from_relative("arende/stockholm/KS+2021_317", base=BASE) == iri
    assert uris.relative("https://other.org/x", base=BASE) == "https://other.org/x"
    with pytest.raises(uris.IriError):
        uris.from_relative("https://other.org/x", base=BASE)


def test_document_id_and_case_id() -> None:
    doc = uris.mint("document", base=BASE, document="004_d69471dc42ee4681.txt")
    assert uris.document_id(doc, base=BASE) == "004_d69471dc42ee4681"
    assert uris.mint("document", base=BASE, document=uris.document_id(doc, base=BASE)) == doc
    case = uris.mint("case", base=BASE, municipality="Malmö", number="3.1.3-91/2019")
    assert uris.case_id(case, base=BASE) == "malmo/3.1.3-91_2019"
    assert uris.from_relative("arende/" + uris.case_id(case, base=BASE), base=BASE) == case
    with pytest.raises(uris.IriError):
        uris.document_id(case, base=BASE)
    with pytest.raises(uris.IriError):
        uris.case_id(doc, base=BASE)


def test_graph_of_document_round_trip() -> None:
    doc = uris.mint("document", base=BASE, document="000_3c35")
    graph = uris.graph_of_document(doc, base=BASE)
    assert graph == BASE + "graf/000_3c35"
    assert uris.document_of_graph(graph, base=BASE) == doc
    with pytest.raises(uris.IriError):
        uris.document_of_graph(doc, base=BASE)
