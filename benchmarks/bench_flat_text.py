"""How much of what the extractor finds survives the loss of line breaks.

    python benchmarks/bench_flat_text.py

Most real documents reach us as PDF text whose line breaks are gone.  Every document of
``corpus/``, ``tests/examples/`` and ``tests/heldout/`` is extracted twice, as written and
with all white space collapsed to single spaces; per fact type the table gives the facts
found each way and how many of the first are found again (matched by normalised number,
name or text).  The goal is 100 % kept: a rule that needs a line break is a bug.
"""

from __future__ import annotations

from pathlib import Path

from beslutsgraf.extract.pipeline import extract_text

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("corpus", "tests/examples", "tests/heldout")
TYPES = ("case_numbers", "bodies", "persons", "recommendations", "decision_proposals",
         "planned_treatments", "references")


def key(fact: dict) -> str | None:
    """What identifies a fact across the two extractions."""
    return fact.get("normalized") or fact.get("name") or fact.get("text") or fact.get("body")


def main() -> None:
    totals = {t: [0, 0, 0] for t in TYPES}
    paths = sorted(p for folder in FOLDERS for p in (REPO / folder).glob("*.txt"))
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        with_breaks = extract_text(raw, source=path.name).to_json()
        flat = extract_text(" ".join(raw.split()), source=path.name).to_json()
        for t in TYPES:
            a = [key(f) for f in with_breaks[t]]
            b = [key(f) for f in flat[t]]
            totals[t][0] += len(a)
            totals[t][1] += len(b)
            totals[t][2] += sum(min(a.count(k), b.count(k)) for k in set(a))
    print(f"{len(paths)} documents")
    print("| fact | with line breaks | flat | kept |")
    print("|---|---|---|---|")
    for t, (n, m, kept) in totals.items():
        print(f"| {t} | {n} | {m} | {kept} ({kept / max(n, 1):.0%}) |")


if __name__ == "__main__":
    main()
