"""Facts → RDF: a hand-made extraction maps to a graph that passes the shapes, broken
graphs fail them, and every example query runs on Oxigraph with the expected rows."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery

from beslutsgraf.errors import ExtractionError
from beslutsgraf.graph.ontology import ontology, ontology_copy, ontology_iri, shapes
from beslutsgraf.graph.triples import date_literal, document_graph
from beslutsgraf.graph.validation import failures, validate
from beslutsgraf.model import (
    BodyMention,
    CaseNumber,
    DecisionProposal,
    DocumentMeta,
    Extraction,
    Item,
    Organisation,
    Person,
    PlannedTreatment,
    Recipient,
    Recommendation,
    Reference,
    Section,
)
from beslutsgraf.paths import QUERIES_DIR
from beslutsgraf.vocab import BG, OA, PROV, RDF, RDFS

# A plain Namespace: pytest probes module globals, and rdflib's XSD warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

BASE = "https://beslutsgraf.se/id/"
ID = BASE
DOC = ID + "dokument/000_test"
VERSION = "beslutsgraf-extract/0.1.0"

TEXT = """Tjänsteskrivelse

Remiss från stadsrevisionen - Granskning Våldsbejakande miljöer STK-2018-885

Sammanfattning

Kommunstyrelsen rekommenderas säkerställa att roll- och ansvarsfördelningen är tydlig. Malmö stad har samverkansöverenskommelser med Polisområde Malmö (STK-2017-284). I november 2016 tog kommunfullmäktige beslut om en ny organisation i Malmö stad (STK-2016-346). Granskningen är genomförd av KPMG.

Förslag till beslut

1. Kommunstyrelsen godkänner förslag till yttrande och översänder det till Revisorskollegiet.

Beslutsunderlag

- G-Tjänsteskrivelse KSAU 181022 Granskning av Malmö stads förebyggande arbete

Beslutsplanering

Kommunstyrelsens arbetsutskott 2018-10-22

Kommunstyrelsen 2018-10-29

Beslutet skickas till

Revisorskollegiet
Stadskontorets handläggare

Ansvariga

Andreas Norbrant Stadsdirektör

Jacqueline Maly (SD)
"""


def at(needle: str, occurrence: int = 1, text: str = TEXT) -> tuple[int, int]:
    """(start, end) of the n-th occurrence of ``needle``: offsets are never typed by hand."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def within(needle: str, context: str) -> tuple[int, int]:
    """(start, end) of ``needle`` inside the first occurrence of ``context``."""
    start = TEXT.index(context) + context.index(needle)
    return start, start + len(needle)


def section(key: str, title: str, next_title: str | None) -> Section:
    start, heading_end = at(title + "\n")
    end = TEXT.index("\n\n" + next_title + "\n") if next_title else len(TEXT.rstrip())
    return Section(key, title, start, end, heading_end)


