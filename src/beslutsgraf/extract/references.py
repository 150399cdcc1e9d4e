"""References from a document to cases, other documents and earlier decisions.

- ``case``: every case number that is not the document's own.
- ``document``: each item of ``Beslutsunderlag`` and ``Bilagor``, and a report
  named in the running text (``rapporten *Granskning av …*``).  A meeting code
  (``G-Tjänsteskrivelse KSAU 181022``) yields the body and date the document was
  prepared for (derived); ``Protokollsutdrag §195`` the paragraph.
- ``decision``: an earlier decision stated in the text (past tense, see
  ``patterns/facts.yml``) with its body, date and case number when stated.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..model import BodyMention, CaseNumber, Reference, Section
from ..text.regex import literal_alternation, lowered, spans_holding
from .bodies import abbreviation_body
from .dates import YEAR, find_dates, parse_compact
from .spans import covers, within

PATTERNS = Path(__file__).resolve().parent / "patterns"

_ITEM = re.compile(r"^(?:(?:\d{1,2}[.)]|[-–•])\s+)?(?P<text>\S.*)$")
_TRAILING_DATE = re.compile(r"[\s,]+(?:daterad\s+|från\s+|den\s+)?(?P<date>\d{4}-\d{2}-\d{2})\s*$")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    from ..datafiles import load_yaml

    data = load_yaml(PATTERNS / "facts.yml")
    out = {
        f"ref_{k}": re.compile(v, re.IGNORECASE | re.MULTILINE)
        for k, v in data["references"].items()
    }
    out["meeting_code"] = re.compile(data["references"]["meeting_code"])
    out.update(
        {f"dec_{k}": re.compile(v, re.IGNORECASE) for k, v in data["decisions"].items() if isinstance(v, str)}
    )
    return out


@lru_cache(maxsize=1)
def decision_words() -> tuple[str, ...]:
    """Words one of which every decision-verb pattern needs (``facts.yml``)."""
    from ..datafiles import load_yaml

    return tuple(load_yaml(PATTERNS / "facts.yml")["decisions"]["sentence_words"])


@lru_cache(maxsize=1)
def _decision_word() -> re.Pattern[str]:
    """Any of ``decision_words`` (lower case): the sentences that may hold a decision."""
    return re.compile(literal_alternation(decision_words()))


_MARKED = re.compile(r"^\s*(?:\d{1,2}[.)]|[-–•])\s+\S")


# Where an unmarked list run together on one line starts its next item: after a date,
# before a document word with a capital, and at a column gap.
_ITEM_BREAK = re.compile(
    r"\s{2,}(?=[A-ZÅÄÖ])|(?<=\d{4}-\d{2}-\d{2})[ \t]+(?=[A-ZÅÄÖ])"
    r"|[ \t]+(?=(?:G-)?(?:Tjänsteskrivelse|Tjänsteutlåtande|Protokollsutdrag|Protokoll|Motion|Medborgarförslag|"
    r"Yttrande|Remiss|Remissvar|Rapport|Revisionsrapport|Skrivelse|Bilaga|Missiv|Kallelse|Förslag|Handlingsplan)\b)"
)


def _split_run(text: str, s: int, line: str) -> list[tuple[int, str]]:
    """A list line of the layout view cut where its items meet (see ``_ITEM_BREAK``)."""
    out: list[tuple[int, str]] = []
    mark = _MARKED.match(line)
    pos = mark.end() - 1 if mark else 0
    first = 0  # the first item keeps its mark
    for m in _ITEM_BREAK.finditer(line, pos):
        if m.start() > pos and line[pos : m.start()].strip():
            out.append((s + first, line[first : m.start()]))
            pos = first = m.end()
    if line[first:].strip():
        out.append((s + first, line[first:]))
    return out


# Running text: a list names documents, so an item of more than 40 words, or of more
# than 80 characters where one sentence ends and the next begins, is not one of them
# but the text after the list (an attached document's pages under their "Bilaga"
# heading, a protokoll's next paragraph).  No list item of the test documents is either.
_MAX_ITEM_WORDS = 40
_SENTENCE_BREAK = re.compile(r"[a-zåäö]{2}[.!?]\s+[A-ZÅÄÖ][a-zåäö]")


def _is_running_text(line: str) -> bool:
    return len(line.split()) > _MAX_ITEM_WORDS or (
        len(line.strip()) > 80 and _SENTENCE_BREAK.search(line) is not None
    )


def list_lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, line) of the items of a list section.

    A marked list (``1. …``, ``- …``) ends at the first unmarked line; an unmarked
    one at its first blank line, so that a page footer after it is not taken; either
    at the first item that is running text (``_is_running_text``), which the layout
    view, without blank lines, needs.  An unmarked line that holds several items (a
    list that lost its line breaks) is cut into them.
    """
    out: list[tuple[int, str]] = []
    pos = start
    marked = None
    for raw in text[start:end].split("\n"):
        parts = _split_run(text, pos, raw) if raw.strip() else [(pos, raw)]
        pos_next = pos + len(raw) + 1
        for part_start, line in parts:
            pos = part_start
            if _is_running_text(line):
                return out
            done = _list_line(out, pos, line, marked)
            if done is _ENDED:
                return out
            marked = done
        pos = pos_next
    return out


