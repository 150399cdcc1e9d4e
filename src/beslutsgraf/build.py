"""Build: the only writer.  A corpus folder in, a committed store generation out.

``build`` runs these steps, in this order, under the data directory's build lock,
after recovering what a crashed build left (``DataDir.recover``) and reading the
manifest.  Each step is a function below that takes data and returns data:

1. ``assign_documents``: list the sources (every file a reader supports,
   recursively, hidden ones skipped) and give each its document id, the slug of its
   stem; a second file with the same id fails with a message naming both, the first
   keeps it;
2. ``plan_sources``: hash each source; a source whose hash, extractor version and
   graph settings match the manifest, and whose graph file is still the one written,
   is unchanged; the others are to do;
3. ``extract_and_graph``: extract, map to triples and validate (``validate_batch``,
   one pyshacl call per batch: its per-call cost dominates, see ``VALIDATE_BATCH``),
   in worker processes when there are many; a document that fails keeps its previous
   graph;
4. ``write_graph_files``: write each new graph file (sorted N-Quads, so an unchanged
   graph is the same bytes and costs nothing downstream) and its search passages;
5. ``removed_sources``: graphs of sources no longer in the corpus go;
6. ``write_ontology_graph``: the ontology's own graph, when the ontology changed;
7. ``build_search_index``: passages of every document, BM25 and vectors in a new
   ``index-<n>`` folder, vectors of unchanged passages reused;
8. ``commit_generation``: if any graph changed, a new store generation (a cheap copy
   of the serving one with only the changed graphs replaced, or a bulk load of every
   graph file when most of them changed), committed (manifest, then CURRENT); else
   at most the manifest, and nothing when nothing changed;
9. ``sweep``: delete graph files, passages and index folders the manifest does not name.

A source that fails is reported with its file name and problem on every build
until it is fixed: the manifest keeps the hash of the bytes its graph came from.
The manifest names the index, so the commit that switches the store switches the
index too, and graph and index never disagree.  A failed build leaves the previous
store and index serving.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .config import Settings
from .errors import ExtractionError, SourceError, StoreError, ValidationError
from .executors import ExecutorChoice, Tasks, open_tasks
from .extract.pipeline import EXTRACTOR_VERSION, extract_file
from .graph import ontology as onto
from .graph.dumps import dump_folder, remove_other_dumps, write_dumps
from .graph.store import ORIGINAL_SUFFIXES, DataDir, GraphEntry, Manifest, write_atomic
from .graph.triples import document_graph
from .graph.uris import IriError, document_slug, namespace
from .graph.validation import failures
from .index.partitions import build_partitioned_index, check_scheme, index_accepts
from .index.passages import make_chunks
from .index.search_index import build_index_from_chunks, chunk_from_json
from .index.vectors import embed
from .model import Extraction
from .text.sources import ReadLimits, page_weight, read_bytes, reader_for, supported_suffixes

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
    """Progress: ``done`` of ``total`` in ``stage`` (scan, hash, extract, embed, store)."""

    stage: str
    done: int
    total: int  # for "extract": pages (a file without pages counts as one)
    source: str | None = None


ProgressFn = Callable[[BuildEvent], None]


@dataclass(frozen=True)
class SourceOutcome:
    """What the build did with one source, and why it failed."""

    source: str  # path relative to the corpus folder
    status: str  # added | updated | unchanged | removed | failed
    triples: int = 0
    message: str | None = None


@dataclass
class BuildReport:
    """What one build did: each source's outcome, the generation and index serving after it."""

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
    embedded: int = 0  # passages embedded in this build (the others were reused or skipped)
    skipped: int = 0  # boilerplate passages, in the keyword index only (index/boilerplate.py)

    def with_status(self, status: str) -> list[SourceOutcome]:
        """The outcomes with this status, in source order."""
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


