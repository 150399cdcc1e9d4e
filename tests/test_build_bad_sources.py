"""Sources that go wrong during a build fail by name; the rest is built: a file that
vanishes between listing and hashing, a link out of the corpus folder, a link loop."""

from __future__ import annotations

import shutil
from pathlib import Path

from beslutsgraf.build import BuildEvent, build
from beslutsgraf.config import load_settings

ROOT = Path(__file__).resolve().parents[1]


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
