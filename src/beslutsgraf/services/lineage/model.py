"""What a lineage is made of: typed links, timeline events, and the whole answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_DEPTH = 5
MAX_DOCUMENTS = 60  # documents visited per direction: a bound on the walk

LINK_LABELS = {
    "beslutsunderlag": "beslutsunderlag",
    "svarar_pa": "svarar på",
    "tidigare_beslut": "tidigare beslut",
    "hanvisar_arende": "hänvisar till ärende",
    "hanvisar_handling": "hänvisar till handling",
    "besvaras_av": "besvaras av",
    "citeras_av": "citeras av",
}


@dataclass
class Link:
    """One typed link between documents, with the span of text that states it."""

    direction: str  # "upstream" | "downstream"
    type: str  # a key of LINK_LABELS
    label: str
    source: str  # the document IRI whose text states the link
    target: str  # what is cited (case, referenced document, decision) or the citing document
    target_label: str
    target_documents: list[str]  # corpus documents the target resolves to
    date: str | None
    body: str | None
    evidence: dict[str, Any]  # {document, start, end, exact}
    depth: int


@dataclass
class TimelineEvent:
    """A dated event of a lineage, read from one document."""

    date: str | None
    kind: str  # handling | planerad behandling | tidigare beslut | citerad handling
    label: str
    body: str | None
    document: str  # document IRI the event is read from
    evidence: dict[str, Any] | None = None


@dataclass
class Lineage:
    """Where a case or document came from (upstream), what came of it (downstream), when."""

    subject: dict[str, Any]
    documents: list[dict[str, Any]]
    upstream: list[Link] = field(default_factory=list)
    downstream: list[Link] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    related_documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The lineage as the JSON API sends it."""
        return {
            "subject": self.subject,
            "documents": self.documents,
            "upstream": [asdict(x) for x in self.upstream],
            "downstream": [asdict(x) for x in self.downstream],
            "timeline": [asdict(x) for x in self.timeline],
            "related_documents": self.related_documents,
        }