_ENDED = object()


def _list_line(
    out: list[tuple[int, str]], s: int, line: str, marked: bool | None
) -> bool | None | object:
    """Add one line to a list being read: whether it is a marked list, or ``_ENDED``."""
    if not line.strip():
        return _ENDED if out and not marked else marked
    is_marked = bool(_MARKED.match(line))
    if marked is None:
        marked = is_marked
    if marked and not is_marked:
        return _ENDED
    out.append((s, line))
    return marked


_QUOTED_TITLE = re.compile(r"[”“\"](?P<title>[A-ZÅÄÖ][^”“\"\n]{3,80}?)[”\"]")


def _list_spans(sections: list[Section]) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in sections if s.key in ("beslutsunderlag", "bilagor")]


def case_references(numbers: list[CaseNumber]) -> list[Reference]:
    return [
        Reference("case", c.text, c.normalized, c.start, c.end, case_number=c.normalized)
        for c in numbers
        if not c.is_own
    ]


def _doc_title(item: str) -> str:
    """The title of a listed document: the item without meeting code, ``§ N`` and trailing date.

    The kind word stays (``G-Tjänsteskrivelse Granskning av …``, ``Protokollsutdrag …``):
    it is part of how the document is named in the list.
    """
    pats = _patterns()
    t = pats["meeting_code"].sub("", item, count=1)
    t = re.sub(r"\s*§\s*\d+[a-z]?", "", t)
    while True:
        stripped = _TRAILING_DATE.sub("", t)
        dates = find_dates(stripped)
        if dates and dates[-1][1] >= len(stripped.rstrip(" ,.;")) and dates[-1][0] > 0:
            stripped = stripped[: dates[-1][0]]
        stripped = re.sub(r"(?:\s+(?:den|daterad|från))?[\s,;:–-]*$", "", stripped)
        if stripped == t:
            break
        t = stripped
    t = re.sub(r"\s{2,}", " ", t).strip(" ;,.")
    return t or item.strip()


