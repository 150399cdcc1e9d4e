"""Text that lost its line breaks (PDF converters, web mirrors) must not make one fact
span the document: an item of a list or of a proposal block ends with its sentence
there.  (A 1 MB single-line file once gave recommendations of 0.5 MB each and a
graph file of 99 MB.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from beslutsgraf.extract.pipeline import extract_text

CORPUS = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_no_fact_spans_a_flattened_document(path: Path) -> None:
    flat = path.read_text(encoding="utf-8").replace("\n", " ") * 3
    ex = extract_text(flat, source=path.name)
    for fact in [*ex.recommendations, *ex.decision_proposals]:
        assert fact.end - fact.start <= 1000, f"{type(fact).__name__} of {fact.end - fact.start} characters"


def test_att_items_of_a_motion_without_line_breaks() -> None:
    text = (
        "Motion om fler utegym Vi föreslår därför att kultur- och fritidsnämnden beslutar: "
        "Att förvaltningen uppdras att ta fram en plan för utegym i alla stadsdelar. "
        "Att planen redovisas för nämnden senast i december. " + "Bakgrund om utegym och hälsa. " * 60
    )
    ex = extract_text(text, source="motion.txt")
    items = [p.text for p in ex.decision_proposals if p.text.startswith("Att ")]
    assert items == [
        "Att förvaltningen uppdras att ta fram en plan för utegym i alla stadsdelar.",
        "Att planen redovisas för nämnden senast i december.",
    ]
