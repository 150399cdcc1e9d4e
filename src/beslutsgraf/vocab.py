"""Namespaces: ``BG`` mirrors ``ontology/beslutsgraf.ttl``; the others are the external
vocabularies the ontology aligns with and the graph uses.

All are rdflib ``DefinedNamespace`` classes; ours (``BG``, ``ELI``, ``OA``,
``BESLUIT``) set ``_fail = True``, so a misspelt term
(``BG.Recomendation``) fails at import or first use instead of minting a stray IRI.
``tests/quick/test_ontology.py`` checks that ``BG`` and the ontology list the same terms,
and that every external term the ontology mentions is declared here.  ELI, OA and
OSLO besluit are not shipped with rdflib: their classes below list the terms we use.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)

__all__ = [
    "BESLUIT",
    "BG",
    "DCTERMS",
    "ELI",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "XSD",
]


class BG(DefinedNamespace):
    """beslutsgraf ontology (``ontology/beslutsgraf.ttl``); Swedish label in the comment."""

    _NS = Namespace("https://beslutsgraf.se/ontology#")
    _fail = True

    # classes
    Administration: URIRef  # Förvaltning
    AgendaItem: URIRef  # Ärendepunkt
    Attachment: URIRef  # Bilaga
    Beslutshandling: URIRef  # Beslutshandling
    Body: URIRef  # Organ
    Case: URIRef  # Ärende
    CaseReference: URIRef  # Hänvisning till ärende
    Chunk: URIRef  # Textstycke
    Decision: URIRef  # Beslut
    DecisionProposal: URIRef  # Beslutsförslag
    DecisionReference: URIRef  # Hänvisning till beslut
    Document: URIRef  # Handling
    DocumentReference: URIRef  # Hänvisning till handling
    ExtractionActivity: URIRef  # Extraktion
    Fact: URIRef  # Uppgift
    Foredragningslista: URIRef  # Föredragningslista
    Forum: URIRef  # Forum
    Fullmaktige: URIRef  # Fullmäktige
    Interpellation: URIRef  # Interpellation
    Item: URIRef  # Punkt
    Kallelse: URIRef  # Kallelse
    Medborgarforslag: URIRef  # Medborgarförslag
    Membership: URIRef  # Befattning eller partitillhörighet
    Mention: URIRef  # Omnämnande
    Missiv: URIRef  # Missiv
    Motion: URIRef  # Motion
    Municipality: URIRef  # Kommun
    Namnd: URIRef  # Nämnd
    Namndinitiativ: URIRef  # Nämndinitiativ
    Organisation: URIRef  # Organisation
    Paragraph: URIRef  # Protokollsparagraf
    Party: URIRef  # Parti
    Person: URIRef  # Person
    PlannedTreatment: URIRef  # Planerad behandling
    Protokoll: URIRef  # Protokoll
    Protokollsutdrag: URIRef  # Protokollsutdrag
    Recipient: URIRef  # Mottagare av beslutet
    Recommendation: URIRef  # Rekommendation
    Reference: URIRef  # Hänvisning
    ReferencedDocument: URIRef  # Refererad handling
    Remissvar: URIRef  # Remissvar
    Revision: URIRef  # Revision
    Revisionsrapport: URIRef  # Revisionsrapport
    Role: URIRef  # Befattning
    Section: URIRef  # Avsnitt
    Skrivelse: URIRef  # Skrivelse
    Span: URIRef  # Textspann
    Styrelse: URIRef  # Styrelse
    Tjansteskrivelse: URIRef  # Tjänsteskrivelse
    Tjansteutlatande: URIRef  # Tjänsteutlåtande
    Utskott: URIRef  # Utskott
    Yttrande: URIRef  # Yttrande
    # object properties
    addressedTo: URIRef  # riktad till
    assignee: URIRef  # uppdragstagare
    case: URIRef  # ärende
    cites: URIRef  # hänvisar till
    correspondsTo: URIRef  # motsvarar
    decidedBy: URIRef  # beslutat av
    decidingBody: URIRef  # beslutande organ
    denotes: URIRef  # avser
    evidence: URIRef  # belägg
    inDocument: URIRef  # i handling
    issuer: URIRef  # utfärdare
    member: URIRef  # person
    mentions: URIRef  # nämner
    municipality: URIRef  # kommun
    organization: URIRef  # organisation
    partOf: URIRef  # del av
    preparedFor: URIRef  # upprättad för
    referencePerson: URIRef  # vår referens
    refersTo: URIRef  # hänvisar till
    registeredBy: URIRef  # diarieförs av
    role: URIRef  # befattning
    section: URIRef  # avsnitt
    serves: URIRef  # tjänar
    subBodyOf: URIRef  # underorgan till
    treatingBody: URIRef  # behandlande organ
    # datatype properties
    abbreviation: URIRef  # förkortning
    addressee: URIRef  # adressat
    bodyStart: URIRef  # brödtextens början
    caseNumber: URIRef  # diarienummer
    caseNumberScheme: URIRef  # diarienummerformat
    caseYear: URIRef  # ärendeår
    context: URIRef  # sammanhang
    date: URIRef  # datum
    derived: URIRef  # härledd
    description: URIRef  # beskrivning
    documentType: URIRef  # handlingstyp
    extractorVersion: URIRef  # extraktorversion
    language: URIRef  # språk
    number: URIRef  # nummer
    ordinal: URIRef  # ordningsnummer
    paragraph: URIRef  # paragraf
    plannedDate: URIRef  # planerat datum
    proposalKind: URIRef  # förslagstyp
    registry: URIRef  # diarium
    sectionKey: URIRef  # avsnittsnyckel
    sha256: URIRef  # SHA-256
    mediaType: URIRef  # medietyp
    pageCount: URIRef  # antal sidor
    ocrPage: URIRef  # OCR-läst sida
    pageFurniture: URIRef  # sidhuvud eller sidfot
    page: URIRef  # sida
    lastPage: URIRef  # sista sida
    sourceFile: URIRef  # källfil
    text: URIRef  # text
    title: URIRef  # titel


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms we align with)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    Work: URIRef
    LegalResource: URIRef
    passed_by: URIRef
    cites: URIRef
    date_document: URIRef
    is_part_of: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary (selectors for text spans)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    hasTarget: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef


class BESLUIT(DefinedNamespace):
    """Flemish OSLO besluit vocabulary (bodies, sessions, agenda items, decisions)."""

    _NS = Namespace("http://data.vlaanderen.be/ns/besluit#")
    _fail = True

    Besluit: URIRef
    Bestuursorgaan: URIRef
    Bestuurseenheid: URIRef
    Zitting: URIRef
    Agendapunt: URIRef
    BehandelingVanAgendapunt: URIRef


# Prefixes for serialisations and SPARQL (the same as in ontology/queries/*.rq).
PREFIXES: dict[str, str] = {
    "bg": str(BG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "eli": str(ELI),
    "prov": str(PROV),
    "org": str(ORG),
    "besluit": str(BESLUIT),
    "skos": str(SKOS),
    "oa": str(OA),
    "sh": str(SH),
}
