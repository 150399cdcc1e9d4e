"""The search index is built with the graph and committed by the same switch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beslutsgraf.build import BuildEvent, build
from beslutsgraf.config import load_settings
from beslutsgraf.graph.store import DataDir
from beslutsgraf.services.search import SearchError, SearchQuery, open_search

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SOURCES = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CORPUS, tmp_path / "corpus"))


def _settings(data: Path):
    return load_settings(data_dir=str(data))


def test_index_follows_the_corpus(corpus: Path, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    first = build(corpus, settings=_settings(data.path))
    assert first.index == "index-1" and first.embedded + first.skipped == first.index_chunks > 50
    assert 1 <= first.skipped <= 5  # the signature lists of the nämndinitiativ and the like
    hits = open_search(_settings(data.path)).search(SearchQuery("STK-2017-284")).hits
    assert hits[0].source == "002_a82cb0acb981a939.txt"

    # unchanged corpus: same index folder, nothing embedded
    again = build(corpus, settings=_settings(data.path))
    assert again.index == "index-1" and again.index_chunks == 0

    # one changed document: a new index, only its new passage embedded (a sentence, not a
    # fragment too short to embed), old folder gone
    changed = corpus / SOURCES[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nKompletterat med en båtklubbsborgen, som föreningen har sökt bidrag till efter samråd med nämnden.\n", "utf-8")
    third = build(corpus, settings=_settings(data.path))
    assert third.index == "index-2" and 1 <= third.embedded <= 2
    assert not (data.path / "index-1").exists()
    assert open_search(_settings(data.path)).search(SearchQuery("båtklubbsborgen")).hits[0].source == SOURCES[3]

    # removed document: gone from the search too
    (corpus / SOURCES[1]).unlink()
    build(corpus, settings=_settings(data.path))
    service = open_search(_settings(data.path))
    assert SOURCES[1] not in {c.source for c in service.index.chunks}
    assert not (data.path / "chunks" / (Path(SOURCES[1]).stem + ".jsonl")).exists()


def test_failed_build_keeps_the_previous_index_serving(corpus: Path, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    build(corpus, settings=_settings(data.path))
    manifest = data.manifest_path.read_bytes()
    (corpus / SOURCES[0]).write_text("Ny text om gatubelysning.\n\nHelt annat innehåll.", "utf-8")

    def fail_while_storing(event: BuildEvent) -> None:
        if event.stage == "store":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        build(corpus, settings=_settings(data.path), progress=fail_while_storing)
    assert data.manifest_path.read_bytes() == manifest
    service = open_search(_settings(data.path))
    assert service.search(SearchQuery("gatubelysning", mode="lexical")).hits == []
    # the next build sweeps the orphaned index folder and serves the new text
    report = build(corpus, settings=_settings(data.path))
    assert sorted(p.name for p in data.path.glob("index-*")) == [report.index]
    assert open_search(_settings(data.path)).search(SearchQuery("gatubelysning", mode="lexical")).hits


def test_search_before_any_build_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="run `beslutsgraf build`"):
        open_search(_settings(tmp_path / "nothing"))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "beslutsgraf", *args], capture_output=True, text=True, timeout=300, check=False)


def test_cli_search_json_contract_and_errors(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _cli("build", str(corpus), "--data-dir", str(data), "--quiet").returncode == 0
    proc = _cli("search", "vilka nämnder fick rekommendationer om våldsbejakande extremism", "--json",
                "--limit", "3", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stderr
    hits = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(hits) == 3
    for h in hits:
        assert {"source", "document", "section", "snippet", "score"} <= set(h)
    assert {h["source"] for h in hits} >= {"000_3c3574245795578f.txt", "001_e1b0bc157f42c3af.txt"}

    for args, message in [
        (("search", "CTC", "--municipality", "Atlantis"), "known values: Malmö, Stockholm"),
        (("search", "CTC", "--from", "2024-02-30"), "YYYY-MM-DD"),
        (("search", "x" * 10_000), "at most 1000"),
        (("search", ""), "empty query"),
        (("search", "CTC", "--mode", "fuzzy"), "fuzzy"),
    ]:
        proc = _cli(*args, "--data-dir", str(data))
        assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr
        assert message in proc.stderr, proc.stderr

    human = _cli("search", "CTC överföring medel", "--data-dir", str(data))
    assert human.returncode == 0 and "Överföring av medel, CTC" in human.stdout

    ev = _cli("eval", "--data-dir", str(data))
    assert ev.returncode == 0 and "hybrid" in ev.stdout and "nDCG@10" in ev.stdout


def test_search_error_type_is_a_beslutsgraf_error() -> None:
    from beslutsgraf.errors import BeslutsgrafError

    assert issubclass(SearchError, BeslutsgrafError)
