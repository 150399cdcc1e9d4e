"""The planned decision path (``Beslutsplanering``) and the recipients of a decision.

Each line of ``Beslutsplanering`` names a body (or a forum such as ``Kommuncentral
samverkan``) and the date of its meeting; each line of ``Beslutet skickas till``
is a recipient, canonical when the line is just a body.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..model import BodyMention, Organisation, PlannedTreatment, Recipient, Section
from .dates import find_dates
from .persons import is_name, is_title
from .spans import within


class _AsBody(NamedTuple):
    """An organisation standing in a recipient list where a body would."""

    name: str
    text: str
    start: int
    end: int


_PAIR_GAP = 60  # a meeting date stands right after its body
_STOP = re.compile(r"(?i)justerandes|utdragsbestyrkande|signatur|underskrift|§\s*\d|dnr\b|bilag")
_SUBUNIT = re.compile(
    r",[ \t]*[A-ZÅÄÖ][\wåäö-]*(?:avdelningen|enheten|sektionen|staben|kansliet)\b"
)
_SEGMENT = re.compile(r"[A-ZÅÄÖ0-9][^\s,;•]*(?:[ \t\n]+(?![A-ZÅÄÖ•–-])[^\s,;•]+)*")


def _is_path(sec: Section) -> bool:
    return sec.key == "beslutsplanering" or sec.title.lower().startswith("beslutsgång")


def find_planned_treatments(
    text: str, sections: list[Section], bodies: list[BodyMention]
) -> list[PlannedTreatment]:
    """Body + meeting date pairs of ``Beslutsplanering`` (or a ``Beslutsgång`` that lists
    them), in order, with or without a line break between the pairs."""
    out: list[PlannedTreatment] = []
    for sec in sections:
        if not _is_path(sec):
            continue
        inside = within(bodies, sec.body_start, sec.end)
        pairs = []
        for n, b in enumerate(inside):
            nxt = inside[n + 1].start if n + 1 < len(inside) else sec.end
            dates = [d for d in find_dates(text[b.end : nxt]) if d[0] < _PAIR_GAP]
            if dates:
                pairs.append((b, b.end + dates[0][1], dates[0][2]))
        if sec.key != "beslutsplanering" and len(pairs) < max(1, len(inside)):
            continue  # a protokoll's Beslutsgång (how the chair put the question)
        for b, e, date in pairs:
            out.append(PlannedTreatment(b.name, date, b.start, e, len(out) + 1, text[b.start : e]))
    return out


def find_recipients(
    text: str,
    sections: list[Section],
    bodies: list[BodyMention],
    organisations: list[Organisation] = (),
) -> list[Recipient]:
    """The recipients of ``Beslutet skickas till``: each body named, and each other
    entry as written (a new entry starts at a capital, a comma or a bullet), up to the
    protokoll furniture or signature that follows the list."""
    out: list[Recipient] = []
    for sec in sections:
        if sec.key != "beslutet_skickas_till":
            continue
        stop = _STOP.search(text, sec.body_start, sec.end)
        end = stop.start() if stop else sec.end
        pos = sec.body_start
        named = within(bodies, sec.body_start, end) + [
            _AsBody(o.name, o.text, o.start, o.end)
            for o in within(list(organisations), sec.body_start, end)
            if o.kind != "party"
        ]
        named.sort(key=lambda b: b.start)
        for b in named + [None]:
            upto = b.start if b else end
            for m in _SEGMENT.finditer(text, pos, upto):
                seg = m.group().rstrip(" .")
                ahead = text[m.start() : m.start() + 60].split()
                if (
                    any(is_name(" ".join(ahead[:k])) for k in (2, 3))
                    or is_title(seg)
                    or not seg[:1].isalpha()
                ):
                    end = min(end, m.start())  # a signature or the handläggare after the list
                    break
                out.append(Recipient(seg, seg, m.start(), m.start() + len(seg)))
            if b is None or b.start >= end:
                break
            e = b.end
            sub = _SUBUNIT.match(text, e, end)
            if sub:
                # "Stadskontoret, Hållbarhetsavdelningen": a department of the one before
                e = sub.end()
                out.append(Recipient(text[b.start : e], text[b.start : e], b.start, e))
                pos = e
                continue
            tail = re.match(r"[ \t]+[a-zåäö][\wåäö]*(?:[ \t]+[a-zåäö][\wåäö]*)*", text[e:end])
            if tail and b.text.endswith("s") and b.text[-2:] != "ss":
                # "Stadskontorets handläggare": an entry named by its body, as written
                e += tail.end()
                out.append(Recipient(text[b.start : e], text[b.start : e], b.start, e))
            else:
                out.append(Recipient(b.name, text[b.start : b.end], b.start, b.end))
            pos = e
    return out
