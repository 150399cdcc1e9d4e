"""Whole-graph dumps, written by the build with each store generation.

A dump is served as a static file from ``dumps/<generation>/``, so a download costs
the server no more than any file: nothing is serialised per request.  Both are
written before ``CURRENT`` names the generation, so the generation served always
has its dumps.

- ``dump.nq.gz``: N-Quads, every document in its own named graph.  It is the graph
  files the store was loaded from, in order, so it is copied, not serialised.
- ``dump.ttl.gz``: Turtle, the union of all graphs with each triple once; streamed
  from the store through a ``SELECT DISTINCT``, so memory stays with the engine.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..vocab import PREFIXES
from .store import DataDir, Manifest

# Media types of the dumps (both files are gzip).
DUMPS = {"dump.nq.gz": "application/n-quads", "dump.ttl.gz": "text/turtle"}
# zlib level 3: about three times faster than the default (6) for a file a few per
# cent larger; a build writes the dumps anew at every commit.
COMPRESS_LEVEL = 3
_QUERY = Path(__file__).resolve().parent / "queries" / "dump_triples.rq"


def dump_folder(data: DataDir, generation: str) -> Path:
    """Where the dumps of ``generation`` are."""
    return data.path / "dumps" / generation


def dump_file(data: DataDir, generation: str, name: str) -> Path:
    """One dump of ``generation``; ``name`` must be one of ``DUMPS``."""
    if name not in DUMPS:
        raise ValueError(f"unknown dump {name!r}; known: {', '.join(DUMPS)}")
    return dump_folder(data, generation) / name


def write_dumps(data: DataDir, generation: str, *, store: ox.Store, manifest: Manifest) -> Path:
    """Write both dumps of ``generation`` (into a temporary folder, then renamed)."""
    folder = dump_folder(data, generation)
    tmp = folder.with_name(f".{generation}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with gzip.open(tmp / "dump.nq.gz", "wb", compresslevel=COMPRESS_LEVEL) as out:
            for path in _graph_files(data, manifest):
                with path.open("rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
        with gzip.open(tmp / "dump.ttl.gz", "wb", compresslevel=COMPRESS_LEVEL) as out:
            ox.serialize(_union_triples(store), out, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def remove_other_dumps(data: DataDir, *, keep: set[str]) -> None:
    """Delete dumps of generations not in ``keep`` (and files of the old per-request layout)."""
    root = data.path / "dumps"
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.is_dir() and path.name in keep:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _graph_files(data: DataDir, manifest: Manifest) -> Iterator[Path]:
    if manifest.ontology:
        yield data.path / manifest.ontology["file"]
    for entry in sorted(manifest.sources.values(), key=lambda e: e.file):
        yield data.path / entry.file


def _union_triples(store: ox.Store) -> Iterator[ox.Triple]:
    for row in store.query(_QUERY.read_text(encoding="utf-8")):
        yield ox.Triple(row["s"], row["p"], row["o"])