# --- the build -----------------------------------------------------------------------


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
    data = DataDir.for_settings(settings)
    report = BuildReport(corpus=str(corpus), data_dir=str(data.path))
    data.check_store()
    check_scheme(settings.index_partitions)
    with data.build_lock() as lock_fd:
        old = data.recover()
        report.previous_generation = data.current()
        # What a crashed or failed build left (index folders, graph and passage files no
        # manifest names) goes first: a full disk must not stay full.
        sweep(data, old, graph_files=True)
        try:
            with ExitStack() as stack:
                tasks = None
                if ExecutorChoice.from_settings(settings).distributed:
                    tasks = stack.enter_context(open_tasks(settings, workers=default_workers(workers)))
                _run_steps(
                    corpus, data=data, old=old, settings=settings, report=report, progress=progress,
                    workers=workers, full=full, lock_fd=lock_fd, tasks=tasks,
                )
        except BaseException as exc:
            # Nothing of this build is served: take back what it wrote, then say why.
            try:  # against the commit record: the failure may have come after the commit
                sweep(data, data.read_manifest(), graph_files=True)
            except (OSError, StoreError):
                pass  # the error that stopped the build is the one to report
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise StoreError(
                    f"{data.path}: no space left on device while writing "
                    f"{exc.filename or 'the build'}; the previous generation still serves "
                    "and what this build wrote is removed; free space and build again"
                ) from None
            raise
    report.seconds = time.perf_counter() - started
    return report


def _run_steps(
    corpus: Path,
    *,
    data: DataDir,
    old: Manifest,
    settings: Settings,
    report: BuildReport,
    progress: ProgressFn | None,
    workers: int | None,
    full: bool,
    lock_fd: int,
    tasks: Tasks | None = None,
) -> None:
    """Steps 1–9 of ``build``, filling ``report``; the build lock is held.  ``tasks``: a
    distributed executor for reading, extraction and embedding."""
    timings = report.timings
    # 1. sources and their document ids
    t = time.perf_counter()
    sources = list_sources(corpus)
    _emit(progress, "scan", len(sources), len(sources))
    assigned = assign_documents(sources, known=old.sources.keys(), corpus=corpus)
    timings["scan"] = time.perf_counter() - t

    # 2. what changed
    t = time.perf_counter()
    plan = plan_sources(
        assigned, corpus=corpus, old=old, data=data, settings=settings, full=full,
        progress=progress,
    )
    timings["hash"] = time.perf_counter() - t

    # 3-4. extract, map, validate; write graph files and passages
    t = time.perf_counter()
    results = extract_and_graph(
        plan.todo, settings=settings, progress=progress, workers=workers, inherited=(lock_fd,), tasks=tasks
    )
    written = write_graph_files(results, data=data, old=old, full=full)
    timings["extract"] = time.perf_counter() - t
    new, outcomes = plan.manifest, plan.outcomes
    new.sources.update(written.entries)
    new.failures.update(written.failures)
    outcomes.update(written.outcomes)

    keep_missing_originals(corpus, new, data=data, max_mb=float(settings.max_file_mb))

    # 5. removed sources
    removed, dropped_graphs = removed_sources(old, new, reported=outcomes.keys())
    outcomes.update(removed)
    changed_graphs = written.changed_graphs | dropped_graphs

    # 6. the ontology graph
    ontology_entry = write_ontology_graph(data, old=old, full=full)
    if ontology_entry is not None:
        new.ontology = ontology_entry
    report.outcomes = sorted(outcomes.values(), key=lambda o: o.source)

    # 7. search index, committed by the same manifest write as the store
    t = time.perf_counter()
    new.index = old.index
    if (
        written.passages_changed
        or changed_graphs  # also covers passages a crashed build wrote but never indexed
        or any(rel not in new.sources for rel in old.sources)  # a document left the index
        or full
        or not _index_usable(data, old.index, settings=settings)
    ):
        index = build_search_index(data, old=old, new=new, settings=settings, progress=progress, tasks=tasks)
        new.index = index.name
        report.index_chunks, report.embedded, report.skipped = index.chunks, index.embedded, index.skipped
    timings["index"] = time.perf_counter() - t

    # 8. store: a new generation, or at most a new manifest
    t = time.perf_counter()
    commit = commit_generation(
        data, old=old, new=new, changed_graphs=changed_graphs,
        ontology_changed=ontology_entry is not None, full=full, progress=progress,
    )
    report.committed = commit.committed
    report.incremental = commit.incremental
    report.generations_in_use = commit.generations_in_use
    timings["store"] = time.perf_counter() - t

    report.generation = data.current()
    if report.generation and not dump_folder(data, report.generation).is_dir():
        # a data directory from before the build wrote dumps, or a removed dumps/ folder
        with data.open_reader() as reader:
            write_dumps(data, report.generation, store=reader.store, manifest=new)
    report.triples = new.triples
    report.index = new.index

    # 9. files no manifest names
    sweep(data, new, graph_files=commit.committed)


