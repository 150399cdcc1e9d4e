"""text/regex.py: the regex building blocks shared by the text and extraction steps."""

import re

from beslutsgraf.text.regex import capitalised_matches


def test_capitalised_matches_are_finditers_capitalised_matches():
    pattern = re.compile(r"(?<!\w)(?:malmö stad|region skåne|skåne)(?!\w)", re.IGNORECASE)
    text = "MALMÖ STAD skriver till Region Skåne, (Malmö stad) och region skåne; xMalmö stad."
    got = [(m.start(), m.group()) for m in capitalised_matches(pattern, text)]
    assert got == [
        (m.start(), m.group()) for m in pattern.finditer(text) if m.group()[:1].isupper()
    ]
    assert [g for _s, g in got] == ["MALMÖ STAD", "Region Skåne", "Malmö stad"]


def test_capitalised_matches_do_not_overlap():
    # "Region Skåne" is matched whole: "Skåne" inside it is not a match of its own
    pattern = re.compile(r"region skåne|skåne", re.IGNORECASE)
    assert [m.group() for m in capitalised_matches(pattern, "Region Skåne och Skåne")] == [
        "Region Skåne",
        "Skåne",
    ]
