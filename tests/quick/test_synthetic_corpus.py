"""The synthetic corpus of the scale figures (benchmarks/synthetic/generate.py) is
reproducible and in the genre's conventions: the extractor reads each document's own
case number, its municipality and its kind, with and without line breaks."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks" / "synthetic"))

from generate import generate

from beslutsgraf.extract.pipeline import extract_text


def test_the_same_seed_gives_the_same_corpus(tmp_path):
    generate(tmp_path / "a", 40, seed=7)
    generate(tmp_path / "b", 40, seed=7)
    generate(tmp_path / "c", 40, seed=8)
    read = lambda d: {p.name: p.read_bytes() for p in sorted(d.iterdir())}
    assert read(tmp_path / "a") == read(tmp_path / "b") != read(tmp_path / "c")


def test_the_extractor_reads_the_generated_documents(tmp_path):
    generate(tmp_path, 60, seed=3, flat=0.5)
    docs = sorted(tmp_path.iterdir())
    flat = sum(1 for p in docs if p.read_text(encoding="utf-8").count("\n") == 1)
    assert 15 <= flat <= 45  # about half written without line breaks
    found = {"case": 0, "municipality": 0, "kind": 0}
    for path in docs:
        ex = extract_text(path.read_text(encoding="utf-8"), source=path.name)
        # a kallelse covers many cases, so it has none of its own; its number is still found
        own = ex.document.case_number is not None or ex.document.doc_type == "Kallelse"
        found["case"] += own and len(ex.case_numbers) >= 1
        found["municipality"] += ex.document.municipality is not None
        found["kind"] += ex.document.doc_type is not None
    assert found == {"case": 60, "municipality": 60, "kind": 60}, found
