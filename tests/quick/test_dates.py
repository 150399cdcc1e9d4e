from beslutsgraf.extract.dates import find_dates, parse_compact


def test_swedish_dates():
    text = "vid sitt sammanträde 23 augusti 2018; I november 2016 tog; 2018-10-22; den 5 juli 2023"
    assert [d for _s, _e, d in find_dates(text)] == ["2018-08-23", "2016-11", "2018-10-22", "2023-07-05"]


def test_invalid_dates_are_dropped():
    assert find_dates("2018-02-30") == []
    assert find_dates("31 april 2019") == [(3, 13, "2019-04")]


def test_compact_meeting_codes():
    assert parse_compact("181022") == "2018-10-22"
    assert parse_compact("20240325") == "2024-03-25"
    assert parse_compact("181322") is None


def test_place_dates_are_the_patterns_matches():
    # place_dates tries the place-and-date pattern only before a date's first digit; it
    # finds what finditer finds, on every development document and on the edge cases
    from pathlib import Path

    from beslutsgraf.extract.metadata import _PLACE_DATE_ANY, place_dates

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("tests/devset/*/*.txt"))]
    texts.append(
        "Karlstad den 14 oktober 2021 Nacka Inkom 2020-02-14, Trelleborg 10.2.2023 "
        "xMalmö 2021-01-01 Upplands-Bro, den 3 maj 2022 Region Skåne 2021-06-28 "
        "12 Lund 1 jan 2020 Ö 2020-01-01 Åre\t9.9.2019 Göteborg,  2019-05-05"
    )
    for t in texts:
        assert [m.span() for m in place_dates(t)] == [m.span() for m in _PLACE_DATE_ANY.finditer(t)]
    assert [m["place"] for m in place_dates(texts[-1])][:3] == ["Karlstad", "Nacka Inkom", "Trelleborg"]
