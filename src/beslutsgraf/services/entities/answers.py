"""Which document answers a recommendation: a pure rule over what the graph says.

The answer is the document that takes a position on it: the document that quotes
it when that document is a response (yttrande, remissvar, or a tjänsteskrivelse/
-utlåtande) with a decision proposal, otherwise the first other document (by IRI)
that cites the same case; its first decision proposal goes with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .common import BG

# Kinds of document that take a position on what they quote.
RESPONSE_KINDS = frozenset(BG + k for k in ("Yttrande", "Remissvar", "Tjansteskrivelse", "Tjansteutlatande"))


@dataclass(frozen=True)
class Answer:
    """The document that answers, and its first decision proposal (if it has one)."""

    document: str
    proposal: str | None


def answering_document(
    doc: str,
    *,
    classes: frozenset[str] | set[str],
    proposals: Mapping[str, str | None],
    citing: Sequence[str],
) -> Answer | None:
    """The answer to the recommendations held by ``doc``, or None.

    ``classes`` are ``doc``'s classes, ``proposals`` the first decision proposal of each
    document concerned, ``citing`` the other documents citing ``doc``'s case, by IRI.
    """
    own = proposals.get(doc)
    if classes & RESPONSE_KINDS and own is not None:
        return Answer(doc, own)
    if citing:
        return Answer(citing[0], proposals.get(citing[0]))
    return None
