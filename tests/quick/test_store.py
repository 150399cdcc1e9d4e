"""The store's generations: swap, failure, recovery and readers, on a real Oxigraph store."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from beslutsgraf.errors import StoreError
from beslutsgraf.graph.store import DataDir, GraphEntry, Manifest, StoreReader

EX = "http://example.org/"


def _write_graph(data: DataDir, doc: str, n: int, *, tag: str = "v1") -> GraphEntry:
    """A document graph of ``n`` triples in its own named graph, and its manifest entry."""
    path = data.graph_file(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    graph = f"<{EX}graf/{doc}>"
    lines = [f'<{EX}{doc}/f{i}> <{EX}value> "{tag} {i}" {graph} .\n' for i in range(n)]
    path.write_text("".join(lines), encoding="utf-8")
    st = path.stat()
    return GraphEntry(
        source=f"{doc}.txt",
        document=doc,
        graph=f"{EX}graf/{doc}",
        file=f"graphs/{doc}.nq",
        sha256=tag,
        extractor_version="test",
        triples=n,
        file_size=st.st_size,
        file_mtime_ns=st.st_mtime_ns,
    )


def _commit_full(data: DataDir, manifest: Manifest) -> list[str]:
    with data.build_lock():
        data.recover()
        with data.begin_generation(base=None) as gen:
            gen.bulk_load_files([data.path / e.file for e in manifest.sources.values()])
            return gen.commit(manifest)


def _values(data: DataDir, doc: str) -> set[str]:
    with data.open_reader() as reader:
        q = f"SELECT ?v WHERE {{ GRAPH <{EX}graf/{doc}> {{ ?s <{EX}value> ?v }} }}"
        return {sol["v"].value for sol in reader.query(q)}


@pytest.fixture
def data(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


def test_no_store_yet_is_a_clear_error(data: DataDir) -> None:
    with pytest.raises(StoreError, match="no graph store yet; run `beslutsgraf build` first"):
        StoreReader.open(data)


def test_generation_swap(data: DataDir) -> None:
    m = Manifest(sources={"a.txt": _write_graph(data, "a", 3), "b.txt": _write_graph(data, "b", 2)})
    _commit_full(data, m)
    assert data.current() == "store-1"
    assert data.read_manifest().store == "store-1"
    assert _values(data, "a") == {"v1 0", "v1 1", "v1 2"}

    # Generation 2: a copy of 1 with only graph a replaced; b is untouched.
    with data.build_lock():
        old = data.recover()
        new = Manifest(sources=dict(old.sources))
        new.sources["a.txt"] = _write_graph(data, "a", 4, tag="v2")
        with data.begin_generation(base=old.store) as gen:
            gen.remove_graph(f"{EX}graf/a")
            gen.bulk_load_files([data.graph_file("a")])
            in_use = gen.commit(new)
    assert in_use == []
    assert data.current() == "store-2"
    assert data.generations() == ["store-2"]  # the old generation is deleted
    assert _values(data, "a") == {"v2 0", "v2 1", "v2 2", "v2 3"}
    assert _values(data, "b") == {"v1 0", "v1 1"}
    with data.open_reader() as reader:
        assert len(reader) == 6


def test_failed_build_keeps_previous_store(data: DataDir) -> None:
    m = Manifest(sources={"a.txt": _write_graph(data, "a", 3)})
    _commit_full(data, m)
    before = data.manifest_path.read_bytes()

    # An error while filling the new generation: it is discarded, nothing else moves.
    with (
        data.build_lock(),
        pytest.raises(RuntimeError, match="boom"),
        data.begin_generation(base="store-1") as gen,
    ):
        gen.remove_graph(f"{EX}graf/a")
        raise RuntimeError("boom")
    assert data.current() == "store-1"
    assert data.generations() == ["store-1"]
    assert data.manifest_path.read_bytes() == before
    assert _values(data, "a") == {"v1 0", "v1 1", "v1 2"}

    # A generation that does not hold what the manifest says is refused at commit.
    with data.build_lock(), data.begin_generation(base="store-1") as gen:
        gen.remove_graph(f"{EX}graf/a")
        with pytest.raises(StoreError, match="store holds 0 quads but the manifest accounts for 3"):
            gen.commit(Manifest(sources={"a.txt": m.sources["a.txt"]}))
    assert data.current() == "store-1"
    assert data.generations() == ["store-1"]
    assert _values(data, "a") == {"v1 0", "v1 1", "v1 2"}


def test_reader_keeps_its_generation_while_another_is_written(data: DataDir) -> None:
    _commit_full(data, Manifest(sources={"a.txt": _write_graph(data, "a", 3)}))
    with data.open_reader() as old_reader:
        assert old_reader.generation == "store-1"
        with data.build_lock():
            old = data.recover()
            new = Manifest(sources={"a.txt": _write_graph(data, "a", 5, tag="v2")})
            with data.begin_generation(base=old.store) as gen:
                gen.remove_graph(f"{EX}graf/a")
                gen.bulk_load_files([data.graph_file("a")])
                # While the new generation is being written, the old one answers.
                assert len(old_reader) == 3
                in_use = gen.commit(new)
        # The old generation is held by our reader, so it is not deleted under it.
        assert in_use == ["store-1"]
        assert data.generations() == ["store-1", "store-2"]
        assert len(old_reader) == 3
        assert _values(data, "a") == {f"v2 {i}" for i in range(5)}  # new readers see store-2
    # Released: the next build's recovery removes it.
    with data.build_lock():
        data.recover()
    assert data.generations() == ["store-2"]
    assert not (data.path / "store-1.lock").exists()


def test_reader_in_another_process_during_a_write(data: DataDir, tmp_path: Path) -> None:
    """A separate process reads the serving generation while this one writes the next."""
    _commit_full(data, Manifest(sources={"a.txt": _write_graph(data, "a", 3)}))
    script = textwrap.dedent(f"""
        import sys, time
        from beslutsgraf.graph.store import DataDir
        with DataDir({str(data.path)!r}).open_reader() as r:
            print(r.generation, len(r), flush=True)
            sys.stdin.readline()          # wait until the parent has committed store-2
            print(r.generation, len(r), flush=True)
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().split() == ["store-1", "3"]
        with data.build_lock():
            old = data.recover()
            entry = _write_graph(data, "a", 1, tag="v2")
            with data.begin_generation(base=old.store) as gen:
                gen.remove_graph(f"{EX}graf/a")
                gen.bulk_load_files([data.graph_file("a")])
                in_use = gen.commit(Manifest(sources={"a.txt": entry}))
        assert in_use == ["store-1"]  # the other process still holds it
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().split() == ["store-1", "3"]
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == 0
    assert _values(data, "a") == {"v2 0"}


