"""Building the real corpus into a real store: skip, replace, remove, fail, collide."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from beslutsgraf.build import BuildEvent, BuildReport, build
from beslutsgraf.config import load_settings
from beslutsgraf.errors import SourceError
from beslutsgraf.graph.store import DataDir

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SOURCES = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the corpus that a test may change."""
    return Path(shutil.copytree(CORPUS, tmp_path / "corpus"))


@pytest.fixture
def data(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


def _build(corpus: Path, data: DataDir, **settings: object) -> BuildReport:
    return build(corpus, settings=load_settings(data_dir=str(data.path), **settings))


def _graphs(data: DataDir) -> dict[str, int]:
    """Quads per named graph in the serving store."""
    with data.open_reader() as reader:
        rows = reader.store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        return {r["g"].value: int(r["n"].value) for r in rows}


def _graph_of(data: DataDir, source: str) -> str:
    return data.read_manifest().sources[source].graph


def _file_state(data: DataDir) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(data.graphs_dir.iterdir())
    }


def test_build_corpus(corpus: Path, data: DataDir) -> None:
    assert len(SOURCES) == 5
    events: list[BuildEvent] = []
    report = build(corpus, settings=load_settings(data_dir=str(data.path)), progress=events.append)
    assert [o.source for o in report.added] == SOURCES
    assert not report.failed and not report.updated and not report.removed
    assert report.committed and report.generation == "store-1" and data.current() == "store-1"

    manifest = data.read_manifest()
    graphs = _graphs(data)
    assert len(graphs) == 6  # five documents + the ontology
    assert manifest.ontology is not None and manifest.ontology["graph"] in graphs
    for source in SOURCES:
        entry = manifest.sources[source]
        assert graphs[entry.graph] == entry.triples > 100
        assert (data.path / entry.file).is_file()
        assert len(entry.sha256) == 64
    with data.open_reader() as reader:
        assert len(reader) == report.triples == manifest.triples
    # progress reached the end of each stage
    last = {e.stage: e for e in events}
    assert last["extract"].done == last["extract"].total == 5
    assert last["store"].done == last["store"].total


def test_rebuild_unchanged_changes_nothing(corpus: Path, data: DataDir) -> None:
    first = _build(corpus, data)
    manifest_bytes = data.manifest_path.read_bytes()
    files = _file_state(data)
    second = _build(corpus, data)
    assert [o.source for o in second.unchanged] == SOURCES
    assert not second.committed
    assert data.current() == "store-1" and data.generations() == ["store-1"]
    assert second.triples == first.triples
    assert data.manifest_path.read_bytes() == manifest_bytes
    assert _file_state(data) == files


def test_changed_document_replaces_only_its_graph(corpus: Path, data: DataDir) -> None:
    _build(corpus, data)
    before_graphs = _graphs(data)
    before_files = _file_state(data)
    changed = SOURCES[3]
    path = corpus / changed
    path.write_text(
        path.read_text(encoding="utf-8") + "\nÄrendet kompletterades 2025-02-03.\n",
        encoding="utf-8",
    )

    report = _build(corpus, data)
    assert [o.source for o in report.updated] == [changed]
    assert [o.source for o in report.unchanged] == [s for s in SOURCES if s != changed]
    assert report.committed and report.incremental
    assert data.current() == "store-2" and data.generations() == ["store-2"]

    after_graphs = _graphs(data)
    changed_graph = _graph_of(data, changed)
    for graph, n in before_graphs.items():
        if graph != changed_graph:
            assert after_graphs[graph] == n
    after_files = _file_state(data)
    changed_file = Path(data.read_manifest().sources[changed].file).name
    for name, state in before_files.items():
        if name != changed_file:
            assert after_files[name] == state  # not even rewritten
    assert after_files[changed_file] != before_files[changed_file]
    with data.open_reader() as reader:
        ask = (
            f"ASK {{ GRAPH <{changed_graph}> "
            '{ ?d ?p ?t FILTER(CONTAINS(STR(?t), "kompletterades")) } }'
        )
        assert bool(reader.query(ask))


def test_removed_document_graph_is_gone(corpus: Path, data: DataDir) -> None:
    _build(corpus, data)
    gone = SOURCES[1]
    graph = _graph_of(data, gone)
    file = data.path / data.read_manifest().sources[gone].file
    (corpus / gone).unlink()

    report = _build(corpus, data)
    assert [o.source for o in report.removed] == [gone]
    assert report.committed
    assert graph not in _graphs(data)
    assert gone not in data.read_manifest().sources
    assert not file.exists()
    with data.open_reader() as reader:
        assert len(reader) == report.triples == data.read_manifest().triples


