"""The municipality a document says it comes from (``metadata.find_municipality``): from
its letterhead however typeset, in the genitive some municipalities write, and a
kommunalförbund's own name; never from a place named in passing."""

from __future__ import annotations

import pytest

from beslutsgraf.extract.metadata import find_municipality
from beslutsgraf.text.layout import layout_view


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("O R U S T S  K O M M U N\nUtdrag ur sammanträdesprotokoll\nMiljö- och byggnadsnämnden", "Orust"),
        ("Tjörns kommun Protokoll Kommunstyrelsen 2023-05-04", "Tjörn"),
        ("KOMMUNALFÖRBUNDET AVFALL ÅDALEN Protokoll Direktionen Sammanträdesdatum 2024-06-12",
         "Kommunalförbundet Avfall Ådalen"),
        ("KUNSKAPSFÖRBUNDET VÄST Trollhättan Vänersborg PROTOKOLLSUTDRAG Direktionen",
         "Kunskapsförbundet Väst"),
        ("Räddningstjänsten Storgöteborg TJÄNSTEUTLÅTANDE Utfärdat 2021-03-01",
         "Räddningstjänsten Storgöteborg"),
        ("Sörmlands kommunalförbund\nProtokoll", "Sörmlands kommunalförbund"),
        ("Protokoll\nKommunstyrelsen\n" + "Ärendet gäller dricksvattnet i regionen. " * 10
         + "Beslutet gäller en remiss från Lunds kommun om vatten.", None),
    ],
)
def test_municipality_from_the_text(text: str, expected: str | None) -> None:
    assert find_municipality(layout_view(text), []) == expected
    assert find_municipality(layout_view(text.replace("\n", " ")), []) == expected
