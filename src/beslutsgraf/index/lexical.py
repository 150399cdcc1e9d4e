"""Lexical retrieval: BM25 (bm25s) over Swedish tokens.

Tokens are NFC, case-folded words with diacritics kept (``å``/``ä``/``ö`` are
letters in Swedish, not accents), Swedish stopwords removed and stemmed with the
Snowball Swedish stemmer (PyStemmer).  Swedish writes compounds as one word
(``brottsförebyggande``) where a query may split them (``förebygga brott``): with
``decompound`` a long token also yields the stems of its two parts when both
parts are words of the indexed vocabulary (with the linking ``s`` removed).
Whether that helps is measured by the evaluation, not assumed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from ..errors import IndexUnavailable
from ..text.words import stopwords_sv

_WORD = re.compile(r"[0-9a-zåäöéüæø]+(?:[-–][0-9a-zåäöéüæø]+)*", re.IGNORECASE)
_MIN_PART = 4


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def stopwords() -> frozenset[str]:
    return stopwords_sv()


def words(text: str) -> list[str]:
    """Case-folded word tokens; hyphenated words also give their parts."""
    out: list[str] = []
    for m in _WORD.finditer(unicodedata.normalize("NFC", text).lower()):
        w = m.group()
        parts = re.split(r"[-–]", w)
        out.extend(p for p in parts if p)
    return out


@dataclass
class Analyzer:
    """Text → index terms; ``vocabulary`` (stems of indexed words) drives decompounding."""

    decompound: bool = True
    vocabulary: frozenset[str] = field(default_factory=frozenset)

    def split(self, word: str) -> tuple[str, str] | None:
        """Split a compound into two parts whose stems are indexed stems, longest head first."""
        if len(word) < 2 * _MIN_PART + 1:
            return None
        stem = _stemmer().stemWord
        for i in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head, tail = word[:i], word[i:]
            if stem(tail) not in self.vocabulary:
                continue
            if stem(head) in self.vocabulary:
                return head, tail
            if head.endswith("s") and len(head) - 1 >= _MIN_PART and stem(head[:-1]) in self.vocabulary:
                return head[:-1], tail
        return None

    def terms(self, text: str) -> list[str]:
        stem = _stemmer().stemWord
        stop = stopwords()
        out: list[str] = []
        for w in words(text):
            if w in stop:
                continue
            out.append(stem(w))
            if self.decompound:
                parts = self.split(w)
                if parts:
                    out.extend(stem(p) for p in parts)
        return out


def build_vocabulary(texts: list[str]) -> frozenset[str]:
    """Stems of the words long enough to be compound parts."""
    stop = stopwords()
    stem = _stemmer().stemWord
    return frozenset(stem(w) for t in texts for w in words(t) if len(w) >= _MIN_PART and w not in stop)


@dataclass(frozen=True)
class CorpusStats:
    """What BM25 scores depend on beyond a passage: the passage count, their mean length in
    terms and each term's passage frequency.  A partition scored with the statistics of
    the whole index scores every passage exactly as the whole index would."""

    docs: int
    mean_length: float
    df: dict[str, int]


def corpus_stats(terms: list[list[str]]) -> CorpusStats:
    df: dict[str, int] = {}
    for ts in terms:
        for t in set(ts):
            df[t] = df.get(t, 0) + 1
    # the mean as bm25s computes it, so that the scores agree to the bit
    return CorpusStats(len(terms), float(np.array([len(ts) for ts in terms]).mean()) if terms else 0.0, df)


class _SharedStatsBM25(bm25s.BM25):
    """bm25s with the corpus statistics given instead of counted from the passages indexed:
    its step 2 (idf) and step 3 (scores) run on ``stats``."""

    def __init__(self, *, stats: CorpusStats, tokens: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self._stats = stats
        self._tokens = tokens  # token id -> token

    def build_index_from_ids(self, unique_token_ids, corpus_token_ids, show_progress=False, leave_progress=False):
        from bm25s import scoring

        self.nonoccurrence_array = None  # only BM25L and BM25+ have one
        df = {i: self._stats.df.get(self._tokens[i], 0) for i in unique_token_ids}
        idf = scoring._build_idf_array(df, n_docs=self._stats.docs,
                                       compute_idf_fn=scoring._select_idf_scorer(self.idf_method), dtype=self.dtype)
        data, doc_idx, vocab_idx = scoring._build_scores_and_indices_for_matrix(
            corpus_token_ids=corpus_token_ids, idf_array=idf, avg_doc_len=np.float64(self._stats.mean_length),  # as bm25s: a numpy float
            # (its doc_frequencies only size the arrays: the passage frequencies here)
            doc_frequencies=scoring._calculate_doc_freqs(corpus_token_ids, unique_token_ids, show_progress=False),
            k1=self.k1, b=self.b, delta=self.delta, show_progress=False,
            leave_progress=False, dtype=self.dtype, int_dtype=self.int_dtype, method=self.method,
            nonoccurrence_array=None,
        )
        data, indices, indptr = self._np_csc(data=data, rows=doc_idx, cols=vocab_idx,
                                             shape=(len(corpus_token_ids), len(unique_token_ids)))
        return {"data": data.astype(self.dtype), "indices": indices, "indptr": indptr,
                "num_docs": len(corpus_token_ids)}


class LexicalIndex:
    """A BM25 index over chunk texts, saved as plain files in one folder."""

    def __init__(self, retriever: bm25s.BM25, analyzer: Analyzer, size: int) -> None:
        self.retriever = retriever
        self.analyzer = analyzer
        self.size = size

    @classmethod
    def build(cls, texts: list[str], *, decompound: bool = True) -> LexicalIndex:
        analyzer = Analyzer(decompound=decompound, vocabulary=build_vocabulary(texts) if decompound else frozenset())
        corpus = [analyzer.terms(t) or ["∅"] for t in texts]
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index(corpus, show_progress=False)
        return cls(retriever, analyzer, len(texts))

    @classmethod
    def from_terms(cls, terms: list[list[str]], *, analyzer: Analyzer, stats: CorpusStats) -> LexicalIndex:
        """A BM25 index over passages already analysed, scored with the statistics
        ``stats`` of a larger index (a partition of it)."""
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in ts] for ts in terms]
        retriever = _SharedStatsBM25(stats=stats, tokens=list(vocab), k1=1.2, b=0.75)
        retriever.index((ids, vocab), show_progress=False)
        return cls(retriever, analyzer, len(terms))

    @classmethod
    def concat(cls, parts: list[LexicalIndex], order: np.ndarray) -> LexicalIndex:
        """One index over the passages of ``parts`` (partitions scored with the same
        statistics), passage ``i`` being the concatenation's passage ``order[i]``.  Each
        passage keeps its scores to the bit: only the term ids and rows are renumbered."""
        vocab: dict[str, int] = {}
        rows, cols, data = [], [], []
        offset = 0
        for part in parts:
            matrix = part.retriever.scores
            local = np.empty(len(part.retriever.vocab_dict), dtype=np.int64)
            for term, i in part.retriever.vocab_dict.items():
                local[i] = vocab.setdefault(term, len(vocab))
            indptr = np.asarray(matrix["indptr"])
            cols.append(local[np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))])
            rows.append(np.asarray(matrix["indices"], dtype=np.int64) + offset)
            data.append(np.asarray(matrix["data"]))
            offset += part.size
        if len(order) != offset:
            raise ValueError(f"an order of {len(order)} passages for {offset}")
        new_row = np.empty(offset, dtype=np.int64)
        new_row[order] = np.arange(offset)
        row = new_row[np.concatenate(rows)] if rows else np.zeros(0, dtype=np.int64)
        col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        values = np.concatenate(data) if data else np.zeros(0, dtype=np.float32)
        sort = np.lexsort((row, col))
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(col, minlength=len(vocab)), out=indptr[1:])
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.scores = {"data": values[sort], "indices": row[sort].astype(np.int32), "indptr": indptr,
                            "num_docs": offset}
        retriever.vocab_dict = vocab
        analyzer = parts[0].analyzer if parts else Analyzer()
        return cls(retriever, analyzer, offset)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros when no term is known)."""
        terms = [t for t in self.analyzer.terms(query) if t in self.retriever.vocab_dict]
        out = np.zeros(self.size, dtype=np.float32)
        if not terms or self.size == 0:
            return out
        # summed term by term in the query's order, so that an index and its partitions
        # (whose term ids differ) add the same numbers in the same order: equal to the bit
        matrix = self.retriever.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        vocab = self.retriever.vocab_dict
        for term in terms:
            col = vocab[term]
            lo, hi = indptr[col], indptr[col + 1]
            out[indices[lo:hi]] += data[lo:hi]
        return out

    def save(self, folder: Path, *, with_vocabulary: bool = True) -> None:
        """Write the index; ``with_vocabulary=False``: the decompounding stems are kept
        elsewhere (once for all partitions)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        meta = {"size": self.size, "decompound": self.analyzer.decompound}
        (folder / "lexical.json").write_text(json.dumps(meta), encoding="utf-8")
        if with_vocabulary:
            (folder / "vocabulary.txt").write_text("\n".join(sorted(self.analyzer.vocabulary)), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, *, vocabulary: frozenset[str] | None = None) -> LexicalIndex:
        try:
            meta = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
            vocab_text = (folder / "vocabulary.txt").read_text(encoding="utf-8") if vocabulary is None else ""
            retriever = bm25s.BM25.load(str(folder), show_progress=False)
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"{folder}: lexical index unreadable ({exc}); run `beslutsgraf build` again") from None
        if vocabulary is None:
            vocabulary = frozenset(vocab_text.split("\n")) if vocab_text else frozenset()
        analyzer = Analyzer(decompound=meta["decompound"], vocabulary=vocabulary)
        index = cls(retriever, analyzer, meta["size"])
        if retriever.scores["num_docs"] != index.size:
            raise IndexUnavailable(f"{folder}: lexical index holds {retriever.scores['num_docs']} chunks, expected {index.size}")
        return index
