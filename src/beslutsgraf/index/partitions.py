"""The search index in partitions: one per municipality and year, for more passages
than one process holds.

With the setting ``index_partitions = municipality-year`` a build writes, instead of
one index folder, the same parts once per partition:

``partitions.json`` (the partitions: key, municipality, year, passages, and the
index-wide BM25 statistics), ``vocabulary.txt`` (the stems that drive decompounding,
shared) and ``partitions/<municipality>/<year>/`` (``chunks.jsonl``, ``lexical/``,
``vectors/``, ``index.json`` as in ``search_index``, plus ``rows.npy``: the row of
each passage in the index as one folder would hold it).

Why partitions can be searched apart and fused exactly:
- every partition's BM25 scores use the statistics of the whole index (passage count,
  mean length, each term's passage frequency), so a score means the same in every
  partition, and merging the partitions' best passages by score gives the ranking one
  index would give;
- vector scores are cosines, comparable anyway;
- a document lies in one partition (its municipality and year), so counts and facets
  per document add up;
- ``rows.npy`` breaks ties as one index would (row order).
The search side is ``services/sharded_search.py``.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..errors import IndexUnavailable, SettingsError
from ..graph.uris import municipality_slug
from .lexical import Analyzer, LexicalIndex, build_vocabulary, corpus_stats
from .passages import Chunk
from .search_index import IndexReport, SearchIndex
from .vectors import VectorIndex

SCHEMES = ("", "municipality-year")  # the setting index_partitions; "": one index
MANIFEST = "partitions.json"
UNKNOWN_YEAR = "okant-ar"


def partition_key(chunk: Chunk) -> str:
    """``<municipality slug>/<year>``: where a passage (and its whole document) goes."""
    year = (chunk.date or "")[:4]
    return f"{municipality_slug(chunk.municipality)}/{year if year.isdigit() else UNKNOWN_YEAR}"


def is_partitioned(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def check_scheme(scheme: str) -> str:
    """The setting ``index_partitions``, checked."""
    if scheme not in SCHEMES:
        raise SettingsError(
            f"unknown index_partitions {scheme!r}; choose one of: "
            + ", ".join(repr(s) for s in SCHEMES)
        )
    return scheme


def build_partitioned_index(
    chunks: list[Chunk], folder: Path, *, model: str, previous: Path | None = None, progress=None,
    embed_map=None,
) -> IndexReport:
    """Embed ``chunks`` (in index row order) once, then write one index per partition."""
    t0 = time.perf_counter()
    texts = [c.text for c in chunks]
    hashes = [c.content_hash for c in chunks]
    vectors, embedded = VectorIndex.build(
        texts, hashes, model=model, previous=previous_vectors(previous, model=model), progress=progress,
        embed_map=embed_map,
    )
    vocabulary = build_vocabulary(texts)
    analyzer = Analyzer(decompound=True, vocabulary=vocabulary)
    terms = [analyzer.terms(t) or ["∅"] for t in texts]
    stats = corpus_stats(terms)
    by_key: dict[str, list[int]] = {}
    for row, chunk in enumerate(chunks):
        by_key.setdefault(partition_key(chunk), []).append(row)
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for key in sorted(by_key):
        rows = np.asarray(by_key[key], dtype=np.int64)
        sub = folder / "partitions" / key
        sub.mkdir(parents=True, exist_ok=True)
        with (sub / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(asdict(chunks[row]), ensure_ascii=False) + "\n")
        lexical = LexicalIndex.from_terms([terms[r] for r in rows], analyzer=analyzer, stats=stats)
        lexical.save(sub / "lexical", with_vocabulary=False)
        VectorIndex(vectors.vectors[rows], [hashes[r] for r in rows], model).save(sub / "vectors")
        np.save(sub / "rows.npy", rows)
        (sub / "index.json").write_text(json.dumps({"chunks": len(rows), "model": model}), encoding="utf-8")
        first = chunks[rows[0]]
        parts.append({"key": key, "municipality": first.municipality, "year": key.rsplit("/", 1)[1],
                      "passages": len(rows)})
    (folder / "vocabulary.txt").write_text("\n".join(sorted(vocabulary)), encoding="utf-8")
    manifest = {"scheme": "municipality-year", "chunks": len(chunks), "model": model,
                "bm25": {"docs": stats.docs, "mean_length": stats.mean_length}, "partitions": parts}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    skipped = vectors.unembedded
    return IndexReport(len(chunks), embedded, len(chunks) - embedded - skipped, time.perf_counter() - t0, skipped)


def previous_vectors(previous: Path | None, *, model: str) -> VectorIndex | None:
    """The vectors of the previous index folder (one index or partitioned alike) that are
    in the configured model's space, for the next build to reuse."""
    if previous is None:
        return None
    folders = ([previous / "partitions" / p["key"] / "vectors" for p in read_manifest(previous)["partitions"]]
               if is_partitioned(previous) else [previous / "vectors"])
    loaded = [VectorIndex.load(f, model=model, searchable=False) for f in folders if f.exists() and VectorIndex.accepts(f, model=model)]
    if not loaded:
        return None
    if len(loaded) == 1:
        return loaded[0]
    return VectorIndex(np.concatenate([v.vectors for v in loaded]), [h for v in loaded for h in v.hashes], model,
                       index=False)


