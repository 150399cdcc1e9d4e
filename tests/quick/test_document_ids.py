"""One document id everywhere: the search passages, the graph IRIs and the web links all
derive it from the file name through ``uris.document_slug``, whatever the name holds."""

from __future__ import annotations

import pytest

from beslutsgraf.extract.pipeline import extract_text
from beslutsgraf.graph import uris
from beslutsgraf.index.passages import make_chunks

BASE = "https://example.org/id/"
AWKWARD = {
    "Protokoll KS 2024-03-12.pdf": "protokoll-ks-2024-03-12",
    "Tjänsteskrivelse Årsta–Vantör.docx": "tjansteskrivelse-arsta-vantor",
    "KS 2024.03.12.txt": "ks-2024-03-12",
    "§ 14 Beslut om budget.txt": "14-beslut-om-budget",
    "UPPER CASE.TXT": "upper-case",
    "a.b.c.md": "a-b-c",
    "000_3c3574245795578f.txt": "000_3c3574245795578f",
    "Ö.html": "o",
}


@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_slug_of_awkward_file_names(name: str) -> None:
    assert uris.document_slug(name) == AWKWARD[name]


@pytest.mark.parametrize("name", sorted(AWKWARD))
def test_document_iri_round_trip(name: str) -> None:
    doc = uris.document_slug(name)
    iri = uris.mint("document", base=BASE, document=name)
    # minting from the file name and from the id (as search hits carry it) agree
    assert iri == uris.mint("document", base=BASE, document=doc) == BASE + "dokument/" + doc
    parsed = uris.parse(iri, base=BASE)
    assert parsed.kind == "document" and parsed.parts["document"] == doc
    assert uris.mint(parsed.kind, base=BASE, **parsed.parts) == iri
    graph = uris.mint("graph", base=BASE, document=doc)
    assert uris.parse(graph, base=BASE).parts["document"] == doc
    assert uris.local_path(iri, base=BASE) == "dokument/" + doc
    assert uris.from_relative("dokument/" + doc, base=BASE) == iri


@pytest.mark.parametrize("name", ["Protokoll KS 2024.03.12.txt", "§ 14 Årsta.md"])
def test_passages_carry_the_id_of_the_document_iri(name: str) -> None:
    ex = extract_text("Tjänsteskrivelse\nKommunstyrelsen\n\nSammanfattning\nEtt kort ärende.", source=name)
    chunks = make_chunks(ex)
    assert chunks and {c.document for c in chunks} == {uris.document_slug(name)}
    assert all(c.id.startswith(uris.document_slug(name) + "#") for c in chunks)
    iri = uris.mint("document", base=BASE, document=chunks[0].document)
    assert iri == uris.mint("document", base=BASE, document=name)


def test_local_path_refuses_what_is_not_ours() -> None:
    assert uris.local_path("https://beslutsgraf.se/ontology#Body", base=BASE) is None
    for bad in ("", "/", "organ/../x", "a//b", "https://other.org/x"):
        with pytest.raises(uris.IriError):
            uris.from_relative(bad, base=BASE)
