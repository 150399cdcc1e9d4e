"""Fixtures of the formats tier: the real PDFs of ../shared/real-docs, read once each."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REAL_DOCS

from beslutsgraf.extract.pipeline import extract_file
from beslutsgraf.model import Extraction


def real_doc(name: str) -> Path:
    """A real PDF by file name; its absence is a failure that says where it was looked for."""
    path = REAL_DOCS / name
    if not path.is_file():
        pytest.fail(
            f"{path} not found: the real PDFs live in ../shared/real-docs beside the checkout "
            "(or set BESLUTSGRAF_REAL_DOCS)"
        )
    return path


_EXTRACTED: dict[str, Extraction] = {}


@pytest.fixture(scope="session")
def extracted():
    """``extracted(name)``: the extraction of a real PDF, done once per session."""

    def get(name: str) -> Extraction:
        if name not in _EXTRACTED:
            _EXTRACTED[name] = extract_file(real_doc(name))
        return _EXTRACTED[name]

    return get