def index_accepts(folder: Path, *, model: str, scheme: str) -> bool:
    """Whether the index in ``folder`` is of partition ``scheme`` and its vectors load with
    ``model`` configured (a build that changes either writes a new index)."""
    if not folder.is_dir() or is_partitioned(folder) != bool(scheme):
        return False
    if not scheme:
        return VectorIndex.accepts(folder / "vectors", model=model)
    keys = [p["key"] for p in read_manifest(folder)["partitions"]]
    return all(VectorIndex.accepts(folder / "partitions" / k / "vectors", model=model) for k in keys)


def read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"{folder / MANIFEST}: unreadable ({exc}); run `beslutsgraf build` again") from None


def load_vocabulary(folder: Path) -> frozenset[str]:
    try:
        text = (folder / "vocabulary.txt").read_text(encoding="utf-8")
    except OSError as exc:
        raise IndexUnavailable(f"{folder}: vocabulary unreadable ({exc}); run `beslutsgraf build` again") from None
    return frozenset(text.split("\n")) if text else frozenset()


def load_partitions(folder: Path, keys: list[str], *, model: str,
                    vocabulary: frozenset[str]) -> tuple[SearchIndex, np.ndarray]:
    """The partitions ``keys`` joined into one index, with the index-wide row of each
    passage (ascending).  A search process searches its partitions as one index, so a
    query costs it one search, not one per partition; the BM25 scores are the
    partitions' own (the whole index's statistics), and the vectors get one faiss index
    (exact, or HNSW above ``HNSW_THRESHOLD`` as for one index)."""
    if len(keys) == 1:
        return load_partition(folder, keys[0], model=model, vocabulary=vocabulary)
    parts = [load_partition(folder, key, model=model, vocabulary=vocabulary, searchable=False) for key in keys]
    rows = np.concatenate([r for _i, r in parts]) if parts else np.zeros(0, dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    chunks = [c for index, _r in parts for c in index.chunks]
    hashes = [h for index, _r in parts for h in index.vectors.hashes]
    dim = parts[0][0].vectors.vectors.shape[1] if parts else 1
    vectors = np.concatenate([np.asarray(i.vectors.vectors) for i, _r in parts]) if parts else np.zeros((0, dim), np.float32)
    lexical = LexicalIndex.concat([i.lexical for i, _r in parts], order)
    vector_index = VectorIndex(np.ascontiguousarray(vectors[order]), [hashes[i] for i in order], model)
    return SearchIndex([chunks[i] for i in order], lexical, vector_index), rows[order]


def load_partition(folder: Path, key: str, *, model: str, vocabulary: frozenset[str],
                   searchable: bool = True) -> tuple[SearchIndex, np.ndarray]:
    """One partition's index and the index-wide row of each of its passages."""
    sub = folder / "partitions" / key
    if not sub.is_dir():
        raise IndexUnavailable(f"{sub}: no such partition; run `beslutsgraf build` again")
    index = SearchIndex.load(sub, model=model, vocabulary=vocabulary, searchable=searchable)
    try:
        rows = np.load(sub / "rows.npy")
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"{sub / 'rows.npy'}: unreadable ({exc}); run `beslutsgraf build` again") from None
    if len(rows) != len(index.chunks):
        raise IndexUnavailable(f"{sub}: {len(rows)} rows for {len(index.chunks)} passages; run `beslutsgraf build` again")
    return index, rows