def make_extraction() -> Extraction:
    """One document with a few facts of every type (modelled on corpus/000 and 002)."""
    title = "Remiss från stadsrevisionen - Granskning Våldsbejakande miljöer"
    return Extraction(
        source="000_test.txt",
        text=TEXT,
        sha256=hashlib.sha256(TEXT.encode()).hexdigest(),
        extractor_version=VERSION,
        document=DocumentMeta(
            title=title,
            doc_type="Tjänsteskrivelse",
            date="2018-10-10",
            municipality="Malmö",
            case_number="STK-2018-885",
            title_start=at(title)[0],
            title_end=at(title)[1],
            addressee=None,
            reference_person="Andreas Norbrant",
        ),
        sections=[
            section("sammanfattning", "Sammanfattning", "Förslag till beslut"),
            section("forslag_till_beslut", "Förslag till beslut", "Beslutsunderlag"),
            section("beslutsplanering", "Beslutsplanering", "Beslutet skickas till"),
        ],
        items=[
            Item(
                "agenda_item",
                "1",
                "Kommunstyrelsen godkänner förslag",
                *at("1. Kommunstyrelsen godkänner"),
            )
        ],
        case_numbers=[
            CaseNumber(
                "STK-2018-885",
                "STK-2018-885",
                *at("STK-2018-885"),
                scheme="prefix-year-serial",
                registry="STK",
                year=2018,
                body="Stadskontoret",
                is_own=True,
            ),
            CaseNumber(
                "STK-2017-284",
                "STK-2017-284",
                *at("STK-2017-284"),
                scheme="prefix-year-serial",
                registry="STK",
                year=2017,
                body="Stadskontoret",
            ),
            CaseNumber(
                "STK-2016-346",
                "STK-2016-346",
                *at("STK-2016-346"),
                scheme="prefix-year-serial",
                registry="STK",
                year=2016,
                body="Stadskontoret",
            ),
        ],
        bodies=[
            BodyMention(
                "Kommunstyrelsen",
                "Kommunstyrelsen",
                *within("Kommunstyrelsen", "Kommunstyrelsen rekommenderas"),
                kind="styrelse",
                municipality="Malmö",
            ),
            BodyMention(
                "Kommunfullmäktige",
                "kommunfullmäktige",
                *at("kommunfullmäktige"),
                kind="fullmäktige",
                municipality="Malmö",
            ),
            BodyMention(
                "Kommunstyrelsen",
                "Kommunstyrelsen",
                *within("Kommunstyrelsen", "1. Kommunstyrelsen godkänner"),
                kind="styrelse",
                municipality="Malmö",
            ),
            BodyMention(
                "Revisorskollegiet",
                "Revisorskollegiet",
                *at("Revisorskollegiet"),
                kind="revision",
                municipality="Malmö",
            ),
            BodyMention(
                "Kommunstyrelsens arbetsutskott",
                "KSAU",
                *at("KSAU"),
                kind="utskott",
                municipality="Malmö",
                parent="Kommunstyrelsen",
                derived=True,
            ),
            BodyMention(
                "Stadskontoret",
                "Stadskontorets",
                *at("Stadskontorets"),
                kind="förvaltning",
                municipality="Malmö",
                serves="Kommunstyrelsen",
            ),
        ],
        persons=[
            Person(
                "Andreas Norbrant",
                "Stadsdirektör",
                None,
                *at("Andreas Norbrant"),
                text="Andreas Norbrant",
                context="ansvariga",
            ),
            Person(
                "Jacqueline Maly",
                None,
                "SD",
                *at("Jacqueline Maly"),
                text="Jacqueline Maly",
                context="party",
            ),
        ],
        organisations=[
            Organisation(
                "Polisområde Malmö",
                "Polisområde Malmö",
                *at("Polisområde Malmö"),
                kind="organisation",
            ),
            Organisation("KPMG", "KPMG", *at("KPMG"), kind="organisation"),
        ],
        recommendations=[
            Recommendation(
                "Kommunstyrelsen rekommenderas säkerställa att roll- och ansvarsfördelningen är tydlig.",
                "Stadsrevisionen",
                ("Kommunstyrelsen",),
                *at(
                    "Kommunstyrelsen rekommenderas säkerställa att roll- och ansvarsfördelningen är tydlig."
                ),
            ),
        ],
        decision_proposals=[
            DecisionProposal(
                "Kommunstyrelsen godkänner förslag till yttrande och översänder det till Revisorskollegiet.",
                "Kommunstyrelsen",
                *at(
                    "Kommunstyrelsen godkänner förslag till yttrande och översänder det till Revisorskollegiet."
                ),
                ordinal=1,
            ),
        ],
        planned_treatments=[
            PlannedTreatment(
                "Kommunstyrelsens arbetsutskott",
                "2018-10-22",
                *at("Kommunstyrelsens arbetsutskott 2018-10-22"),
                ordinal=1,
                text="Kommunstyrelsens arbetsutskott 2018-10-22",
            ),
            PlannedTreatment(
                "Kommunstyrelsen",
                "2018-10-29",
                *at("Kommunstyrelsen 2018-10-29"),
                ordinal=2,
                text="Kommunstyrelsen 2018-10-29",
            ),
        ],
        recipients=[
            Recipient(
                "Revisorskollegiet",
                "Revisorskollegiet",
                *within("Revisorskollegiet", "Revisorskollegiet\nStadskontorets"),
            ),
            Recipient(
                "Stadskontorets handläggare",
                "Stadskontorets handläggare",
                *at("Stadskontorets handläggare"),
            ),
        ],
        references=[
            Reference("case", "STK-2017-284", "STK-2017-284", *at("STK-2017-284")),
            Reference("case", "STK-2016-346", "STK-2016-346", *at("STK-2016-346")),
            Reference(
                "decision",
                "I november 2016 tog kommunfullmäktige beslut om en ny organisation i Malmö stad (STK-2016-346).",
                "beslut om en ny organisation i Malmö stad",
                *at(
                    "I november 2016 tog kommunfullmäktige beslut om en ny organisation i Malmö stad (STK-2016-346)."
                ),
                date="2016-11",
                body="Kommunfullmäktige",
                case_number="STK-2016-346",
            ),
            Reference(
                "document",
                "G-Tjänsteskrivelse KSAU 181022 Granskning av Malmö stads förebyggande arbete",
                "Granskning av Malmö stads förebyggande arbete",
                *at("G-Tjänsteskrivelse KSAU 181022 Granskning av Malmö stads förebyggande arbete"),
                date="2018-10-22",
                body="Kommunstyrelsens arbetsutskott",
                derived=True,
            ),
        ],
    )


