"""Document fields read from the text. The municipality a document says it comes from
(``metadata.find_municipality``): from
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


TJANSTESKRIVELSE = (
    "VIMMERBY KOMMUN TJÄNSTESKRIVELSE Barn- och utbildningsförvaltningen Datum 2023-04-18 "
    "Dnr BUN 2023/114 Sida 1 (3) Handläggare Karin Sandell, skolskjutssamordnare "
    "Tfn 0492-76 93 41 karin.sandell@vimmerby.se Barn- och utbildningsnämnden Revidering av "
    "riktlinjer för skolskjuts och elevresor Förslag till beslut Barn- och utbildningsnämnden "
    "beslutar att anta de reviderade riktlinjerna. Sammanfattning Riktlinjerna ses över."
)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (TJANSTESKRIVELSE, "Revidering av riktlinjer för skolskjuts och elevresor"),
        # a column gap before the title, an addressee before that
        (("Tjänsteskrivelse Datum 2024-02-12 Till skol- och fritidsnämnden  Yttrande över motion om "
          "avgiftsfri simskola Sammanfattning Motionären föreslår simskola."),
         "Yttrande över motion om avgiftsfri simskola"),
        # the writer of a medborgarförslag is no title, nor an addressee alone
        ("Medborgarförslag Inkom 2024-01-02 Helena Strandberg Gråbo Förslag till beslut Att bygga.", None),
        ("Beslut Datum 2024-01-02 Individ- och familjeutskottet Beslut Utskottet beslutar att bevilja.", None),
    ],
)
def test_the_title_of_a_flattened_document(text: str, title: str | None) -> None:
    from beslutsgraf.extract.pipeline import extract_text

    assert extract_text(text).document.title == title


@pytest.mark.parametrize(
    ("line", "header_only"),
    [
        ("ÖSTERSUNDS KOMMUN                          REMISSVAR", True),
        ("P R O T O K O L L S U T D R A G", True),
        ("Organ Välfärdsnämnden", True),
        ("Ink. 2023-03-02", True),
        ("Kommunstyrelsen                                   2019-05-13", True),
        ("Plats och tid         Rådhuset, sammanträdesrum Wachtmeister, kl. 08.30–11.45", True),
        ("Lena Sandström (S), ordförande", True),
        ("Kommunfullmäktige 24 april 2023", True),
        ("HÖGSBY KOMMUN Protokoll 1(14 )", True),
        ("Ärende väckt av Vänsterpartiet - Förebyggande arbete", False),
        ("Riktlinjer för föreningsbidrag", False),
        ("Svar på medborgarförslag om fler bänkar", False),
        ("Kommunstyrelsens sammanträde 2019-05-14", False),
        ("Kungsbacka den 1 dec. 2023", True),
        ("Ärendenr KF-2020-00272", True),
    ],
)
def test_header_lines_that_are_no_title(line: str, header_only: bool) -> None:
    from beslutsgraf.extract.metadata import _header_parts_only

    assert _header_parts_only(line) is header_only


@pytest.mark.parametrize("flat", [False, True], ids=["lines", "flattened"])
def test_own_case_number_of_a_decision_with_one_paragraph(flat: bool) -> None:
    """A beslut whose one paragraph ("BUN § 67") carries no number of its own takes the
    number under the header's label."""
    from beslutsgraf.extract.pipeline import extract_text

    text = (
        "Region Gotland\nBarn- och utbildningsnämnden\nBESLUT\nDatum 2023-06-14\n"
        "Ärendenr BUN 2023/412\nHandläggare Fredrik Hallgren, utredare\n"
        "Beslut om ändrad skolorganisation för Kräklinge skola\n\nBUN § 67\n"
        "Barn- och utbildningsnämndens beslut\nBarn- och utbildningsnämnden beslutar att "
        "Kräklinge skola blir en F–3-skola.\n"
    )
    ex = extract_text(text.replace("\n", " ") if flat else text)
    assert ex.document.case_number == "BUN 2023/412"


def test_web_addresses_are_the_web_patterns_matches() -> None:
    from beslutsgraf.extract.metadata import _WEB, web_addresses

    text = (
        "www.malmo.se https://WWW.Lund.SE/x http://a-b.fi foo.malmo.se göteborg.se a.se.fi "
        "x@malmo.se .se www.se Www.Orust.se. info@kommun.ax http://www.malmo.sexy wwwmalmo.se"
    )
    got = [m.group() for m in web_addresses(text)]
    assert got == [m.group() for m in _WEB.finditer(text)]
    assert got == ["www.malmo.se", "https://WWW.Lund.SE", "http://a-b.fi", "a.se", "www.se", "Www.Orust.se", "wwwmalmo.se"]
