"""The document kind from cues in the opening (extract/patterns/kinds.yml), on text with
and without line breaks."""

from __future__ import annotations

import pytest

from beslutsgraf.extract.metadata import document_kind

CASES = [
    # a nämnd's budgetskrivelse names its kind in the title
    ("Budgetskrivelse\nför investeringar\n\n2027-2031\n\nStatus: Påbörjad Organisation: Kultur- och fritidsnämnden", "Skrivelse"),
    # a document that calls itself "denna skrivelse" and has no other cue
    (("Budgetanvisningar\n2025-12-01\n\nTidplan och anvisningar för budget\n\nInledning\n\n"
      "Denna skrivelse innehåller tidplan och anvisningar för budgetarbetet."), "Skrivelse"),
    # "denna skrivelse" is weak: the kind's own cue wins
    ("Tjänsteskrivelse\n2024-02-01\nDnr KS 2024/12\n\nDenna skrivelse redovisar kommunens svar.", "Tjänsteskrivelse"),
    # a protokoll whose items mention budgetskrivelser stays a protokoll
    ("PROTOKOLL\nKultur- och fritidsnämnden 2026-03-10\n\n§ 12 Budgetskrivelse för investeringar", "Protokoll"),
]


@pytest.mark.parametrize(("text", "kind"), CASES)
@pytest.mark.parametrize("flat", [False, True], ids=["lines", "flattened"])
def test_kind_cues(text: str, kind: str, flat: bool) -> None:
    if flat:
        text = text.replace("\n", " ")
    found = document_kind(text)
    assert found is not None and found[0] == kind, found
    start, end = found[1], found[2]
    assert text[start:end].strip()  # the evidence span is in the text


@pytest.mark.parametrize(
    ("pattern", "needle"),
    [
        ("protokoll", "protokoll"),
        ("utdrag ur (?:sammanträdes)?protokoll(?:et)?", "utdrag ur "),
        ("tjänsteskr\\.", "tjänsteskr."),
        ("(?:förvaltningens|kontorets)\\s+tjänsteutlåtande", "tjänsteutlåtande"),
        ("Ab?", "a"),
        ("x\\sprotokoll", "protokoll"),
        ("kallelse|dagordning", ""),
    ],
)
def test_required_literal(pattern: str, needle: str) -> None:
    from beslutsgraf.text.regex import required_literal

    assert required_literal(pattern) == needle
