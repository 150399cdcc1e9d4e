"""Fixtures of the formats tier: the real PDFs of ../shared/real-docs, read once each."""

from __future__ import annotations

import pytest
from support import real_doc

from beslutsgraf.extract.pipeline import extract_file
from beslutsgraf.model import Extraction

_EXTRACTED: dict[str, Extraction] = {}


@pytest.fixture(scope="session")
def extracted():
    """``extracted(name)``: the extraction of a real PDF, done once per session."""

    def get(name: str) -> Extraction:
        if name not in _EXTRACTED:
            _EXTRACTED[name] = extract_file(real_doc(name))
        return _EXTRACTED[name]

    return get
