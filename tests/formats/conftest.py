"""Fixtures of the formats tier: the real PDFs of ../shared/real-docs, read once each."""

from __future__ import annotations

import pytest
from support import extracted_once, real_doc

from beslutsgraf.model import Extraction


@pytest.fixture(scope="session")
def extracted():
    """``extracted(name)``: the extraction of a real PDF, done once per session."""

    def get(name: str) -> Extraction:
        return extracted_once(real_doc(name))

    return get