def small_extraction(source: str, own: str, cites: tuple[str, ...]) -> Extraction:
    """A minimal document with its own case and case references: for citation chains."""
    text = f"Tjänsteskrivelse {own}. Se " + " och ".join(cites) + "."
    refs = [Reference("case", c, c, *at(c, text=text)) for c in cites]
    return Extraction(
        source=source,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        extractor_version=VERSION,
        document=DocumentMeta(
            title=None,
            doc_type="Tjänsteskrivelse",
            date=None,
            municipality="Malmö",
            case_number=own,
        ),
        case_numbers=[
            CaseNumber(own, own, *at(own, text=text), scheme="prefix-year-serial", is_own=True)
        ],
        references=refs,
    )


@pytest.fixture(scope="module")
def built() -> tuple[str, Graph]:
    return document_graph(make_extraction(), base_iri=BASE)


@pytest.fixture(scope="module")
def g(built: tuple[str, Graph]) -> Graph:
    return built[1]


# --- the mapping ------------------------------------------------------------------


def test_graph_iri(built: tuple[str, Graph]) -> None:
    assert built[0] == ID + "graf/000_test"


def test_hand_made_graph_conforms(g: Graph) -> None:
    conforms, report = validate(g)
    assert conforms, report


def test_document(g: Graph) -> None:
    doc = URIRef(DOC)
    assert set(g.objects(doc, RDF.type)) == {BG.Document, BG.Tjansteskrivelse}
    assert g.value(doc, BG.sourceFile) == Literal("000_test.txt")
    assert g.value(doc, BG.text) == Literal(TEXT)
    assert g.value(doc, BG.sha256) == Literal(hashlib.sha256(TEXT.encode()).hexdigest())
    assert g.value(doc, BG.title) == Literal(
        "Remiss från stadsrevisionen - Granskning Våldsbejakande miljöer"
    )
    assert g.value(doc, BG.date) == Literal("2018-10-10", datatype=XSD.date)
    assert g.value(doc, BG.documentType) == Literal("Tjänsteskrivelse")
    assert g.value(doc, BG.language) == Literal("sv", datatype=XSD.language)
    assert g.value(doc, BG.municipality) == URIRef(ID + "kommun/malmo")
    assert g.value(doc, BG.case) == URIRef(ID + "arende/malmo/STK-2018-885")
    assert g.value(doc, BG.referencePerson) == URIRef(ID + "person/malmo/andreas-norbrant")
    assert set(g.objects(doc, BG.cites)) == {
        URIRef(ID + "arende/malmo/STK-2017-284"),
        URIRef(ID + "arende/malmo/STK-2016-346"),
        URIRef(DOC + "/referens/3/beslut"),
        URIRef(DOC + "/referens/4/handling"),
    }


def test_activity_carries_the_extractor_version(g: Graph) -> None:
    activity = URIRef(DOC + "/extraktion")
    assert g.value(activity, RDF.type) == BG.ExtractionActivity
    assert g.value(activity, BG.extractorVersion) == Literal(VERSION)
    assert g.value(activity, PROV.used) == URIRef(DOC)
    generated = set(g.subjects(PROV.wasGeneratedBy, activity))
    assert generated == set(g.subjects(BG.evidence, None))
    # 3 sections + 1 item + 13 mentions (3 cases, 6 bodies, 2 persons, 2 organisations)
    # + 2 memberships + 1 recommendation + 1 proposal + 2 treatments + 2 recipients
    # + 4 references + 2 reference targets (a decision, a referenced document)
    assert len(generated) == 31


def test_evidence_span_is_the_exact_text(g: Graph) -> None:
    rec = URIRef(DOC + "/rekommendation/1")
    start, end = at(
        "Kommunstyrelsen rekommenderas säkerställa att roll- och ansvarsfördelningen är tydlig."
    )
    span = g.value(rec, BG.evidence)
    assert span == URIRef(f"{DOC}/span/{start}-{end}")
    assert g.value(span, RDF.type) == BG.Span
    assert g.value(span, BG.inDocument) == URIRef(DOC)
    assert g.value(span, OA.start) == Literal(start)
    assert g.value(span, OA.end) == Literal(end)
    assert g.value(span, OA.exact) == Literal(TEXT[start:end])


