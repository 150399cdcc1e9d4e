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


MEDBORGARFORSLAG = """MEDBORGARFÖRSLAG
Exempelby kommun
Inkom 2024-05-08

Förslag: Sänk farten på Skolvägen vid Bysskolan

Till kommunfullmäktige

Varje morgon korsar ett hundratal barn vägen vid skolan. Bilarna kör betydligt fortare än skyltat.

Vi föreslår att kommunen sätter upp en mätare, skrev föräldraföreningen i fjol.

Jag föreslår

att kommunen bygger ett upphöjt övergångsställe vid skolan,

att sträckan vid skolan får 30 km/h under hela dygnet.

Jag tror att åtgärderna skulle kosta relativt lite.

Exempelby den 6 maj 2024
"""

MOTION = """MOTION
Exempelby kommun

Motion om tryggare skolvägar

Jag föreslår att kommunen ser över alla skolvägar, vilket vore bra.

Jag föreslår därför att kommunfullmäktige beslutar

att uppdra åt kommunstyrelsen att se över skolvägarna,

att återrapportera till kommunfullmäktige.
"""


@pytest.mark.parametrize("flat", [False, True], ids=["lines", "flattened"])
def test_a_medborgarforslag_writers_own_proposals(flat: bool) -> None:
    """"Förslag:" names the subject of the form, and "Jag föreslår" with no "… beslutar"
    opens the att-clauses; the reasoning before it holds no proposal."""
    text = MEDBORGARFORSLAG.replace("\n", " ") if flat else MEDBORGARFORSLAG
    ex = extract_text(text, source="m.txt")
    assert ex.document.doc_type == "Medborgarförslag"
    assert [(p.kind, p.text.strip(" ,."), p.body) for p in ex.decision_proposals] == [
        ("motion", "att kommunen bygger ett upphöjt övergångsställe vid skolan", "Kommunfullmäktige"),
        ("motion", "att sträckan vid skolan får 30 km/h under hela dygnet", "Kommunfullmäktige"),
    ]


@pytest.mark.parametrize("flat", [False, True], ids=["lines", "flattened"])
def test_a_motions_jag_foreslar_in_its_reasoning_is_no_proposal(flat: bool) -> None:
    text = MOTION.replace("\n", " ") if flat else MOTION
    ex = extract_text(text, source="m.txt")
    assert [p.text.strip(" ,.") for p in ex.decision_proposals] == [
        "att uppdra åt kommunstyrelsen att se över skolvägarna",
        "att återrapportera till kommunfullmäktige",
    ]


@pytest.mark.parametrize(
    "intro",
    ["Med anledning av ovanstående yrkar vi", "Med anledning av detta föreslår jag", "Mitt förslag är"],
)
@pytest.mark.parametrize("flat", [False, True], ids=["lines", "flattened"])
def test_other_words_for_the_writers_own_proposals(intro: str, flat: bool) -> None:
    text = (
        "MOTION\nExempelby kommun\n\nMotion om trygghetspunkter\n\nKommunen saknar en plan för "
        f"elavbrott.\n\n{intro}\n\n- att kommunen inrättar trygghetspunkter,\n\n"
        "- att nödvattenplanen övas varje år.\n\nAnna Berg (C)\n"
    )
    ex = extract_text(text.replace("\n", " ") if flat else text, source="m.txt")
    assert [p.text.strip(" ,.") for p in ex.decision_proposals] == [
        "att kommunen inrättar trygghetspunkter",
        "att nödvattenplanen övas varje år",
    ]


def test_inline_att_cuts_are_the_patterns_matches() -> None:
    # _inline_att_cuts tries the cut pattern only before an "att"; on texts made of every
    # piece a cut is built from, it finds what finditer finds, for any unit of the text
    import random

    from beslutsgraf.extract.proposals import _INLINE_ATT, _inline_att_cuts

    pieces = [" ", "  ", ",", ";", ":", "att", "Att", " samt", " och", "-", "–", "•", "\u00a0",
              "besluta", "beslutar", "egen del", "x", "katt", "Kommunstyrelsen", "\t"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        assert [m.span() for m in _inline_att_cuts(text, a, b)] == [
            m.span() for m in _INLINE_ATT.finditer(text, a, b)
        ], (text, a, b)
    text = "beslutar att godkänna planen, att uppdra åt nämnden samt att - att återrapportera"
    assert [text[m.end():m.end() + 3] for m in _inline_att_cuts(text, 0, len(text))] == ["att"] * 4
