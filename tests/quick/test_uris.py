"""IRI minting: readable IRIs, slugs of Swedish names, reversible case numbers, mint/parse round trips."""

from __future__ import annotations

import pytest

from beslutsgraf.graph.uris import (
    DEFAULT_BASE,
    KINDS,
    IriError,
    decode_case_number,
    document_slug,
    encode_case_number,
    mint,
    municipality_slug,
    parse,
    part_names,
    party_slug,
    slug,
)

B = DEFAULT_BASE


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kommunstyrelsen", "kommunstyrelsen"),
        ("Arbetsmarknads- och socialnämnden", "arbetsmarknads-och-socialnamnden"),
        ("Enskede-Årsta-Vantörs stadsdelsnämnd", "enskede-arsta-vantors-stadsdelsnamnd"),
        ("Spånga-Tensta stadsdelsnämnd", "spanga-tensta-stadsdelsnamnd"),
        ("Per-Erik Ebbeståhl", "per-erik-ebbestahl"),
        ("Eva Marie Tancred", "eva-marie-tancred"),
        ("Gymnasie- och vuxenutbildningsnämnden", "gymnasie-och-vuxenutbildningsnamnden"),
        ("  Malmö  ", "malmo"),
        ("Göteborg", "goteborg"),
        ("Stadskontoret, Hållbarhetsavdelningen", "stadskontoret-hallbarhetsavdelningen"),
        ("Ærø / Søren Müller", "aero-soren-muller"),
        ("Polisen i Malmö (Polisområde Malmö)", "polisen-i-malmo-polisomrade-malmo"),
    ],
)
def test_slug_of_swedish_names(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize("bad", ["", "   ", "–", "§ ! ?"])
def test_slug_without_letters_is_an_error(bad: str) -> None:
    with pytest.raises(IriError, match="cannot make a slug"):
        slug(bad)


def test_municipality_slug_unknown_is_okand() -> None:
    assert municipality_slug(None) == "okand"
    assert municipality_slug("") == "okand"
    assert municipality_slug("Tyresö") == "tyreso"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("000_3c3574245795578f.txt", "000_3c3574245795578f"),
        ("Protokoll KS 2024-06-05.pdf", "protokoll-ks-2024-06-05"),
        ("corpus/Yttrande Skärholmen.md", "yttrande-skarholmen"),
        ("rapport.v2.docx", "rapport-v2"),
        ("utan_filändelse", "utan_filandelse"),
    ],
)
def test_document_slug(source: str, expected: str) -> None:
    assert document_slug(source) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SD", "sd"),
        ("sd", "sd"),
        ("Sverigedemokraterna", "sd"),
        ("Vänsterpartiet", "v"),
        ("MP", "mp"),
        ("Miljöpartiet", "mp"),
        ("Lokalt Parti i Kramfors", "lokalt-parti-i-kramfors"),
    ],
)
def test_party_slug(value: str, expected: str) -> None:
    assert party_slug(value) == expected


@pytest.mark.parametrize(
    ("number", "encoded"),
    [
        ("STK-2018-885", "STK-2018-885"),
        ("3.1.3-91/2019", "3.1.3-91_2019"),
        ("KS 2021/317", "KS+2021_317"),
        ("2019/KS 0145 10", "2019_KS+0145+10"),
        ("0835/19", "0835_19"),
        ("2020.123", "2020.123"),
        ("KS 2021/317.2", "KS+2021_317.2"),
        # characters outside the scheme stay reversible: percent-encoded
        ("MÖN-2020-12", "M%C3%96N-2020-12"),
        ("A_B+C~D%E", "A%5FB%2BC%7ED%25E"),
    ],
)
def test_case_number_encoding_is_readable_and_reversible(number: str, encoded: str) -> None:
    assert encode_case_number(number) == encoded
    assert decode_case_number(encoded) == number