# --- 1. sources and their document ids ---------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One corpus file: its POSIX path relative to the corpus folder, and where it is."""

    rel: str
    path: Path


@dataclass
class Assignment:
    """Step 1's answer: the sources, each with its document id or refused (id, collision)."""

    sources: list[Source]
    documents: dict[str, str]  # rel -> document id
    refused: dict[str, SourceOutcome]  # rel -> its "failed" outcome


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


def assign_documents(
    sources: list[Source], *, known: Collection[str], corpus: Path | None = None
) -> Assignment:
    """Give each source its document id; of two sources with one id, the first keeps it.

    Sources in ``known`` (the manifest) come first, so a newcomer cannot displace them.
    A source that resolves outside ``corpus`` (a link to ``/etc/passwd``) is refused:
    only what the corpus folder holds is published.
    """
    documents: dict[str, str] = {}
    refused: dict[str, SourceOutcome] = {}
    owner: dict[str, str] = {}  # document id -> rel of the source that has it
    for src in sorted(sources, key=lambda s: (s.rel not in known, s.rel)):
        outside = _outside(src.path, corpus) if corpus is not None else None
        if outside:
            refused[src.rel] = SourceOutcome(src.rel, "failed", message=outside)
            continue
        try:
            doc = document_slug(src.path.name)
        except IriError as exc:
            refused[src.rel] = SourceOutcome(src.rel, "failed", message=str(exc))
            continue
        if doc in owner:
            refused[src.rel] = SourceOutcome(
                src.rel,
                "failed",
                message=f"name collision: {src.rel} and {owner[doc]} both become document "
                f"{doc!r}; rename one ({owner[doc]} is built)",
            )
            continue
        owner[doc] = src.rel
        documents[src.rel] = doc
    return Assignment(sources, documents, refused)


def _outside(path: Path, corpus: Path) -> str | None:
    """Why ``path`` may not be built from ``corpus`` (it resolves outside it, or its
    links loop), or None."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 raises this for a symlink loop
        return f"{path}: symbolic link loop"
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    if not target.is_relative_to(corpus.resolve()):
        return f"{path}: links to {target}, outside the corpus folder {corpus}; refused"
    return None


# --- 2. what changed ------------------------------------------------------------------


WorkItem = tuple[str, str, str]  # (rel, path, document id): picklable for worker processes


@dataclass
class Plan:
    """Step 2's answer: the new manifest so far (unchanged sources, refusals) and what to do."""

    manifest: Manifest
    outcomes: dict[str, SourceOutcome]  # refused and unchanged sources
    todo: list[WorkItem]


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def graph_settings(settings: Settings) -> dict[str, object]:
    """What every graph depends on besides its source: a change rebuilds them all."""
    return {
        "base_iri": settings.base_iri,
        "validate": bool(settings.validate),
        "ontology_sha256": onto.fingerprint(),
    }


def plan_sources(
    assigned: Assignment,
    *,
    corpus: Path,
    old: Manifest,
    data: DataDir,
    settings: Settings,
    full: bool,
    progress: ProgressFn | None,
) -> Plan:
    """Keep the manifest entry of each unchanged source; list the others to extract."""
    gsettings = graph_settings(settings)
    all_stale = full or old.graph_settings != gsettings
    new = Manifest(
        store=old.store, corpus=str(corpus), graph_settings=gsettings, ontology=old.ontology,
        location=old.location,
    )
    outcomes = dict(assigned.refused)
    for o in outcomes.values():  # sources refused before extraction (id, collision)
        new.failures[o.source] = o.message or "failed"
    todo: list[WorkItem] = []
    candidates = [s for s in assigned.sources if s.rel in assigned.documents]
    for i, src in enumerate(candidates, 1):
        entry = old.sources.get(src.rel)
        doc = assigned.documents[src.rel]
        if (
            entry is not None
            and not all_stale
            and entry.document == doc
            and entry.extractor_version == EXTRACTOR_VERSION
            and _file_matches(data, entry)
            and data.chunks_file(doc).exists()
            and _same_bytes(src.path, entry.sha256)
        ):
            new.sources[src.rel] = GraphEntry(**{**entry.__dict__, "status": "ok", "problem": None})
            outcomes[src.rel] = SourceOutcome(src.rel, "unchanged", entry.triples)
        else:
            todo.append((src.rel, str(src.path), doc))
        _emit(progress, "hash", i, len(candidates), src.rel)
    return Plan(new, outcomes, todo)


