"""The real PDFs and the format fixtures give the same facts once their text is
flattened (every line break a space), as tests/quick/test_flattened.py requires of the
plain-text test documents: what a PDF reader's line breaks add must not be needed."""

from __future__ import annotations

import pytest
from flat_facts import _facts, flatten
from support import FORMAT_FIXTURES, REAL_DOCS, format_fixture

from beslutsgraf.extract.pipeline import extract_text
from beslutsgraf.text.normalize import normalize_text

REAL = sorted(p.name for p in REAL_DOCS.glob("*.pdf")) if REAL_DOCS.is_dir() else []
FIXTURES = sorted(p.name for p in FORMAT_FIXTURES.iterdir() if p.suffix in (".pdf", ".docx", ".html"))


def test_the_real_pdfs_are_there() -> None:
    assert len(REAL) >= 11, f"the real PDFs are read from {REAL_DOCS}"


def _same_facts(ex) -> None:
    flat = flatten(ex.text)
    assert len(flat) == len(ex.text)
    assert normalize_text(ex.text).text == ex.text
    assert normalize_text(flat).text == flat  # so both are read at the same offsets
    original = _facts(extract_text(ex.text, source=ex.source))
    flattened = _facts(extract_text(flat, source=ex.source))
    for key in original:
        assert flattened[key] == original[key], f"{ex.source}: {key} differ"


@pytest.mark.parametrize("name", REAL)
def test_real_pdf_flattened(name: str, extracted) -> None:
    _same_facts(extracted(name))


@pytest.mark.parametrize("name", FIXTURES)
def test_format_fixture_flattened(name: str) -> None:
    _same_facts(format_fixture(name))
