"""The spaCy pipeline: ``spacy.blank("sv")`` with rule components.

Components are registered under versioned names (``beslutsgraf_case_numbers_v1``;
spaCy forbids dots in factory names); their matching lives in plain
functions (``case_numbers.find_case_numbers``, ``bodies.find_bodies``) and the
components only set annotations: ``doc.spans["case_numbers"]`` and
``doc.spans["bodies"]``, each span carrying its fact in ``span._.fact``.
Sentence starts come from the sentencizer plus line breaks, since list items,
header fields and headings end without punctuation.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IDX, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .bodies import find_bodies
from .case_numbers import find_case_numbers

_NEWLINE = re.compile("\n")

if not Span.has_extension("fact"):
    Span.set_extension("fact", default=None)


@Language.component("beslutsgraf_line_breaks_v1")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    The sentence starts are written as one array: setting ``token.is_sent_start`` one
    token at a time makes spaCy scan the whole document each time (quadratic).
    """
    if len(doc) < 2:
        return doc
    starts = doc.to_array([SENT_START]).reshape(-1)  # uint64: 1 start, 2**64-1 (-1) not
    # The tokens holding a line break, found from the character offsets of the breaks
    # (no Token objects: creating one per token costs more than the whole component).
    token_starts = doc.to_array([IDX]).reshape(-1).astype(np.int64)
    is_space = doc.to_array([IS_SPACE]).reshape(-1).astype(bool)
    breaks = np.fromiter((m.start() for m in _NEWLINE.finditer(doc.text)), dtype=np.int64)
    holders = np.unique(np.searchsorted(token_starts, breaks, side="right") - 1)
    holders = holders[(holders >= 0) & (holders < len(doc) - 1)]
    starts[holders[is_space[holders]] + 1] = 1
    return doc.from_array([SENT_START], starts.reshape(-1, 1))


def _set_spans(doc: Doc, key: str, facts) -> None:
    spans = []
    for fact in facts:
        span = doc.char_span(fact.start, fact.end, label=key, alignment_mode="expand")
        if span is not None:
            span._.fact = fact
            spans.append(span)
    doc.spans[key] = spans


@Language.factory("beslutsgraf_case_numbers_v1", default_config={"municipality": None})
def make_case_numbers(nlp: Language, name: str, municipality: str | None):
    def component(doc: Doc) -> Doc:
        _set_spans(doc, "case_numbers", find_case_numbers(doc.text, municipality=municipality))
        return doc

    return component


@Language.factory("beslutsgraf_bodies_v1", default_config={"municipality": None, "own_body": None})
def make_bodies(nlp: Language, name: str, municipality: str | None, own_body: str | None):
    def component(doc: Doc) -> Doc:
        _set_spans(doc, "bodies", find_bodies(doc.text, municipality=municipality, own_body=own_body))
        return doc

    return component


@lru_cache(maxsize=1)
def sentence_nlp() -> Language:
    """Tokenizer, sentencizer and line breaks: enough to split decision texts into sentences."""
    nlp = spacy.blank("sv")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("beslutsgraf_line_breaks_v1")
    nlp.max_length = 50_000_000
    return nlp


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding white space."""
    doc = sentence_nlp()(text)
    out = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
