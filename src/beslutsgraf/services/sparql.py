"""Read-only SPARQL over the serving store, for the CLI and the web.

``run_query`` (1) refuses updates, telling which operation it found, (2) runs
the query in a forked worker process that opens the store read-only and (3)
returns a ``QueryResult`` of plain data that ``format_result`` renders as an
aligned table, SPARQL 1.1 CSV or JSON, or Turtle/N-Triples for graph results.

Why a process.  A pyoxigraph query holds the GIL-free Rust engine until it is
done and has no cancel handle, so a thread cannot stop a runaway query; a
process can be killed.  The worker opens the store itself (``Store.read_only``,
~0.1 s even for 1M triples), so nothing is shared with the caller.

Why updates are refused twice.  The worker only ever calls ``Store.query`` on a
read-only store, which cannot write; the parser check before it exists to give
a clear message (``SPARQL updates are refused: INSERT DATA``) rather than a
syntax error.  It uses rdflib's SPARQL update grammar, so ``DELETE`` in a
comment or a string literal is not mistaken for an update.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..config import Settings
from ..errors import (
    QueryBusy,
    QueryError,
    QueryTimeout,
    ServiceRefused,
    StoreError,
    UpdateRefused,
    WorkerDied,
)
from ..graph.store import DataDir
from .choices import FORMATS, GRAPH_FORMATS

# fork: the worker starts in ~ms with the modules already imported.  A threaded
# caller (a web server) may prefer "forkserver"; run_query takes start_method.
START_METHOD = "fork"

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# rdflib's names for update operations -> the SPARQL keywords a user wrote.
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT … WHERE",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


# --- result data -------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """An RDF term as plain data: kind is "uri", "literal", "bnode" or "triple"."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def to_json(self) -> dict[str, str]:
        """The SPARQL 1.1 JSON results form of the term."""
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype and self.datatype != _XSD_STRING:
            out["datatype"] = self.datatype
        return out

    def to_ox(self) -> Any:
        if self.kind == "uri":
            return ox.NamedNode(self.value)
        if self.kind == "bnode":
            return ox.BlankNode(self.value)
        if self.kind == "literal":
            if self.lang:
                return ox.Literal(self.value, language=self.lang)
            return ox.Literal(self.value, datatype=ox.NamedNode(self.datatype or _XSD_STRING))
        raise QueryError(f"cannot serialize a {self.kind} term as RDF: {self.value}")


@dataclass
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False  # more rows/triples existed than max_rows
    max_rows: int = 0
    seconds: float = 0.0
    generation: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)  # declared in the query

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)


# --- checking ------------------------------------------------------------------------


def refuse_updates(query: str) -> None:
    """Raise ``QueryError`` if ``query`` is empty or a SPARQL update (any operation)."""
    if not re.sub(r"(?m)#.*$", "", query).strip():
        raise QueryError("empty SPARQL query")
    from rdflib.plugins.sparql.parser import parseUpdate  # slow import; only needed here

    try:
        parsed = parseUpdate(query)
    except Exception:  # noqa: BLE001 -- not an update (or not valid at all): the engine says why
        return
    ops = []
    for op in parsed.request or []:
        name = _UPDATE_NAMES.get(op.name, op.name)
        if op.name == "Modify":
            # rdflib's result answers a missing key with the key's name, so ask keys()
            keys = set(op.keys())
            name = "/".join(k.upper() for k in ("delete", "insert") if k in keys) + " … WHERE"
            if "withClause" in keys:
                name = "WITH … " + name
        ops.append(name)
    raise UpdateRefused(
        f"SPARQL updates are refused: {', '.join(ops) or 'update'} (only queries are run)"
    )


def refuse_service(query: str) -> None:
    """Raise ``ServiceRefused`` for a federated query: pyoxigraph would call any URL the
    query names (``SERVICE <http://127.0.0.1:…>``) from this machine and return the reply."""
    if not re.search(r"(?i)\bSERVICE\b", query):
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(query)
    except Exception:  # noqa: BLE001 -- unparsable but mentions SERVICE: refuse to be safe
        raise ServiceRefused("SERVICE (federated queries) is refused by this endpoint") from None
    if "ServiceGraphPattern" in repr(parsed):
        raise ServiceRefused("SERVICE (federated queries) is refused: the endpoint only reads its own graph")


def declared_prefixes(query: str) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations of a query, to shorten IRIs in the output."""
    return {
        m.group(1) or "": m.group(2)
        for m in re.finditer(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>", query)
    }


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a request names through the protocol (``default-graph-uri`` and
    ``named-graph-uri``); it overrides the query's own ``FROM``/``FROM NAMED``."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


# Strings, IRIs and comments, so that a FROM inside them is not taken for a clause.
_LEXICAL_NOISE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_FROM = re.compile(r"(?i)(?<![\w?$:])FROM(?![\w:])")


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED``); outside
    strings, IRIs and comments, and not a variable or prefixed name called ``from``."""
    return bool(_FROM.search(_LEXICAL_NOISE.sub(" ", query)))