def test_every_span_is_exact(g: Graph) -> None:
    for span in g.subjects(RDF.type, BG.Span):
        start, end = g.value(span, OA.start).toPython(), g.value(span, OA.end).toPython()
        assert str(g.value(span, OA.exact)) == TEXT[start:end]


def test_recommendation(g: Graph) -> None:
    rec = URIRef(DOC + "/rekommendation/1")
    assert g.value(rec, RDF.type) == BG.Recommendation
    assert g.value(rec, BG.issuer) == URIRef(ID + "organ/malmo/stadsrevisionen")
    assert list(g.objects(rec, BG.addressedTo)) == [URIRef(ID + "organ/malmo/kommunstyrelsen")]
    # an issuer the document never mentions is still a named, typed body
    assert g.value(URIRef(ID + "organ/malmo/stadsrevisionen"), RDFS.label) == Literal(
        "Stadsrevisionen"
    )


def test_bodies_administrations_and_mentions(g: Graph) -> None:
    ks = URIRef(ID + "organ/malmo/kommunstyrelsen")
    ksau = URIRef(ID + "organ/malmo/kommunstyrelsens-arbetsutskott")
    stk = URIRef(ID + "forvaltning/malmo/stadskontoret")
    assert set(g.objects(ks, RDF.type)) == {BG.Body, BG.Styrelse}
    assert set(g.objects(ksau, RDF.type)) == {BG.Body, BG.Utskott}
    assert g.value(ksau, BG.subBodyOf) == ks
    assert set(g.objects(stk, RDF.type)) == {BG.Administration}
    assert g.value(stk, BG.serves) == ks
    assert g.value(ks, BG.municipality) == URIRef(ID + "kommun/malmo")
    mentions = [m for m in g.subjects(BG.denotes, ks) if g.value(m, RDF.type) == BG.Mention]
    assert sorted(mentions) == [
        URIRef(DOC + "/omnamnande/organ-1"),
        URIRef(DOC + "/omnamnande/organ-3"),
    ]
    ksau_mention = URIRef(DOC + "/omnamnande/organ-5")
    assert g.value(ksau_mention, BG.derived) == Literal(True)
    assert g.value(g.value(ksau_mention, BG.evidence), OA.exact) == Literal("KSAU")


def test_cases(g: Graph) -> None:
    own = URIRef(ID + "arende/malmo/STK-2018-885")
    assert g.value(own, BG.caseNumber) == Literal("STK-2018-885")
    assert g.value(own, BG.registry) == Literal("STK")
    assert g.value(own, BG.caseYear) == Literal("2018", datatype=XSD.gYear)
    assert g.value(own, BG.registeredBy) == URIRef(ID + "forvaltning/malmo/stadskontoret")
    assert g.value(URIRef(DOC + "/omnamnande/arende-1"), BG.denotes) == own


def test_persons_roles_and_parties(g: Graph) -> None:
    norbrant = URIRef(ID + "person/malmo/andreas-norbrant")
    maly = URIRef(ID + "person/malmo/jacqueline-maly")
    role_membership = URIRef(DOC + "/medlemskap/1")
    party_membership = URIRef(DOC + "/medlemskap/2")
    assert g.value(role_membership, BG.member) == norbrant
    assert g.value(role_membership, BG.role) == URIRef(ID + "roll/stadsdirektor")
    assert g.value(role_membership, BG.organization) == URIRef(ID + "kommun/malmo")
    assert g.value(party_membership, BG.member) == maly
    assert g.value(party_membership, BG.organization) == URIRef(ID + "parti/sd")
    assert g.value(URIRef(ID + "parti/sd"), RDFS.label) == Literal("Sverigedemokraterna")
    assert g.value(URIRef(ID + "parti/sd"), BG.abbreviation) == Literal("SD")
    assert g.value(URIRef(DOC + "/omnamnande/person-1"), BG.context) == Literal("ansvariga")


def test_proposal_treatments_and_recipients(g: Graph) -> None:
    proposal = URIRef(DOC + "/forslag/1")
    assert g.value(proposal, RDF.type) == BG.DecisionProposal
    assert g.value(proposal, BG.proposalKind) == Literal("proposal")
    assert g.value(proposal, BG.decidingBody) == URIRef(ID + "organ/malmo/kommunstyrelsen")
    assert g.value(proposal, BG.ordinal) == Literal(1)
    step = URIRef(DOC + "/behandling/1")
    assert g.value(step, BG.treatingBody) == URIRef(
        ID + "organ/malmo/kommunstyrelsens-arbetsutskott"
    )
    assert g.value(step, BG.plannedDate) == Literal("2018-10-22", datatype=XSD.date)
    assert g.value(step, BG.case) == URIRef(ID + "arende/malmo/STK-2018-885")
    assert g.value(URIRef(DOC + "/mottagare/1"), BG.denotes) == URIRef(
        ID + "organ/malmo/revisorskollegiet"
    )
    assert g.value(URIRef(DOC + "/mottagare/2"), BG.denotes) is None
    assert g.value(URIRef(DOC + "/mottagare/2"), RDFS.label) == Literal(
        "Stadskontorets handläggare"
    )


