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
import sys
import types
from functools import lru_cache
from pathlib import Path

import numpy as np


def _import_spacy_lean():
    """spaCy without what the blank pipeline never uses, for a fast ``beslutsgraf extract``:

    - torch: spaCy imports thinc, which imports torch when it is installed (1.1 s of the
      2 s a cold start took); the build's embedding encoder imports it later itself;
    - spaCy's command line (``spacy.cli``, with requests, httpx and weasel: 0.15–0.2 s),
      which ``spacy/__init__.py`` imports for its ``spacy.info`` alone.

    Both are hidden while spaCy loads and importable again afterwards; nothing is hidden
    if spaCy or torch is loaded already."""
    if "torch" in sys.modules or "spacy" in sys.modules:
        import spacy

        return spacy
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package: "from .cli.info import info" looks inside it
    info = types.ModuleType("spacy.cli.info")
    info.info = _no_info
    hidden = {"torch": None, "spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(hidden)  # type: ignore[arg-type]  # "import torch" raises ImportError
    try:
        import spacy
    finally:
        for name in hidden:
            del sys.modules[name]
    return spacy


def _no_info(*_args, **_kwargs):
    raise RuntimeError("spacy.info is not loaded by beslutsgraf; run `python -m spacy info`")


spacy = _import_spacy_lean()
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LOWER, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher  # noqa: F401  (re-exported: spaCy is imported here only)
from spacy.pipeline import Sentencizer
from spacy.strings import hash_string
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from ..datafiles import load_yaml
from .bodies import find_bodies
from .case_numbers import find_case_numbers

PATTERNS = Path(__file__).parent / "patterns"

if not Span.has_extension("fact"):
    Span.set_extension("fact", default=None)


@Language.component("beslutsgraf_sentences_v1")
def sentences(doc: Doc) -> Doc:
    """Sentence starts: after sentence-final punctuation (spaCy's ``sentencizer`` rule:
    the first token after a punctuation character that is neither punctuation nor one of
    those characters) and after every line break.

    Computed on the token arrays, as one array written back: the sentencizer and
    ``doc.text`` create a Python object per token, and setting ``token.is_sent_start``
    one token at a time makes spaCy scan the whole document each time (quadratic).
    """
    n = len(doc)
    if n == 0:
        return doc
    is_ender, is_break = _flags(doc.vocab)
    orth, is_punct, spacy_, enders, breaks = doc.to_array(
        [ORTH, IS_PUNCT, SPACY, is_ender, is_break]
    ).T
    is_punct, enders = is_punct.astype(bool), enders.astype(bool)
    starts = np.full(n, -1, dtype=np.int64)
    starts[0] = 1
    # the full stop of an abbreviation ("t.ex", "." with no space between) ends nothing;
    # compared as string hashes, which the token array holds (a string per sentence end
    # looked up in the vocabulary cost as much as the rest of the component)
    stems = _abbreviation_stems()
    stops = np.flatnonzero(enders[1:] & (spacy_[:-1] == 0) & (orth[1:] == _FULL_STOP))
    for i, stem in zip(stops.tolist(), orth[stops].tolist()):
        if stem in stems:
            enders[i + 1] = False
    candidates = np.flatnonzero(~is_punct & ~enders)
    after = np.searchsorted(candidates, np.flatnonzero(enders), side="right")
    starts[candidates[np.unique(after[after < len(candidates)])]] = 1
    # a token after a white-space token holding a line break ("\n" is a token of its own)
    holders = np.flatnonzero(breaks[:-1])
    starts[holders + 1] = 1
    return doc.from_array([SENT_START], starts.astype(np.uint64).reshape(-1, 1))


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """Swedish abbreviations ending in a full stop ("t.ex.", "bl.a.", "kl."): the
    tokenizer exceptions of spaCy's Swedish, which ``sentence_nlp`` leaves out of the
    tokenizer (see there), less single letters ("i." ends "… placerat dem i.")."""
    from spacy.lang.sv import Swedish

    return frozenset(
        k for k in Swedish.Defaults.tokenizer_exceptions if k.endswith(".") and len(k) > 2
    )


_FULL_STOP = hash_string(".")


@lru_cache(maxsize=1)
def _abbreviation_stems() -> frozenset[int]:
    """The string hashes of the abbreviations without their last full stop ("t.ex"): the
    token before a full stop that is one of them ends no sentence."""
    return frozenset(hash_string(k[:-1]) for k in _abbreviations())


@lru_cache(maxsize=4)
def _flags(vocab) -> tuple[int, int]:
    """Two lexeme flags of ``vocab``: a sentence-final punctuation character (the
    sentencizer's) or a run of full stops, and white space holding a line break.  Read
    with the token arrays, they spare looking each token up in a set (``np.isin``: half
    the component's time)."""
    punct = frozenset(Sentencizer.default_punct_chars)
    return (
        # a run of full stops is one token (tokenizer.yml), and ends a sentence as one does
        vocab.add_flag(lambda s: s in punct or (s[:2] == ".." and not s.strip("."))),
        vocab.add_flag(lambda s: "\n" in s and s.isspace()),
    )


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


@spacy.registry.tokenizers("beslutsgraf_tokenizer_v1")
def make_tokenizer():
    """spaCy's tokenizer with our affix rules (``patterns/tokenizer.yml``) and no special
    cases.  Built directly, not by replacing the Swedish defaults' rules afterwards: their
    regexes took 0.1 s to compile at every start of ``beslutsgraf extract``.

    No special cases: spaCy stops caching a document's tokens after its first special
    case, and its Swedish ones include "\\n" and every abbreviation, so each word was
    split afresh (0.43 s per MB of text against 0.04 s once cached).  The one thing the
    exceptions did here, keeping "t.ex." from ending a sentence, is done in ``sentences``
    from the same list.

    A larger cache than spaCy's 10,000 chunks: past it every new chunk is split afresh,
    which a build reaches within its first documents (tokenizing took 2.1x as long)."""

    def create(nlp: Language) -> Tokenizer:
        from spacy.lang.tokenizer_exceptions import URL_MATCH

        rules = load_yaml(PATTERNS / "tokenizer.yml")
        return Tokenizer(
            nlp.vocab,
            rules={},
            prefix_search=re.compile(rules["prefix"]).search,
            suffix_search=re.compile(rules["suffix"]).search,
            infix_finditer=re.compile(rules["infix"]).finditer,
            url_match=URL_MATCH,
            max_cache_size=int(rules["cache_size"]),
        )

    return create


@lru_cache(maxsize=1)
def sentence_nlp() -> Language:
    """Tokenizer, sentencizer and line breaks: enough to split decision texts into sentences."""
    nlp = spacy.blank("sv", config={"nlp": {"tokenizer": {"@tokenizers": "beslutsgraf_tokenizer_v1"}}})
    # Only the lexical attributes read here (LOWER for the gazetteers, IS_PUNCT and
    # IS_SPACE for sentences): spaCy computes every getter for each word it has not seen,
    # and the shape, number and URL getters made a new word cost 12 µs instead of 3.
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {k: getters[k] for k in (LOWER, IS_PUNCT, IS_SPACE)}
    nlp.add_pipe("beslutsgraf_sentences_v1")
    nlp.max_length = 50_000_000
    return nlp


def parse(text: str) -> Doc:
    """The text tokenized and split into sentences, once per document: the sentences and
    the gazetteer matchers (``organisations``) share it, as tokenizing is spaCy's cost."""
    return sentence_nlp()(text)


def sentence_spans(text: str, *, doc: Doc | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding white space."""
    doc = parse(text) if doc is None else doc
    if len(doc) == 0:
        return []
    # from the token arrays, not doc.sents: a Span per sentence and a Token per token
    # cost more than finding the sentences did
    arr = doc.to_array([SENT_START, IDX]).astype(np.int64)
    first = np.flatnonzero(arr[:, 0] == 1)
    if len(first) == 0 or first[0] != 0:
        first = np.concatenate(([0], first))
    starts = arr[first, 1].tolist()
    ends = starts[1:] + [len(text)]
    out = []
    for s, e in zip(starts, ends):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