# --- running -------------------------------------------------------------------------


def run_query(
    settings: Settings,
    query: str,
    *,
    timeout_s: float | None = None,
    max_rows: int | None = None,
    dataset: Dataset | None = None,
    start_method: str = START_METHOD,
) -> QueryResult:
    """Run a read-only SPARQL query on the serving store, stopping it after ``timeout_s``;
    ``dataset`` (the protocol's graphs) overrides the query's ``FROM`` clauses."""
    timeout_s = float(settings.sparql_timeout_s if timeout_s is None else timeout_s)
    max_rows = int(settings.sparql_max_rows if max_rows is None else max_rows)
    if timeout_s <= 0 or max_rows < 0:
        raise QueryError(f"timeout must be > 0 and max_rows >= 0, got {timeout_s} and {max_rows}")
    refuse_updates(query)
    refuse_service(query)
    data = DataDir.for_settings(settings)
    if data.current() is None:  # fail here, clearly, rather than in the worker
        raise StoreError(f"{data.path}: no graph store yet; run `beslutsgraf build` first")

    ctx = multiprocessing.get_context(start_method)
    receiver, sender = ctx.Pipe(duplex=False)
    started = time.perf_counter()
    worker = ctx.Process(
        target=_worker,
        args=(sender, data, query, max_rows, dataset or Dataset(), _memory_bytes(settings)),
        daemon=True,
    )
    worker.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise QueryTimeout(f"query stopped after {timeout_s:g} s (setting sparql_timeout_s)")
        try:
            status, payload = receiver.recv()
        except EOFError:
            worker.join(1)
            raise WorkerDied(_death(worker.exitcode, settings)) from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receiver.close()
    return _finish(status, payload, query=query, started=started, max_rows=max_rows)


def _finish(status: str, payload: Any, *, query: str, started: float, max_rows: int) -> QueryResult:
    """A worker's answer as a ``QueryResult``, or the error it reports."""
    if status == "syntax":
        raise QueryError(f"malformed SPARQL query: {payload}")
    if status == "store":
        raise StoreError(payload)
    if status != "ok":
        raise QueryError(f"query failed: {payload}")
    result: QueryResult = payload
    result.seconds = time.perf_counter() - started
    result.max_rows = max_rows
    result.prefixes = declared_prefixes(query)
    return result


class QueryPool:
    """Worker processes that keep the serving store open, for a long-running server.

    ``run_query`` starts a process per query, which is fine for the CLI; a web
    server would pay that start on every request.  A pool keeps ``size`` workers,
    each with the store open (reopened when ``CURRENT`` moves); a request borrows
    an idle one.  A query past its time limit gets its worker killed and replaced,
    so a runaway query never holds a worker.  When every worker stays busy longer
    than the time limit, the request fails with a clear "busy" error.
    """

    def __init__(self, settings: Settings, *, size: int = 2, start_method: str = "forkserver") -> None:
        import queue
        import threading

        self.settings = settings
        self.data = DataDir.for_settings(settings)
        self._ctx = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            self._ctx.set_forkserver_preload(["beslutsgraf.services.sparql"])
        self._idle: queue.Queue = queue.Queue()
        self._all: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._idle.put(self._spawn())

    def _spawn(self) -> tuple[Any, Connection]:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=_pool_worker, args=(child, self.data, _memory_bytes(self.settings)), daemon=True
        )
        proc.start()
        child.close()
        with self._lock:
            self._all.add((proc, parent))
        return proc, parent

    def _retire(self, worker: tuple[Any, Connection]) -> None:
        proc, conn = worker
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        conn.close()
        with self._lock:
            self._all.discard(worker)

    def run(
        self,
        query: str,
        *,
        timeout_s: float | None = None,
        max_rows: int | None = None,
        dataset: Dataset | None = None,
    ) -> QueryResult:
        """Like ``run_query``, on a pooled worker."""
        import queue

        timeout_s = float(self.settings.sparql_timeout_s if timeout_s is None else timeout_s)
        max_rows = int(self.settings.sparql_max_rows if max_rows is None else max_rows)
        if timeout_s <= 0 or max_rows < 0:
            raise QueryError(f"timeout must be > 0 and max_rows >= 0, got {timeout_s} and {max_rows}")
        refuse_updates(query)
        refuse_service(query)
        if self.data.current() is None:
            raise StoreError(f"{self.data.path}: no graph store yet; run `beslutsgraf build` first")
        if self._closed:
            raise QueryError("the query pool is closed")
        try:
            worker = self._idle.get(timeout=timeout_s)
        except queue.Empty:
            raise QueryBusy(
                f"all query workers stayed busy for {timeout_s:g} s; try again shortly"
            ) from None
        if not worker[0].is_alive():  # died while idle: replace it before use
            self._retire(worker)
            worker = self._spawn()
        proc, conn = worker
        started = time.perf_counter()
        healthy = False
        try:
            try:
                conn.send((query, max_rows, dataset or Dataset()))
                if not conn.poll(timeout_s):
                    raise QueryTimeout(f"query stopped after {timeout_s:g} s (setting sparql_timeout_s)")
                status, payload = conn.recv()
            except (EOFError, BrokenPipeError, OSError):
                proc.join(1)
                raise WorkerDied(_death(proc.exitcode, self.settings)) from None
            healthy = True
        finally:
            if healthy and proc.is_alive():
                self._idle.put(worker)
            else:
                self._retire(worker)
                if not self._closed:
                    self._idle.put(self._spawn())
        return _finish(status, payload, query=query, started=started, max_rows=max_rows)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for proc, conn in workers:
            try:
                conn.send(None)
            except OSError:
                pass
            proc.join(0.5)
            self._retire((proc, conn))