def test_bad_files_are_reported_and_nothing_is_lost(corpus: Path, data: DataDir) -> None:
    _build(corpus, data)
    before = _graphs(data)
    (corpus / "tom.txt").write_bytes(b"")
    (corpus / "binar.txt").write_bytes(bytes(range(256)) * 20)
    broken = SOURCES[0]
    (corpus / broken).write_bytes(b"   \n\n  \n")  # was a good document: its graph must stay

    report = _build(corpus, data)
    failed = {o.source: o.message or "" for o in report.failed}
    assert set(failed) == {"tom.txt", "binar.txt", broken}
    assert "empty" in failed["tom.txt"]
    assert "binary" in failed["binar.txt"]
    assert "empty" in failed[broken] and "previous graph kept" in failed[broken]
    assert [o.source for o in report.unchanged] == SOURCES[1:]
    # Nothing changed in the store, so no new generation, and every graph is still there.
    assert not report.committed and data.current() == "store-1"
    assert _graphs(data) == before
    manifest = data.read_manifest()
    assert manifest.sources[broken].status == "stale"
    assert set(manifest.failures) == {"tom.txt", "binar.txt"}

    # Fixing the file brings it back to "ok"; the bad ones are still reported.
    shutil.copy(CORPUS / broken, corpus / broken)
    again = _build(corpus, data)
    assert {o.source for o in again.failed} == {"tom.txt", "binar.txt"}
    assert data.read_manifest().sources[broken].status == "ok"


def test_bad_files_in_a_first_build(corpus: Path, data: DataDir) -> None:
    (corpus / "tom.md").write_text("\n \n", encoding="utf-8")
    report = _build(corpus, data)
    assert [o.source for o in report.failed] == ["tom.md"]
    assert report.failed[0].message == "file is empty"
    assert [o.source for o in report.added] == SOURCES


def test_name_collision_is_reported_and_the_first_is_built(corpus: Path, data: DataDir) -> None:
    (corpus / "sub").mkdir()
    twin = f"sub/{Path(SOURCES[2]).stem.upper()}.md"
    shutil.copy(CORPUS / SOURCES[2], corpus / twin)

    report = _build(corpus, data)
    assert [o.source for o in report.failed] == [twin]
    message = report.failed[0].message or ""
    assert "name collision" in message and twin in message and SOURCES[2] in message
    assert [o.source for o in report.added] == SOURCES
    assert data.read_manifest().sources[SOURCES[2]].source == SOURCES[2]


def test_error_before_the_switch_keeps_the_previous_store(corpus: Path, data: DataDir) -> None:
    _build(corpus, data)
    before = _graphs(data)
    manifest_bytes = data.manifest_path.read_bytes()
    (corpus / SOURCES[4]).unlink()
    changed = corpus / SOURCES[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nKompletterat i juni.\n", "utf-8")

    def fail_while_storing(event: BuildEvent) -> None:
        if event.stage == "store":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        build(corpus, settings=load_settings(data_dir=str(data.path)), progress=fail_while_storing)
    assert data.current() == "store-1" and data.generations() == ["store-1"]
    assert data.manifest_path.read_bytes() == manifest_bytes
    assert _graphs(data) == before

    # The next build completes both changes, although the changed document's new graph
    # file was already written by the build that failed.
    report = _build(corpus, data)
    assert [o.source for o in report.removed] == [SOURCES[4]]
    assert [o.source for o in report.updated] == [SOURCES[3]]
    assert data.current() == "store-2"
    graph = _graph_of(data, SOURCES[3])
    with data.open_reader() as reader:
        q = f'ASK {{ GRAPH <{graph}> {{ ?d ?p ?t FILTER(CONTAINS(STR(?t), "i juni")) }} }}'
        assert bool(reader.query(q))


def test_changed_graph_settings_rebuild_every_document(corpus: Path, data: DataDir) -> None:
    _build(corpus, data)
    report = _build(corpus, data, base_iri="https://example.org/id/")
    assert [o.source for o in report.updated] == SOURCES
    assert report.committed and not report.incremental
    graphs = _graphs(data)
    assert all(g.startswith("https://example.org/id/") for g in graphs if "ontology" not in g)


def test_missing_corpus_is_a_source_error(tmp_path: Path, data: DataDir) -> None:
    with pytest.raises(SourceError, match="corpus folder not found"):
        _build(tmp_path / "nope", data)


def test_parallel_build_gives_the_same_graphs(tmp_path: Path) -> None:
    """Worker processes (>= PARALLEL_MIN_DOCS documents) write byte-identical graph files."""
    from beslutsgraf.build import PARALLEL_MIN_DOCS

    corpus = tmp_path / "many"
    corpus.mkdir()
    seeds = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    for i in range(PARALLEL_MIN_DOCS):
        stem, text = seeds[i % len(seeds)]
        (corpus / f"{i:03d}_{stem}.txt").write_text(f"{text}\n\nKopia {i}.\n", encoding="utf-8")
    files = {}
    for workers in (1, 2):
        data = DataDir(tmp_path / f"data-{workers}")
        settings = load_settings(data_dir=str(data.path), validate=False)
        report = build(corpus, settings=settings, workers=workers)
        assert len(report.added) == PARALLEL_MIN_DOCS and not report.failed
        files[workers] = {p.name: p.read_bytes() for p in data.graphs_dir.iterdir()}
    assert files[1] == files[2]
