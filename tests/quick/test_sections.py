from beslutsgraf.text.normalize import normalize_text
from beslutsgraf.text.sections import find_items, find_sections, lines_of

TJANSTESKRIVELSE = """Tyresö kommun
Datum
2021-04-12
Dnr KS 2021/317

Tjänsteskrivelse

Ny lokal för fritidsgård

Sammanfattning

Barn- och utbildningsnämnden har i uppdrag att utreda en ny lokal för fritidsgården i Bollmora, och förvaltningen redovisar här ett förslag med kostnader och tidplan för beslut.

Förslag till beslut:
1. Kommunstyrelsen godkänner förslaget.
2. Kommunstyrelsen uppdrar åt förvaltningen att teckna hyresavtal.

Ärendebeskrivning

Fritidsgården har i dag lokaler som inte uppfyller kraven på tillgänglighet och brandskydd, vilket har påtalats av räddningstjänsten vid flera tillsynsbesök under 2020.

Ekonomiska konsekvenser

Hyran beräknas till 450 000 kronor per år och ryms inom befintlig budgetram för barn- och utbildningsnämnden.

Beslutet skickas till
Barn- och utbildningsnämnden
"""


def test_standard_sections_with_spans():
    secs = find_sections(normalize_text(TJANSTESKRIVELSE).text)
    assert [(s.key, s.title) for s in secs] == [
        ("header", ""),
        ("sammanfattning", "Sammanfattning"),
        ("forslag_till_beslut", "Förslag till beslut"),
        ("arendet", "Ärendebeskrivning"),
        ("ekonomi", "Ekonomiska konsekvenser"),
        ("beslutet_skickas_till", "Beslutet skickas till"),
    ]
    text = normalize_text(TJANSTESKRIVELSE).text
    forslag = secs[2]
    assert text[forslag.body_start : forslag.end].startswith("1. Kommunstyrelsen godkänner")
    assert text[forslag.body_start : forslag.end].endswith("teckna hyresavtal.")


PROTOKOLL = """Protokoll
Kommunstyrelsen
Sammanträdesdatum 2021-05-10

§ 112 Ny lokal för fritidsgård
Dnr KS 2021/317

Kommunstyrelsen beslutar att godkänna förslaget.

§ 113 Budgetuppföljning april
Dnr KS 2021/120

Kommunstyrelsen beslutar att lägga uppföljningen till handlingarna.

Justerandes signatur
"""

KALLELSE = """Kallelse/Föredragningslista
Kommunstyrelsens arbetsutskott

1. Val av justerare

2. Detaljplan för Kramfors centrum
Dnr 2019/KS 0145 10
Förslag till beslut: Arbetsutskottet föreslår kommunstyrelsen att anta planen.

3. Taxa för bygglov
Dnr 2020/KS 0033
Förslag till beslut: Ärendet återremitteras.
"""


def test_protokoll_paragraphs_are_items():
    text = normalize_text(PROTOKOLL).text
    items = find_items(text)
    assert [(i.kind, i.number, i.title) for i in items] == [
        ("paragraph", "112", "Ny lokal för fritidsgård"),
        ("paragraph", "113", "Budgetuppföljning april"),
    ]
    assert "Dnr KS 2021/317" in text[items[0].start : items[0].end]
    assert "KS 2021/120" not in text[items[0].start : items[0].end]


def test_agenda_items_in_a_document_whose_items_carry_case_numbers():
    items = find_items(normalize_text(KALLELSE).text)
    assert [(i.kind, i.number, i.title) for i in items] == [
        ("agenda_item", "1", "Val av justerare"),
        ("agenda_item", "2", "Detaljplan för Kramfors centrum"),
        ("agenda_item", "3", "Taxa för bygglov"),
    ]


def test_numbered_recommendations_are_not_agenda_items():
    text = "Revisionskontoret lämnar tre rekommendationer:\n\n1. Säkerställa utbildning.\n2. Utveckla rapporteringen."
    assert find_items(text) == []


def test_lines_up_to_a_position_are_the_whole_texts_lines_that_start_before_it():
    text = "Datum 2024-01-02\n\nTill kommunstyrelsen\nTitel\n\n\nLång rad här.\nSista\n"
    whole = lines_of(text)
    for until in [*range(len(text) + 2), *(line.start for line in whole)]:
        assert lines_of(text, until=until) == tuple(line for line in whole if line.start < until), until
    # the blank line after "Titel" is seen though the next line is not returned
    cut = lines_of(text, until=text.index("Lång"))
    assert cut[-1].text == "Titel" and cut[-1].blank_after


def test_a_heading_is_read_as_the_full_alternation_reads_it():
    # standard_heading tries the full alternation only on lines that end as a heading
    # pattern does; every line of the test documents, and headings in every case with
    # and without a colon, get the key that the full alternation gives
    from support import ROOT

    from beslutsgraf.text.regex import which
    from beslutsgraf.text.sections import _any_heading, _heading_patterns, standard_heading

    def full(line: str) -> str | None:
        stripped = line.strip()
        m = _any_heading().fullmatch(stripped) if len(stripped) <= 90 else None
        return _heading_patterns()[which(m)][0] if m else None

    lines = [
        "Sammanfattning", "SAMMANFATTNING :", "Bilagor::", "Bilagor:", "Kommunstyrelsens förslag till beslut",
        "Förslag till beslut i kommunstyrelsen", "Reservation från (S)", "Socialnämndens beslut:",
        "Arbetsmarknads- och socialnämndens bedömning och förslag till förändring", "Beslutet ska skickas till",
        "Förslag", "förslag till beslut i nämnden :", "Ärendet", "Ordförande Anna Berg Holms förslag",
        # letters a case-insensitive pattern reads as "i" and "s"
        "SAMMANFATTNİNG", "Sammanfattnıng", "ſammanfattning", "BİLAGOR",
    ]
    for folder in ("corpus", "tests/examples", "tests/heldout", "tests/devset/dev"):
        for path in sorted((ROOT / folder).glob("*.txt")):
            lines += path.read_text(encoding="utf-8").splitlines()
    got = [standard_heading(line) for line in lines]
    assert got == [full(line) for line in lines]
    assert got[:5] == ["sammanfattning", "sammanfattning", "bilagor", "bilagor", "forslag_till_beslut"]
