"""What the entity views share: labels in Swedish, the page of a list, page checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...errors import BeslutsgrafError
from ...vocab import BG as _BG

BG = str(_BG)
MAX_PAGE = 200

# Fact classes shown on a document page, with their Swedish names.
FACT_LABELS: dict[str, str] = {
    "Mention": "omnämnande",
    "Recommendation": "rekommendation",
    "DecisionProposal": "beslutsförslag",
    "Decision": "beslut",
    "PlannedTreatment": "planerad behandling",
    "Recipient": "beslutet skickas till",
    "CaseReference": "hänvisning till ärende",
    "DocumentReference": "hänvisning till handling",
    "DecisionReference": "hänvisning till beslut",
    "Membership": "befattning eller parti",
}
# Entity kinds (by IRI path) with their Swedish names.
KIND_LABELS: dict[str, str] = {
    "document": "Handling",
    "case": "Ärende",
    "body": "Organ",
    "administration": "Förvaltning",
    "person": "Person",
    "party": "Parti",
    "organisation": "Organisation",
    "municipality": "Kommun",
    "role": "Befattning",
}


@dataclass
class Page:
    """One page of a list: ``items`` from ``offset``, out of ``total``."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The page as the JSON API sends it."""
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.items}


def check_page(limit: int, offset: int) -> tuple[int, int]:
    """``(limit, offset)`` if they make a page, else ``BeslutsgrafError``."""
    if not 1 <= limit <= MAX_PAGE:
        raise BeslutsgrafError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise BeslutsgrafError(f"offset must be 0 or more, got {offset}")
    return limit, offset


def page_of(items: list[dict[str, Any]], *, limit: int, offset: int, total: int | None = None) -> Page:
    """The page ``[offset, offset + limit)`` of a whole list (a cached one: LIMIT cannot be bound)."""
    return Page(len(items) if total is None else total, limit, offset, items[offset : offset + limit])


def class_name(iri: str) -> str:
    """``https://beslutsgraf.se/ontology#Decision`` → ``Decision`` (names outside bg: unchanged)."""
    return iri.removeprefix(BG)