def test_references(g: Graph) -> None:
    case_ref = URIRef(DOC + "/referens/1")
    assert set(g.objects(case_ref, RDF.type)) == {BG.Fact, BG.Reference, BG.CaseReference}
    assert g.value(case_ref, BG.refersTo) == URIRef(ID + "arende/malmo/STK-2017-284")
    decision = URIRef(DOC + "/referens/3/beslut")
    assert g.value(decision, RDF.type) == BG.Decision
    assert g.value(decision, BG.decidedBy) == URIRef(ID + "organ/malmo/kommunfullmaktige")
    assert g.value(decision, BG.date) == Literal("2016-11", datatype=XSD.gYearMonth)
    assert g.value(decision, BG.case) == URIRef(ID + "arende/malmo/STK-2016-346")
    assert g.value(decision, BG.description) == Literal("beslut om en ny organisation i Malmö stad")
    referenced = URIRef(DOC + "/referens/4/handling")
    assert g.value(referenced, RDF.type) == BG.ReferencedDocument
    assert g.value(referenced, BG.title) == Literal("Granskning av Malmö stads förebyggande arbete")
    assert g.value(referenced, BG.preparedFor) == URIRef(
        ID + "organ/malmo/kommunstyrelsens-arbetsutskott"
    )
    assert g.value(referenced, BG.date) == Literal("2018-10-22", datatype=XSD.date)
    assert g.value(referenced, BG.derived) == Literal(True)
    assert g.value(URIRef(DOC + "/referens/4"), BG.derived) == Literal(True)


def test_sections_and_items(g: Graph) -> None:
    first = URIRef(DOC + "/avsnitt/1")
    assert g.value(first, BG.sectionKey) == Literal("sammanfattning")
    assert g.value(first, BG.title) == Literal("Sammanfattning")
    assert g.value(first, BG.partOf) == URIRef(DOC)
    assert str(g.value(g.value(first, BG.evidence), OA.exact)).startswith(
        "Sammanfattning\n\nKommunstyrelsen"
    )
    item = URIRef(DOC + "/punkt/1")
    assert set(g.objects(item, RDF.type)) == {BG.Fact, BG.Item, BG.AgendaItem}
    assert g.value(item, BG.number) == Literal("1")


def test_every_bg_superclass_is_asserted(g: Graph) -> None:
    """The store runs no inference, so ``?x a bg:Body`` must find every nämnd."""
    onto = ontology()
    for s, cls in g.subject_objects(RDF.type):
        for sup in onto.objects(cls, RDFS.subClassOf):
            if str(sup).startswith(str(BG)):
                assert (s, RDF.type, sup) in g, (s, cls, sup)


def test_document_kind_with_a_bg_superclass() -> None:
    ex = small_extraction("r.txt", "KS 2021/317", ())
    ex.document = DocumentMeta(
        title=None, doc_type="remissvar", date=None, municipality="Tyresö", case_number=None
    )
    _, graph = document_graph(ex, base_iri=BASE)
    assert set(graph.objects(URIRef(ID + "dokument/r"), RDF.type)) == {
        BG.Document,
        BG.Yttrande,
        BG.Remissvar,
    }


def test_shared_entities_have_the_same_iri_in_every_graph(g: Graph) -> None:
    _, other = document_graph(
        small_extraction("b.txt", "STK-2017-284", ("STK-2018-885",)), base_iri=BASE
    )
    shared = {s for s in other.subjects() if not str(s).startswith(ID + "dokument/")}
    assert shared == {
        URIRef(ID + "arende/malmo/STK-2017-284"),
        URIRef(ID + "arende/malmo/STK-2018-885"),
        URIRef(ID + "kommun/malmo"),
    }
    assert shared <= set(g.subjects())


def test_building_twice_gives_the_same_graph() -> None:
    from rdflib.compare import isomorphic

    one = document_graph(make_extraction(), base_iri=BASE)[1]
    two = document_graph(make_extraction(), base_iri=BASE)[1]
    assert isomorphic(one, two)


