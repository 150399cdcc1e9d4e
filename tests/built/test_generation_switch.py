"""Store and search index switch together: ``CURRENT`` names both, so a crash between
the manifest and the switch leaves readers on the previous pair, whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from beslutsgraf.build import build
from beslutsgraf.config import load_settings
from beslutsgraf.graph.store import DataDir, ServingReader
from beslutsgraf.services.entities import EntityService
from beslutsgraf.services.search import SearchQuery, open_search

ROOT = Path(__file__).resolve().parents[2]
NEW_DOC = """Tjänsteskrivelse
Kommunstyrelsen

Zebralagret i Lund

Sammanfattning
Kommunstyrelsen föreslås besluta att inrätta ett zebralager vid Stortorget.
"""


def _served_documents(settings) -> tuple[set[str], set[str]]:
    """Documents the search index can return, and those the served store has."""
    service = open_search(settings)
    searchable = {c.document for c in service.index.chunks}
    serving = ServingReader(DataDir(settings.data_path))
    try:
        entities = EntityService(serving.get, base_iri=settings.base_iri)
        stored = {d["id"] for d in entities.documents(limit=200).items}
    finally:
        serving.close()
    return searchable, stored


def test_a_crash_before_the_switch_serves_the_previous_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    settings = load_settings(data_dir=str(tmp_path / "data"))
    build(corpus, settings=settings, workers=1)
    data = DataDir(settings.data_path)
    before = data.serving()
    assert before.store and before.index
    assert (tmp_path / "data" / "CURRENT").read_text().split() == [before.store, before.index]

    (corpus / "zebra.txt").write_text(NEW_DOC, encoding="utf-8")

    def crash(self, store, index):  # the process dies between manifest and CURRENT
        raise OSError("simulated crash before the switch")

    monkeypatch.setattr(DataDir, "switch", crash)
    with pytest.raises(OSError, match="simulated crash"):
        build(corpus, settings=settings, workers=1)
    monkeypatch.undo()

    manifest = data.read_manifest()
    assert (manifest.store, manifest.index) != (before.store, before.index)  # committed on disk
    assert data.serving() == before  # …but not served
    searchable, stored = _served_documents(settings)
    assert "zebra" not in searchable and "zebra" not in stored
    assert searchable == stored
    assert open_search(settings).search(SearchQuery("zebralager", mode="lexical")).total == 0

    # The next build finishes the switch (recovery) and serves both, together.
    report = build(corpus, settings=settings, workers=1)
    assert not report.failed
    after = data.serving()
    assert (after.store, after.index) == (data.read_manifest().store, data.read_manifest().index)
    searchable, stored = _served_documents(settings)
    assert "zebra" in searchable and searchable == stored
    hits = open_search(settings).search(SearchQuery("zebralager", mode="lexical")).hits
    assert hits and hits[0].document == "zebra"
