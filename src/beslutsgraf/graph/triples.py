"""Facts → RDF: one ``Extraction`` becomes the triples of one named graph.

Each document graph is self-contained: besides the document and its facts it types
and names every shared entity it mentions (municipality, cases, bodies,
administrations, persons, parties, organisations, roles), so a graph can be
validated, replaced or dropped on its own.  Shared entities get IRIs from
``uris.mint``, identical in every graph that mentions them; facts get IRIs under
their document.

Every fact points at its evidence (``bg:evidence`` → a ``bg:Span`` with the
document, ``oa:start``/``oa:end`` and ``oa:exact`` = ``ex.text[start:end]``) and is
``prov:wasGeneratedBy`` the document's extraction activity, which carries the
extractor version.  A fact the text does not state literally has ``bg:derived true``.
No timestamps are written, so building the same extraction twice gives the same graph.

Names that facts carry as strings (an issuer, a target, a served body) are resolved
to IRIs through the document's own mentions first (which know the kind and the
municipality), then by the name's form (``…förvaltningen``/``…kontoret`` is an
administration), else as a body of the document's municipality.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import ExtractionError
from ..model import Extraction
from ..vocab import BG, OA, OWL, PREFIXES, PROV, RDF, RDFS, XSD
from . import uris
from .ontology import ontology
from .ontology import ontology_copy as ontology_graph  # noqa: F401  (tests/test_ontology.py)
from .ontology import shapes_copy as shapes_graph  # noqa: F401  (tests/test_ontology.py)

__all__ = ["date_literal", "document_graph"]

# Document kinds (patterns/header.yml doc_types), keyed by slug so that case and
# diacritics in the extractor's spelling do not matter.
_DOCUMENT_CLASSES = {
    "tjansteskrivelse": BG.Tjansteskrivelse,
    "tjansteutlatande": BG.Tjansteutlatande,
    "protokoll": BG.Protokoll,
    "protokollsutdrag": BG.Protokollsutdrag,
    "kallelse": BG.Kallelse,
    "foredragningslista": BG.Foredragningslista,
    "yttrande": BG.Yttrande,
    "remissvar": BG.Remissvar,
    "namndinitiativ": BG.Namndinitiativ,
    "motion": BG.Motion,
    "medborgarforslag": BG.Medborgarforslag,
    "skrivelse": BG.Skrivelse,
    "interpellation": BG.Interpellation,
    "beslut": BG.Beslutshandling,
    "revisionsrapport": BG.Revisionsrapport,
    "missiv": BG.Missiv,
}

# BodyMention.kind -> class; "förvaltning" is not a body but an administration.
_BODY_CLASSES = {
    "fullmäktige": BG.Fullmaktige,
    "styrelse": BG.Styrelse,
    "nämnd": BG.Namnd,
    "utskott": BG.Utskott,
    "beredning": BG.Utskott,
    "revision": BG.Revision,
    "forum": BG.Forum,
}
_ADMINISTRATION_KIND = "förvaltning"
_ADMINISTRATION_NAME = re.compile(r"(?:förvaltning(?:en)?|kontoret)$", re.IGNORECASE)

_ITEM_CLASSES = {"paragraph": BG.Paragraph, "agenda_item": BG.AgendaItem}
_REFERENCE_CLASSES = {
    "case": BG.CaseReference,
    "document": BG.DocumentReference,
    "decision": BG.DecisionReference,
}
_PROPOSAL_KINDS = ("proposal", "motion")

_LANGUAGE = "sv"  # the extractor reads Swedish only; model.py has no language field yet


def document_graph(ex: Extraction, *, base_iri: str) -> tuple[str, Graph]:
    """The named-graph IRI and the triples of one extracted document."""
    return _Builder(ex, base_iri).build()


@lru_cache(maxsize=1)
def _bg_superclasses() -> dict[URIRef, tuple[URIRef, ...]]:
    """Each bg: class -> itself and all its bg: superclasses, read from the ontology."""
    onto = ontology()
    ns = str(BG)
    out: dict[URIRef, tuple[URIRef, ...]] = {}
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and cls.startswith(ns):
            closure = onto.transitiveClosure(lambda c, _g: onto.objects(c, RDFS.subClassOf), cls)
            out[cls] = (
                cls,
                *sorted(c for c in closure if isinstance(c, URIRef) and c.startswith(ns)),
            )
    return out


def date_literal(value: str, *, where: str = "date") -> Literal:
    """``2018-10-22`` → xsd:date, ``2016-11`` → xsd:gYearMonth, ``2016`` → xsd:gYear."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        if re.fullmatch(r"\d{4}-\d{2}", value) and 1 <= int(value[5:]) <= 12:
            return Literal(value, datatype=XSD.gYearMonth)
        if re.fullmatch(r"\d{4}", value):
            return Literal(value, datatype=XSD.gYear)
    except ValueError:
        pass
    raise ValueError(f"{where}: {value!r} is not an ISO date, year-month or year")


