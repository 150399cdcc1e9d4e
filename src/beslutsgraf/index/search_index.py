"""The search index on disk: chunks + BM25 + vectors in one folder, built together.

Layout of an index folder (one generation, swapped in by ``build``):
``chunks.jsonl`` (one chunk per line, row order = vector order), ``lexical/``
(bm25s files), ``vectors/`` (``vectors.npy``, ``hashes.json``, ``model.json``)
and ``index.json`` (counts, model, so a load can check that the parts agree).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import IndexUnavailable
from ..model import Extraction
from .lexical import LexicalIndex
from .passages import Chunk, make_chunks
from .vectors import VectorIndex


@dataclass(frozen=True)
class IndexReport:
    chunks: int
    embedded: int
    reused: int
    seconds: float
    skipped: int = 0  # boilerplate: in BM25, not embedded


class SearchIndex:
    def __init__(self, chunks: list[Chunk], lexical: LexicalIndex, vectors: VectorIndex) -> None:
        self.chunks = chunks
        self.lexical = lexical
        self.vectors = vectors

    @property
    def model(self) -> str:
        return self.vectors.model

    @classmethod
    def load(cls, folder: Path, *, model: str, vocabulary: frozenset[str] | None = None,
             searchable: bool = True) -> SearchIndex:
        """Load an index folder, checking that its three parts agree; ``vocabulary``: the
        decompounding stems when they are kept apart (a partition's are its index's);
        ``searchable=False``: no faiss index is made (the vectors are to be joined)."""
        try:
            meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
            with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
                chunks = [chunk_from_json(json.loads(line)) for line in fh if line.strip()]
        except (OSError, ValueError, TypeError) as exc:
            raise IndexUnavailable(f"{folder}: search index unreadable ({exc}); run `beslutsgraf build`") from None
        lexical = LexicalIndex.load(folder / "lexical", vocabulary=vocabulary)
        vectors = VectorIndex.load(folder / "vectors", model=model, searchable=searchable)
        if not (meta["chunks"] == len(chunks) == lexical.size == len(vectors.hashes)):
            raise IndexUnavailable(
                f"{folder}: index parts disagree: {len(chunks)} chunks, {lexical.size} in BM25, "
                f"{len(vectors.hashes)} vectors; run `beslutsgraf build`"
            )
        return cls(chunks, lexical, vectors)


def chunk_from_json(d: dict) -> Chunk:
    d = dict(d)
    d["bodies"] = tuple(d["bodies"])
    d["case_numbers"] = tuple(d["case_numbers"])
    return Chunk(**d)


def build_index(
    extractions: list[Extraction],
    folder: Path,
    *,
    model: str,
    previous: Path | None = None,
    progress=None,
) -> IndexReport:
    """Chunk every document, index BM25 and embed (reusing the previous folder's vectors)."""
    chunks = [c for ex in sorted(extractions, key=lambda e: e.source) for c in make_chunks(ex)]
    return build_index_from_chunks(chunks, folder, model=model, previous=previous, progress=progress)


def build_index_from_chunks(
    chunks: list[Chunk], folder: Path, *, model: str, previous: Path | None = None, progress=None,
    embed_map=None,
) -> IndexReport:
    """Index BM25 and embed ``chunks`` (in their order) into ``folder``; ``embed_map``: see
    ``VectorIndex.build``."""
    t0 = time.perf_counter()
    texts = [c.text for c in chunks]
    hashes = [c.content_hash for c in chunks]
    from .partitions import previous_vectors  # partitions builds on this module

    prev_vectors = previous_vectors(previous, model=model)
    vectors, embedded = VectorIndex.build(
        texts, hashes, model=model, previous=prev_vectors, progress=progress, embed_map=embed_map
    )
    lexical = LexicalIndex.build(texts)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
    lexical.save(folder / "lexical")
    vectors.save(folder / "vectors")
    (folder / "index.json").write_text(json.dumps({"chunks": len(chunks), "model": model}), encoding="utf-8")
    skipped = vectors.unembedded
    return IndexReport(len(chunks), embedded, len(chunks) - embedded - skipped, time.perf_counter() - t0, skipped)
