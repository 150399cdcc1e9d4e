"""Build: the only writer.  A corpus folder in, a committed store generation out.

``build`` takes these steps, under the data directory's build lock:

1. recover what a crashed build left (``DataDir.recover``) and read the manifest;
2. list the sources (every file a reader supports, recursively, hidden ones skipped)
   and give each its document id, the slug of its stem; a second file with the
   same id fails with a message naming both, the first keeps it;
3. hash each source; a source whose hash, extractor version and graph settings
   match the manifest, and whose graph file is still the one written, is unchanged;
4. extract, map to triples and validate the others, in batches (one pyshacl call
   per batch: its per-call cost dominates, see ``VALIDATE_BATCH``), in worker
   processes when there are many; a document that fails keeps its previous graph;
5. write each new graph file (sorted N-Quads, so an unchanged graph is the same
   bytes and costs nothing downstream);
6. if any graph changed, make a new store generation: a cheap copy of the serving
   one with only the changed graphs replaced, or a bulk load of every graph file
   when most of them changed; commit it (manifest, then CURRENT); else write at
   most the manifest, and nothing when nothing changed.

A source that fails is reported with its file name and problem on every build
until it is fixed: the manifest keeps the hash of the bytes its graph came from.

Step 6 also builds the search index (``index.py``): passages of every document
(written beside its graph in step 5), BM25 and vectors in a new ``index-<n>``
folder, vectors of unchanged passages reused; the manifest names it, so the
commit that switches the store switches the index too, and graph and index never
disagree.  A failed build leaves the previous index serving.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from .config import Settings
from .errors import ExtractionError, SourceError, ValidationError
from .extract.pipeline import EXTRACTOR_VERSION, extract_file
from .graph.ontology import ontology as ontology_graph
from .graph.store import DataDir, GraphEntry, Manifest, write_atomic
from .graph.triples import document_graph
from .graph.uris import IriError, document_slug
from .graph.validation import validate
from .index.passages import make_chunks
from .index.search_index import build_index_from_chunks, chunk_from_json
from .index.vectors import VectorIndex
from .paths import ONTOLOGY_FILE, SHAPES_FILE
from .text.sources import supported_suffixes

# Documents per pyshacl call.  pyshacl has a fixed cost per call (ontology mixed in,
# shapes compiled, RDFS closure set up); measured per document: 0.29 s alone, 0.23 s
# in batches of 5, 0.18 s in batches of 10, 25 or 50 (corpus documents, 2 CPUs).
VALIDATE_BATCH = 25
# Worker processes are worth their start-up only for this many documents or more.
PARALLEL_MIN_DOCS = 2 * VALIDATE_BATCH
# Replacing graphs one by one in a copy of the serving store costs ~3x per triple
# what a bulk load does (measured, pyoxigraph 0.5.13), so above this share of
# changed triples the whole store is bulk loaded instead.
INCREMENTAL_MAX_SHARE = 1 / 3

# Per-document failures: reported, the previous graph kept, the build goes on.
# Anything else (a broken pattern file, a store error) stops the build.
DOCUMENT_ERRORS = (SourceError, ExtractionError, ValidationError, IriError)


# --- report ------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildEvent:
    """Progress: ``done`` of ``total`` in ``stage`` (scan, hash, extract, store)."""

    stage: str
    done: int
    total: int
    source: str | None = None


ProgressFn = Callable[[BuildEvent], None]


@dataclass(frozen=True)
class SourceOutcome:
    source: str  # path relative to the corpus folder
    status: str  # added | updated | unchanged | removed | failed
    triples: int = 0
    message: str | None = None


@dataclass
class BuildReport:
    corpus: str
    data_dir: str
    outcomes: list[SourceOutcome] = field(default_factory=list)
    generation: str | None = None  # serving after the build
    previous_generation: str | None = None
    committed: bool = False  # a new generation was made
    incremental: bool = False  # ... as a copy of the previous one
    triples: int = 0  # in the serving store
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    generations_in_use: list[str] = field(default_factory=list)  # old ones readers still hold
    index: str | None = None  # search index folder serving after the build
    index_chunks: int = 0
    embedded: int = 0  # passages embedded in this build (the others were reused)

    def with_status(self, status: str) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def added(self) -> list[SourceOutcome]:
        return self.with_status("added")

    @property
    def updated(self) -> list[SourceOutcome]:
        return self.with_status("updated")

    @property
    def unchanged(self) -> list[SourceOutcome]:
        return self.with_status("unchanged")

    @property
    def removed(self) -> list[SourceOutcome]:
        return self.with_status("removed")

    @property
    def failed(self) -> list[SourceOutcome]:
        return self.with_status("failed")


# --- sources -------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    rel: str  # POSIX path relative to the corpus folder
    path: Path


def list_sources(corpus: Path) -> list[Source]:
    """Every supported file under ``corpus``, recursively, skipping hidden files and folders."""
    if not corpus.is_dir():
        raise SourceError(corpus, "corpus folder not found (or not a folder)")
    suffixes = set(supported_suffixes())
    found = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or Path(name).suffix.lower() not in suffixes:
                continue
            path = Path(root) / name
            found.append(Source(path.relative_to(corpus).as_posix(), path))
    return sorted(found, key=lambda s: s.rel)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def graph_settings(settings: Settings) -> dict[str, object]:
    """What every graph depends on besides its source: a change rebuilds them all."""
    h = hashlib.sha256()
    for path in (ONTOLOGY_FILE, SHAPES_FILE):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return {
        "base_iri": settings.base_iri,
        "validate": bool(settings.validate),
        "ontology_sha256": h.hexdigest(),
    }


# --- per-document work (runs in worker processes too) ----------------------------------


@dataclass
class DocResult:
    rel: str
    document: str
    ok: bool
    message: str | None = None
    graph: str | None = None
    nquads: bytes | None = None
    triples: int = 0
    sha256: str | None = None
    extractor_version: str | None = None
    chunks: bytes | None = None  # the document's search passages, JSON lines


def graph_nquads(graph_iri: str, graph: Graph) -> tuple[bytes, int]:
    """Sorted N-Quads of ``graph`` in the named graph ``graph_iri``, and its triple count.

    Going through pyoxigraph checks every IRI and literal with the parser the store
    uses, so a term the store would refuse fails this one document, not the build.
    """
    nt = graph.serialize(format="nt", encoding="utf-8")
    name = ox.NamedNode(graph_iri)
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, name)
        for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    ]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    lines.sort()
    return b"".join(lines), len(lines)


def _first_messages(report: str, limit: int = 3) -> str:
    msgs = [
        line.strip()[len("Message:") :].strip()
        for line in report.splitlines()
        if line.strip().startswith("Message:")
    ]
    if not msgs:
        return report.strip().splitlines()[0] if report.strip() else "does not conform"
    more = f" (+{len(msgs) - limit} more)" if len(msgs) > limit else ""
    return "; ".join(msgs[:limit]) + more


def process_batch(
    items: list[tuple[str, str, str]], *, base_iri: str, max_mb: float, check: bool
) -> list[DocResult]:
    """Extract, map and validate a batch of ``(rel, path, document id)``; one result each."""
    results: list[DocResult] = []
    graphs: dict[str, Graph] = {}
    for rel, path, doc in items:
        try:
            ex = extract_file(path, max_mb=max_mb)
            try:
                iri, graph = document_graph(ex, base_iri=base_iri)
            except DOCUMENT_ERRORS:
                raise
            except Exception as exc:  # a mapping bug on an odd document: that document fails
                raise ExtractionError(
                    rel, f"mapping to RDF failed: {type(exc).__name__}: {exc}"
                ) from exc
            nquads, n = graph_nquads(iri, graph)
        except DOCUMENT_ERRORS as exc:
            results.append(
                DocResult(rel, doc, False, message=getattr(exc, "problem", None) or str(exc))
            )
            continue
        except SyntaxError as exc:  # pyoxigraph refused a term
            results.append(
                DocResult(rel, doc, False, message=f"graph has a term the store refuses: {exc}")
            )
            continue
        results.append(
            DocResult(
                rel,
                doc,
                True,
                graph=iri,
                nquads=nquads,
                triples=n,
                sha256=ex.sha256,
                extractor_version=ex.extractor_version,
                chunks=chunks_jsonl(ex),
            )
        )
        graphs[rel] = graph
    if check and graphs:
        _validate_batch(results, graphs)
    return results


def _validate_batch(results: list[DocResult], graphs: dict[str, Graph]) -> None:
    """One pyshacl call for the batch; only if it fails, one per document to find which."""
    union = Graph()
    for g in graphs.values():
        union += g
    conforms, _report = validate(union)
    if conforms:
        return
    for r in results:
        if r.ok and r.rel in graphs:
            ok, report = validate(graphs[r.rel])
            if not ok:
                r.ok, r.nquads, r.triples = False, None, 0
                r.message = f"graph does not satisfy ontology/shapes.ttl: {_first_messages(report)}"
    # A batch can fail while each document passes (a cardinality across documents on a
    # shared entity); every document is then judged on its own, which is the contract.


def _batches(items: list[tuple[str, str, str]], size: int) -> Iterator[list[tuple[str, str, str]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _run_batches(
    items: list[tuple[str, str, str]],
    settings: Settings,
    progress: ProgressFn | None,
    *,
    workers: int | None,
) -> Iterator[DocResult]:
    kwargs = {
        "base_iri": settings.base_iri,
        "max_mb": float(settings.max_file_mb),
        "check": bool(settings.validate),
    }
    total, done = len(items), 0
    batches = list(_batches(items, VALIDATE_BATCH))
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(items) < PARALLEL_MIN_DOCS:
        for batch in batches:
            for r in process_batch(batch, **kwargs):
                done += 1
                _emit(progress, "extract", done, total, r.rel)
                yield r
        return
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    try:
        # Keep a bounded number of batches in flight so results (graph bytes) do not pile up.
        pending: set[Future[list[DocResult]]] = set()
        it = iter(batches)
        for batch in it:
            pending.add(pool.submit(process_batch, batch, **kwargs))
            if len(pending) >= 2 * workers:
                break
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                for r in fut.result():
                    done += 1
                    _emit(progress, "extract", done, total, r.rel)
                    yield r
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(pool.submit(process_batch, nxt, **kwargs))
    finally:
        # On an error or interrupt, do not wait for batches nobody will read.
        pool.shutdown(wait=True, cancel_futures=True)


def _emit(
    progress: ProgressFn | None, stage: str, done: int, total: int, source: str | None = None
) -> None:
    if progress is not None:
        progress(BuildEvent(stage, done, total, source))


# --- the build -----------------------------------------------------------------------


def _file_matches(data: DataDir, entry: GraphEntry) -> bool:
    try:
        st = (data.path / entry.file).stat()
    except FileNotFoundError:
        return False
    return st.st_size == entry.file_size and st.st_mtime_ns == entry.file_mtime_ns


def _write_graph_file(path: Path, nquads: bytes) -> bool:
    """Write ``nquads`` unless the file already holds exactly these bytes; True if written."""
    try:
        if path.stat().st_size == len(nquads) and path.read_bytes() == nquads:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, nquads)
    return True


def _ontology_nquads() -> tuple[str, bytes, int]:
    graph = ontology_graph()
    iris = [s for s in graph.subjects(RDF.type, OWL.Ontology)]
    if len(iris) != 1:
        raise ValidationError(f"{ONTOLOGY_FILE}: expected one owl:Ontology, found {len(iris)}")
    iri = str(iris[0])
    nquads, n = graph_nquads(iri, graph)
    return iri, nquads, n


def build(
    corpus_dir: Path | str,
    *,
    settings: Settings,
    progress: ProgressFn | None = None,
    workers: int | None = None,
    full: bool = False,
) -> BuildReport:
    """Build the corpus into ``settings.data_dir``: all-or-nothing, skipping what is unchanged.

    ``workers`` caps the extraction processes (default: CPUs, at most 8); ``full``
    re-extracts every source and bulk loads a fresh store.
    """
    started = time.perf_counter()
    corpus = Path(corpus_dir).expanduser().resolve()
    data = DataDir(settings.data_path)
    report = BuildReport(corpus=str(corpus), data_dir=str(data.path))
    timings = report.timings
    with data.build_lock():
        old = data.recover()
        report.previous_generation = data.current()

        # 1-2. sources and their document ids
        t = time.perf_counter()
        sources = list_sources(corpus)
        _emit(progress, "scan", len(sources), len(sources))
        outcomes: dict[str, SourceOutcome] = {}
        owner: dict[str, str] = {}  # document id -> rel of the source that has it
        doc_of: dict[str, str] = {}
        # Sources already in the manifest keep their id: a newcomer cannot displace them.
        ordered = sorted(sources, key=lambda s: (s.rel not in old.sources, s.rel))
        for src in ordered:
            try:
                doc = document_slug(src.path.name)
            except IriError as exc:
                outcomes[src.rel] = SourceOutcome(src.rel, "failed", message=str(exc))
                continue
            if doc in owner:
                outcomes[src.rel] = SourceOutcome(
                    src.rel,
                    "failed",
                    message=f"name collision: {src.rel} and {owner[doc]} both become document "
                    f"{doc!r}; rename one ({owner[doc]} is built)",
                )
                continue
            owner[doc] = src.rel
            doc_of[src.rel] = doc
        timings["scan"] = time.perf_counter() - t

        # 3. what changed
        t = time.perf_counter()
        gsettings = graph_settings(settings)
        all_stale = full or old.graph_settings != gsettings
        new = Manifest(
            store=old.store, corpus=str(corpus), graph_settings=gsettings, ontology=old.ontology
        )
        for o in outcomes.values():  # sources refused before extraction (id, collision)
            new.failures[o.source] = o.message or "failed"
        todo: list[tuple[str, str, str]] = []
        candidates = [s for s in sources if s.rel in doc_of]
        for i, src in enumerate(candidates, 1):
            entry = old.sources.get(src.rel)
            doc = doc_of[src.rel]
            if (
                entry is not None
                and not all_stale
                and entry.document == doc
                and entry.extractor_version == EXTRACTOR_VERSION
                and _file_matches(data, entry)
                and data.chunks_file(doc).exists()
                and sha256_file(src.path) == entry.sha256
            ):
                new.sources[src.rel] = GraphEntry(
                    **{**entry.__dict__, "status": "ok", "problem": None}
                )
                outcomes[src.rel] = SourceOutcome(src.rel, "unchanged", entry.triples)
            else:
                todo.append((src.rel, str(src.path), doc))
            _emit(progress, "hash", i, len(candidates), src.rel)
        timings["hash"] = time.perf_counter() - t

        # 4-5. extract, map, validate; write graph files
        t = time.perf_counter()
        changed_graphs: set[str] = set()  # graph IRIs whose triples differ from the serving store
        index_docs_changed = False  # some document's search passages changed
        for r in _run_batches(todo, settings, progress, workers=workers):
            previous = old.sources.get(r.rel)
            if not r.ok:
                kept = (
                    previous is not None
                    and previous.document == r.document
                    and _file_matches(data, previous)
                )
                if kept:
                    new.sources[r.rel] = GraphEntry(
                        **{**previous.__dict__, "status": "stale", "problem": r.message}
                    )
                    outcomes[r.rel] = SourceOutcome(
                        r.rel, "failed", previous.triples, f"{r.message} (previous graph kept)"
                    )
                else:
                    new.failures[r.rel] = r.message or "failed"
                    outcomes[r.rel] = SourceOutcome(r.rel, "failed", message=r.message)
                continue
            assert r.nquads is not None and r.graph is not None
            path = data.graph_file(r.document)
            # Identical bytes prove an unchanged graph only if the file on disk is the one
            # the serving store was built from (not one left by a build that crashed).
            committed = (
                previous is not None
                and previous.graph == r.graph
                and previous.file == path.relative_to(data.path).as_posix()
                and _file_matches(data, previous)
            )
            written = _write_graph_file(path, r.nquads)
            if _write_graph_file(data.chunks_file(r.document), r.chunks or b""):
                index_docs_changed = True
            st = path.stat()
            new.sources[r.rel] = GraphEntry(
                source=r.rel,
                document=r.document,
                graph=r.graph,
                file=path.relative_to(data.path).as_posix(),
                sha256=r.sha256 or "",
                extractor_version=r.extractor_version or EXTRACTOR_VERSION,
                triples=r.triples,
                file_size=st.st_size,
                file_mtime_ns=st.st_mtime_ns,
            )
            if written or not committed or full:
                changed_graphs.add(r.graph)
            outcomes[r.rel] = SourceOutcome(r.rel, "updated" if previous else "added", r.triples)
            r.nquads = None
        timings["extract"] = time.perf_counter() - t

        # removed sources: their graphs go unless another source now owns the same graph
        kept_graphs = {e.graph for e in new.sources.values()}
        for rel, entry in old.sources.items():
            if rel not in new.sources:
                if rel not in outcomes:
                    outcomes[rel] = SourceOutcome(rel, "removed", entry.triples)
                if entry.graph not in kept_graphs:
                    changed_graphs.add(entry.graph)

        # the ontology graph
        ontology_changed = (
            full
            or old.ontology is None
            or old.ontology.get("fingerprint") != gsettings["ontology_sha256"]
            or not data.ontology_file.exists()
        )
        if ontology_changed:
            iri, nquads, n = _ontology_nquads()
            _write_graph_file(data.ontology_file, nquads)
            new.ontology = {
                "graph": iri,
                "file": data.ontology_file.name,
                "triples": n,
                "fingerprint": gsettings["ontology_sha256"],
            }

        report.outcomes = sorted(outcomes.values(), key=lambda o: o.source)

        # 6a. search index: passages of every document in the new manifest, BM25 and
        #     vectors, in a new folder committed by the same manifest write as the store
        t = time.perf_counter()
        removed_docs = any(rel not in new.sources for rel in old.sources)
        new.index = old.index
        if (
            index_docs_changed
            or changed_graphs  # also covers passages a crashed build wrote but never indexed
            or removed_docs
            or full
            or old.index is None
            or not data.index_path(old.index).is_dir()
            or VectorIndex.saved_model(data.index_path(old.index) / "vectors") != settings.embedding_model
        ):
            new.index = _build_search_index(data, old, new, settings, progress, report)
        timings["index"] = time.perf_counter() - t

        # 6b. store
        t = time.perf_counter()
        base_missing = old.store is None or not data.generation_path(old.store).is_dir()
        store_changed = bool(changed_graphs) or ontology_changed or base_missing
        if store_changed:
            _new_generation(
                data, old, new, changed_graphs, ontology_changed, full, report, progress
            )
            _sweep_graph_files(data, new)
        elif json.dumps(new.to_json(), sort_keys=True) != json.dumps(old.to_json(), sort_keys=True):
            new.store = old.store
            data.write_manifest(new)  # statuses or hashes changed; the store did not
        timings["store"] = time.perf_counter() - t

        report.generation = data.current()
        report.triples = new.triples
        report.index = new.index
        _sweep_indexes(data, keep=new.index)
    report.seconds = time.perf_counter() - started
    return report


def _new_generation(
    data: DataDir,
    old: Manifest,
    new: Manifest,
    changed_graphs: set[str],
    ontology_changed: bool,
    full: bool,
    report: BuildReport,
    progress: ProgressFn | None,
) -> None:
    """Fill a new generation (copy + replace, or bulk load) and commit it."""
    base = old.store if old.store and data.generation_path(old.store).is_dir() else None
    changed_triples = sum(e.triples for e in new.sources.values() if e.graph in changed_graphs)
    incremental = (
        base is not None
        and not full
        and changed_triples <= INCREMENTAL_MAX_SHARE * max(new.triples, 1)
    )
    report.incremental = incremental
    with data.begin_generation(base=base if incremental else None) as gen:
        if incremental:
            steps = len(changed_graphs) + (1 if ontology_changed else 0)
            done = 0
            if ontology_changed and old.ontology:
                gen.remove_graph(old.ontology["graph"])
            by_graph = {e.graph: e for e in new.sources.values()}
            for iri in sorted(changed_graphs):
                gen.remove_graph(iri)
            files = [
                data.path / by_graph[iri].file for iri in sorted(changed_graphs) if iri in by_graph
            ]
            if ontology_changed:
                files.append(data.ontology_file)
            # One bulk load for all changed graphs: the generation is private until
            # commit, so the bulk loader's lack of a transaction costs nothing.
            gen.bulk_load_files(files)
            done = steps
            _emit(progress, "store", done, steps)
        else:
            files = [data.path / e.file for e in new.sources.values()]
            files.append(data.ontology_file)
            _emit(progress, "store", 0, 1)
            gen.bulk_load_files(files)
            _emit(progress, "store", 1, 1)
        report.generations_in_use = gen.commit(new)
    report.committed = True


def chunks_jsonl(ex) -> bytes:
    """The search passages of one extraction as JSON lines."""
    return b"".join(
        (json.dumps(asdict(c), ensure_ascii=False) + "\n").encode("utf-8") for c in make_chunks(ex)
    )


def _build_search_index(
    data: DataDir, old: Manifest, new: Manifest, settings: Settings, progress, report: BuildReport
) -> str:
    """Build ``index-<n>`` from the chunk files of ``new``; vectors of unchanged passages are reused."""
    chunks = []
    for entry in sorted(new.sources.values(), key=lambda e: e.document):
        with data.chunks_file(entry.document).open(encoding="utf-8") as fh:
            chunks.extend(chunk_from_json(json.loads(line)) for line in fh if line.strip())
    taken = {p.name for p in data.path.glob("index-*")}
    n = 1
    while f"index-{n}" in taken:
        n += 1
    name = f"index-{n}"
    previous = data.index_path(old.index) if old.index else None

    def on_embed(done: int, total: int) -> None:
        _emit(progress, "embed", done, total)

    result = build_index_from_chunks(
        chunks, data.index_path(name), model=settings.embedding_model,
        previous=previous if previous and previous.is_dir() else None, progress=on_embed,
    )
    report.index_chunks = result.chunks
    report.embedded = result.embedded
    return name


def _sweep_indexes(data: DataDir, *, keep: str | None) -> None:
    """Delete index folders the manifest does not name (old ones, or left by a failed build)."""
    for path in data.path.glob("index-*"):
        if path.is_dir() and path.name != keep:
            shutil.rmtree(path, ignore_errors=True)


def _sweep_graph_files(data: DataDir, manifest: Manifest) -> None:
    """Delete graph files no committed entry refers to (removed sources, crashed builds)."""
    keep = {e.file for e in manifest.sources.values()}
    chunk_dir = data.path / "chunks"
    if chunk_dir.is_dir():
        keep_chunks = {data.chunks_file(e.document).name for e in manifest.sources.values()}
        for path in chunk_dir.iterdir():
            if path.name not in keep_chunks:
                path.unlink(missing_ok=True)
    if not data.graphs_dir.is_dir():
        return
    for path in data.graphs_dir.iterdir():
        rel = path.relative_to(data.path).as_posix()
        if rel not in keep and (path.suffix == ".nq" or path.name.endswith(".tmp")):
            path.unlink(missing_ok=True)


__all__ = ["BuildEvent", "BuildReport", "ProgressFn", "SourceOutcome", "build", "list_sources"]
