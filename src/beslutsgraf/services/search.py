"""The search service: hybrid retrieval with filters, facets, snippets and grouping.

Plain Python, no web types: the CLI and the web layer both call ``SearchService.search``.

Steps of a search:
1. validate the query and the filters (unknown values fail with the valid choices);
2. read case numbers and quoted phrases out of the query;
3. restrict to the chunks that pass the filters and phrases;
4. rank lexically (BM25) and semantically (faiss), and fuse the two rankings with
   reciprocal rank fusion; chunks that carry a case number of the query go first;
5. group per document (best passage first), cut the page, add snippets and facets.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import IndexUnavailable, SearchError
from ..extract.case_numbers import find_case_numbers
from ..index.lexical import _stemmer, stopwords, words
from ..index.partitions import is_partitioned
from ..index.passages import Chunk
from ..index.search_index import SearchIndex
from ..index.vectors import embed
from .choices import MODES

MAX_QUERY_CHARS = 1000

@dataclass(frozen=True)
class Fusion:
    """How a hybrid search fuses its two rankings (reciprocal rank fusion).

    The defaults were tuned on the tune half of tests/eval/hard/ only and are reported
    on its other half (``beslutsgraf eval``; README, "Search evaluation")."""

    rrf_k: int = 5
    lexical_weight: float = 1.0
    semantic_weight: float = 4.0
    # passages of the semantic ranking that take part in a hybrid fusion; they count as
    # hits (in the total and the facets) even when they share no word with the query,
    # so few: 30 or 100 scored no better on the tune half (0.864 against 0.860)
    semantic_candidates: int = 10
    # the semantic weight shrinks by (1 - coverage) ** coverage_power, where coverage is
    # the largest share of the query's terms found in one of the best lexical passages
    coverage_power: float = 1.0

    def semantic_weight_after(self, coverage: float) -> float:
        """The semantic ranking counts for more when the words of the query are not in the
        text (a paraphrase), and for little when the best passage has them all."""
        return self.semantic_weight * (1.0 - coverage) ** self.coverage_power

    def semantic_wanted(self, q: SearchQuery) -> int:
        return max(self.semantic_candidates, q.limit * 5)

    def semantic_kept(self, q: SearchQuery) -> int:
        """Passages of the semantic ranking that a search of ``q.mode`` fuses."""
        return self.semantic_candidates if q.mode == "hybrid" else self.semantic_wanted(q)


FUSION = Fusion()
_PHRASE = re.compile(r"[\"”“](?P<phrase>[^\"”“]+)[\"”“]")


@dataclass(frozen=True)
class SearchQuery:
    text: str
    mode: str = "hybrid"
    limit: int = 10
    offset: int = 0
    municipality: str | None = None
    body: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    case_number: str | None = None
    group: bool = True


@dataclass(frozen=True)
class Snippet:
    """A window of a passage's text and where the query matched in it.

    ``text`` is plain text (line breaks as spaces, ``… `` where it is cut);
    ``highlights`` are ``(start, end)`` character offsets into ``text``, in order and
    not overlapping.  Each interface renders them its own way (HTML ``<mark>``,
    terminal colour, a CSV cell without marks).
    """

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def pieces(self) -> list[tuple[str, bool]]:
        """``text`` cut at the highlights: ``(piece, matched)`` in order."""
        out: list[tuple[str, bool]] = []
        pos = 0
        for start, end in self.highlights:
            if start > pos:
                out.append((self.text[pos:start], False))
            out.append((self.text[start:end], True))
            pos = end
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out

    def render(self, *, matched: Callable[[str], str], plain: Callable[[str], str] = str) -> str:
        """``text`` with each matched piece passed through ``matched`` and the rest
        through ``plain`` (an interface's escaping)."""
        return "".join(matched(piece) if hit else plain(piece) for piece, hit in self.pieces())

    def html(self) -> str:
        """The escaped text with matches in ``<mark>``: the form of ``snippet`` in the JSON
        contract, and what the search page shows."""

        def esc(text: str) -> str:
            return html.escape(text, quote=False)

        return self.render(matched=lambda t: f"<mark>{esc(t)}</mark>", plain=esc)

    def to_json(self) -> dict[str, Any]:
        """The snippet as ``search --json`` and ``/api/search`` give it."""
        return {
            "snippet": self.html(),
            "snippet_text": self.text,
            "highlights": [list(span) for span in self.highlights],
        }


@dataclass(frozen=True)
class Passage:
    chunk_id: str
    section: str
    start: int
    end: int
    snippet: Snippet
    score: float
    page: int | None = None  # 1-based page of a paged source (PDF)


@dataclass(frozen=True)
class Hit:
    passage_id: str  # the chunk id of the best passage ("<document>#<n>")
    document: str
    source: str
    title: str | None
    doc_type: str | None
    date: str | None
    municipality: str | None
    section: str
    snippet: Snippet
    score: float
    bodies: tuple[str, ...]
    case_numbers: tuple[str, ...]
    passages: tuple[Passage, ...] = ()  # more passages of the same document, best first
    page: int | None = None  # 1-based page of the best passage, for a paged source (PDF)


def hit_json(hit: Hit) -> dict[str, Any]:
    """One hit as the JSON contract gives it (CLI ``--json`` and the API alike)."""
    out = {**asdict(hit), **hit.snippet.to_json(), "document_id": hit.document}
    out["passages"] = [{**asdict(p), **p.snippet.to_json()} for p in hit.passages]
    return out


@dataclass
class SearchResult:
    query: SearchQuery
    total: int  # documents (grouped) or passages matched
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    took_ms: float = 0.0
    notice: str | None = None


@dataclass
class PartAnswer:
    """One partition's share of a search (or several partitions' shares merged), from
    which ``services/sharded_search.py`` fuses, counts and pages as ``search`` does over
    one index.  Rows are rows of the whole index; lists are best first, ties in row order.

    ``lexical``: (row, BM25 score) of the best ``window`` matches (a search with filters
    only: the passages that pass them, score 1.0, and ``plain``); ``semantic``: (row,
    cosine) of the passages the semantic ranking fuses; ``boosts``: (row, boost) of the
    passages of documents with a case number of the query; ``coverage``: for the first
    five lexical rows, the share of the query's terms each holds; ``documents``: the
    document of every row named.  ``matched_rows``/``matched_docs`` and ``facets`` count
    the lexical matches and boosted passages; ``loose`` tells, for each semantic row,
    whether it (``row``) and its document (``doc``) are among them, and the document's
    facet values (``facets``), so a semantic match can be counted once it is kept."""

    lexical: list[tuple[int, float]] = field(default_factory=list)
    semantic: list[tuple[int, float]] = field(default_factory=list)
    boosts: list[tuple[int, float]] = field(default_factory=list)
    coverage: dict[int, float] = field(default_factory=dict)
    documents: dict[int, str] = field(default_factory=dict)
    matched_rows: int = 0
    matched_docs: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    loose: dict[int, dict[str, Any]] = field(default_factory=dict)
    plain: bool = False

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for name in ("coverage", "documents", "loose"):
            out[name] = {str(k): v for k, v in out[name].items()}
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PartAnswer:
        d = dict(d)
        for name in ("lexical", "semantic", "boosts"):
            d[name] = [(int(r), float(v)) for r, v in d[name]]
        for name in ("coverage", "documents", "loose"):
            d[name] = {int(k): v for k, v in d[name].items()}
        return cls(**d)


def _check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise SearchError(f"{name}: expected a date as YYYY-MM-DD, got {value!r}") from None
    return value


def validate(q: SearchQuery, choices: dict[str, list[str]]) -> SearchQuery:
    """``q`` checked against the modes, limits and the filter values of ``choices`` (each
    value in the spelling of the index); a ``SearchError`` names what was expected."""
    if q.mode not in MODES:
        raise SearchError(f"unknown mode {q.mode!r}; choose one of: {', '.join(MODES)}")
    if not 1 <= q.limit <= 100:
        raise SearchError(f"limit must be between 1 and 100, got {q.limit}")
    if q.offset < 0:
        raise SearchError(f"offset must be 0 or more, got {q.offset}")
    text = (q.text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise SearchError(f"query is {len(text)} characters; at most {MAX_QUERY_CHARS} are searched")
    for name in ("municipality", "kind", "body"):
        value = getattr(q, name)
        if value:
            match = next((v for v in choices[name] if v.lower() == value.lower()), None)
            if match is None:
                shown = ", ".join(choices[name][:30]) or "(none in the index)"
                raise SearchError(f"unknown {name} {value!r}; known values: {shown}")
            q = replace(q, **{name: match})
    _check_date(q.date_from, "from")
    _check_date(q.date_to, "to")
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise SearchError(f"from ({q.date_from}) is after to ({q.date_to})")
    return replace(q, text=text)


@dataclass(frozen=True)
class ParsedQuery:
    """What step 2 reads out of a query's text."""

    phrases: tuple[str, ...]  # quoted phrases, folded
    cases: frozenset[str]  # case numbers, normalised and upper-case
    free_text: str  # the text with the quotes taken off
    searchable: tuple[str, ...]  # its words that are not stopwords
    has_filter: bool


def parse_query(q: SearchQuery) -> ParsedQuery:
    phrases = [re.sub(r"\s+", " ", m.group("phrase").strip().lower()) for m in _PHRASE.finditer(q.text)]
    free_text = _PHRASE.sub(lambda m: " " + m.group("phrase") + " ", q.text)
    return ParsedQuery(
        phrases=tuple(p for p in phrases if p),
        cases=frozenset(c.normalized.upper() for c in find_case_numbers(q.text)),
        free_text=free_text,
        searchable=tuple(w for w in words(free_text) if w not in stopwords()),
        has_filter=any([q.municipality, q.body, q.kind, q.date_from, q.date_to, q.case_number]),
    )


EMPTY_QUERY = "empty query: type some words, a case number or a \"quoted phrase\", or set a filter"
ONLY_STOPWORDS = "the query has only stopwords or punctuation; nothing to search for"


class SearchService:
    """Search over one loaded ``SearchIndex`` with one embedding model."""

    def __init__(self, index: SearchIndex, *, fusion: Fusion = FUSION, rows: np.ndarray | None = None) -> None:
        """``rows``: the row of each passage in a larger index (this one is a partition of it)."""
        self.index = index
        self.fusion = fusion
        self.rows = np.arange(len(index.chunks), dtype=np.int64) if rows is None else rows
        chunks = index.chunks
        self._doc_chunks: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            self._doc_chunks.setdefault(c.document, []).append(i)
        # filter values per document: bodies and case numbers of the whole document
        self._doc_bodies = {d: frozenset(b for i in ix for b in chunks[i].bodies) for d, ix in self._doc_chunks.items()}
        self._doc_cases = {d: frozenset(c for i in ix for c in chunks[i].case_numbers) for d, ix in self._doc_chunks.items()}
        self._folded = [re.sub(r"\s+", " ", c.text.lower()) for c in chunks]
        self._row = {c.id: i for i, c in enumerate(chunks)}
        self._date = np.array([c.date or "" for c in chunks], dtype=object)
        # the last day a date may mean: "2016" → "2016-12-31", "2016-11" → "2016-11-31"
        self._date_end = np.array([(c.date or "") + "-12-31"[len(c.date or "") - 4 :] if c.date else "" for c in chunks], dtype=object)

        # documents by number; per chunk, the number of its document
        self._doc_number = {d: n for n, d in enumerate(self._doc_chunks)}
        self._doc_names = list(self._doc_chunks)
        self._doc_idx = np.array([self._doc_number[c.document] for c in chunks], dtype=np.int64)
        self._choices = {
            "municipality": sorted({c.municipality for c in chunks if c.municipality}),
            "kind": sorted({c.doc_type for c in chunks if c.doc_type}),
            "body": sorted({b for bs in self._doc_bodies.values() for b in bs}),
        }
        # filters and facets as integer codes, so that a search over 100k passages counts
        # with numpy instead of a Python loop: code n is choices[name][n], -1 none
        self._year_values = sorted({c.date[:4] for c in chunks if c.date})
        code = {name: {v: n for n, v in enumerate(values)} for name, values in self._choices.items()}
        code["year"] = {v: n for n, v in enumerate(self._year_values)}
        self._municipality = np.array([code["municipality"].get(c.municipality, -1) for c in chunks], dtype=np.int32)
        self._kind = np.array([code["kind"].get(c.doc_type, -1) for c in chunks], dtype=np.int32)
        first = [chunks[ix[0]] for ix in self._doc_chunks.values()]
        self._doc_code = {
            "municipality": np.array([code["municipality"].get(c.municipality, -1) for c in first], dtype=np.int32),
            "kind": np.array([code["kind"].get(c.doc_type, -1) for c in first], dtype=np.int32),
            "year": np.array([code["year"].get((c.date or "")[:4], -1) for c in first], dtype=np.int32),
        }
        # (document, body) pairs, for the body facet and filter
        pairs = [(n, code["body"][b]) for n, d in enumerate(self._doc_names) for b in self._doc_bodies[d]]
        self._pair_doc = np.array([d for d, _ in pairs], dtype=np.int64)
        self._pair_body = np.array([b for _, b in pairs], dtype=np.int64)
        self._code = code
        # upper-case case number -> the documents that carry it
        self._case_docs: dict[str, list[str]] = {}
        for d, cs in self._doc_cases.items():
            for c in {c.upper() for c in cs}:
                self._case_docs.setdefault(c, []).append(d)

    def chunk_row(self, chunk_id: str) -> int:
        """Row of a chunk id in the index (KeyError for an unknown id)."""
        return self._row[chunk_id]

    # -- step 1 ---------------------------------------------------------------
    def choices(self) -> dict[str, list[str]]:
        """Valid filter values, for error messages and the web form."""
        return self._choices

    def _validate(self, q: SearchQuery) -> SearchQuery:
        return validate(q, self.choices())

    # -- steps 2-3 ------------------------------------------------------------
    def _candidates(self, q: SearchQuery, phrases: list[str]) -> np.ndarray:
        """Chunks passing the filters and quoted phrases, as a boolean mask (vectorised)."""
        mask = np.ones(len(self.index.chunks), dtype=bool)
        if q.municipality:
            mask &= self._municipality == self._code["municipality"][q.municipality]
        if q.kind:
            mask &= self._kind == self._code["kind"][q.kind]
        if q.body:
            docs = self._pair_doc[self._pair_body == self._code["body"][q.body]]
            mask &= self._doc_mask(docs)[self._doc_idx]
        if q.case_number:
            docs = [self._doc_number[d] for d in self._case_docs.get(q.case_number.upper(), ())]
            mask &= self._doc_mask(docs)[self._doc_idx]
        if q.date_from or q.date_to:
            lo = (q.date_from or "0000")[: 10]
            hi = (q.date_to or "9999")[: 10]
            # a year-month or year date counts when its period overlaps the range
            mask &= (self._date != "") & (self._date_end >= lo) & (self._date <= hi)
        if phrases:
            # a passage with the phrase has each of its words: the keyword index narrows
            # the passages to read down to those
            lexical = self.index.lexical
            for word in {w for p in phrases for w in words(p)}:
                if lexical.analyzer.terms(word):
                    mask &= lexical.scores(word) > 0
            for i in np.flatnonzero(mask):
                if not all(p in self._folded[i] for p in phrases):
                    mask[i] = False
        return mask

    def _doc_mask(self, docs) -> np.ndarray:
        """A boolean per document: True for the document numbers in ``docs``."""
        out = np.zeros(len(self._doc_names), dtype=bool)
        out[np.asarray(docs, dtype=np.int64)] = True
        return out

    # -- step 4 ---------------------------------------------------------------
    def _rank(self, q: SearchQuery, text: str, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fused scores and a "matched" flag per chunk."""
        n = len(self.index.chunks)
        fused = np.zeros(n, dtype=np.float64)
        matched = np.zeros(n, dtype=bool)
        f = self.fusion
        semantic_weight = f.semantic_weight
        if q.mode in ("hybrid", "lexical") and text:
            order, _scores = self._lexical_order(text, mask)
            fused[order] += f.lexical_weight / (f.rrf_k + np.arange(1, len(order) + 1))
            matched[order] = True
            semantic_weight = f.semantic_weight_after(self._coverage(text, order[:5].tolist()))
        if q.mode in ("hybrid", "semantic") and text:
            order = [row for row, _score in self._semantic_order(query_vector(text, model=self.index.model), mask, q)]
            weight = f.semantic_weight if q.mode == "semantic" else semantic_weight
            fused[order] += weight / (f.rrf_k + np.arange(1, len(order) + 1))
            matched[order] = True
        return fused, matched

    def _lexical_order(self, text: str, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows with a BM25 score for ``text`` among ``mask``, best first, ties in row order;
        and the scores of every row."""
        lex = self.index.lexical.scores(text)
        lex[~mask] = 0
        hits = np.flatnonzero(lex > 0)  # sort only the matches, not every passage
        return hits[np.argsort(-lex[hits], kind="stable")], lex

    def _semantic_order(self, vector: np.ndarray, mask: np.ndarray, q: SearchQuery) -> list[tuple[int, float]]:
        """(row, cosine) of the nearest passages among ``mask`` that a ranking of mode
        ``q.mode`` takes, best first, ties in row order."""
        f = self.fusion
        n = len(self.index.chunks)
        wanted = f.semantic_wanted(q)
        # with filters, look further down the list so enough candidates pass them
        k = min(n, wanted if mask.all() else max(wanted * 20, 1000))
        scores, ids = self.index.vectors.search(vector, k)
        found = sorted(((int(i), float(s)) for i, s in zip(ids, scores) if mask[int(i)]), key=lambda rs: (-rs[1], rs[0]))
        return found[: f.semantic_kept(q)]

    def _coverage(self, text: str, rows: list[int]) -> float:
        """The largest share of the query's terms that one of ``rows`` contains."""
        analyzer = self.index.lexical.analyzer
        terms = set(analyzer.terms(text))
        if not terms or not rows:
            return 0.0
        return max(len(terms & set(analyzer.terms(self.index.chunks[i].text))) / len(terms) for i in rows)

    # -- the whole search -----------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        """Run one search; see the module docstring for the steps."""
        t0 = time.perf_counter()
        q = self._validate(query)
        p = parse_query(q)
        if not q.text and not p.has_filter:
            raise SearchError(EMPTY_QUERY)
        mask = self._candidates(q, list(p.phrases))
        notice = None
        if q.text and not p.searchable and not p.cases:
            notice = ONLY_STOPWORDS
            fused = np.zeros(len(mask))
            matched = np.zeros(len(mask), dtype=bool)
        elif not q.text:
            fused = mask.astype(np.float64)
            matched = mask.copy()
        else:
            fused, matched = self._rank(q, p.free_text, mask)
        for i, boost in self._case_boosts(p.cases, mask):
            fused[i] += boost
            matched[i] = True
        matched &= mask
        hits, total = self._page(q, fused, matched, p.free_text)
        facets = self._facets(matched)
        return SearchResult(q, total, hits, facets, (time.perf_counter() - t0) * 1000, notice)

    def _case_boosts(self, cases: frozenset[str], mask: np.ndarray) -> list[tuple[int, float]]:
        """An exact case number goes straight to the passages and documents that carry it:
        (row, boost) for each passage among ``mask`` of a document with one of ``cases``."""
        out = []
        docs = dict.fromkeys(d for c in sorted(cases) for d in self._case_docs.get(c, ()))
        for d in docs:
            for i in self._doc_chunks[d]:
                if mask[i]:
                    carries = cases & {x.upper() for x in self.index.chunks[i].case_numbers}
                    out.append((i, 2.0 if carries else 1.0))
        return out

    # -- a partition's share ---------------------------------------------------
    def part_answer(self, q: SearchQuery, p: ParsedQuery, *, vector: np.ndarray | None, window: int) -> PartAnswer:
        """Steps 3-4 without the fusion, for a query validated against the whole index:
        see ``PartAnswer``.  A filter value or date range this partition does not hold
        answers at once with nothing."""
        for name in ("municipality", "kind", "body"):
            value = getattr(q, name)
            if value and value not in self._code[name]:
                return PartAnswer()
        if q.date_from or q.date_to:
            lo, hi = (q.date_from or "0000")[:4], (q.date_to or "9999")[:4]
            if not any(lo <= y <= hi for y in self._year_values):
                return PartAnswer()
        if q.text and not p.searchable and not p.cases:
            return PartAnswer()
        g = self.rows
        mask = self._candidates(q, list(p.phrases))
        matched = np.zeros(len(mask), dtype=bool)
        answer = PartAnswer(plain=not q.text)
        semantic: list[tuple[int, float]] = []
        if not q.text:
            matched = mask.copy()
            answer.lexical = [(int(g[i]), 1.0) for i in np.flatnonzero(mask)[:window]]
        else:
            if q.mode in ("hybrid", "lexical"):
                order, scores = self._lexical_order(p.free_text, mask)
                matched[order] = True
                answer.lexical = [(int(g[i]), float(scores[i])) for i in order[:window]]
                answer.coverage = {int(g[i]): self._coverage(p.free_text, [int(i)]) for i in order[:5]}
            if q.mode in ("hybrid", "semantic") and vector is not None:
                semantic = self._semantic_order(vector, mask, q)
        boosts = self._case_boosts(p.cases, mask)
        for i, _boost in boosts:
            matched[i] = True
        matched &= mask
        answer.boosts = [(int(g[i]), b) for i, b in boosts]
        answer.semantic = [(int(g[i]), score) for i, score in semantic]
        docs_matched = self._doc_mask(self._doc_idx[matched])
        answer.loose = {
            int(g[i]): {"row": bool(matched[i]), "doc": bool(docs_matched[self._doc_idx[i]]),
                        "facets": self._doc_facets(int(self._doc_idx[i]))}
            for i, _score in semantic
        }
        answer.matched_rows = int(np.count_nonzero(matched))
        answer.matched_docs = int(np.count_nonzero(docs_matched))
        answer.facets = self._facets(matched)
        chunks = self.index.chunks
        for row, _v in (*answer.lexical, *answer.semantic, *answer.boosts):
            answer.documents[row] = chunks[int(np.searchsorted(g, row))].document  # rows ascend
        return answer

    def row_data(self, row: int) -> dict[str, Any]:
        """What a hit shows of the passage at ``row`` of the whole index: the passage, and
        its document's bodies and case numbers."""
        local = int(np.searchsorted(self.rows, row))
        if local >= len(self.rows) or self.rows[local] != row:
            raise KeyError(row)
        c = self.index.chunks[local]
        return {"chunk": asdict(c), "bodies": list(self._doc_bodies_ordered(c.document)),
                "cases": sorted(self._doc_cases[c.document])}

    def _doc_facets(self, doc: int) -> dict[str, list[str]]:
        """The facet values of document number ``doc``."""
        out = {}
        for name, values in (("municipality", self._choices["municipality"]), ("kind", self._choices["kind"]),
                             ("year", self._year_values)):
            code = int(self._doc_code[name][doc])
            out[name] = [values[code]] if code >= 0 else []
        out["body"] = sorted(self._doc_bodies[self._doc_names[doc]])
        return out

    # -- step 5 ---------------------------------------------------------------
    def _page(self, q: SearchQuery, fused: np.ndarray, matched: np.ndarray, text: str) -> tuple[list[Hit], int]:
        rows = np.flatnonzero(matched)
        terms = self._highlight_terms(text)
        seen: dict[str, bool] = {}  # word -> matches terms, shared by the page's snippets
        want = q.offset + q.limit
        if q.group:
            total = int(np.count_nonzero(self._doc_mask(self._doc_idx[rows])))
            # the documents of the page in the order of their best passages, found in the
            # top of the passage ranking (all of it only when the top holds too few)
            docs = self._first_documents(_top(rows, fused, 4 * want), want)
            if len(docs) < min(want, total) and len(rows) > 4 * want:
                docs = self._first_documents(_top(rows, fused, len(rows)), want)
            hits = []
            for d in docs[q.offset : want]:
                # the document's best passage, with up to three more of its matched passages
                best = sorted((i for i in self._doc_chunks[self._doc_names[d]] if matched[i]), key=lambda i: -fused[i])
                hits.append(self._hit(best[0], fused, terms, more=best[1:4], seen=seen))
            return hits, total
        page = _top(rows, fused, want)[q.offset :]
        return [self._hit(i, fused, terms, seen=seen) for i in page], len(rows)

    def _first_documents(self, order: list[int], want: int) -> list[int]:
        """The first ``want`` distinct documents of a passage ranking."""
        docs: dict[int, None] = {}
        for i in order:
            docs.setdefault(int(self._doc_idx[i]), None)
            if len(docs) == want:
                break
        return list(docs)

    def _hit(self, i: int, fused: np.ndarray, terms: set[str], more: list[int] = (), seen: dict | None = None) -> Hit:
        chunks = self.index.chunks
        document = chunks[i].document
        return make_hit(chunks[i], fused[i], terms, bodies=self._doc_bodies_ordered(document),
                        cases=tuple(sorted(self._doc_cases[document])),
                        more=[(chunks[j], fused[j]) for j in more], seen=seen)

    def _doc_bodies_ordered(self, document: str) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for i in self._doc_chunks[document]:
            for b in self.index.chunks[i].bodies:
                seen.setdefault(b, None)
        return tuple(seen)

    def _highlight_terms(self, text: str) -> set[str]:
        return highlight_terms(text, self.index.lexical.analyzer)

    def _facets(self, matched: np.ndarray) -> dict[str, dict[str, int]]:
        """Document counts per municipality, body, kind and year over the matched set,
        most frequent first (ties in name order)."""
        present = self._doc_mask(self._doc_idx[matched])
        values = {**self._choices, "year": self._year_values}
        out: dict[str, dict[str, int]] = {}
        for name in ("municipality", "body", "kind", "year"):
            if name == "body":
                codes = self._pair_body[present[self._pair_doc]]
            else:
                codes = self._doc_code[name][present]
                codes = codes[codes >= 0]
            counts = np.bincount(codes, minlength=len(values[name]))
            nonzero = np.flatnonzero(counts)
            # stable sort on -count keeps the name order among equal counts
            ordered = nonzero[np.argsort(-counts[nonzero], kind="stable")]
            out[name] = {values[name][int(i)]: int(counts[i]) for i in ordered}
        return out


def make_hit(c: Chunk, score: float, terms: set[str], *, bodies: tuple[str, ...], cases: tuple[str, ...],
             more: list[tuple[Chunk, float]] = (), seen: dict | None = None) -> Hit:
    """A hit for passage ``c`` of fused ``score``, with ``more`` passages of its document;
    ``bodies`` and ``cases``: those of the whole document."""
    return Hit(
        passage_id=c.id,
        document=c.document, source=c.source, title=c.title, doc_type=c.doc_type, date=c.date,
        municipality=c.municipality, section=c.section, snippet=snippet(c.text, terms, seen=seen),
        score=round(float(score), 6), bodies=bodies, case_numbers=cases,
        passages=tuple(
            Passage(m.id, m.section, m.start, m.end, snippet(m.text, terms, seen=seen), round(float(s), 6), m.page)
            for m, s in more
        ),
        page=c.page,
    )


def highlight_terms(text: str, analyzer) -> set[str]:
    """The stems a snippet marks for ``text``: its words' and their compound parts'."""
    stem = _stemmer().stemWord
    out = set()
    for w in words(text):
        if w in stopwords():
            continue
        out.add(stem(w))
        parts = analyzer.split(w)
        if parts:
            out.update(stem(p) for p in parts)
    return out


def _top(rows: np.ndarray, scores: np.ndarray, k: int) -> list[int]:
    """The ``k`` best of ``rows`` by ``scores``, best first, ties in row order: the
    first ``k`` of a stable sort, without sorting every row of a broad query."""
    if k < len(rows):
        values = scores[rows]
        kth = np.partition(-values, k - 1)[k - 1]
        rows = rows[-values <= kth]  # every row tied with the k-th stays, so ties keep row order
    return rows[np.argsort(-scores[rows], kind="stable")][:k].tolist()


@lru_cache(maxsize=4096)
def query_vector(text: str, *, model: str) -> np.ndarray:
    """The embedding of a query, kept for the next time it is asked (a few MB for
    thousands of queries; embedding is most of what a search costs)."""
    vector = embed([text], model=model, kind="query")[0]
    vector.flags.writeable = False
    return vector


def open_search(settings, *, index: str | None = None):
    """The search service over ``index``, by default the one ``CURRENT`` serves: a
    ``SearchService``, or a ``ShardedSearch`` for a partitioned index."""
    from ..graph.store import DataDir

    data = DataDir.for_settings(settings)
    index = index or data.serving().index
    if not index or not data.index_path(index).is_dir():
        raise IndexUnavailable(f"{data.path}: no search index; run `beslutsgraf build` first")
    folder = data.index_path(index)
    if is_partitioned(folder):
        from .sharded_search import open_sharded  # builds on this module

        return open_sharded(folder, settings)
    return SearchService(SearchIndex.load(folder, model=settings.embedding_model))


def snippet(text: str, terms: set[str], *, width: int = 260, seen: dict[str, bool] | None = None) -> Snippet:
    """A window of ``text`` of about ``width`` characters around the densest matches of
    the (stemmed) ``terms``, with the offsets of the matching words in it.  ``seen``
    keeps which words match, for the next snippet with the same ``terms``."""
    stem = _stemmer().stemWord
    tokens = list(re.finditer(r"[0-9A-Za-zÅÄÖåäöÉéÜü]+(?:[-–][0-9A-Za-zÅÄÖåäöÉéÜü]+)*", text))
    seen = {} if seen is None else seen

    def matches(word: str) -> bool:
        if word not in seen:
            seen[word] = _matches(word, terms, stem)
        return seen[word]

    hits = [m for m in tokens if matches(m.group().lower())]
    if hits:
        best = max(hits, key=lambda m: sum(1 for h in hits if 0 <= h.start() - m.start() < width))
        start = max(0, best.start() - 40)
    else:
        start = 0
    end = min(len(text), start + width)
    if start > 0:
        sp = text.find(" ", start)
        start = sp + 1 if 0 <= sp < start + 30 else start
    window = text[start:end].replace("\n", " ")
    # Offsets shift by what is stripped in front and by the "… " that replaces it.
    lead = len(window) - len(window.lstrip())
    prefix = "… " if start > 0 else ""
    body = window.strip()
    shift = len(prefix) - start - lead
    spans = tuple(
        (m.start() + shift, m.end() + shift)
        for m in hits
        if m.start() >= start + lead and m.end() <= start + lead + len(body)
    )
    return Snippet(prefix + body + (" …" if end < len(text) else ""), spans)


def _matches(word: str, terms: set[str], stem) -> bool:
    if stem(word) in terms:
        return True
    return len(word) > 8 and any(len(t) >= 4 and t in word for t in terms)
