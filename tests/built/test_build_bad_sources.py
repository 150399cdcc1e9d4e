"""Sources that go wrong during a build fail by name; the rest is built: a file that
vanishes between listing and hashing, a link out of the corpus folder, a link loop."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from beslutsgraf import build as build_module
from beslutsgraf.build import BuildEvent, build
from beslutsgraf.config import load_settings
from beslutsgraf.errors import StoreError

ROOT = Path(__file__).resolve().parents[2]


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in sorted((ROOT / "corpus").glob("*.txt"))[:2]:
        shutil.copy(src, corpus / src.name)
    return corpus


def test_links_out_of_the_corpus_and_loops_fail_by_name(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    secret = tmp_path / "hemligt.txt"
    secret.write_text("Kommunstyrelsen beslutar om lön.", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "a.txt").symlink_to(corpus / "b.txt")
    (corpus / "b.txt").symlink_to(corpus / "a.txt")
    inside = corpus / "sub"
    inside.mkdir()
    (inside / "lank.txt").symlink_to(min(corpus.glob("0*.txt")))  # inside: allowed
    report = build(corpus, settings=load_settings(data_dir=str(tmp_path / "data")), workers=1)
    failed = {o.source: o.message for o in report.failed}
    assert set(failed) == {"passwd.txt", "a.txt", "b.txt"}
    assert "outside the corpus folder" in failed["passwd.txt"]
    assert failed["a.txt"].endswith("symbolic link loop")
    assert {o.source for o in report.added} == {p.name for p in corpus.glob("0*.txt")} | {"sub/lank.txt"}


def test_a_file_vanishing_during_the_build_fails_alone(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = load_settings(data_dir=str(tmp_path / "data"))
    first = build(corpus, settings=settings, workers=1)
    assert not first.failed
    *others, victim = sorted(corpus.glob("*.txt"))

    def vanish(event: BuildEvent) -> None:  # after the listing, before the victim's hash
        if event.stage == "hash" and victim.exists():
            victim.unlink()

    report = build(corpus, settings=settings, workers=1, progress=vanish)
    failed = {o.source: o.message for o in report.failed}
    assert list(failed) == [victim.name]
    assert "no such file" in failed[victim.name]
    assert [o.source for o in report.unchanged] == [p.name for p in others]


def test_a_full_disk_is_a_clear_error_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path)
    settings = load_settings(data_dir=str(tmp_path / "data"))
    build(corpus, settings=settings, workers=1)
    data_dir = tmp_path / "data"
    before = sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if "store-" not in str(p))
    current = (data_dir / "CURRENT").read_text()
    (corpus / "ny.txt").write_text("Tjänsteskrivelse\n\nNy handling\n\nKommunstyrelsen beslutar.\n", encoding="utf-8")

    def full_disk(chunks, folder, **kwargs):  # the index writer runs out of space half-way
        folder.mkdir(parents=True)
        (folder / "chunks.jsonl").write_bytes(b"{}\n")
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "vectors.npy"))

    monkeypatch.setattr(build_module, "build_index_from_chunks", full_disk)
    with pytest.raises(StoreError, match="no space left on device while writing .*vectors.npy"):
        build(corpus, settings=settings, workers=1)
    monkeypatch.undo()
    after = sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if "store-" not in str(p))
    assert after == before  # no index folder, graph or passage file of the failed build
    assert (data_dir / "CURRENT").read_text() == current

    # What a crashed build (killed, no chance to clean up) left is swept at the next start.
    (data_dir / "index-99").mkdir()
    (data_dir / "index-99" / "vectors.npy").write_bytes(b"\0" * 1000)
    (data_dir / "graphs" / "kraschad.nq").write_bytes(b"")
    report = build(corpus, settings=settings, workers=1)
    assert [o.source for o in report.added] == ["ny.txt"] and not report.failed
    assert not (data_dir / "index-99").exists() and not (data_dir / "graphs" / "kraschad.nq").exists()
