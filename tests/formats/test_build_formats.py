"""A corpus of PDFs beside text files: built with page provenance, bad files refused by
name, and the pages shown and linked in the web application."""

from __future__ import annotations

import re
import shutil

import pytest
from support import CORPUS, FORMAT_FIXTURES, real_doc


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory):
    from beslutsgraf.build import build
    from beslutsgraf.config import load_settings

    root = tmp_path_factory.mktemp("formats")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "001_e1b0bc157f42c3af.txt", corpus)
    shutil.copy(real_doc("hogsby_ks-protokoll_2007.pdf"), corpus / "hogsby.pdf")
    data = real_doc("hogsby_ks-protokoll_2007.pdf").read_bytes()
    (corpus / "trasig.pdf").write_bytes(data[: len(data) // 3])
    (corpus / "ljuger.pdf").write_text("Kommunstyrelsen beslutar.", encoding="utf-8")
    for name in ("protokoll-scanned.pdf", "tjansteskrivelse.docx", "protokoll.html"):
        shutil.copy(FORMAT_FIXTURES / name, corpus / name)
    shutil.copy(FORMAT_FIXTURES / "bad" / "encrypted.pdf", corpus / "krypterad.pdf")
    settings = load_settings(data_dir=str(root / "data"))
    events = []
    report = build(corpus, settings=settings, workers=1, progress=events.append)
    report.events = events  # for the progress test
    return settings, report


def test_progress_counts_pages(pdf_build):
    """The extraction bar counts pages: a 14-page PDF weighs 14, a text file 1, and a file
    that cannot be opened as a PDF 1 (it fails later, by name)."""
    _settings, report = pdf_build
    extract = [e for e in report.events if e.stage == "extract"]
    # txt 1, Högsby 14, two bad PDFs 1 each, the scan 5, DOCX 1, HTML 1, encrypted 1
    assert {e.total for e in extract} == {1 + 14 + 1 + 1 + 5 + 1 + 1 + 1}
    assert extract[-1].done == extract[-1].total


def test_bad_pdfs_fail_by_name_and_the_rest_is_built(pdf_build):
    _settings, report = pdf_build
    outcomes = {o.source: o for o in report.outcomes}
    assert outcomes["hogsby.pdf"].status == "added"
    assert outcomes["001_e1b0bc157f42c3af.txt"].status == "added"
    assert outcomes["trasig.pdf"].status == "failed"
    assert outcomes["trasig.pdf"].message.endswith("not a readable PDF (corrupt or truncated)")
    assert outcomes["ljuger.pdf"].status == "failed"
    assert "named .pdf but it is not a PDF file" in outcomes["ljuger.pdf"].message
    assert outcomes["krypterad.pdf"].message.endswith("the PDF is encrypted (password protected); decrypt it first")
    for name in ("protokoll-scanned.pdf", "tjansteskrivelse.docx", "protokoll.html"):
        assert outcomes[name].status == "added", name


def test_spans_know_their_page_in_the_graph(pdf_build):
    from beslutsgraf.graph.store import DataDir

    settings, _ = pdf_build
    query = """
        PREFIX bg: <https://beslutsgraf.se/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?page WHERE { GRAPH ?g {
            ?s oa:exact ?exact ; bg:page ?page ; bg:inDocument ?d .
            ?d bg:sourceFile "hogsby.pdf" ; bg:pageCount 14 ; bg:mediaType "application/pdf" . } }"""
    with DataDir(settings.data_path).open_reader() as reader:
        rows = {(str(r["exact"].value), int(r["page"].value)) for r in reader.store.query(query)}
    assert ("KF/2006.437", 11) in rows
    assert ("Ewa Engdahl", 1) in rows
    assert all(1 <= page <= 14 for _e, page in rows)


def test_web_shows_pages_and_serves_the_original(pdf_build):
    from fastapi.testclient import TestClient

    from beslutsgraf.web.app import create_app

    settings, _ = pdf_build
    with TestClient(create_app(settings), raise_server_exceptions=False) as web:
        page = web.get("/id/dokument/hogsby")
        assert page.status_code == 200
        original = re.search(r'id="original-link" href="(/original/[0-9a-f]{64}\.pdf)"', page.text).group(1)
        assert "14 sidor" in page.text
        assert f'href="{original}#page=11"' in page.text  # KS § 9, DNR: KF/2006.437
        pdf = web.get(original)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content == real_doc("hogsby_ks-protokoll_2007.pdf").read_bytes()
        assert web.get("/original/" + "0" * 64 + ".pdf").status_code == 404
        assert web.get("/original/..%2F..%2Fmanifest.json").status_code == 404
        scanned = web.get("/id/dokument/protokoll-scanned")
        assert scanned.status_code == 200 and "5 sidor" in scanned.text and "#page=3" in scanned.text
        docx_page = web.get("/id/dokument/tjansteskrivelse")
        original = re.search(r'id="original-link" href="(/original/[0-9a-f]{64}\.docx)"', docx_page.text).group(1)
        download = web.get(original)
        assert download.headers["content-disposition"].startswith("attachment")
        html_page = web.get("/id/dokument/protokoll")
        html_original = re.search(r'href="(/original/[0-9a-f]{64}\.html)"', html_page.text).group(1)
        served = web.get(html_original)
        assert served.headers["content-disposition"].startswith("attachment")
        assert served.headers["content-security-policy"].startswith("sandbox")
        hits = web.get("/api/search", params={"q": "socialutskott", "mode": "lexical"}).json()["hits"]
        assert hits[0]["source"] == "hogsby.pdf" and hits[0]["page"] == 6
        assert "· s. 6" in web.get("/sok", params={"q": "socialutskott"}).text