@pytest.mark.parametrize("bad", ["", " STK-2018-885", "STK-2018-885 "])
def test_case_number_with_edge_space_is_an_error(bad: str) -> None:
    with pytest.raises(IriError, match="case number"):
        encode_case_number(bad)


@pytest.mark.parametrize(
    ("kind", "raw", "iri", "parts"),
    [
        ("municipality", {"municipality": "Malmö"}, B + "kommun/malmo", {"municipality": "malmo"}),
        ("municipality", {"municipality": None}, B + "kommun/okand", {"municipality": "okand"}),
        (
            "case",
            {"municipality": "Malmö", "number": "STK-2018-885"},
            B + "arende/malmo/STK-2018-885",
            {"municipality": "malmo", "number": "STK-2018-885"},
        ),
        (
            "case",
            {"municipality": "Stockholm", "number": "3.1.3-91/2019"},
            B + "arende/stockholm/3.1.3-91_2019",
            {"municipality": "stockholm", "number": "3.1.3-91/2019"},
        ),
        (
            "case",
            {"municipality": None, "number": "KS 2021/317"},
            B + "arende/okand/KS+2021_317",
            {"municipality": "okand", "number": "KS 2021/317"},
        ),
        (
            "body",
            {"municipality": "Malmö", "name": "Arbetsmarknads- och socialnämnden"},
            B + "organ/malmo/arbetsmarknads-och-socialnamnden",
            {"municipality": "malmo", "name": "arbetsmarknads-och-socialnamnden"},
        ),
        (
            "administration",
            {"municipality": "Malmö", "name": "Stadskontoret"},
            B + "forvaltning/malmo/stadskontoret",
            {"municipality": "malmo", "name": "stadskontoret"},
        ),
        (
            "person",
            {"municipality": "Malmö", "name": "Per-Erik Ebbeståhl"},
            B + "person/malmo/per-erik-ebbestahl",
            {"municipality": "malmo", "name": "per-erik-ebbestahl"},
        ),
        ("party", {"party": "SD"}, B + "parti/sd", {"party": "sd"}),
        ("organisation", {"name": "KPMG"}, B + "organisation/kpmg", {"name": "kpmg"}),
        ("role", {"name": "Avdelningschef"}, B + "roll/avdelningschef", {"name": "avdelningschef"}),
        (
            "document",
            {"document": "000_3c3574245795578f.txt"},
            B + "dokument/000_3c3574245795578f",
            {"document": "000_3c3574245795578f"},
        ),
        (
            "graph",
            {"document": "000_3c3574245795578f.txt"},
            B + "graf/000_3c3574245795578f",
            {"document": "000_3c3574245795578f"},
        ),
        ("activity", {"document": "a.txt"}, B + "dokument/a/extraktion", {"document": "a"}),
        (
            "recommendation",
            {"document": "a.txt", "ordinal": 3},
            B + "dokument/a/rekommendation/3",
            {"document": "a", "ordinal": "3"},
        ),
        (
            "span",
            {"document": "a.txt", "start": 120, "end": 245},
            B + "dokument/a/span/120-245",
            {"document": "a", "start": "120", "end": "245"},
        ),
        (
            "span",
            {"document": "a.txt", "start": 0, "end": 1},
            B + "dokument/a/span/0-1",
            {"document": "a", "start": "0", "end": "1"},
        ),
        (
            "mention",
            {"document": "a.txt", "target": "organ", "ordinal": 12},
            B + "dokument/a/omnamnande/organ-12",
            {"document": "a", "target": "organ", "ordinal": "12"},
        ),
        (
            "referenced_document",
            {"document": "a.txt", "ordinal": 2},
            B + "dokument/a/referens/2/handling",
            {"document": "a", "ordinal": "2"},
        ),
        (
            "referenced_decision",
            {"document": "a.txt", "ordinal": 2},
            B + "dokument/a/referens/2/beslut",
            {"document": "a", "ordinal": "2"},
        ),
        (
            "treatment",
            {"document": "a.txt", "ordinal": 1},
            B + "dokument/a/behandling/1",
            {"document": "a", "ordinal": "1"},
        ),
    ],
)
def test_mint_and_parse(kind: str, raw: dict, iri: str, parts: dict) -> None:
    assert mint(kind, **raw) == iri
    parsed = parse(iri)
    assert parsed.kind == kind
    assert dict(parsed.parts) == parts
    assert mint(parsed.kind, **parsed.parts) == iri


