"""Passage vectors kept across data directories (the setting ``embedding_cache``).

A build reuses the vectors of its previous index (``vectors.VectorIndex.build``); a
build into a new data directory, a ``--full`` build and a build on another store have
no previous index and embed every passage again, which is most of a small build's time
(6.6 s of 10 s for the five corpus documents on 2 cores).  With ``embedding_cache`` set
to a folder, every vector embedded is kept there by its vector space, kind and text, and
any build of any data directory takes it from there.

The folder holds one SQLite file (``embeddings.sqlite``, the standard library's; several
worker processes may read and write it at once).  A vector is keyed by the SHA-256 of
its vector space (``encoders.vector_space``: vectors of one space are interchangeable),
kind ("passage" or "query") and text, and stored as its float32 bytes; a row of another
length than the model's dimension is not used (it is embedded again and replaced).
An unusable folder or file is an ``IndexUnavailable`` that names it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from ..errors import IndexUnavailable
from .encoders import get_encoder, vector_space

CACHE_FILE = "embeddings.sqlite"
_LOOKUP_BATCH = 500  # keys per SELECT (SQLite allows 999 variables in old builds)


def _key(space: str, kind: str, text: str) -> bytes:
    return hashlib.sha256(f"{space}\0{kind}\0{text}".encode()).digest()


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=120)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        return con
    except (OSError, sqlite3.Error) as exc:
        raise IndexUnavailable(f"embedding cache {path}: {exc}") from None


def cached_embed(texts: list[str], *, model: str, kind: str, folder: str | Path) -> np.ndarray:
    """``get_encoder(model).encode(texts, kind=kind)``, the vectors the cache in ``folder``
    holds taken from it and the others embedded and added to it."""
    path = Path(folder).expanduser() / CACHE_FILE
    space = vector_space(model)
    keys = [_key(space, kind, t) for t in texts]
    con = _connect(path)
    try:
        found: dict[bytes, bytes] = {}
        try:
            for b in range(0, len(keys), _LOOKUP_BATCH):
                batch = keys[b : b + _LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                found.update(con.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch))
        except sqlite3.Error as exc:
            raise IndexUnavailable(f"embedding cache {path}: {exc}") from None
        encoder = get_encoder(model)
        width = encoder.dim * 4  # float32 bytes
        out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
        todo: list[int] = []
        for i, k in enumerate(keys):
            row = found.get(k, b"")
            if len(row) == width:
                out[i] = np.frombuffer(row, dtype=np.float32)
            else:
                todo.append(i)
        if todo:
            new = encoder.encode([texts[i] for i in todo], kind=kind)
            out[todo] = new
            try:
                with con:
                    con.executemany(
                        "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                        ((keys[i], new[j].astype(np.float32).tobytes()) for j, i in enumerate(todo)),
                    )
            except sqlite3.Error as exc:
                raise IndexUnavailable(f"embedding cache {path}: {exc}") from None
        return out
    finally:
        con.close()