def test_unknown_municipality_is_okand() -> None:
    ex = small_extraction("c.txt", "KS 2021/317", ())
    ex.document = DocumentMeta(
        title=None, doc_type="Okänd typ", date="2021", municipality=None, case_number="KS 2021/317"
    )
    _, graph = document_graph(ex, base_iri=BASE)
    doc = URIRef(ID + "dokument/c")
    assert graph.value(doc, BG.case) == URIRef(ID + "arende/okand/KS+2021_317")
    assert graph.value(URIRef(ID + "kommun/okand"), RDFS.label) == Literal("Okänd kommun")
    assert set(graph.objects(doc, RDF.type)) == {BG.Document}  # an unknown kind keeps only its text
    assert graph.value(doc, BG.documentType) == Literal("Okänd typ")
    assert graph.value(doc, BG.date) == Literal("2021", datatype=XSD.gYear)
    assert validate(graph)[0]


@pytest.mark.parametrize("own", ["KS/2021:87", "BUN/2023:288", "KS/2021:455-035", "3.1.3-91/2019", "2019/KS 0145 10"])
def test_every_normalised_scheme_conforms(own: str) -> None:
    """A case number of any scheme the extractor normalises passes the shapes: a shape
    that refused one would drop the whole document from the build."""
    _, graph = document_graph(small_extraction("c.txt", own, ()), base_iri=BASE)
    conforms, report = validate(graph)
    assert conforms, report


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("2018-10-22", XSD.date), ("2016-11", XSD.gYearMonth), ("2016", XSD.gYear)],
)
def test_date_literal(value: str, datatype: URIRef) -> None:
    assert date_literal(value) == Literal(value, datatype=datatype)