class _Builder:
    """Collects the triples of one document; one method per fact type."""

    def __init__(self, ex: Extraction, base_iri: str) -> None:
        self.ex = ex
        self.base = base_iri
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.source = ex.source
        self.doc = self._mint("document", document=ex.source)
        self.graph_iri = self._mint("graph", document=ex.source)
        self.activity = self._mint("activity", document=ex.source)
        self.municipality_name = ex.document.municipality
        self.item_iris: dict[str, URIRef] = {}  # item number -> IRI, for its attachments
        # Canonical name -> (kind, municipality) from the document's own mentions:
        # they are what knows whether "Revisionskontoret" is a body or an office.
        self.known: dict[str, tuple[str, str | None]] = {}
        for b in ex.bodies:
            self.known.setdefault(b.name, (b.kind, b.municipality or self.municipality_name))
        for o in ex.organisations:
            self.known.setdefault(o.name, ("party" if o.kind == "party" else "organisation", None))
        self.own_case: URIRef | None = None

    # -- orchestration ----------------------------------------------------------

    def build(self) -> tuple[str, Graph]:
        # 1. the document, its text and the extraction that read it
        self.document()
        # 2. structure: sections and numbered items
        self.sections()
        self.items()
        # 3. mentions of shared entities (cases first: the own case is used below)
        self.case_numbers()
        self.bodies()
        self.persons()
        self.organisations()
        # 4. statements
        self.recommendations()
        self.proposals()
        self.treatments()
        self.recipients()
        self.references()
        return str(self.graph_iri), self.g

    # -- helpers ------------------------------------------------------------------

    def _mint(self, kind: str, **parts: object) -> URIRef:
        try:
            return URIRef(uris.mint(kind, base=self.base, **parts))
        except uris.IriError as err:
            raise self._fail(f"cannot mint a {kind} IRI: {err}") from None

    def _fail(self, problem: str) -> ExtractionError:
        return ExtractionError(self.source, problem)

    def _add(self, s: URIRef, p: URIRef, o: object) -> None:
        if o is None:
            return
        self.g.add((s, p, o if isinstance(o, (URIRef, Literal, BNode)) else Literal(o)))

    def _fact(
        self, iri: URIRef, cls: URIRef, start: int, end: int, *, what: str, derived: bool = False
    ) -> URIRef:
        """Type a fact and give it its evidence span and provenance."""
        self._type(iri, cls)
        self.g.add((iri, BG.evidence, self._span(start, end, what=what)))
        self.g.add((iri, PROV.wasGeneratedBy, self.activity))
        if derived:
            self.g.add((iri, BG.derived, Literal(True)))
        return iri

    def _type(self, iri: URIRef, cls: URIRef) -> bool:
        """Assert ``cls`` and its bg: superclasses (the store runs no inference); True if new."""
        if (iri, RDF.type, cls) in self.g:
            return False
        for c in _bg_superclasses()[cls]:
            self.g.add((iri, RDF.type, c))
        return True

    def _span(self, start: int, end: int, *, what: str) -> URIRef:
        n = len(self.ex.text)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n):
            raise self._fail(
                f"{what}: span {start}-{end} is empty or outside the text (length {n})"
            )
        span = self._mint("span", document=self.source, start=start, end=end)
        if self._type(span, BG.Span):
            self.g.add((span, BG.inDocument, self.doc))
            self.g.add((span, OA.start, Literal(start)))
            self.g.add((span, OA.end, Literal(end)))
            self.g.add((span, OA.exact, Literal(self.ex.text[start:end])))
            if self.ex.page_starts:
                first, last = self.ex.page_of(start), self.ex.page_of(end - 1)
                self.g.add((span, BG.page, Literal(first)))
                if last != first:
                    self.g.add((span, BG.lastPage, Literal(last)))
        return span

    def _date(self, value: str | None, *, what: str) -> Literal | None:
        if value is None:
            return None
        try:
            return date_literal(value, where=what)
        except ValueError as err:
            raise self._fail(str(err)) from None

    # -- shared entities (typed and named in every graph that uses them) -----------

    def _municipality(self, name: str | None) -> URIRef:
        iri = self._mint("municipality", municipality=name)
        if self._type(iri, BG.Municipality):
            label = name if name and name.strip() else "Okänd kommun"
            self.g.add((iri, RDFS.label, Literal(label)))
        return iri

    def _case(self, number: str) -> URIRef:
        # CaseNumber has no municipality of its own: a cited case is taken to be the
        # document's municipality's (true for every case in the seed corpus).
        iri = self._mint("case", municipality=self.municipality_name, number=number)
        if self._type(iri, BG.Case):
            self.g.add((iri, BG.caseNumber, Literal(number)))
            self.g.add((iri, BG.municipality, self._municipality(self.municipality_name)))
        return iri

    def _body(self, name: str, kind: str | None, municipality: str | None) -> URIRef:
        """A body (or, for kind ``förvaltning``, an administration), typed and named."""
        if kind == _ADMINISTRATION_KIND:
            iri = self._mint("administration", municipality=municipality, name=name)
            cls = BG.Administration
        else:
            if kind is not None and kind not in _BODY_CLASSES:
                raise self._fail(
                    f"body {name!r}: unknown kind {kind!r}; known: "
                    f"{', '.join([*_BODY_CLASSES, _ADMINISTRATION_KIND])}"
                )
            iri = self._mint("body", municipality=municipality, name=name)
            cls = BG.Body if kind is None else _BODY_CLASSES[kind]
        if (iri, RDFS.label, None) not in self.g:
            self.g.add((iri, RDFS.label, Literal(name)))
            self.g.add((iri, BG.municipality, self._municipality(municipality)))
        self._type(iri, cls)
        return iri

    def _party(self, name_or_abbreviation: str) -> URIRef:
        abbr = uris.party_slug(name_or_abbreviation)
        iri = self._mint("party", party=abbr)
        if self._type(iri, BG.Party):
            self.g.add((iri, RDFS.label, Literal(uris.PARTY_NAMES.get(abbr, name_or_abbreviation))))
            if abbr in uris.PARTY_NAMES:
                self.g.add((iri, BG.abbreviation, Literal(abbr.upper())))
        return iri

    def _organisation(self, name: str) -> URIRef:
        iri = self._mint("organisation", name=name)
        if self._type(iri, BG.Organisation):
            self.g.add((iri, RDFS.label, Literal(name)))
        return iri

    def _person(self, name: str) -> URIRef:
        iri = self._mint("person", municipality=self.municipality_name, name=name)
        if self._type(iri, BG.Person):
            self.g.add((iri, RDFS.label, Literal(name)))
            self.g.add((iri, BG.municipality, self._municipality(self.municipality_name)))
        return iri

    def _role(self, title: str) -> URIRef:
        iri = self._mint("role", name=title)
        if self._type(iri, BG.Role):
            self.g.add((iri, RDFS.label, Literal(title[:1].upper() + title[1:])))
        return iri

    def _agent(self, name: str | None) -> URIRef | None:
        """The entity a canonical name stands for (see the module docstring)."""
        if name is None:
            return None
        kind, municipality = self.known.get(name, (None, self.municipality_name))
        if kind == "party":
            return self._party(name)
        if kind == "organisation":
            return self._organisation(name)
        if kind is None and _ADMINISTRATION_NAME.search(name):
            kind = _ADMINISTRATION_KIND
        return self._body(name, kind, municipality)

    # -- 1. document ---------------------------------------------------------------

    def document(self) -> None:
        ex, meta, doc = self.ex, self.ex.document, self.doc
        # a kind the ontology lacks keeps only bg:Document (and bg:documentType below)
        kind = uris.slug(meta.doc_type) if meta.doc_type else None
        self._type(doc, _DOCUMENT_CLASSES.get(kind, BG.Document))
        if meta.doc_type:
            self._add(doc, BG.documentType, meta.doc_type)
        self._add(doc, BG.sourceFile, ex.source)
        self._add(doc, BG.text, ex.text)
        self._add(doc, BG.sha256, ex.sha256)
        self._add(doc, BG.mediaType, ex.media_type)
        self._add(doc, BG.pageCount, ex.page_count)
        for page in ex.ocr_pages:
            self._add(doc, BG.ocrPage, Literal(page))
        for line in ex.furniture:
            self._add(doc, BG.pageFurniture, line)
        self._add(doc, BG.language, Literal(_LANGUAGE, datatype=XSD.language))
        self._add(doc, BG.municipality, self._municipality(self.municipality_name))
        if meta.title:
            self._add(doc, BG.title, meta.title)
        self._add(doc, BG.date, self._date(meta.date, what="document date"))
        if meta.addressee:
            self._add(doc, BG.addressee, meta.addressee)
            if meta.addressee in self.known:
                self._add(doc, BG.addressedTo, self._agent(meta.addressee))
        if meta.reference_person:
            self._add(doc, BG.referencePerson, self._person(meta.reference_person))
        if meta.case_number:
            self.own_case = self._case(meta.case_number)
            self._add(doc, BG.case, self.own_case)
        self._type(self.activity, BG.ExtractionActivity)
        self._add(self.activity, BG.extractorVersion, ex.extractor_version)
        self.g.add((self.activity, PROV.used, doc))

    # -- 2. structure ----------------------------------------------------------------

    def sections(self) -> None:
        for n, s in enumerate(self.ex.sections, 1):
            if s.start == s.end:
                continue  # an empty section (a header of only blank lines) has nothing to show
            iri = self._fact(
                self._mint("section", document=self.source, ordinal=n),
                BG.Section,
                s.start,
                s.end,
                what=f"section {n} ({s.key})",
            )
            self._add(iri, BG.sectionKey, s.key)
            self._add(iri, BG.title, s.title)
            self._add(iri, BG.bodyStart, s.body_start)
            self.g.add((iri, BG.partOf, self.doc))

    def items(self) -> None:
        for n, it in enumerate(self.ex.items, 1):
            cls = _ITEM_CLASSES.get(it.kind)
            if cls is None:
                raise self._fail(
                    f"item {n}: unknown kind {it.kind!r}; known: {', '.join(_ITEM_CLASSES)}"
                )
            iri = self._fact(
                self._mint("item", document=self.source, ordinal=n),
                cls,
                it.start,
                it.end,
                what=f"item {n} ({it.number})",
            )
            self._add(iri, BG.number, it.number)
            if it.title:
                self._add(iri, BG.title, it.title)
            if it.case_number:
                self._add(iri, BG.case, self._case(it.case_number))
            self.g.add((iri, BG.partOf, self.doc))
            self.item_iris.setdefault(it.number, iri)
        for n, att in enumerate(self.ex.attachments, 1):
            iri = self._fact(
                self._mint("attachment", document=self.source, ordinal=n),
                BG.Attachment,
                att.start,
                att.end,
                what=f"attachment {n}",
            )
            self._add(iri, BG.title, att.title)
            self.g.add((iri, BG.partOf, self.item_iris.get(att.item or "", self.doc)))

    # -- 3. mentions -----------------------------------------------------------------

    def _mention(
        self, target: str, n: int, entity: URIRef, start: int, end: int, *, derived: bool = False
    ) -> URIRef:
        iri = self._mint("mention", document=self.source, target=target, ordinal=n)
        self._fact(iri, BG.Mention, start, end, what=f"{target} mention {n}", derived=derived)
        self.g.add((iri, BG.denotes, entity))
        self.g.add((self.doc, BG.mentions, entity))
        return iri

    def case_numbers(self) -> None:
        for n, c in enumerate(self.ex.case_numbers, 1):
            case = self._case(c.normalized)
            self._add(case, BG.registry, c.registry)
            self._add(case, BG.caseNumberScheme, c.scheme)
            if c.year is not None and 1000 <= c.year <= 9999:
                self._add(case, BG.caseYear, Literal(f"{c.year:04d}", datatype=XSD.gYear))
            if c.body:
                self._add(case, BG.registeredBy, self._agent(c.body))
            self._mention("arende", n, case, c.start, c.end)
            if c.is_own:
                self.own_case = self.own_case or case
                self.g.add((self.doc, BG.case, case))

    def bodies(self) -> None:
        for n, b in enumerate(self.ex.bodies, 1):
            municipality = b.municipality or self.municipality_name
            body = self._body(b.name, b.kind, municipality)
            self._add(body, BG.subBodyOf, self._agent(b.parent))
            self._add(body, BG.serves, self._agent(b.serves))
            self._mention("organ", n, body, b.start, b.end, derived=b.derived)

    def persons(self) -> None:
        memberships = 0
        for n, p in enumerate(self.ex.persons, 1):
            person = self._person(p.name)
            mention = self._mention("person", n, person, p.start, p.end)
            self._add(mention, BG.context, p.context)
            for role, organisation in ((p.role, None), (None, p.party)):
                if not (role or organisation):
                    continue
                memberships += 1
                iri = self._fact(
                    self._mint("membership", document=self.source, ordinal=memberships),
                    BG.Membership,
                    p.start,
                    p.end,
                    what=f"person {n} ({p.name})",
                )
                self.g.add((iri, BG.member, person))
                if role:
                    self.g.add((iri, BG.role, self._role(role)))
                    self.g.add((iri, BG.organization, self._municipality(self.municipality_name)))
                else:
                    self.g.add((iri, BG.organization, self._party(organisation)))

    def organisations(self) -> None:
        for n, o in enumerate(self.ex.organisations, 1):
            if o.kind == "party":
                entity = self._party(o.name)
            elif o.kind == "organisation":
                entity = self._organisation(o.name)
            else:
                raise self._fail(
                    f"organisation {n} ({o.name}): unknown kind {o.kind!r}; known: party, organisation"
                )
            self._mention("organisation", n, entity, o.start, o.end)

    # -- 4. statements ---------------------------------------------------------------

    def recommendations(self) -> None:
        for n, r in enumerate(self.ex.recommendations, 1):
            iri = self._fact(
                self._mint("recommendation", document=self.source, ordinal=n),
                BG.Recommendation,
                r.start,
                r.end,
                what=f"recommendation {n}",
            )
            self._add(iri, BG.text, r.text)
            self._add(iri, BG.issuer, self._agent(r.issuer))
            for target in r.targets:
                self._add(iri, BG.addressedTo, self._agent(target))
            self._add(iri, BG.ordinal, r.ordinal)

    def proposals(self) -> None:
        for n, d in enumerate(self.ex.decision_proposals, 1):
            what = f"decision proposal {n}"
            if d.kind == "decision":
                # "X beslutar att …" in minutes is a decision taken, not a proposal.
                iri = self._fact(
                    self._mint("decision", document=self.source, ordinal=n),
                    BG.Decision,
                    d.start,
                    d.end,
                    what=what,
                )
                self._add(iri, BG.decidedBy, self._agent(d.body))
            elif d.kind in _PROPOSAL_KINDS:
                iri = self._fact(
                    self._mint("proposal", document=self.source, ordinal=n),
                    BG.DecisionProposal,
                    d.start,
                    d.end,
                    what=what,
                )
                self._add(iri, BG.proposalKind, d.kind)
                self._add(iri, BG.decidingBody, self._agent(d.body))
            else:
                raise self._fail(
                    f"{what}: unknown kind {d.kind!r}; known: {', '.join(_PROPOSAL_KINDS)}, decision"
                )
            self._add(iri, BG.text, d.text)
            self._add(iri, BG.ordinal, d.ordinal)
            self._add(iri, BG.assignee, self._agent(d.assignee))

    def treatments(self) -> None:
        for n, t in enumerate(self.ex.planned_treatments, 1):
            what = f"planned treatment {n}"
            iri = self._fact(
                self._mint("treatment", document=self.source, ordinal=n),
                BG.PlannedTreatment,
                t.start,
                t.end,
                what=what,
            )
            self._add(iri, BG.treatingBody, self._agent(t.body))
            if t.date is not None:
                value = self._date(t.date, what=what)
                if value is not None and value.datatype != XSD.date:
                    raise self._fail(f"{what}: planned date {t.date!r} is not a full ISO date")
                self._add(iri, BG.plannedDate, value)
            self._add(iri, BG.ordinal, t.ordinal)
            self._add(iri, BG.text, t.text)
            self._add(iri, BG.case, self.own_case)

    def recipients(self) -> None:
        for n, r in enumerate(self.ex.recipients, 1):
            iri = self._fact(
                self._mint("recipient", document=self.source, ordinal=n),
                BG.Recipient,
                r.start,
                r.end,
                what=f"recipient {n}",
            )
            self._add(iri, RDFS.label, r.name)
            # Only a name the document itself knows as a body/organisation is linked:
            # "Stadskontorets handläggare" is a recipient but no entity.
            if r.name in self.known:
                self._add(iri, BG.denotes, self._agent(r.name))

    def references(self) -> None:
        for n, r in enumerate(self.ex.references, 1):
            what = f"reference {n} ({r.kind})"
            cls = _REFERENCE_CLASSES.get(r.kind)
            if cls is None:
                raise self._fail(f"{what}: unknown kind; known: {', '.join(_REFERENCE_CLASSES)}")
            iri = self._fact(
                self._mint("reference", document=self.source, ordinal=n),
                cls,
                r.start,
                r.end,
                what=what,
                derived=r.derived,
            )
            self._add(iri, BG.text, r.text)
            case = self._case(r.case_number) if r.case_number else None
            if r.kind == "case":
                target = self._case(r.target)
            elif r.kind == "document":
                target = self._fact(
                    self._mint("referenced_document", document=self.source, ordinal=n),
                    BG.ReferencedDocument,
                    r.start,
                    r.end,
                    what=what,
                    derived=r.derived,
                )
                self._add(target, BG.title, r.target)
                self._add(target, BG.paragraph, r.paragraph)
                self._add(target, BG.preparedFor, self._agent(r.body))
                self._add(target, BG.case, case)
                self._add(target, BG.date, self._date(r.date, what=what))
            else:
                target = self._fact(
                    self._mint("referenced_decision", document=self.source, ordinal=n),
                    BG.Decision,
                    r.start,
                    r.end,
                    what=what,
                    derived=r.derived,
                )
                self._add(target, BG.description, r.target)
                self._add(target, BG.decidedBy, self._agent(r.body))
                self._add(target, BG.case, case)
                self._add(target, BG.date, self._date(r.date, what=what))
            self.g.add((iri, BG.refersTo, target))
            self.g.add((self.doc, BG.cites, target))
