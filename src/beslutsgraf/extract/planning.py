"""The planned decision path (``Beslutsplanering``) and the recipients of a decision.

Each line of ``Beslutsplanering`` names a body (or a forum such as ``Kommuncentral
samverkan``) and the date of its meeting; each line of ``Beslutet skickas till``
is a recipient, canonical when the line is just a body.
"""

from __future__ import annotations

from ..model import BodyMention, PlannedTreatment, Recipient, Section
from ..text.sections import line_spans
from .dates import find_dates
from .references import list_lines
from .spans import within


def find_planned_treatments(text: str, sections: list[Section], bodies: list[BodyMention]) -> list[PlannedTreatment]:
    """Body + date per ``Beslutsplanering`` line, in order."""
    out: list[PlannedTreatment] = []
    for sec in sections:
        if sec.key != "beslutsplanering":
            continue
        for s, e in line_spans(text, sec.body_start, sec.end):
            s += len(text[s:e]) - len(text[s:e].lstrip("-–• \t"))
            e -= len(text[s:e]) - len(text[s:e].rstrip(",;. \t"))
            line_bodies = within(bodies, s, e)
            if not line_bodies:
                continue
            dates = find_dates(text[s:e])
            date = dates[0][2] if dates else None
            out.append(PlannedTreatment(line_bodies[0].name, date, s, e, len(out) + 1, text[s:e]))
    return out


def find_recipients(text: str, sections: list[Section], bodies: list[BodyMention]) -> list[Recipient]:
    """One recipient per line of ``Beslutet skickas till``."""
    out: list[Recipient] = []
    for sec in sections:
        if sec.key != "beslutet_skickas_till":
            continue
        for offset, line in list_lines(text, sec.body_start, sec.end):
            s = offset + (len(line) - len(line.lstrip(" \t-–•")))
            e = offset + len(line.rstrip(" \t,;."))
            line_bodies = within(bodies, s, e)
            whole = len(line_bodies) == 1 and line_bodies[0].start == s and line_bodies[0].end == e
            name = line_bodies[0].name if whole else text[s:e]
            out.append(Recipient(name, text[s:e], s, e))
    return out