def _memory_bytes(settings: Settings) -> int:
    return int(float(settings.sparql_memory_mb) * 1024 * 1024)


def _limit_memory(limit_bytes: int) -> None:
    """Cap what this worker's heap may grow by (RLIMIT_DATA: private memory, not the
    store's mapped files): a query that needs more makes the engine abort, and only this
    worker dies.  The cap counts from what the worker already holds, which is much for
    a worker forked from a large process (the test runner, a server with the model)."""
    import resource

    if limit_bytes > 0:
        limit = _data_bytes() + limit_bytes
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        # The engine reports a failed allocation on stderr before it aborts; the
        # client gets the explanation from _death, so keep that noise off the terminal.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def _data_bytes() -> int:
    """This process's data segment (VmData), 0 where /proc does not tell."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _death(exitcode: int | None, settings: Settings) -> str:
    """What to tell the client when a worker died answering its query."""
    if exitcode in (-6, -9, 134, 137):  # abort on a failed allocation, or the OOM killer
        return (
            f"the query needed more than {float(settings.sparql_memory_mb):g} MB "
            "(setting sparql_memory_mb) and was stopped; narrow it (fewer variables unbound, "
            "a GRAPH scope, a LIMIT without ORDER BY)"
        )
    return f"query worker died (exit code {exitcode})"


def _pool_worker(conn: Connection, data: DataDir, memory_bytes: int = 0) -> None:
    """A pooled worker: answer (query, max_rows, dataset) messages until told to stop (None)."""
    from ..graph.store import ServingReader

    _limit_memory(memory_bytes)
    serving = ServingReader(data)
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            query, max_rows, dataset = message
            try:
                conn.send(_answer(serving.get(), query, max_rows, dataset))
            except StoreError as exc:
                conn.send(("store", str(exc)))
            except Exception as exc:  # noqa: BLE001 -- keep serving; the caller gets the text
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        serving.close()
        conn.close()


def _worker(
    conn: Connection, data: DataDir, query: str, max_rows: int, dataset: Dataset, memory_bytes: int
) -> None:
    """In the child: open the store read-only, run the query, send plain data back."""
    _limit_memory(memory_bytes)
    try:
        with data.open_reader() as reader:
            conn.send(_answer(reader, query, max_rows, dataset))
    except StoreError as exc:
        conn.send(("store", str(exc)))
    finally:
        conn.close()


def _dataset_options(query: str, dataset: Dataset) -> dict[str, Any]:
    """How to call the engine for the dataset: the protocol's graphs, else the query's
    ``FROM`` clauses, else (our default) the union of all graphs as the default graph."""
    if dataset:
        # The protocol: no default-graph-uri means an empty default graph, no
        # named-graph-uri no named graphs (SPARQL 1.1 Protocol, 2.1.4).
        return {
            "union": False,
            "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs] or [ox.DefaultGraph()],
            "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs],
        }
    return {"union": not has_dataset_clause(query)}


def _answer(reader: Any, query: str, max_rows: int, dataset: Dataset) -> tuple[str, Any]:
    """(status, payload) for one query on an open reader, as a worker sends it back."""
    try:
        answer = reader.query(query, **_dataset_options(query, dataset))
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except Exception as exc:  # noqa: BLE001 -- any engine error goes back to the caller as text
        return ("error", f"{type(exc).__name__}: {exc}")
    try:
        result = _collect(answer, max_rows)
    except Exception as exc:  # noqa: BLE001 -- errors while iterating the results, likewise
        return ("error", f"{type(exc).__name__}: {exc}")
    result.generation = reader.generation
    return ("ok", result)


def _collect(answer: Any, max_rows: int) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows: list[tuple[Term | None, ...]] = []
        truncated = False
        for solution in answer:
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(
                tuple(_term(solution[v]) if solution[v] is not None else None for v in variables)
            )
        return QueryResult(kind="select", variables=variables, rows=rows, truncated=truncated)
    triples: list[tuple[Term, Term, Term]] = []
    truncated = False
    for triple in answer:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
    return QueryResult(
        kind="graph",
        variables=["subject", "predicate", "object"],
        triples=triples,
        truncated=truncated,
    )


def _term(node: Any) -> Term:
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term("literal", node.value, node.datatype.value, node.language)
    return Term("triple", str(node))  # RDF-star quoted triple, shown in N-Triples form


# --- formatting ----------------------------------------------------------------------


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as ``table``, SPARQL 1.1 ``csv``/``tsv``/``json``/``xml``, or RDF."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt in GRAPH_FORMATS:
        if result.kind != "graph":
            raise QueryError(
                f"format {fmt} needs a CONSTRUCT or DESCRIBE query; use table, csv or json"
            )
        return _rdf(result, fmt)
    if fmt == "json":
        return json.dumps(_json(result), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "xml":
        return _xml(result)
    if result.kind == "graph":
        return _rdf(result, "turtle")
    return _table(result)


def _json(result: QueryResult) -> dict[str, Any]:
    if result.kind == "ask":
        return {"head": {}, "boolean": result.boolean}
    rows = result.triples if result.kind == "graph" else result.rows
    bindings = [
        {var: term.to_json() for var, term in zip(result.variables, row) if term is not None}
        for row in rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def _plain(term: Term | None) -> str:
    """The SPARQL 1.1 CSV form: IRIs and literals bare, blank nodes as ``_:x``."""
    if term is None:
        return ""
    return f"_:{term.value}" if term.kind == "bnode" else term.value


def _csv(result: QueryResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as SPARQL 1.1 CSV asks
    if result.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.triples if result.kind == "graph" else result.rows:
        writer.writerow([_plain(t) for t in row])
    return out.getvalue()


def _nt(term: Term | None) -> str:
    """A term in N-Triples/Turtle syntax, as SPARQL 1.1 TSV writes it."""
    if term is None:
        return ""
    if term.kind in ("uri", "bnode", "literal"):
        return str(term.to_ox())
    return term.value


def _tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.triples if result.kind == "graph" else result.rows:
        lines.append("\t".join(_nt(t) for t in row))
    return "\n".join(lines) + "\n"


def _xml(result: QueryResult) -> str:
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.kind == "ask":
        out += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["</head>", "<results>"]
    for row in result.triples if result.kind == "graph" else result.rows:
        out.append("<result>")
        for var, term in zip(result.variables, row):
            if term is None:
                continue
            if term.kind == "uri":
                inner = f"<uri>{escape(term.value)}</uri>"
            elif term.kind == "bnode":
                inner = f"<bnode>{escape(term.value)}</bnode>"
            elif term.lang:
                inner = f"<literal xml:lang={quoteattr(term.lang)}>{escape(term.value)}</literal>"
            elif term.datatype and term.datatype != _XSD_STRING:
                inner = f"<literal datatype={quoteattr(term.datatype)}>{escape(term.value)}</literal>"
            else:
                inner = f"<literal>{escape(term.value)}</literal>"
            out.append(f"<binding name={quoteattr(var)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _short(term: Term | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        for name, iri in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if (
                iri
                and term.value.startswith(iri)
                and re.fullmatch(r"[\w.-]*", term.value[len(iri) :])
            ):
                return f"{name}:{term.value[len(iri) :]}"
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    text = term.value.replace("\n", "⏎ ")
    return f"{text}@{term.lang}" if term.lang else text


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    header = [f"?{v}" for v in result.variables]
    cells = [[_short(t, result.prefixes) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    n = len(result.rows)
    footer = f"({n} row{'s' if n != 1 else ''}"
    footer += f"; cut at max_rows={result.max_rows})" if result.truncated else ")"
    return "\n".join(lines + [footer]) + "\n"


def _rdf(result: QueryResult, fmt: str) -> str:
    triples = [ox.Triple(s.to_ox(), p.to_ox(), o.to_ox()) for s, p, o in result.triples]
    if fmt == "ntriples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    if fmt == "jsonld":
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD).decode("utf-8")
    if fmt == "rdfxml":
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML).decode("utf-8")
    prefixes = {k: v for k, v in result.prefixes.items() if k}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes or None).decode(
        "utf-8"
    )
