"""Fact dataclasses: what the extractor finds, before any RDF.

Every fact carries ``start``/``end``: character offsets into ``Extraction.text``,
the normalised document text that is also stored in the graph, so
``text[start:end]`` is always the evidence for the fact.  A fact the text does
not state literally (a body inferred from a registry prefix, a date read out of
``KSAU 181022``) sets ``derived`` and still points at the span it was derived from.

``Extraction.to_json()`` is the ``extract --json`` contract in DESIGN.md: keep
the keys it names; new keys may be added, none renamed.  Facts read from a paged
source (PDF) also carry ``page`` (1-based, the page of ``start``) and, for a span
that runs onto a later page, ``last_page``.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    """A standard (or free) section of a document: heading and body span."""

    key: str  # canonical key from patterns/sections.yml, or "other"
    title: str
    start: int  # start of the heading
    end: int  # end of the section body
    body_start: int  # first character after the heading


@dataclass(frozen=True)
class Item:
    """A numbered unit inside a document: a protokoll § or an agenda item."""

    kind: str  # "paragraph" (§) | "agenda_item"
    number: str  # "195" for § 195, "3" for item 3
    title: str
    start: int
    end: int
    case_number: str | None = None  # the normalised number of the first case in the item


@dataclass(frozen=True)
class Attachment:
    """A bilaga: listed in an item (``Bilaga: Bokslut 2022``) or appended to the document
    with a stamp that names its item (``Bilaga Personalsektionen, 28.03.2023 § 19``)."""

    title: str
    start: int
    end: int
    item: str | None = None  # the number of the item it belongs to
    appended: bool = False  # the stamp of an appended page, not a line of a list


@dataclass(frozen=True)
class CaseNumber:
    text: str  # as written, without a "Dnr" prefix
    normalized: str  # one canonical form per scheme
    start: int
    end: int
    scheme: str  # name of the format in patterns/case_numbers.yml
    registry: str | None = None  # registry prefix ("STK", "KS") when the format has one
    year: int | None = None
    body: str | None = None  # body whose registry this is, when known (derived)
    is_own: bool = False  # the document's own case number


@dataclass(frozen=True)
class BodyMention:
    name: str  # canonical nominative, e.g. "Arbetsmarknads- och socialnämnden"
    text: str  # as written
    start: int
    end: int
    kind: str  # fullmäktige | styrelse | nämnd | utskott | beredning | revision | förvaltning | forum
    municipality: str | None = None
    parent: str | None = None  # a sub-body's parent: KSAU -> Kommunstyrelsen
    serves: str | None = None  # an administration's body: stadskontoret -> Kommunstyrelsen
    derived: bool = False  # resolved from an abbreviation, anaphor or registry prefix


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None
    party: str | None
    start: int
    end: int
    text: str
    context: str  # where it was found: "ansvariga" | "header" | "signature" | "party" | "list"


@dataclass(frozen=True)
class Organisation:
    name: str  # canonical name
    text: str
    start: int
    end: int
    kind: str  # "party" | "organisation"


@dataclass(frozen=True)
class Recommendation:
    text: str
    issuer: str | None
    targets: tuple[str, ...]
    start: int
    end: int
    ordinal: int | None = None


@dataclass(frozen=True)
class DecisionProposal:
    text: str
    body: str | None  # the deciding body
    start: int
    end: int
    ordinal: int | None = None
    kind: str = "proposal"  # "proposal" | "motion" (Att …) | "decision" (… beslutar att)
    assignee: str | None = None  # "X uppdras att …": who is given the task


@dataclass(frozen=True)
class PlannedTreatment:
    body: str
    date: str | None  # ISO date
    start: int
    end: int
    ordinal: int
    text: str


@dataclass(frozen=True)
class Recipient:
    name: str  # canonical body name when it is one, else as written
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Reference:
    kind: str  # "case" | "document" | "decision"
    text: str
    target: str  # normalised case number, document title or decision description
    start: int
    end: int
    date: str | None = None  # ISO date or year-month/year when stated or derived
    body: str | None = None  # body that decided / the meeting the document was for
    case_number: str | None = None
    paragraph: str | None = None  # "§195"
    derived: bool = False


@dataclass(frozen=True)
class DocumentMeta:
    title: str | None
    doc_type: str | None
    date: str | None
    municipality: str | None
    case_number: str | None
    title_start: int | None = None
    title_end: int | None = None
    addressee: str | None = None
    reference_person: str | None = None  # "Vår referens" / "Handläggare"


# The lists of facts an Extraction holds, in the order reports show them.
FACT_LISTS: tuple[str, ...] = (
    "case_numbers",
    "bodies",
    "persons",
    "organisations",
    "recommendations",
    "decision_proposals",
    "planned_treatments",
    "recipients",
    "references",
    "sections",
    "items",
    "attachments",
)


@dataclass
class Extraction:
    """Everything extracted from one document."""

    source: str  # file name
    text: str  # the normalised text all offsets refer to
    sha256: str  # of the source file's bytes
    extractor_version: str
    document: DocumentMeta
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    case_numbers: list[CaseNumber] = field(default_factory=list)
    bodies: list[BodyMention] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    decision_proposals: list[DecisionProposal] = field(default_factory=list)
    planned_treatments: list[PlannedTreatment] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Pages of a paged source (PDF): the offset in ``text`` where each page begins.
    page_starts: tuple[int, ...] = ()
    media_type: str = "text/plain"  # of the source file's content
    furniture: tuple[str, ...] = ()  # running heads and footers taken out of the pages
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text came from OCR
    # spans of ``text`` where a personnummer stood, masked (text/personal_data.py)
    masked: tuple[tuple[int, int], ...] = ()

    @property
    def page_count(self) -> int | None:
        return len(self.page_starts) or None

    def page_of(self, offset: int) -> int | None:
        """The 1-based page of a character offset, or None when the source has no pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def _paged(self, fact: dict[str, Any]) -> dict[str, Any]:
        if self.page_starts and "start" in fact:
            fact["page"] = self.page_of(fact["start"])
            if "end" in fact and fact["end"] > fact["start"]:
                last = self.page_of(fact["end"] - 1)
                if last != fact["page"]:
                    fact["last_page"] = last
        return fact

    def to_json(self, *, include_text: bool = False) -> dict[str, Any]:
        """The ``extract --json`` object (DESIGN.md contract, extended)."""
        doc = asdict(self.document)
        doc["page_count"] = self.page_count
        doc["media_type"] = self.media_type
        paged = self._paged
        out: dict[str, Any] = {
            "source": self.source,
            "document": doc,
            "case_numbers": [paged(asdict(c)) for c in self.case_numbers],
            "bodies": [paged(asdict(b)) for b in self.bodies],
            "persons": [paged(asdict(p)) for p in self.persons],
            "recommendations": [paged(_listify(asdict(r))) for r in self.recommendations],
            "decision_proposals": [paged(asdict(d)) for d in self.decision_proposals],
            "planned_treatments": [paged(asdict(p)) for p in self.planned_treatments],
            "references": [paged(asdict(r)) for r in self.references],
            "organisations": [paged(asdict(o)) for o in self.organisations],
            "recipients": [paged(asdict(r)) for r in self.recipients],
            "sections": [paged(asdict(s)) for s in self.sections],
            "items": [paged(asdict(i)) for i in self.items],
            "attachments": [paged(asdict(a)) for a in self.attachments],
            "sha256": self.sha256,
            "extractor_version": self.extractor_version,
            "warnings": list(self.warnings),
            "masked": [paged({"kind": "personnummer", "start": s, "end": e}) for s, e in self.masked],
        }
        if self.page_starts:
            out["furniture"] = list(self.furniture)
            out["ocr_pages"] = list(self.ocr_pages)
        if include_text:
            out["text"] = self.text
        return out


def _listify(d: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}
