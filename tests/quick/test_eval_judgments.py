"""The hard evaluation set (tests/eval/hard/queries.jsonl): document-level judgments over
the 209 documents gathered by tests/eval/hard/assemble.py, split into a tune and a
report half.  These checks keep the file what the README says it is."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

HARD = Path(__file__).resolve().parents[1] / "eval" / "hard"


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    lines = (HARD / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def names() -> set[str]:
    spec = importlib.util.spec_from_file_location("assemble", HARD / "assemble.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.documents())


def test_the_set_is_large_enough(queries, names) -> None:
    assert len(names) >= 200
    assert len(queries) >= 150
    assert len({q["id"] for q in queries}) == len(queries)
    types = Counter(q["type"] for q in queries)
    # a third or more share few words with their targets
    assert types["paraphrase"] + types["question"] >= len(queries) / 3


def test_every_judgment_names_a_document_of_the_set(queries, names) -> None:
    for q in queries:
        assert q["relevant"], q["id"]
        assert max(r["grade"] for r in q["relevant"]) == 2, q["id"]
        for r in q["relevant"]:
            assert r["source"] in names, (q["id"], r["source"])
            assert r["grade"] in (1, 2) and "fragment" not in r, (q["id"], r)


def test_halves_are_balanced_per_type(queries) -> None:
    assert {q["split"] for q in queries} == {"tune", "report"}
    for kind, n in Counter(q["type"] for q in queries).items():
        report = sum(1 for q in queries if q["type"] == kind and q["split"] == "report")
        assert abs(2 * report - n) <= 1, kind