def test_every_kind_round_trips() -> None:
    samples = {
        "municipality": "Malmö",
        "number": "2019/KS 0145 10",
        "name": "Grundskolenämnden",
        "party": "Vänsterpartiet",
        "document": "Tjänsteskrivelse 1.txt",
        "ordinal": 7,
        "start": 5,
        "end": 9,
        "target": "person",
    }
    for kind in KINDS:
        iri = mint(kind, **{k: samples[k] for k in part_names(kind)})
        parsed = parse(iri)
        assert parsed.kind == kind, iri
        assert mint(parsed.kind, **parsed.parts) == iri


def test_part_names() -> None:
    assert part_names("case") == ("municipality", "number")
    assert part_names("span") == ("document", "start", "end")
    with pytest.raises(IriError, match="unknown IRI kind"):
        part_names("nope")


def test_configurable_base() -> None:
    base = "http://example.org/bg/"
    iri = mint("body", base=base, municipality="Stockholm", name="Kommunstyrelsen")
    assert iri == "http://example.org/bg/organ/stockholm/kommunstyrelsen"
    assert dict(parse(iri, base=base).parts) == {
        "municipality": "stockholm",
        "name": "kommunstyrelsen",
    }
    with pytest.raises(IriError, match="not under the base IRI"):
        parse(iri)


def test_same_name_in_two_municipalities_gives_two_bodies() -> None:
    malmo = mint("body", municipality="Malmö", name="Kommunstyrelsen")
    stockholm = mint("body", municipality="Stockholm", name="Kommunstyrelsen")
    assert malmo != stockholm


@pytest.mark.parametrize(
    ("kind", "parts", "message"),
    [
        ("nope", {}, "unknown IRI kind 'nope'"),
        ("case", {"municipality": "Malmö"}, "missing \\['number'\\]"),
        ("party", {"party": "SD", "name": "x"}, "unexpected \\['name'\\]"),
        (
            "recommendation",
            {"document": "a.txt", "ordinal": 0},
            "ordinal must be a positive integer",
        ),
        ("span", {"document": "a.txt", "start": 9, "end": 5}, "start 9 is after end 5"),
        (
            "span",
            {"document": "a.txt", "start": -1, "end": 5},
            "start must be a non-negative integer",
        ),
        (
            "mention",
            {"document": "a.txt", "target": "thing", "ordinal": 1},
            "target must be one of",
        ),
        ("body", {"municipality": "Malmö", "name": "!!"}, "cannot make a slug"),
    ],
)
def test_mint_errors_name_the_problem(kind: str, parts: dict, message: str) -> None:
    with pytest.raises(IriError, match=message):
        mint(kind, **parts)


def test_mint_rejects_a_base_without_slash() -> None:
    with pytest.raises(IriError, match="ending in '/'"):
        mint("party", base="https://beslutsgraf.se/id", party="SD")


@pytest.mark.parametrize(
    "iri",
    [
        B + "organ/malmo",  # too short
        B + "organ/Malmo/kommunstyrelsen",  # not a slug
        B + "dokument/a/rekommendation/0",  # ordinal 0
        B + "dokument/a/omnamnande/thing-1",  # unknown mention target
        B + "dokument/a/span/5",  # not start-end
        B + "okand/x",
        "https://elsewhere.org/id/organ/malmo/ks",
    ],
)
def test_parse_rejects_foreign_iris(iri: str) -> None:
    with pytest.raises(IriError):
        parse(iri)