def _same_bytes(path: Path, sha256: str | None) -> bool:
    """Whether the file still has these bytes; a file that vanished or cannot be read
    since it was listed is not the same (extraction then fails it by name)."""
    try:
        return sha256_file(path) == sha256
    except OSError:
        return False


def _file_matches(data: DataDir, entry: GraphEntry) -> bool:
    try:
        st = (data.path / entry.file).stat()
    except FileNotFoundError:
        return False
    return st.st_size == entry.file_size and st.st_mtime_ns == entry.file_mtime_ns


# --- 3. extract, map, validate (runs in worker processes too) ----------------------------


@dataclass
class DocResult:
    """One document's graph (sorted N-Quads) and passages, or why it failed."""

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


def extract_and_graph(
    todo: list[WorkItem],
    *,
    settings: Settings,
    progress: ProgressFn | None,
    workers: int | None,
    inherited: tuple[int, ...] = (),
    tasks: Tasks | None = None,
) -> Iterator[DocResult]:
    """Results of ``process_batch`` over ``todo`` in batches: on ``tasks`` (a distributed
    executor) when given, else in worker processes when many (which close the
    ``inherited`` descriptors, the build lock, and die with the builder).

    A generator: results stream to step 4 as batches finish, so graph bytes do not
    pile up in memory.
    """
    kwargs = {
        "base_iri": settings.base_iri,
        "max_mb": float(settings.max_file_mb),
        "check": bool(settings.validate),
        "limits": ReadLimits.from_settings(settings),
        "originals": str(DataDir(settings.data_path).originals_dir),
    }
    # progress counts pages, so that a 100-page PDF weighs what it costs
    weights = {rel: page_weight(path) for rel, path, _ in todo}
    total, done = sum(weights.values()), 0
    batches = [todo[i : i + VALIDATE_BATCH] for i in range(0, len(todo), VALIDATE_BATCH)]
    workers = default_workers(workers)
    if tasks is None and (workers <= 1 or len(todo) < PARALLEL_MIN_DOCS):
        for batch in batches:
            for r in process_batch(batch, **kwargs):
                done += weights[r.rel]
                _emit(progress, "extract", done, total, r.rel)
                yield r
        return
    with ExitStack() as stack:
        if tasks is None:
            tasks = stack.enter_context(open_tasks(settings, workers=workers, inherited=inherited))
        pool = tasks.executor
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
                    done += weights[r.rel]
                    _emit(progress, "extract", done, total, r.rel)
                    yield r
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(pool.submit(process_batch, nxt, **kwargs))


def default_workers(workers: int | None) -> int:
    """Worker processes when not given: the CPUs, at most 8."""
    return workers if workers is not None else min(os.cpu_count() or 1, 8)


def process_batch(
    items: list[WorkItem],
    *,
    base_iri: str,
    max_mb: float,
    check: bool,
    limits: ReadLimits | None = None,
    originals: str | None = None,
) -> list[DocResult]:
    """Extract, map and validate a batch of ``(rel, path, document id)``; one result each.

    With ``originals`` (a folder), each source read is also kept there under its SHA-256."""
    results: list[DocResult] = []
    graphs: dict[str, Graph] = {}
    for rel, path, doc in items:
        result, graph = _extract_and_map(
            rel, path, doc, base_iri=base_iri, max_mb=max_mb, limits=limits, originals=originals
        )
        results.append(result)
        if graph is not None:
            graphs[rel] = graph
    if check:
        validate_batch(results, graphs)
    return results