@pytest.mark.parametrize("bad", ["2018-02-30", "2016-13", "22/10 2018", "181022", ""])
def test_date_literal_rejects_non_iso(bad: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO date"):
        date_literal(bad)


def test_bad_spans_and_kinds_are_errors_naming_the_fact() -> None:
    ex = make_extraction()
    ex.recommendations = [Recommendation("x", None, (), len(TEXT), len(TEXT) + 5)]
    with pytest.raises(
        ExtractionError, match=r"000_test.txt: recommendation 1: span .* outside the text"
    ):
        document_graph(ex, base_iri=BASE)
    ex = make_extraction()
    ex.bodies = [BodyMention("X-nämnden", "X", 0, 1, kind="kommitté")]
    with pytest.raises(ExtractionError, match="unknown kind 'kommitté'"):
        document_graph(ex, base_iri=BASE)
    ex = make_extraction()
    ex.bodies = [BodyMention("§ –", "§", 0, 1, kind="nämnd")]
    with pytest.raises(
        ExtractionError, match="000_test.txt: cannot mint a body IRI: cannot make a slug"
    ):
        document_graph(ex, base_iri=BASE)
    ex = make_extraction()
    ex.planned_treatments = [
        PlannedTreatment("Kommunstyrelsen", "2018-10", 0, 5, ordinal=1, text="x")
    ]
    with pytest.raises(
        ExtractionError, match="planned treatment 1: planned date '2018-10' is not a full ISO date"
    ):
        document_graph(ex, base_iri=BASE)


def test_union_of_document_graphs_conforms() -> None:
    """The build validates batches as one graph: shared entities must not clash."""
    union = Graph()
    for ex in (
        make_extraction(),
        small_extraction("b.txt", "STK-2017-284", ("STK-2016-346", "STK-2018-885")),
        small_extraction("c.txt", "STK-2016-346", ()),
    ):
        union += document_graph(ex, base_iri=BASE)[1]
    conforms, report = validate(union)
    assert conforms, report


# --- validation catches broken graphs ---------------------------------------------------


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def _span_of(g: Graph, fact: str) -> URIRef:
    return g.value(URIRef(DOC + fact), BG.evidence)


def test_failures_names_only_the_broken_graph(g: Graph) -> None:
    """One call for the batch; the graph that fails is found and its messages given."""
    broken = _copy(g)
    broken.remove((_span_of(broken, "/rekommendation/1"), OA.start, None))
    ok = document_graph(small_extraction("c.txt", "STK-2016-346", ()), base_iri=BASE)[1]
    assert failures({}) == {}
    assert failures({"c.txt": ok, "a.txt": g}) == {}
    bad = failures({"c.txt": ok, "a.txt": broken})
    assert list(bad) == ["a.txt"] and "oa:start" in bad["a.txt"]


def test_ontology_is_parsed_once_and_copies_are_private() -> None:
    assert ontology() is ontology() and shapes() is shapes()
    copy = ontology_copy()
    copy.remove((None, None, None))
    assert len(copy) == 0 and len(ontology()) > 0
    assert str(ontology_iri()) == "https://beslutsgraf.se/ontology"


def test_evidence_without_start_fails(g: Graph) -> None:
    broken = _copy(g)
    broken.remove((_span_of(broken, "/rekommendation/1"), OA.start, None))
    conforms, report = validate(broken)
    assert not conforms
    assert "Path: oa:start" in report and "MinCountConstraintComponent" in report


def test_exact_that_differs_from_the_text_fails(g: Graph) -> None:
    broken = _copy(g)
    span = _span_of(broken, "/rekommendation/1")
    broken.set((span, OA.exact, Literal("Kommunfullmäktige rekommenderas något helt annat")))
    conforms, report = validate(broken)
    assert not conforms
    assert f"oa:exact of span {span} is not the document text between oa:start and oa:end" in report


def test_start_after_end_fails(g: Graph) -> None:
    broken = _copy(g)
    span = _span_of(broken, "/rekommendation/1")
    broken.set((span, OA.start, Literal(10_000)))
    conforms, report = validate(broken)
    assert not conforms
    assert "LessThanOrEqualsConstraintComponent" in report


def test_fact_without_evidence_fails(g: Graph) -> None:
    broken = _copy(g)
    broken.remove((URIRef(DOC + "/forslag/1"), BG.evidence, None))
    conforms, report = validate(broken)
    assert not conforms
    assert "every fact has exactly one evidence span" in report


def test_administration_as_recommendation_target_fails(g: Graph) -> None:
    broken = _copy(g)
    broken.add(
        (
            URIRef(DOC + "/rekommendation/1"),
            BG.addressedTo,
            URIRef(ID + "forvaltning/malmo/stadskontoret"),
        )
    )
    conforms, report = validate(broken)
    assert not conforms
    assert "ClassConstraintComponent" in report


def test_administration_as_deciding_body_fails_as_disjoint(g: Graph) -> None:
    # validation runs without inference (the builder asserts superclasses), so the office
    # is not made a body by rdfs:range: the class constraint on the deciding body catches it
    broken = _copy(g)
    broken.set(
        (
            URIRef(DOC + "/forslag/1"),
            BG.decidingBody,
            URIRef(ID + "forvaltning/malmo/stadskontoret"),
        )
    )
    conforms, report = validate(broken)
    assert not conforms
    assert "bg:decidingBody" in report and "Value does not have class bg:Body" in report


def test_body_start_before_the_section_fails(g: Graph) -> None:
    broken = _copy(g)
    broken.set((URIRef(DOC + "/avsnitt/2"), BG.bodyStart, Literal(3)))
    conforms, report = validate(broken)
    assert not conforms
    assert f"bg:bodyStart of section {DOC}/avsnitt/2 lies before the section's start" in report


def test_unnormalised_case_number_fails(g: Graph) -> None:
    broken = _copy(g)
    broken.set((URIRef(ID + "arende/malmo/STK-2017-284"), BG.caseNumber, Literal("STK–2017–284")))
    conforms, report = validate(broken)
    assert not conforms
    assert "PatternConstraintComponent" in report


# --- example queries on Oxigraph -----------------------------------------------------------


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The hand-made document plus a citation chain, each in its named graph."""
    st = ox.Store()
    extractions = [
        make_extraction(),
        small_extraction("b.txt", "STK-2017-284", ("STK-2016-346",)),
        small_extraction("c.txt", "STK-2016-346", ()),
    ]
    for ex in extractions:
        graph_iri, graph = document_graph(ex, base_iri=BASE)
        st.load(
            graph.serialize(format="nt"),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(graph_iri),
        )
    return st


QUERY_FILES = sorted(p.name for p in QUERIES_DIR.glob("*.rq"))


def run(store: ox.Store, name: str) -> list[tuple]:
    text = (QUERIES_DIR / name).read_text(encoding="utf-8")
    solutions = store.query(text, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [tuple(_py(s[n]) for n in names) for s in solutions]


def _py(term: object) -> object:
    """Oxigraph term → plain value: IRIs and strings as str, integers as int, None when unbound."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype == ox.NamedNode(str(XSD.integer)):
            return int(term.value)
        if term.datatype == ox.NamedNode(str(XSD.boolean)):
            return term.value == "true"
        return term.value
    return term.value


def test_there_are_example_queries() -> None:
    assert QUERY_FILES == [
        "bodies_in_document.rq",
        "decision_path.rq",
        "derived_facts.rq",
        "documents_citing_case.rq",
        "documents_citing_transitively.rq",
        "earlier_decisions.rq",
        "persons_and_roles.rq",
        "recommendations_to_body.rq",
    ]


@pytest.mark.parametrize("name", QUERY_FILES)
def test_query_parses_with_rdflib_and_has_a_header(name: str) -> None:
    text = (QUERIES_DIR / name).read_text(encoding="utf-8")
    prepareQuery(text)
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert len(header) >= 3 and any("Change" in line for line in header), name


def test_documents_citing_case(store: ox.Store) -> None:
    start, end = at("STK-2017-284")
    assert run(store, "documents_citing_case.rq") == [
        (
            DOC,
            "000_test.txt",
            "Remiss från stadsrevisionen - Granskning Våldsbejakande miljöer",
            "Malmö",
            "STK-2017-284",
            start,
            end,
        ),
    ]


def test_recommendations_to_body(store: ox.Store) -> None:
    text = "Kommunstyrelsen rekommenderas säkerställa att roll- och ansvarsfördelningen är tydlig."
    start, end = at(text)
    assert run(store, "recommendations_to_body.rq") == [
        (DOC + "/rekommendation/1", text, "Stadsrevisionen", "Malmö", DOC, text, start, end),
    ]


def test_decision_path(store: ox.Store) -> None:
    assert run(store, "decision_path.rq") == [
        ("2018-10-22", "Kommunstyrelsens arbetsutskott", 1, DOC),
        ("2018-10-29", "Kommunstyrelsen", 2, DOC),
    ]


def test_bodies_in_document(store: ox.Store) -> None:
    # the query's VALUES names a corpus file; point it at the hand-made one
    text = (QUERIES_DIR / "bodies_in_document.rq").read_text(encoding="utf-8")
    text = text.replace('"000_3c3574245795578f.txt"', '"000_test.txt"')
    solutions = store.query(text, use_default_graph_as_union=True)
    rows = [tuple(_py(s[v.value]) for v in solutions.variables) for s in solutions]
    assert rows == [
        (DOC, ID + "organ/malmo/kommunfullmaktige", "Kommunfullmäktige", "Malmö", 1),
        (DOC, ID + "organ/malmo/kommunstyrelsen", "Kommunstyrelsen", "Malmö", 2),
        (
            DOC,
            ID + "organ/malmo/kommunstyrelsens-arbetsutskott",
            "Kommunstyrelsens arbetsutskott",
            "Malmö",
            1,
        ),
        (DOC, ID + "organ/malmo/revisorskollegiet", "Revisorskollegiet", "Malmö", 1),
    ]


def test_documents_citing_transitively(store: ox.Store) -> None:
    b, c = ID + "dokument/b", ID + "dokument/c"
    assert run(store, "documents_citing_transitively.rq") == [
        (DOC, b, "000_test.txt", "b.txt"),
        (DOC, c, "000_test.txt", "c.txt"),
        (b, c, "b.txt", "c.txt"),
    ]


def test_persons_and_roles(store: ox.Store) -> None:
    assert run(store, "persons_and_roles.rq") == [
        (
            ID + "person/malmo/andreas-norbrant",
            "Andreas Norbrant",
            "Malmö",
            "Stadsdirektör",
            None,
            DOC,
            "Andreas Norbrant",
        ),
        (
            ID + "person/malmo/jacqueline-maly",
            "Jacqueline Maly",
            "Malmö",
            None,
            "SD",
            DOC,
            "Jacqueline Maly",
        ),
    ]


def test_earlier_decisions(store: ox.Store) -> None:
    text = "I november 2016 tog kommunfullmäktige beslut om en ny organisation i Malmö stad (STK-2016-346)."
    assert run(store, "earlier_decisions.rq") == [
        (
            DOC + "/referens/3/beslut",
            "beslut om en ny organisation i Malmö stad",
            "Kommunfullmäktige",
            "2016-11",
            "STK-2016-346",
            DOC,
            text,
            False,
        ),
    ]


def test_derived_facts(store: ox.Store) -> None:
    rows = run(store, "derived_facts.rq")
    normalised = [(r[0], set(r[1].split()), *r[2:]) for r in rows]
    ref = "G-Tjänsteskrivelse KSAU 181022 Granskning av Malmö stads förebyggande arbete"
    ksau = at("KSAU")
    assert normalised == [
        (DOC + "/referens/4", {"Reference", "DocumentReference"}, None, DOC, ref, *at(ref)),
        (DOC + "/referens/4/handling", {"ReferencedDocument"}, None, DOC, ref, *at(ref)),
        (
            DOC + "/omnamnande/organ-5",
            {"Mention"},
            "Kommunstyrelsens arbetsutskott",
            DOC,
            "KSAU",
            *ksau,
        ),
    ]
