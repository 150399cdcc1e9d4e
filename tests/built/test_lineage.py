"""Lineage and entity services on the built corpus (real Oxigraph store)."""

from __future__ import annotations

import pytest

from beslutsgraf.config import Settings
from beslutsgraf.graph.store import DataDir, ServingReader
from beslutsgraf.services.entities import EntityService, NotFound
from beslutsgraf.services.lineage import LineageService

BASE = "https://beslutsgraf.se/id/"
CTC = BASE + "dokument/004_d69471dc42ee4681"


@pytest.fixture(scope="module")
def services(built_settings: Settings):
    serving = ServingReader(DataDir(built_settings.data_path))
    entities = EntityService(serving.get, base_iri=built_settings.base_iri)
    yield entities, LineageService(entities)
    serving.close()


def test_case_lineage_upstream_is_typed_with_evidence(services) -> None:
    _, lineage = services
    lin = lineage.lineage("STK-2024-351")
    assert lin.subject["iri"] == BASE + "arende/malmo/STK-2024-351"
    assert [d["iri"] for d in lin.documents] == [CTC]
    types = {(x.type, x.target_label) for x in lin.upstream}
    assert ("beslutsunderlag", "Rapport Public Partner om CTC") in types
    assert ("hanvisar_arende", "STK-2023-137") in types
    earlier = [x for x in lin.upstream if x.type == "tidigare_beslut"]
    assert {x.date for x in earlier} == {"2017", "2017-05"}
    text = services[0].document("004_d69471dc42ee4681")["text"]
    for x in lin.upstream:  # every link can be checked against the source text
        ev = x.evidence
        assert ev["document"] == CTC
        assert text[ev["start"] : ev["end"]] == ev["exact"]


def test_case_lineage_timeline_is_ordered_and_holds_the_decision_path(services) -> None:
    _, lineage = services
    lin = lineage.lineage("STK-2024-351")
    dated = [ev.date for ev in lin.timeline if ev.date]
    assert dated == sorted(dated)
    planned = [(ev.date, ev.body) for ev in lin.timeline if ev.kind == "planerad behandling"]
    assert ("2024-06-19", "Kommunfullmäktige") in planned
    assert ("2024-03-25", "Kommunstyrelsens arbetsutskott") in planned
    assert any(ev.kind == "handling" and ev.document == CTC for ev in lin.timeline)


def test_remissvar_answers_the_audit_case_both_ways(services) -> None:
    _, lineage = services
    answer = BASE + "dokument/001_e1b0bc157f42c3af"
    up = lineage.lineage("001_e1b0bc157f42c3af")
    assert any(x.type == "svarar_pa" and x.target_label == "3.1.3-91/2019" for x in up.upstream)
    down = lineage.lineage("3.1.3–91/2019")  # en-dash as written in the document
    assert [(x.type, x.source) for x in down.downstream] == [("besvaras_av", answer)]


def test_resolve_accepts_ids_file_names_keys_and_iris(services) -> None:
    _, lineage = services
    assert lineage.resolve("004_d69471dc42ee4681.txt") == CTC
    assert lineage.resolve("dokument/004_d69471dc42ee4681") == CTC
    assert lineage.resolve(CTC) == CTC
    assert lineage.resolve("arende/malmo/STK-2018-885") == BASE + "arende/malmo/STK-2018-885"
    with pytest.raises(NotFound, match="no case or document 'STK-1999-1'"):
        lineage.resolve("STK-1999-1")
    with pytest.raises(NotFound, match="depth"):
        lineage.lineage("STK-2024-351", depth=9)


def test_document_view_facts_carry_exact_spans(services) -> None:
    entities, _ = services
    doc = entities.document("004_d69471dc42ee4681")
    assert doc["title"] == "Överföring av medel, CTC" and doc["case_number"] == "STK-2024-351"
    assert len(doc["facts"]) > 50
    for f in doc["facts"]:
        assert doc["text"][f["start"] : f["end"]] == f["exact"]
    kinds = {f["type"] for f in doc["facts"]}
    assert {"Mention", "DecisionProposal", "PlannedTreatment", "Recipient", "DocumentReference"} <= kinds
    with pytest.raises(NotFound):
        entities.document("no_such_document")


def test_body_view_recommendations_with_answers(services) -> None:
    entities, _ = services
    body = entities.body(BASE + "organ/stockholm/skarholmens-stadsdelsnamnd")
    recs = body["recommendations"]
    texts = [r["text"] for r in recs]
    assert texts[0].startswith("Säkerställa att berörda medarbetare fullföljer")
    assert len(set(texts)) == 3  # stated twice: to this district, then to all three audited
    assert recs[0]["issuer"]["name"] == "Revisionskontoret"
    assert all(any(t["name"] == "Skärholmens stadsdelsnämnd" for t in r["targets"]) for r in recs)
    assert all(r["status"] == "besvarad" for r in recs)
    assert recs[0]["answered_by"]["iri"] == BASE + "dokument/001_e1b0bc157f42c3af"
    assert recs[0]["answered_by"]["proposal"].startswith("Stadsdelsnämnden godkänner")
    ks = entities.body(BASE + "organ/malmo/kommunstyrelsen")
    assert any(d["type"] == "DecisionProposal" for d in ks["decisions"])
    assert {r["l"] for r in ks["related"]} >= {"Stadskontoret", "Kommunstyrelsens arbetsutskott"}


def test_lists_are_paginated(services) -> None:
    entities, _ = services
    first = entities.documents(limit=2, offset=0)
    rest = entities.documents(limit=50, offset=2)
    assert first.total == 5 and len(first.items) == 2 and len(rest.items) == 3
    assert not {d["iri"] for d in first.items} & {d["iri"] for d in rest.items}
    with pytest.raises(Exception, match="limit"):
        entities.documents(limit=0)
    assert entities.person(BASE + "person/malmo/per-erik-ebbestahl")["memberships"][0]["role"] == "Avdelningschef"
