"""The auditors' example queries in ontology/queries/ return the right rows on the corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from beslutsgraf.build import build
from beslutsgraf.config import load_settings
from beslutsgraf.services.sparql import run_query

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "ontology" / "queries"
ID = "https://beslutsgraf.se/id/"

# Two short documents beyond the corpus: a Malmö yttrande that answers ASN-2023-12667
# (the case of 002) and a later decision that cites the yttrande's own case: a chain
# 003x -> 002x -> 002 for the transitive query.
ANSWER = """Malmö stad
Datum
2023-10-02

Tjänsteskrivelse

Svar på ärende ASN-2023-12667 om brottsförebyggande arbete GRN-2023-4410

Sammanfattning

Grundskolenämnden lämnar synpunkter i ärendet ASN-2023-12667 om samverkan med polisen.
"""
FOLLOW_UP = """Malmö stad
Datum
2024-01-15

Tjänsteskrivelse

Uppföljning av skolans samverkan med polisen FRN-2024-0012

Sammanfattning

Fritidsnämnden följer upp grundskolenämndens svar i ärende GRN-2023-4410.
"""


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("queries")
    corpus = Path(shutil.copytree(ROOT / "corpus", tmp / "corpus"))
    (corpus / "malmo_svar.txt").write_text(ANSWER, encoding="utf-8")
    (corpus / "malmo_uppfoljning.txt").write_text(FOLLOW_UP, encoding="utf-8")
    s = load_settings(data_dir=str(tmp / "data"))
    report = build(corpus, settings=s)
    assert not report.failed
    return s


def rows(settings, name: str) -> list[dict[str, str | None]]:
    result = run_query(settings, (QUERIES / name).read_text(encoding="utf-8"))
    return [{v: (t.value if t else None) for v, t in zip(result.variables, r)} for r in result.rows]


def test_every_example_query_runs(settings) -> None:
    names = sorted(p.name for p in QUERIES.glob("*.rq"))
    assert len(names) >= 5
    for name in names:
        assert rows(settings, name) is not None


def test_documents_citing_a_case(settings) -> None:
    got = rows(settings, "documents_citing_case.rq")  # STK-2017-284
    assert [(r["sourceFile"], r["exact"], r["municipality"]) for r in got] == [
        ("002_a82cb0acb981a939.txt", "STK-2017-284", "Malmö")
    ]
    text = (ROOT / "corpus" / "002_a82cb0acb981a939.txt").read_text(encoding="utf-8")
    assert "STK-2017-284" in text


def test_recommendations_to_a_body_with_issuer_and_span(settings) -> None:
    got = rows(settings, "recommendations_to_body.rq")  # Kommunstyrelsen
    by_muni = {(r["municipality"], r["issuer"]) for r in got}
    assert by_muni == {("Malmö", "Stadsrevisionen"), ("Stockholm", "Revisionskontoret")}
    assert len(got) == 5
    for r in got:
        assert int(r["end"]) - int(r["start"]) == len(r["exact"])
        assert "ommunstyrelsen" in r["exact"]


def test_planned_decision_path_in_date_order(settings) -> None:
    got = rows(settings, "decision_path.rq")  # STK-2018-885
    assert [(r["date"], r["body"]) for r in got] == [
        ("2018-10-22", "Kommunstyrelsens arbetsutskott"),
        ("2018-10-29", "Kommunstyrelsen"),
    ]


def test_bodies_a_document_mentions_with_municipality(settings) -> None:
    got = rows(settings, "bodies_in_document.rq")  # 000
    names = {r["name"] for r in got}
    assert {"Kommunstyrelsen", "Arbetsmarknads- och socialnämnden", "Grundskolenämnden",
            "Gymnasie- och vuxenutbildningsnämnden", "Revisorskollegiet",
            "Kommunstyrelsens arbetsutskott"} <= names
    assert {r["municipality"] for r in got} == {"Malmö"}
    ks = next(r for r in got if r["name"] == "Kommunstyrelsen")
    assert int(ks["mentions"]) == 15


def test_documents_citing_each_other_transitively(settings) -> None:
    got = {(r["citingFile"], r["citedFile"]) for r in rows(settings, "documents_citing_transitively.rq")}
    assert got == {
        ("malmo_svar.txt", "002_a82cb0acb981a939.txt"),
        ("malmo_uppfoljning.txt", "malmo_svar.txt"),
        ("malmo_uppfoljning.txt", "002_a82cb0acb981a939.txt"),
    }


def test_earlier_decisions_with_body_and_date(settings) -> None:
    got = {(r["body"], r["date"], r["caseNumber"]) for r in rows(settings, "earlier_decisions.rq")}
    assert ("Kommunfullmäktige", "2016-11", "STK-2016-346") in got
    assert ("Revisorskollegiet", "2018-08-23", None) in got
    assert ("Kommunstyrelsen", "2017-05", None) in got
