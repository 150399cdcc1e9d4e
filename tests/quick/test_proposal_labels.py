"""Proposals under a bare "Förslag:" label or "<title> <Name>s förslag:" in a protokoll
item (the Finland-Swedish and many small municipalities' layout, items closed by a typed
rule "______"): the proposal goes to the body whose "X:s beslut" follows it in the same
item, with or without line breaks."""

from __future__ import annotations

import pytest

from beslutsgraf.extract.pipeline import extract_text

PROTOKOLL = """PROTOKOLL
Socialnämnden
Sammanträdesdatum 2023-03-14

§ 2
Val av ombud till föreningsstämman
Förslag:
Socialnämnden utser två ombud till föreningsstämman.
______
Socialnämndens beslut:
Anna Berg och Per Ek utsågs till ombud.
______
§ 3
Anslag till föreningar
Ordförande Lisa Holms förslag:
Socialnämnden beviljar föreningen 20 000 kronor.
Socialnämndens beslut:
Socialnämnden beslutar i enlighet med ordförandens förslag.
"""


@pytest.mark.parametrize("flat", [False, True], ids=["lines", "flattened"])
def test_labelled_proposals_get_the_deciding_body(flat: bool) -> None:
    text = PROTOKOLL.replace("\n", " ") if flat else PROTOKOLL
    ex = extract_text(text, source="p.txt")
    got = {(p.kind, p.text.strip(), p.body) for p in ex.decision_proposals}
    assert ("proposal", "Socialnämnden utser två ombud till föreningsstämman.", "Socialnämnden") in got
    assert ("proposal", "Socialnämnden beviljar föreningen 20 000 kronor.", "Socialnämnden") in got
    assert ("decision", "Anna Berg och Per Ek utsågs till ombud.", "Socialnämnden") in got
