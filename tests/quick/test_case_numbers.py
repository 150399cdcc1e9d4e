import pytest

from beslutsgraf.extract.case_numbers import find_case_numbers


@pytest.mark.parametrize(
    "text, written, normalized, scheme",
    [
        ("Granskning STK-2018-885 i Malmö", "STK-2018-885", "STK-2018-885", "prefix-year-serial"),
        ("ärende ASN – 2023 – 12667", "ASN – 2023 – 12667", "ASN-2023-12667", "prefix-year-serial"),
        ("Uppsala KSN-2020-0456", "KSN-2020-0456", "KSN-2020-0456", "prefix-year-serial"),
        ("Remissvar till stadsrevisionens ärende dnr 3.1.3–91/2019", "3.1.3–91/2019", "3.1.3-91/2019", "classified-serial-year"),
        ("Dnr KS 2021/317", "KS 2021/317", "KS 2021/317", "registry-year-serial"),
        ("Tyresö KS2021/317.", "KS2021/317", "KS 2021/317", "registry-year-serial"),
        ("BUN 2019/0034:2 gäller", "BUN 2019/0034:2", "BUN 2019/0034-2", "registry-year-serial"),
        ("Kramfors 2019/KS 0145 10 avser", "2019/KS 0145 10", "2019/KS 0145 10", "year-registry-serial"),
        ("Dnr 2019/KS0145", "2019/KS0145", "2019/KS 0145", "year-registry-serial"),
        ("Diarienummer 0835/21", "0835/21", "0835/21", "serial-year"),
        ("Dnr: 2020-00123", "2020-00123", "2020-00123", "year-long-serial"),
        ("Dnr KS-2022/12", "KS-2022/12", "KS 2022/12", "registry-year-serial"),
    ],
)
def test_formats(text, written, normalized, scheme):
    found = find_case_numbers(text)
    assert [(c.text, c.normalized, c.scheme) for c in found] == [(written, normalized, scheme)]
    c = found[0]
    assert text[c.start : c.end] == written


@pytest.mark.parametrize(
    "text",
    [
        "2018-10-22",  # a date
        "Växel 08-508 24 000",  # a phone number
        "den 4/1 och 25/3",  # day/month
        "läsåret 2019/20",
        "SOU 2019:12 och SFS 2018:1197",  # government series
        "0835/21",  # serial/year needs a Dnr label
        "CTC 2021/22",
    ],
)
def test_not_case_numbers(text):
    assert find_case_numbers(text) == []


def test_registry_body_depends_on_municipality():
    (c,) = find_case_numbers("ASN-2023-12667", municipality="Malmö")
    assert c.registry == "ASN" and c.body == "Arbetsmarknads- och socialnämnden" and c.year == 2023
    (k,) = find_case_numbers("Dnr KS 2021/317", municipality="Tyresö")
    assert k.body == "Kommunstyrelsen"


def test_labelled_schemes_are_tried_at_every_label() -> None:
    # "Vår beteckning" holds a second label ("beteckning"); both readings are tried
    from beslutsgraf.extract.case_numbers import _config, _label_starts, _matches

    text = "Dnr dnr 2021/33 och Vår beteckning 0835/21, diarienr: KU/2007.9 samt Dnr"
    labels = _label_starts(text)
    for scheme in _config()[0]:
        assert [m.span() for m in _matches(scheme, text, labels)] == [
            m.span() for m in scheme.regex.finditer(text)
        ]
    assert [c.normalized for c in find_case_numbers(text)] == ["2021/33", "0835/21", "KU/2007.9"]
