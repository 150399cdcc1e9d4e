"""Scoring the extractor on the annotated sets in the repository: the corpus gold, the
held-out documents, the development set and its untouched third, and the real PDFs of
``../shared/real-docs`` (read by benchmarks/score_extraction.py and tests/quick/test_devset.py).

Bodies are scored on political organs only in the development sets (administrations are
not counted, as the hidden sets do), persons also by (name, party).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gold_scoring import (
    FACT_TYPES,
    TypeResult,
    format_differences,
    format_table,
    multiset_match,
    score_document,
)

from beslutsgraf.extract.pipeline import extract_file, extract_text

REPO = Path(__file__).resolve().parents[1]

DEV_TYPES = ("document", "case_numbers", "bodies", "persons", "recommendations", "decision_proposals")
REAL_DOCS = Path(os.environ.get("BESLUTSGRAF_REAL_DOCS", REPO.parent / "shared" / "real-docs"))


def pairs(name: str) -> list[tuple[Path, Path]]:
    """(gold json, source file) of one set."""
    if name == "gold":
        return [(g, REPO / "corpus" / f"{g.stem}.txt") for g in sorted((REPO / "tests/gold").glob("*.json")) if g.stem != "thresholds"]
    if name == "heldout":
        return [(g, g.with_suffix(".txt")) for g in sorted((REPO / "tests/heldout").glob("*.json"))]
    if name in ("devset", "untouched"):
        folder = REPO / "tests/devset" / ("dev" if name == "devset" else "untouched")
        return [(g, g.with_suffix(".txt")) for g in sorted(folder.glob("*.json"))]
    if name == "real":
        out = []
        for g in sorted((REPO / "tests/devset/real").glob("*.json")):
            pdf = REAL_DOCS / json.loads(g.read_text(encoding="utf-8"))["source"]
            if pdf.exists():
                out.append((g, pdf))
        return out
    raise SystemExit(f"unknown set {name!r}; valid: gold, heldout, devset, untouched, real")


def political(facts: list[dict]) -> list[dict]:
    return [f for f in facts if f.get("kind") != "förvaltning"]


def score(name: str, *, flat: bool, details: bool, read=extract_file) -> dict:
    """P/R/F1 per fact type over one set; ``read(path)`` gives a source's extraction (a
    test passes its session cache of the real PDFs)."""
    results = []
    for gold_path, src in pairs(name):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if flat:
            ex = read(src)
            flat_text = ex.text.replace("\n", " ").replace("\f", " ")  # as text/layout.flatten
            pred = extract_text(flat_text, source=src.name).to_json(include_text=True)
        else:
            pred = read(src).to_json(include_text=True)
        types = FACT_TYPES if name in ("gold", "heldout") else tuple(t for t in DEV_TYPES if t in gold)
        if name not in ("gold", "heldout"):
            gold = {**gold, "bodies": political(gold.get("bodies") or [])}
            pred = {**pred, "bodies": political(pred.get("bodies") or [])}
        r = {t: v for t, v in score_document(gold, pred).items() if t in types}
        if "persons" in types:
            r["persons (name, party)"] = multiset_match(
                ((p["name"], p.get("party")) for p in gold.get("persons") or []),
                ((p["name"], p.get("party")) for p in pred.get("persons") or []),
            )
        results.append(r)
        if details:
            print(format_table(r, title=src.name))
            print(format_differences(r))
    total: dict[str, TypeResult] = {}
    for r in results:
        for k, v in r.items():
            total[k] = total[k] + v if k in total else v
    return {"n": len(results), "total": total}


