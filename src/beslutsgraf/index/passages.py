"""Passages for the search index: section- and paragraph-aware chunks.

A chunk never cuts a sentence, a numbered item or a list item in half: it is a
run of whole paragraphs of one section, at most ``max_chars`` long (the default
embedding model reads about 256 tokens ≈ 740 characters of Swedish); a longer
paragraph is split between sentences.  The header is a chunk too, since titles
and case numbers stand there.  Each chunk carries what filters and results need.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..graph.uris import document_slug
from ..model import Extraction, Section

MAX_CHARS = 700
_PARA = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Chunk:
    id: str  # "<document id>#<n>"
    document: str  # document id: uris.document_slug of the file name, as in its IRI
    source: str
    ordinal: int
    start: int
    end: int
    text: str
    section: str  # section title ("" for the header)
    section_key: str
    title: str | None
    doc_type: str | None
    date: str | None
    municipality: str | None
    bodies: tuple[str, ...]
    case_numbers: tuple[str, ...]
    page: int | None = None  # 1-based page where the passage begins, for a paged source
    last_page: int | None = None  # where it ends, when that is a later page

    @property
    def content_hash(self) -> str:
        """What an embedding depends on: the text (and nothing that may change around it)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:24]


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _PARA.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _pieces(text: str, s: int, e: int, max_chars: int) -> list[tuple[int, int]]:
    """A paragraph, or its sentence runs when it is too long."""
    if e - s <= max_chars:
        return [(s, e)]
    # imported here: the search side reads chunks but never makes them, and spaCy is a
    # third of its start-up
    from ..extract.nlp import sentence_spans

    sents = [(a + s, b + s) for a, b in sentence_spans(text[s:e])]
    out: list[tuple[int, int]] = []
    cur_s = cur_e = None
    for a, b in sents:
        if cur_s is None:
            cur_s, cur_e = a, b
        elif b - cur_s <= max_chars:
            cur_e = b
        else:
            out.append((cur_s, cur_e))
            cur_s, cur_e = a, b
    if cur_s is not None:
        out.append((cur_s, cur_e))
    return out


def _section_spans(ex: Extraction) -> list[Section]:
    if ex.sections:
        return ex.sections
    return [Section("other", "", 0, len(ex.text), 0)]


def make_chunks(ex: Extraction, *, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Chunks of one document in text order."""
    doc_id = document_slug(ex.source)  # the same id as the document's IRI
    text = ex.text
    runs: list[tuple[Section, int, int]] = []
    for sec in _section_spans(ex):
        # the heading belongs to the first chunk of its section
        pieces = [p for ps, pe in _paragraphs(text, sec.start, sec.end) for p in _pieces(text, ps, pe, max_chars)]
        cur_s = cur_e = None
        for a, b in pieces:
            if cur_s is None:
                cur_s, cur_e = a, b
            elif b - cur_s <= max_chars:
                cur_e = b
            else:
                runs.append((sec, cur_s, cur_e))
                cur_s, cur_e = a, b
        if cur_s is not None:
            runs.append((sec, cur_s, cur_e))
    out: list[Chunk] = []
    for n, (sec, s, e) in enumerate(runs):
        bodies = tuple(dict.fromkeys(b.name for b in ex.bodies if s <= b.start < e))
        cases = tuple(dict.fromkeys(c.normalized for c in ex.case_numbers if s <= c.start < e))
        out.append(
            Chunk(
                id=f"{doc_id}#{n}",
                document=doc_id,
                source=ex.source,
                ordinal=n,
                start=s,
                end=e,
                text=text[s:e],
                section=sec.title,
                section_key=sec.key,
                title=ex.document.title,
                doc_type=ex.document.doc_type,
                date=ex.document.date,
                municipality=ex.document.municipality,
                bodies=bodies,
                case_numbers=cases,
                page=ex.page_of(s),
                last_page=ex.page_of(e - 1) if ex.page_of(e - 1) != ex.page_of(s) else None,
            )
        )
    return out
