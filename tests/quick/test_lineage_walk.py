"""The lineage walk over a small hand-made citation index: exact links, timeline, resolve."""

from __future__ import annotations

import pytest

from beslutsgraf.graph import uris
from beslutsgraf.services.lineage import CitationIndex, NotFound, walk

BASE = "https://example.org/id/"
BG = "https://beslutsgraf.se/ontology#"
CASE = uris.mint("case", base=BASE, municipality="Malmö", number="STK-2024-1")
OLD_CASE = uris.mint("case", base=BASE, municipality="Malmö", number="STK-2020-9")
OLD, NEW, REPLY = (uris.mint("document", base=BASE, document=d) for d in ("old", "new", "reply"))
OLD_TITLE = "Handlingsplan mot våldsbejakande extremism"


def doc(iri: str, date: str, title: str, case: str | None) -> dict:
    return {"iri": iri, "source": uris.document_id(iri, base=BASE) + ".txt", "title": title, "date": date, "municipality": "Malmö", "case": case}


def span(start: int, end: int, exact: str) -> dict:
    return {"start": start, "end": end, "exact": exact}


def make_index() -> CitationIndex:
    # NEW (case STK-2024-1) lists OLD's title under Beslutsunderlag and cites OLD's case;
    # REPLY is a yttrande on NEW's case.
    return CitationIndex(
        documents=[doc(OLD, "2020-05-01", OLD_TITLE, OLD_CASE), doc(NEW, "2024-03-01", "Uppföljning", CASE), doc(REPLY, "2024-06-01", "Yttrande över uppföljning", None)],
        cases={CASE: {"number": "STK-2024-1", "municipality": "Malmö"}, OLD_CASE: {"number": "STK-2020-9", "municipality": "Malmö"}},
        references={
            NEW: [
                {"ref": NEW + "/referens/1", "cls": BG + "DocumentReference", "t": NEW + "/referens/1/handling", "title": OLD_TITLE, "tcase": None, "date": "2020-05-01", **span(120, 160, OLD_TITLE)},
                {"ref": NEW + "/referens/2", "cls": BG + "CaseReference", "t": OLD_CASE, "num": "STK-2020-9", **span(300, 310, "STK-2020-9")},
                {"ref": NEW + "/referens/3", "cls": BG + "CaseReference", "t": CASE, "num": "STK-2024-1", **span(5, 15, "STK-2024-1")},
            ]
        },
        case_citations={CASE: [{"d": REPLY, "ref": REPLY + "/referens/1", **span(40, 50, "STK-2024-1")}]},
        sections={NEW: [("beslutsunderlag", 100, 200)]},
        responses=frozenset({REPLY}),
        treatments={NEW: [{"date": "2024-04-10", "body": "Kommunstyrelsen", **span(400, 430, "Kommunstyrelsen 2024-04-10")}]},
    )


def test_upstream_links_are_typed_by_section_and_own_case_is_skipped() -> None:
    links = walk.upstream_of(make_index(), NEW, 1, base=BASE)
    assert [(x.type, x.target_label, x.target_documents) for x in links] == [
        ("beslutsunderlag", OLD_TITLE, [OLD]),
        ("hanvisar_arende", "STK-2020-9", [OLD]),
    ]
    assert links[0].evidence == {"document": NEW, "start": 120, "end": 160, "exact": OLD_TITLE}


def test_downstream_of_a_case_is_the_response_that_cites_it() -> None:
    links = walk.downstream_of(make_index(), NEW, CASE, 1, base=BASE)
    assert [(x.type, x.source, x.target_label, x.date) for x in links] == [("besvaras_av", REPLY, "Yttrande över uppföljning", "2024-06-01")]


def test_downstream_of_a_document_by_its_title() -> None:
    links = walk.downstream_of(make_index(), OLD, OLD_CASE, 1, base=BASE)
    # NEW cites OLD's case (no case_citations row here) and OLD's title: only titled references count.
    assert links == []
    index = make_index()
    index.titled_references = [{"d": NEW, "ref": NEW + "/referens/1", "title": OLD_TITLE, **span(120, 160, OLD_TITLE)}]
    links = walk.downstream_of(index, OLD, OLD_CASE, 1, base=BASE)
    assert [(x.type, x.source) for x in links] == [("citeras_av", NEW)]


def test_lineage_of_a_case_walks_both_ways_and_orders_the_timeline() -> None:
    lin = walk.lineage(make_index(), CASE, depth=2, base=BASE)
    assert lin.subject == {"iri": CASE, "kind": "case", "label": "STK-2024-1", "municipality": "Malmö"}
    assert [d["iri"] for d in lin.documents] == [NEW]
    assert [(x.type, x.depth) for x in lin.upstream] == [("beslutsunderlag", 1), ("hanvisar_arende", 1)]
    assert [(x.type, x.source) for x in lin.downstream] == [("besvaras_av", REPLY)]
    assert set(lin.related_documents) == {OLD, NEW, REPLY}
    assert [(e.date, e.kind) for e in lin.timeline] == [
        ("2020-05-01", "handling"),
        ("2020-05-01", "citerad handling"),
        ("2024-03-01", "handling"),
        ("2024-04-10", "planerad behandling"),
        ("2024-06-01", "handling"),
    ]


def test_resolve_by_number_file_name_key_and_iri() -> None:
    index = make_index()
    assert walk.resolve(index, "STK-2024-1", base=BASE, case_numbers={"STK-2024-1"}) == CASE
    assert walk.resolve(index, "new.txt", base=BASE, case_numbers=set()) == NEW
    assert walk.resolve(index, "dokument/new", base=BASE, case_numbers=set()) == NEW
    assert walk.resolve(index, NEW, base=BASE, case_numbers=set()) == NEW
    with pytest.raises(NotFound, match="no case or document"):
        walk.resolve(index, "STK-1999-1", base=BASE, case_numbers={"STK-1999-1"})
    with pytest.raises(NotFound, match="depth"):
        walk.lineage(index, CASE, depth=9, base=BASE)