def document_references(
    text: str,
    sections: list[Section],
    *,
    municipality: str | None,
    emphasis: tuple[tuple[int, int], ...] = (),
    stamps: tuple[tuple[int, int], ...] = (),
) -> list[Reference]:
    """Beslutsunderlag/Bilagor items and reports named in the running text; a Bilaga
    heading that is the stamp of an appended page (``stamps``, text.sections
    ``attachment_stamps``) lists nothing: the bilaga's own text follows it."""
    pats = _patterns()
    out: list[Reference] = []
    for sec in sections:
        if sec.key not in ("beslutsunderlag", "bilagor"):
            continue
        if covers(stamps, sec.start):
            continue  # an appended bilaga's page, stamped with its item: no list
        for s, line in list_lines(text, sec.body_start, sec.end):
            m = _ITEM.match(line.strip())
            ls = s + line.index(m.group("text"))
            le = s + len(line.rstrip())
            item = text[ls:le]
            date = body = paragraph = None
            derived = False
            dm = _TRAILING_DATE.search(re.sub(r"\s*§\s*\d+[a-z]?\s*$", "", item))
            if dm:
                date = dm.group("date")
            else:
                written = find_dates(item)
                if (
                    written
                    and written[-1][1] >= len(item.rstrip(" .")) - 8
                    and len(written[-1][2]) == 10
                ):
                    date = written[-1][2]
            mc = pats["meeting_code"].search(item)
            if mc:
                body_name = abbreviation_body(mc.group("code"), municipality)
                compact = parse_compact(mc.group("date"))
                if body_name and compact:
                    body, date, derived = body_name, date or compact, True
            pm = pats["ref_paragraph"].search(item)
            if pm:
                paragraph = f"§{pm.group('num')}"
            out.append(
                Reference(
                    "document",
                    item,
                    _doc_title(item),
                    ls,
                    le,
                    date=date,
                    body=body,
                    paragraph=paragraph,
                    derived=derived,
                )
            )
    # a short quoted title: I ”Budget Malmö stad 2021” går att läsa
    for m in _QUOTED_TITLE.finditer(text):
        title = m.group("title")
        if (
            len(title.split()) <= 8
            and "," not in title
            and not any(a <= m.start() < b for a, b in _list_spans(sections))
        ):
            out.append(Reference("document", title, title, m.start("title"), m.end("title")))
    listed = {(r.start, r.end) for r in out}
    for s, e in emphasis:
        if (s, e) in listed or not pats["ref_document_nouns"].search(text[max(0, s - 40) : s]):
            continue
        title = text[s:e].strip()
        if len(title) >= 8:
            out.append(Reference("document", title, title, s, e))
    return out


def decision_references(
    text: str,
    sentences: list[tuple[int, int]],
    sections: list[Section],
    bodies: list[BodyMention],
    numbers: list[CaseNumber],
) -> list[Reference]:
    """Earlier decisions stated in past tense, with body, date and case number."""
    pats = _patterns()
    # lists of documents are not statements; proposals may cite an earlier decision
    skip = sorted((s.start, s.end) for s in sections if s.key in ("beslutsunderlag", "bilagor"))
    out: list[Reference] = []
    words = decision_words()
    for s, e in spans_holding(_decision_word(), lowered(text), sentences):
        if covers(skip, s):
            continue
        sentence = text[s:e]
        lower = sentence.lower()
        if not any(w in lower for w in words):
            continue
        vm = pats["dec_verbs"].search(sentence)
        if not vm or pats["dec_not_decisions"].search(sentence):
            continue
        if vm.group().startswith(("§", "paragraf")):
            continue
        in_sentence = [b for b in within(bodies, s, e) if b.kind != "förvaltning"]
        body = _deciding_body(in_sentence, s + vm.start())
        dates = [d for d in find_dates(sentence)]
        date = dates[0][2] if dates else None
        if date is None:
            ym = YEAR.search(sentence)
            date = ym.group("y") if ym else None
        case = next((c.normalized for c in numbers if s <= c.start and c.end <= e), None)
        tm = pats["dec_target"].search(sentence)
        target = tm.group().strip() if tm else sentence[vm.start() :].strip()
        target = _shorten(target)
        out.append(
            Reference("decision", sentence, target, s, e, date=date, body=body, case_number=case)
        )
    return out


def _deciding_body(bodies: list[BodyMention], verb_pos: int) -> str | None:
    if not bodies:
        return None
    before = [b for b in bodies if b.end <= verb_pos]
    if before:
        return before[-1].name
    return bodies[0].name


def _shorten(target: str, max_words: int = 14) -> str:
    words = target.split()
    t = " ".join(words[:max_words])
    return t.rstrip(" ,;:")
