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
