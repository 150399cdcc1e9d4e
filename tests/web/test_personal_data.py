"""The personal-data rule (DESIGN.md) end to end: a personnummer in a source is masked in
the stored text, the graph, the index, the pages, the API and the dumps, with its span
kept; the original file that still holds it is withheld; person pages can be turned off.

A small corpus of its own: a medborgarförslag whose author wrote her personnummer in it,
and a protokollsutdrag naming office holders.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT

PNR = "19811218-9876"  # a valid personnummer (Luhn), as test data uses
SHORT = "8112189876"


@pytest.fixture(scope="module")
def corpus_with_pnr(tmp_path_factory: pytest.TempPathFactory):
    from beslutsgraf.build import build
    from beslutsgraf.config import load_settings

    base = tmp_path_factory.mktemp("pnr")
    corpus = base / "corpus"
    corpus.mkdir()
    text = (ROOT / "tests" / "examples" / "medborgarforslag.txt").read_text(encoding="utf-8")
    text = text.replace("Ingrid Ståhl\n", f"Ingrid Ståhl, {PNR}\n", 1)
    text += f"\nKontakt: personnummer {SHORT}, Klostergården.\n"
    assert PNR in text and SHORT in text
    (corpus / "forslag.txt").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "tests" / "examples" / "malmo_protokollsutdrag.txt", corpus / "utdrag.txt")
    settings = load_settings(data_dir=str(base / "data"))
    report = build(corpus, settings=settings)
    assert not report.failed
    return settings


@pytest.fixture(scope="module")
def client(corpus_with_pnr) -> Iterator:
    from fastapi.testclient import TestClient

    from beslutsgraf.web.app import create_app

    with TestClient(create_app(corpus_with_pnr), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def client_without_person_pages(corpus_with_pnr) -> Iterator:
    from fastapi.testclient import TestClient

    from beslutsgraf.config import load_settings
    from beslutsgraf.web.app import create_app

    settings = load_settings(data_dir=str(corpus_with_pnr.data_path), person_pages=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def _no_pnr(body: str) -> None:
    assert PNR not in body and SHORT not in body and "811218" not in body


def test_extract_masks_and_keeps_the_span(tmp_path: Path) -> None:
    from beslutsgraf.extract.pipeline import extract_text

    raw = f"Medborgarförslag\n\nFrån Ingrid Ståhl ({PNR}) om bänkar. Telefon 0701-23 45 67."
    ex = extract_text(raw)
    _no_pnr(ex.text)
    assert len(ex.text) == len(raw)
    masked = ex.to_json()["masked"]
    assert masked == [{"kind": "personnummer", "start": raw.index(PNR), "end": raw.index(PNR) + len(PNR)}]
    assert ex.text[masked[0]["start"] : masked[0]["end"]] == "XXXXXXXX-XXXX"
    assert "1 personnummer masked in the text" in ex.warnings


def test_nothing_built_holds_the_personnummer(corpus_with_pnr) -> None:
    data = corpus_with_pnr.data_path
    for path in data.rglob("*"):
        if not path.is_file() or path.suffix in (".npy", ".faiss", ".index"):
            continue
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        for needle in (PNR, SHORT):
            assert needle.encode() not in raw, f"{path.relative_to(data)} holds {needle}"


def test_pages_api_search_and_dumps_show_the_mask(client) -> None:
    docs = client.get("/api/documents", params={"limit": 10}).json()["items"]
    forslag = next(d for d in docs if d["source"] == "forslag.txt")
    html = client.get("/id/" + forslag["iri"].split("/id/", 1)[1]).text
    assert "XXXXXXXX-XXXX" in html and "Höjeåstråket" in html
    api = client.get(f"/api/documents/{forslag['id']}").text
    assert "XXXXXXXX-XXXX" in api
    dump = gzip.decompress(client.get("/dump.nq.gz").content).decode()
    assert "Höjeåstråket" in dump
    for body in (
        html,
        api,
        dump,
        str(client.get("/api/search", params={"q": SHORT}).json()["hits"]),  # (the query is echoed)
        client.get("/api/search", params={"q": "personnummer Klostergården"}).text,
        client.get("/sok", params={"q": "personnummer Klostergården"}).text,
    ):
        _no_pnr(body)


def test_the_original_is_withheld_and_the_other_kept(client, corpus_with_pnr) -> None:
    originals = corpus_with_pnr.data_path / "originals"
    names = sorted(p.name for p in originals.iterdir())
    assert sum(n.endswith(".withheld") for n in names) == 1
    assert sum(n.endswith(".txt") for n in names) == 1  # the protokollsutdrag's
    digest = next(n for n in names if n.endswith(".withheld")).split(".")[0]
    r = client.get(f"/original/{digest}.txt")
    assert r.status_code == 404 and "personnummer" in r.text


def test_person_pages_can_be_turned_off(client, client_without_person_pages) -> None:
    persons = client.get("/api/persons").json()
    assert persons["total"] >= 1
    iri = persons["items"][0]["iri"]
    local = "/id/" + iri.split("/id/", 1)[1]
    assert client.get(local).status_code == 200
    assert "/personer" in client.get("/").text

    off = client_without_person_pages
    assert off.get("/personer").status_code == 404
    assert off.get("/api/persons").status_code == 404
    assert off.get(local).status_code == 404
    assert off.get(local, headers={"Accept": "text/turtle"}).status_code == 404
    assert 'href="/personer"' not in off.get("/").text
    docs = off.get("/api/documents", params={"limit": 10}).json()["items"]
    for d in docs:
        page = off.get("/id/" + d["iri"].split("/id/", 1)[1]).text
        assert "/id/person/" not in page
