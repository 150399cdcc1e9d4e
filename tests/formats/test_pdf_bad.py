"""Bad PDFs are refused by name with a one-line reason; limits are settings."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from support import real_doc

from beslutsgraf.errors import SourceError
from beslutsgraf.text.sources import ReadLimits, read_source


def _blank_pdf(path: Path, pages: int) -> Path:
    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(200, 200)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    path.write_bytes(buf.getvalue())
    return path


def _refusal(path: Path, **limits) -> str:
    with pytest.raises(SourceError) as err:
        read_source(path, limits=ReadLimits(**limits))
    message = str(err.value)
    assert path.name in message and "\n" not in message
    return message


def test_truncated_pdf(tmp_path):
    data = real_doc("hogsby_ks-protokoll_2007.pdf").read_bytes()
    path = tmp_path / "trunkerad.pdf"
    path.write_bytes(data[: len(data) // 3])
    assert "not a readable PDF (corrupt or truncated)" in _refusal(path)


def test_zero_pages(tmp_path):
    assert "the PDF has no pages" in _refusal(_blank_pdf(tmp_path / "tom.pdf", 0))


def test_page_bomb_is_refused_by_the_page_limit(tmp_path):
    path = _blank_pdf(tmp_path / "bomb.pdf", 3001)
    assert "3001 pages, over the limit of 2000 (setting max_pdf_pages)" in _refusal(path)
    assert "over the limit of 100" in _refusal(path, max_pages=100)


def test_blank_pages_are_no_text_not_ocr(tmp_path):
    # a PDF of blank pages has nothing to read: refused as empty, without running OCR
    assert "no text found in the file" in _refusal(_blank_pdf(tmp_path / "blank.pdf", 3))


def test_extension_that_lies(tmp_path):
    path = tmp_path / "protokoll.pdf"
    path.write_text("Kommunstyrelsen beslutar att godkänna.", encoding="utf-8")
    assert "named .pdf but it is not a PDF file (it starts with 'Kommunstyrel')" in _refusal(path)


def test_pdf_named_txt_is_read_as_pdf_with_a_warning(tmp_path):
    path = tmp_path / "protokoll.txt"
    path.write_bytes(real_doc("hogsby_ks-protokoll_2007.pdf").read_bytes())
    src = read_source(path)
    assert src.media_type == "application/pdf" and src.page_count == 14
    assert src.warnings[0] == "named .txt but its content is a PDF; read as that"


def test_image_over_the_pixel_limit_is_not_ocrd():
    # Helsingborg's scanned pages hold 300 dpi A4 scans (about 8.7 megapixels)
    src = read_source(
        real_doc("helsingborg_sbf-samsynsguiden-riktlinje_2023.pdf"), limits=ReadLimits(max_page_megapixels=1.0)
    )
    assert src.ocr_pages == ()
    assert any("page 103: no text layer, and an image on it is over 1 megapixels" in w for w in src.warnings)


def test_ocr_turned_off_warns_per_page():
    src = read_source(real_doc("helsingborg_sbf-samsynsguiden-riktlinje_2023.pdf"), limits=ReadLimits(ocr=False))
    assert src.ocr_pages == ()
    assert "page 103: no text layer, not read again: OCR is turned off (setting ocr)" in src.warnings


def _pages_at_once_in_a_worker() -> int:
    from beslutsgraf.text.ocr import pages_at_once

    return pages_at_once()


def test_pages_are_ocrd_at_once_with_the_same_outcome_as_in_turn(monkeypatch):
    """Up to one Tesseract per core reads one document's pages (one in a worker process,
    whose pool fills the cores already); the text, the OCR pages and the warnings are
    those of reading the pages in turn."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from beslutsgraf.text import pdf
    from beslutsgraf.text.ocr import pages_at_once

    assert pages_at_once() == len(os.sched_getaffinity(0))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_pages_at_once_in_a_worker).result() == 1

    path = real_doc("nykarleby-fi_ungdomsfullmaktige-protokoll_2023-05.pdf")
    monkeypatch.setattr(pdf, "pages_at_once", lambda: 3)
    at_once = read_source(path)
    monkeypatch.setattr(pdf, "pages_at_once", lambda: 1)
    in_turn = read_source(path)
    assert at_once.ocr_pages == in_turn.ocr_pages == (6, 9, 11)
    assert at_once.text == in_turn.text
    assert at_once.warnings == in_turn.warnings
