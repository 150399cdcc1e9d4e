"""From a source file to an ``Extraction``: the one entry point of the extraction layer.

Steps, each in its own module: read (``sources``) → normalise (``normalize``) →
sections and items (``sections``) → case numbers → municipality and header
(``metadata``) → bodies → organisations and persons → recommendations,
proposals, planned treatments, recipients → references.  The extraction layer
knows nothing of RDF.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from .. import __version__
from ..errors import BeslutsgrafError, ExtractionError
from ..model import FACT_LISTS, CaseNumber, DocumentMeta, Extraction
from ..text.layout import layout_view
from ..text.normalize import normalize_text
from ..text.sections import attachment_stamps, find_attachments, find_items, find_sections
from ..text.sources import ReadLimits, read_source
from .bodies import find_bodies
from .case_numbers import find_case_numbers, with_municipality
from .metadata import (
    AGENDA_KINDS,
    UNTITLED_KINDS,
    document_date,
    document_kind,
    find_municipality,
    flat_title,
    own_case_number,
    read_header,
)
from .nlp import parse, sentence_spans
from .organisations import find_organisations
from .persons import find_persons
from .planning import find_planned_treatments, find_recipients
from .proposals import find_proposals
from .recommendations import find_recommendations
from .references import case_references, decision_references, document_references

EXTRACTOR_VERSION = f"beslutsgraf-extract/{__version__}"


def extract_file(
    path: Path | str, *, max_mb: float = 20.0, limits: ReadLimits | None = None
) -> Extraction:
    """Read and extract one source file; bad input raises ``SourceError`` naming the file."""
    src = read_source(path, max_mb=max_mb, limits=limits)
    try:
        ex = extract_text(src.text, source=Path(path).name, sha256=src.sha256)
        ex.media_type = src.media_type
        ex.furniture = src.furniture
        ex.ocr_pages = src.ocr_pages
        ex.warnings[:0] = list(src.warnings)
        return ex
    except BeslutsgrafError:
        raise
    except Exception as exc:  # a bug or an unforeseen structure: report it with the file
        raise ExtractionError(path, f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _mark_own(
    numbers: list[CaseNumber], own_lines: tuple[tuple[int, int], ...]
) -> list[CaseNumber]:
    own = next((c for c in numbers if any(a <= c.start and c.end <= b for a, b in own_lines)), None)
    if own is None:
        return numbers
    return [replace(c, is_own=c.normalized == own.normalized) for c in numbers]


def with_text(ex: Extraction, stored: str) -> Extraction:
    """``ex`` read from a layout view, with its evidence taken from the stored text:
    every fact's ``text`` that is its span of the view becomes its span of ``stored``
    (the same offsets; line breaks where the view has spaces)."""
    view = ex.text
    if view == stored:  # a text without line breaks inside its lines: nothing to take
        ex.text = stored
        return ex

    def fix(fact):
        if not all(hasattr(fact, k) for k in ("text", "start", "end")):
            return fact
        s, e = fact.start, fact.end
        # a span with no line break reads the same in both texts
        if fact.text == view[s:e] and "\n" in stored[s:e]:
            return replace(fact, text=stored[s:e])
        return fact

    for name in FACT_LISTS:
        setattr(ex, name, [fix(f) for f in getattr(ex, name)])
    doc = ex.document
    if (
        doc.title is not None
        and doc.title_start is not None
        and doc.title == view[doc.title_start : doc.title_end]
    ):
        ex.document = replace(doc, title=stored[doc.title_start : doc.title_end])
    ex.text = stored
    return ex


_TILL = re.compile(r"(?<![\w-])Till[ \t\n]+")


def _addressed_in_opening(text: str, header_end: int, municipality: str | None) -> list:
    """``Till kommunstyrelsen`` in the opening, where the addressee does not stand on a
    line of its own (flattened text): the body right after a capitalised ``Till``."""
    for m in _TILL.finditer(text, 0, max(header_end, 400)):
        found = find_bodies(text[m.end() : m.end() + 80], municipality=municipality)
        if found and found[0].start == 0:
            return found[:1]
    return []


def extract_text(raw: str, *, source: str = "<text>", sha256: str | None = None) -> Extraction:
    """Extract every fact from decoded document text."""
    norm = normalize_text(raw)
    stored = norm.text
    # Facts are read from the layout view, never from the source's own line breaks, so
    # a document and its flattened text give the same facts (text/layout.py); the
    # stored text keeps its lines for reading, and its sections for passages.
    text = layout_view(stored)
    items = find_items(text, layout_view=True)
    boundaries = tuple(i.start for i in items)
    sections = find_sections(text, boundaries=boundaries, layout_view=True)
    numbers = find_case_numbers(text)
    municipality = find_municipality(text, numbers)
    numbers = with_municipality(numbers, municipality)
    header = read_header(text, sections, numbers)
    kind = document_kind(text, paragraphs=sum(1 for i in items if i.kind == "paragraph"))
    doc_type = kind[0] if kind else header.doc_type
    if len(items) == 1 and doc_type not in AGENDA_KINDS:
        # a protokollsutdrag: its one paragraph's case is the document's own
        item = items[0]
        numbers = _mark_own(numbers, ((item.start, item.end),))
    if not any(c.is_own for c in numbers):
        # else the header's: "BESLUT … Ärendenr BUN 2023/412 … BUN § 67", a tjänsteskrivelse
        # citing "§ 64" of another meeting
        own = own_case_number(text, numbers, header.header_end, doc_type, len(items))
        if own is not None:
            numbers = [replace(c, is_own=c.normalized == own.normalized) for c in numbers]
    own = next((c for c in numbers if c.is_own), None)
    items = [
        replace(
            i, case_number=next((c.normalized for c in numbers if i.start <= c.start < i.end), None)
        )
        for i in items
    ]
    stamps = attachment_stamps(text)
    attachments = find_attachments(text, items, stamps=stamps)

    addressed = (
        find_bodies(header.addressee_text, municipality=municipality)
        if header.addressee_text
        else []
    )
    if not addressed:
        addressed = _addressed_in_opening(text, header.header_end, municipality)
    addressee = addressed[0].name if addressed else header.addressee_text
    # the body the document speaks for or to: resolves "stadsdelsnämnden", "nämnden"
    own_body = addressed[0].name if addressed else (own.body if own else None)
    bodies = find_bodies(text, municipality=municipality, own_body=own_body)

    doc = parse(text)
    sentences = sentence_spans(text, doc=doc)
    organisations = find_organisations(text, doc=doc)
    persons = find_persons(
        text, sections, header_end=header.header_end, organisations=organisations
    )
    recommendations = find_recommendations(
        text, sentences, bodies, organisations, doc_kind=doc_type
    )
    proposals = find_proposals(
        text,
        sections,
        bodies,
        items=items,
        municipality=municipality,
        own_body=own_body,
        sentences=sentences,
        doc_kind=doc_type,
    )
    planned = find_planned_treatments(text, sections, bodies)
    recipients = find_recipients(text, sections, bodies, organisations)
    references = (
        case_references(numbers)
        + document_references(
            text,
            sections,
            municipality=municipality,
            emphasis=norm.emphasis,
            stamps=tuple((m.start(), m.end()) for m in stamps),
        )
        + decision_references(text, sentences, sections, bodies, numbers)
    )
    references.sort(key=lambda r: (r.start, r.kind))

    # the title is read from the stored text's own lines where it has them: it is shown,
    # not asserted as a fact, and a flattened text has no line to end it
    display_sections = find_sections(stored, norm.heading_hints, boundaries=boundaries)
    title = (
        read_header(stored, display_sections, numbers, title_only=True) if stored != text else header
    )
    if "\n" not in stored.strip():
        # a flattened text has no line to end its title (its one line is the whole
        # text); the view's line before the first heading does, after the header values
        heads = [x.start for x in sections if x.key != "header"] + [i.start for i in items]
        found = flat_title(text, min(heads), numbers) if heads else None
        title = replace(
            title,
            title=found[0] if found else None,
            title_start=found[1] if found else None,
            title_end=found[2] if found else None,
        )
    marked = title.title_start is not None and any(
        a <= title.title_start < b for a, b in norm.heading_hints
    )
    if doc_type in UNTITLED_KINDS and not marked:
        # a protokoll's title slot holds its body and meeting; a web page's heading is a title
        title = replace(title, title=None, title_start=None, title_end=None)
    meta = DocumentMeta(
        title=title.title,
        doc_type=doc_type,
        date=document_date(text, header.header_end, doc_type) or header.date,
        municipality=municipality,
        case_number=own.normalized if own else None,
        title_start=title.title_start,
        title_end=title.title_end,
        addressee=addressee,
        # the person under "Vår referens"/"Handläggare", read as a person (name only)
        reference_person=next(
            (p.name for p in persons if p.context == "header"), header.reference_person
        ),
    )
    warnings = []
    if not sections and not items:
        warnings.append("no standard sections or items found")
    if norm.masked:
        warnings.append(f"{len(norm.masked)} personnummer masked in the text")
    ex = Extraction(
        source=source,
        text=text,
        sha256=sha256 or hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        extractor_version=EXTRACTOR_VERSION,
        document=meta,
        sections=sections,
        items=items,
        case_numbers=numbers,
        bodies=bodies,
        persons=persons,
        organisations=organisations,
        recommendations=recommendations,
        decision_proposals=proposals,
        planned_treatments=planned,
        recipients=recipients,
        references=references,
        attachments=attachments,
        warnings=warnings,
        page_starts=norm.page_starts,
        masked=norm.masked,
    )
    ex.sections = display_sections
    return with_text(ex, stored)