def _extract_and_map(
    rel: str,
    path: str,
    doc: str,
    *,
    base_iri: str,
    max_mb: float,
    limits: ReadLimits | None = None,
    originals: str | None = None,
) -> tuple[DocResult, Graph | None]:
    try:
        ex = extract_file(path, max_mb=max_mb, limits=limits)
        if originals is not None and ex.masked:
            # the original still holds the personnummer the text masks: not kept, not served
            withhold_original(Path(originals), sha256=ex.sha256)
        elif originals is not None:
            keep_original(
                Path(path), Path(originals), sha256=ex.sha256, media_type=ex.media_type, rel=rel, max_mb=max_mb
            )
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
        return DocResult(rel, doc, False, message=getattr(exc, "problem", None) or str(exc)), None
    except SyntaxError as exc:  # pyoxigraph refused a term
        return DocResult(rel, doc, False, message=f"graph has a term the store refuses: {exc}"), None
    result = DocResult(
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
    return result, graph


def keep_original(
    path: Path, folder: Path, *, sha256: str, media_type: str, rel: str, max_mb: float
) -> Path:
    """Copy a source into the originals folder under its digest (once: content-addressed).

    A file that changed since it was read fails its document, so the copy is always
    the bytes the graph was built from."""
    target = DataDir(folder.parent).original_file(sha256, ORIGINAL_SUFFIXES[media_type])
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        data = read_bytes(path, max_mb=max_mb)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SourceError(rel, "the file changed while it was built; build again")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def withhold_original(folder: Path, *, sha256: str) -> Path:
    """Mark a source's original as withheld (it names a personnummer): no copy is kept,
    and ``keep_missing_originals`` leaves it so."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = DataDir(folder.parent).withheld_marker(sha256)
    marker.touch()
    for old in folder.glob(f"{sha256}.*"):
        if old != marker:
            old.unlink(missing_ok=True)  # kept by an earlier build, before masking
    return marker


def keep_missing_originals(corpus: Path, manifest: Manifest, *, data: DataDir, max_mb: float) -> None:
    """Keep the original of every built source that has none yet (built before
    originals were kept, or its copy was removed); a source that changed is left
    for the next build."""
    for rel, entry in manifest.sources.items():
        path = corpus / rel
        try:
            head = path.open("rb").read(4096)
            reader, _ = reader_for(path, head)
            if data.original_file(entry.sha256, reader.suffixes[0]).exists():
                continue
            if data.withheld_marker(entry.sha256).exists():
                continue
            keep_original(
                path, data.originals_dir, sha256=entry.sha256, media_type=reader.media_type, rel=rel, max_mb=max_mb
            )
        except (OSError, SourceError, ValueError) as exc:
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise
            continue


def validate_batch(results: list[DocResult], graphs: dict[str, Graph]) -> None:
    """Mark the results whose graph (``graphs``, by rel) does not satisfy the shapes as failed.

    Runs inside ``process_batch``, in the worker: validation is the costly part of a
    document, and the parsed graphs are there.
    """
    bad = failures(graphs)
    for r in results:
        if r.ok and r.rel in bad:
            r.ok, r.nquads, r.triples = False, None, 0
            r.message = f"graph does not satisfy ontology/shapes.ttl: {bad[r.rel]}"


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


def chunks_jsonl(ex: Extraction) -> bytes:
    """The search passages of one extraction as JSON lines."""
    return b"".join(
        (json.dumps(asdict(c), ensure_ascii=False) + "\n").encode("utf-8") for c in make_chunks(ex)
    )


# --- 4. graph files ---------------------------------------------------------------------


@dataclass
class Written:
    """Step 4's answer: manifest entries, failures and outcomes of the extracted sources."""

    entries: dict[str, GraphEntry] = field(default_factory=dict)  # rel -> entry
    failures: dict[str, str] = field(default_factory=dict)  # rel -> problem (no graph kept)
    outcomes: dict[str, SourceOutcome] = field(default_factory=dict)
    changed_graphs: set[str] = field(default_factory=set)  # differ from the serving store
    passages_changed: bool = False  # some document's search passages changed


def write_graph_files(
    results: Iterable[DocResult], *, data: DataDir, old: Manifest, full: bool
) -> Written:
    """Write each new graph file and passages file; a failed document keeps its previous graph."""
    out = Written()
    for r in results:
        previous = old.sources.get(r.rel)
        if not r.ok:
            kept = (
                previous is not None
                and previous.document == r.document
                and _file_matches(data, previous)
            )
            if kept:
                out.entries[r.rel] = GraphEntry(
                    **{**previous.__dict__, "status": "stale", "problem": r.message}
                )
                out.outcomes[r.rel] = SourceOutcome(
                    r.rel, "failed", previous.triples, f"{r.message} (previous graph kept)"
                )
            else:
                out.failures[r.rel] = r.message or "failed"
                out.outcomes[r.rel] = SourceOutcome(r.rel, "failed", message=r.message)
            continue
        assert r.nquads is not None and r.graph is not None
        path = data.graph_file(r.document)
        file = path.relative_to(data.path).as_posix()
        # Identical bytes prove an unchanged graph only if the file on disk is the one
        # the serving store was built from (not one left by a build that crashed).
        committed = (
            previous is not None
            and previous.graph == r.graph
            and previous.file == file
            and _file_matches(data, previous)
        )
        written = _write_if_changed(path, r.nquads)
        if _write_if_changed(data.chunks_file(r.document), r.chunks or b""):
            out.passages_changed = True
        st = path.stat()
        out.entries[r.rel] = GraphEntry(
            source=r.rel,
            document=r.document,
            graph=r.graph,
            file=file,
            sha256=r.sha256 or "",
            extractor_version=r.extractor_version or EXTRACTOR_VERSION,
            triples=r.triples,
            file_size=st.st_size,
            file_mtime_ns=st.st_mtime_ns,
        )
        if written or not committed or full:
            out.changed_graphs.add(r.graph)
        out.outcomes[r.rel] = SourceOutcome(r.rel, "updated" if previous else "added", r.triples)
        r.nquads = None  # the bytes are on disk; do not hold them until the build ends
    return out


def _write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` unless the file already holds exactly these bytes; True if written."""
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, content)
    return True


# --- 5. removed sources -------------------------------------------------------------------


def removed_sources(
    old: Manifest, new: Manifest, *, reported: Collection[str]
) -> tuple[dict[str, SourceOutcome], set[str]]:
    """Outcomes of sources gone from the corpus, and the graphs that go with them.

    A graph stays if another source now owns it; a source already ``reported``
    (refused this time, say) gets no "removed" outcome.
    """
    kept_graphs = {e.graph for e in new.sources.values()}
    outcomes: dict[str, SourceOutcome] = {}
    dropped: set[str] = set()
    for rel, entry in old.sources.items():
        if rel not in new.sources:
            if rel not in reported:
                outcomes[rel] = SourceOutcome(rel, "removed", entry.triples)
            if entry.graph not in kept_graphs:
                dropped.add(entry.graph)
    return outcomes, dropped


# --- 6. the ontology graph ------------------------------------------------------------------


def write_ontology_graph(data: DataDir, *, old: Manifest, full: bool) -> dict[str, object] | None:
    """Write the ontology's graph file if the ontology changed; its new manifest entry, or None."""
    fingerprint = onto.fingerprint()
    changed = (
        full
        or old.ontology is None
        or old.ontology.get("fingerprint") != fingerprint
        or not data.ontology_file.exists()
    )
    if not changed:
        return None
    iri = str(onto.ontology_iri())
    nquads, n = graph_nquads(iri, onto.ontology())
    _write_if_changed(data.ontology_file, nquads)
    return {"graph": iri, "file": data.ontology_file.name, "triples": n, "fingerprint": fingerprint}


# --- 7. search index -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndexResult:
    """Step 7's answer: the new index folder's name, its passages, how many were embedded
    and how many are boilerplate (no vector)."""

    name: str
    chunks: int
    embedded: int
    skipped: int


def _index_usable(data: DataDir, name: str | None, *, settings: Settings) -> bool:
    """The serving index folder exists, is partitioned as the settings say, and its vectors
    are in the configured model's vector space."""
    return name is not None and index_accepts(
        data.index_path(name), model=settings.embedding_model, scheme=settings.index_partitions
    )


def build_search_index(
    data: DataDir,
    *,
    old: Manifest,
    new: Manifest,
    settings: Settings,
    progress: ProgressFn | None,
    tasks: Tasks | None = None,
) -> IndexResult:
    """Build ``index-<n>`` from the chunk files of ``new``; vectors of unchanged passages are
    reused, new ones embedded here or, given ``tasks``, as tasks of the cluster."""
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

    write = build_partitioned_index if check_scheme(settings.index_partitions) else build_index_from_chunks
    how = {"model": settings.embedding_model, "kind": "passage", "cache": settings.embedding_cache}
    result = write(
        chunks, data.index_path(name), model=settings.embedding_model,
        previous=previous if previous and previous.is_dir() else None, progress=on_embed,
        embed_map=(
            partial(map, partial(embed, **how)) if tasks is None else partial(tasks.map_in_order, embed, **how)
        ),
    )
    return IndexResult(name, result.chunks, result.embedded, result.skipped)


# --- 8. store generation ------------------------------------------------------------------


@dataclass(frozen=True)
class Commit:
    """Step 8's answer: whether a generation was made, how, and old ones readers still hold."""

    committed: bool = False
    incremental: bool = False
    generations_in_use: list[str] = field(default_factory=list)


def commit_generation(
    data: DataDir,
    *,
    old: Manifest,
    new: Manifest,
    changed_graphs: set[str],
    ontology_changed: bool,
    full: bool,
    progress: ProgressFn | None,
) -> Commit:
    """Make and commit a new generation if any graph changed; else write at most the manifest."""
    # The old generation is a base only where this build writes: the same server, or a
    # generation folder that is still there (a manifest from before ``location``
    # was recorded had its generations in the data directory).
    moved = (old.location or str(data.path)) != data.store_location
    base_missing = (
        old.store is None
        or moved
        or (data.remote is None and not data.generation_path(old.store).is_dir())
    )
    if not (changed_graphs or ontology_changed or base_missing):
        if json.dumps(new.to_json(), sort_keys=True) != json.dumps(old.to_json(), sort_keys=True):
            new.store = old.store
            data.write_manifest(new)  # statuses, hashes or the index changed; the store did not
            if new.store and new.index != data.serving().index:
                data.switch(new.store, new.index)
        return Commit()
    base = None if base_missing else old.store
    changed_triples = sum(e.triples for e in new.sources.values() if e.graph in changed_graphs)
    incremental = (
        base is not None
        and not full
        and changed_triples <= INCREMENTAL_MAX_SHARE * max(new.triples, 1)
    )
    if data.remote is not None:
        # A server keeps what it holds: send only the changed graphs, unless the
        # build is full or the server is new to this data directory, when every graph
        # goes and the document graphs not sent are dropped.
        incremental = not (full or base_missing)
        drop_prefix = None if incremental else namespace("graph", base=str(new.graph_settings["base_iri"]))
    else:
        drop_prefix = None
    with data.begin_generation(base=base if incremental else None, drop_prefix=drop_prefix) as gen:
        if incremental:
            steps = len(changed_graphs) + (1 if ontology_changed else 0)
            if ontology_changed and old.ontology:
                gen.remove_graph(old.ontology["graph"])
            for iri in sorted(changed_graphs):
                gen.remove_graph(iri)
            by_graph = {e.graph: e for e in new.sources.values()}
            files = [
                data.path / by_graph[iri].file for iri in sorted(changed_graphs) if iri in by_graph
            ]
            if ontology_changed:
                files.append(data.ontology_file)
            # One bulk load for all changed graphs: the generation is private until
            # commit, so the bulk loader's lack of a transaction costs nothing.
            gen.bulk_load_files(files)
            _emit(progress, "store", steps, steps)
        else:
            if data.remote is not None and not moved and old.ontology:
                gen.remove_graph(old.ontology["graph"])  # the server still holds it
            files = [data.path / e.file for e in new.sources.values()]
            files.append(data.ontology_file)
            _emit(progress, "store", 0, 1)
            gen.bulk_load_files(files)
            _emit(progress, "store", 1, 1)
        # On a server, the one update that makes the graphs visible; the dumps are read
        # from what it then holds.  The dumps are part of the generation: written
        # before CURRENT names it.
        gen.publish()
        write_dumps(data, gen.name, store=gen.store, manifest=new)
        in_use = gen.commit(new)
    return Commit(committed=True, incremental=incremental, generations_in_use=in_use)


# --- 9. sweep -------------------------------------------------------------------------------


def sweep(data: DataDir, manifest: Manifest, *, graph_files: bool) -> None:
    """Delete index folders ``manifest`` does not name, dumps of generations no longer on
    disk and, if ``graph_files``, graph, passage and original files no entry refers to
    (removed sources, crashed builds)."""
    remove_other_dumps(data, keep=set(data.generations()) | {n for n in (data.current(),) if n})
    # The served index stays even when the manifest names another: a crash between the
    # manifest and CURRENT leaves the previous pair serving until the next build.
    keep = {manifest.index, data.serving().index}
    for path in data.path.glob("index-*"):
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    if not graph_files:
        return
    if data.originals_dir.is_dir():
        keep_digests = {e.sha256 for e in manifest.sources.values()}
        for path in data.originals_dir.iterdir():
            if path.name.split(".", 1)[0] not in keep_digests or path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)
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


def _emit(
    progress: ProgressFn | None, stage: str, done: int, total: int, source: str | None = None
) -> None:
    if progress is not None:
        progress(BuildEvent(stage, done, total, source))


__all__ = [
    "BuildEvent",
    "BuildReport",
    "ProgressFn",
    "SourceOutcome",
    "build",
    "chunks_jsonl",
    "graph_settings",
    "list_sources",
]
