"""The rule that says which document answers a recommendation (services/entities/answers.py)."""

from __future__ import annotations

from beslutsgraf.services.entities.answers import Answer, answering_document

BG = "https://beslutsgraf.se/ontology#"
AUDIT, REPLY, LATER = "urn:doc:audit", "urn:doc:reply", "urn:doc:later"


def test_a_response_with_a_proposal_answers_itself() -> None:
    got = answering_document(REPLY, classes={BG + "Document", BG + "Yttrande"}, proposals={REPLY: "Nämnden godkänner"}, citing=[LATER])
    assert got == Answer(REPLY, "Nämnden godkänner")


def test_a_tjansteskrivelse_without_a_proposal_looks_for_a_citing_document() -> None:
    got = answering_document(REPLY, classes={BG + "Tjansteskrivelse"}, proposals={REPLY: None, LATER: "Att godkänna"}, citing=[LATER, AUDIT])
    assert got == Answer(LATER, "Att godkänna")


def test_an_audit_report_is_answered_by_the_first_citing_document_even_without_a_proposal() -> None:
    got = answering_document(AUDIT, classes={BG + "Revisionsrapport"}, proposals={AUDIT: "Att …"}, citing=[LATER])
    assert got == Answer(LATER, None)


def test_no_citing_document_no_answer() -> None:
    assert answering_document(AUDIT, classes={BG + "Revisionsrapport"}, proposals={}, citing=[]) is None