def test_crash_between_manifest_and_current_is_rolled_forward(data: DataDir) -> None:
    _commit_full(data, Manifest(sources={"a.txt": _write_graph(data, "a", 3)}))
    _commit_full(data, Manifest(sources={"a.txt": _write_graph(data, "a", 2, tag="v2")}))
    # Simulate the crash: CURRENT still names the previous generation.
    data.current_path.write_text("store-1\n")
    assert json.loads(data.manifest_path.read_text())["store"] == "store-2"
    with data.build_lock():
        manifest = data.recover()
    assert manifest.store == "store-2"
    assert data.current() == "store-2"


def test_unfinished_generation_is_removed_by_recovery(data: DataDir) -> None:
    _commit_full(data, Manifest(sources={"a.txt": _write_graph(data, "a", 3)}))
    (data.path / "store-7").mkdir()  # what a killed build leaves
    with data.build_lock():
        data.recover()
    assert data.generations() == ["store-1"]
    assert data.current() == "store-1"


def test_one_build_at_a_time(data: DataDir) -> None:
    with (
        data.build_lock(),
        pytest.raises(StoreError, match="another build is running"),
        data.build_lock(),
    ):
        pass


def test_blank_nodes_of_different_files_stay_apart(data: DataDir) -> None:
    for doc in ("a", "b"):
        path = data.graph_file(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'_:b0 <{EX}value> "{doc}" <{EX}graf/{doc}> .\n', encoding="utf-8")
    with data.build_lock(), data.begin_generation(base=None) as gen:
        gen.bulk_load_files([data.graph_file("a"), data.graph_file("b")])
        subjects = {q.subject for q in gen.store}
    assert len(subjects) == 2
