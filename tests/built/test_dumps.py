"""The dumps are written by the build with each generation and served as files."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from beslutsgraf.build import build
from beslutsgraf.config import load_settings
from beslutsgraf.graph.dumps import dump_file, dump_folder
from beslutsgraf.graph.store import DataDir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("dumps")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    settings = load_settings(data_dir=str(tmp / "data"))
    build(corpus, settings=settings, workers=1)
    return corpus, settings


def test_dumps_are_written_with_the_generation(built) -> None:
    _corpus, settings = built
    data = DataDir(settings.data_path)
    generation = data.current()
    manifest = data.read_manifest()
    quads = gzip.decompress(dump_file(data, generation, "dump.nq.gz").read_bytes())
    ds = Dataset()
    ds.parse(data=quads, format="nquads")
    all_quads = list(ds.quads((None, None, None, None)))
    assert len(all_quads) == manifest.triples  # every quad of the store, in its named graph
    triples = gzip.decompress(dump_file(data, generation, "dump.ttl.gz").read_bytes())
    g = Graph().parse(data=triples, format="turtle")
    assert len(g) == len({(s, p, o) for s, p, o, _g in all_quads})  # the union, each triple once


def test_a_new_generation_replaces_the_dumps_and_a_missing_one_is_rewritten(built) -> None:
    corpus, settings = built
    data = DataDir(settings.data_path)
    first = data.current()
    (corpus / "extra.txt").write_text("Tjänsteskrivelse\n\nExtra\n\nKommunstyrelsen beslutar.\n", encoding="utf-8")
    build(corpus, settings=settings, workers=1)
    second = data.current()
    assert second != first
    assert dump_folder(data, second).is_dir() and not dump_folder(data, first).exists()
    shutil.rmtree(dump_folder(data, second))
    report = build(corpus, settings=settings, workers=1)  # nothing changed…
    assert not report.committed and data.current() == second
    assert dump_file(data, second, "dump.nq.gz").is_file()  # …but the dumps are back
