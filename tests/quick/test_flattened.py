"""Every test document and its flattened form give the same facts, span for span.

Over half of real documents reach us as text that lost its line breaks (a PDF converter
or a web mirror writes one long line; ``../shared/GENRE.md``).  Flattening here does what
they do to the document as it is stored (normalised): every line break and form feed
becomes a space, so the text keeps its length and every span its offsets.  Extraction reads a layout view that is the same for both
(``text/layout.py``), so each fact must come back at the same offsets with the same
values.  Two things are left out, as they are read from the stored lines on purpose: the
title (shown as the document writes it; its span is compared) and the sections used for
passages (the view's own sections are compared through every fact they gate).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flat_facts import _facts, flatten
from support import CORPUS, ROOT

from beslutsgraf.extract.pipeline import extract_text
from beslutsgraf.text.normalize import normalize_text

DOCUMENTS = sorted(
    [*CORPUS.glob("*.txt"), *(ROOT / "tests" / "examples").glob("*.txt"),
     *(ROOT / "tests" / "heldout").glob("*.txt"), *(ROOT / "tests" / "devset" / "dev").glob("*.txt"),
     *(ROOT / "tests" / "devset" / "untouched").glob("*.txt")]
)
def test_there_are_documents_of_every_set() -> None:
    assert len(DOCUMENTS) >= 80, len(DOCUMENTS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_flattened_text_gives_the_same_facts(path: Path) -> None:
    stored = normalize_text(path.read_text(encoding="utf-8")).text
    flat = flatten(stored)
    assert "\n" not in flat and len(flat) == len(stored)
    assert normalize_text(flat).text == flat  # so both are read at the same offsets
    original = _facts(extract_text(stored, source=path.name))
    flattened = _facts(extract_text(flat, source=path.name))
    for key in original:
        assert flattened[key] == original[key], f"{path.name}: {key} differ"
