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

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros when no term is known)."""
        terms = [t for t in self.analyzer.terms(query) if t in self.retriever.vocab_dict]
        if not terms or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return self.retriever.get_scores(terms).astype(np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        meta = {"size": self.size, "decompound": self.analyzer.decompound}
        (folder / "lexical.json").write_text(json.dumps(meta), encoding="utf-8")
        (folder / "vocabulary.txt").write_text("\n".join(sorted(self.analyzer.vocabulary)), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        try:
            meta = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
            vocab_text = (folder / "vocabulary.txt").read_text(encoding="utf-8")
            retriever = bm25s.BM25.load(str(folder), show_progress=False)
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"{folder}: lexical index unreadable ({exc}); run `beslutsgraf build` again") from None
        vocabulary = frozenset(vocab_text.split("\n")) if vocab_text else frozenset()
        analyzer = Analyzer(decompound=meta["decompound"], vocabulary=vocabulary)
        index = cls(retriever, analyzer, meta["size"])
        if retriever.scores["num_docs"] != index.size:
            raise IndexUnavailable(f"{folder}: lexical index holds {retriever.scores['num_docs']} chunks, expected {index.size}")
        return index
