"""Bounded load test of the web app on 127.0.0.1, and SPARQL latency against naive rdflib.

    python benchmarks/bench_web.py                        # 5 documents, 20 clients, 20 s
    python benchmarks/bench_web.py --copies 20            # 100 documents
    python benchmarks/bench_web.py --clients 50 --seconds 60 --sparql-seconds 20

Steps:

1. build ``--corpus`` (default ``corpus/``) into a temporary data folder with
   ``beslutsgraf build``; ``--copies N`` writes the documents N times (copy 0 under
   the original names, copies 1.. as ``kNN_<stem>.txt`` with other case serials,
   shifted dates and a copy marker, as ``bench_build.py`` does), so the graph is N
   times bigger.  ``--data-dir`` reuses an already built folder instead.
2. start ``beslutsgraf serve`` on a free port of 127.0.0.1 (its stderr goes to
   ``benchmarks/out/bench_web-<time>/server.log``);
3. warm up (one request of each kind; the first search loads the model), then run
   ``--clients`` concurrent clients (asyncio + httpx, keep-alive) for ``--seconds``;
   each request is drawn from a weighted mix: search API, search page, SPARQL SELECT
   (``SPARQL_QUERIES``), document page, case page, lineage API;
4. print requests/s, p50/p95/p99 latency overall and per kind, and the errors
   (non-2xx or exceptions; the target is zero), each failed request with its
   status, body and the server log;
5. run only the SPARQL mix, with the same clients, for ``--sparql-seconds`` against
   the server's ``/sparql`` (Oxigraph, pooled worker processes) and then against a
   naive server: the same quads (``graphs/*.nq`` + ``ontology.nq``) in an in-memory
   rdflib ``Dataset(default_union=True)`` behind a FastAPI/uvicorn app whose
   ``GET /sparql`` answers ``graph.query(q).serialize(format="json")``.  Both tables
   are printed side by side, with each query's row count on both sides.

Only 127.0.0.1 is ever contacted (``--host`` refuses anything else).  All
subprocesses are started in their own process group and killed at the end, also on
error or Ctrl-C.  Client and server share the machine's CPUs, so figures are for
this machine as a whole, not the server alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
OUT = REPO / "benchmarks" / "out"
HOST = "127.0.0.1"

_CASE = re.compile(r"\b([A-ZÅÄÖ]{2,6}[-–])(\d{4})([-–])(\d{1,6})\b")
_DATE = re.compile(r"\b(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")

PREFIXES = """PREFIX bg:   <https://beslutsgraf.se/ontology#>
PREFIX oa:   <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# Realistic SELECTs: what a user of the endpoint asks.  Two are the shipped examples.
SPARQL_QUERIES: dict[str, str] = {
    "docs_with_cases": PREFIXES + """
SELECT DISTINCT ?document ?title ?date ?caseNumber WHERE {
  ?document a bg:Document ; bg:case ?case .
  ?case bg:caseNumber ?caseNumber .
  OPTIONAL { ?document bg:title ?title }
  OPTIONAL { ?document bg:date ?date }
}
ORDER BY ?date ?document
LIMIT 200""",
    "recs_to_body": (REPO / "ontology" / "queries" / "recommendations_to_body.rq").read_text(
        encoding="utf-8"
    ),
    "docs_citing_case": (REPO / "ontology" / "queries" / "documents_citing_case.rq").read_text(
        encoding="utf-8"
    ),
    "count_by_type": PREFIXES + """
SELECT ?type (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?type }
GROUP BY ?type ORDER BY DESC(?n)""",
    "count_docs": PREFIXES + """
SELECT (COUNT(DISTINCT ?d) AS ?documents) WHERE { ?d a bg:Document }""",
}

# kind -> weight in the mixed load
MIX = {
    "search_api": 3,
    "search_page": 2,
    "sparql": 3,
    "doc_page": 2,
    "case_page": 1,
    "body_page": 1,
    "lineage_api": 1,
}
SPARQL_ACCEPT = {"Accept": "application/sparql-results+json"}
HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
JSON_ACCEPT = {"Accept": "application/json"}


# --- corpus ------------------------------------------------------------------------------


def vary(text: str, i: int) -> str:
    """Copy ``i`` of a document: other case serials, dates shifted within the month, a marker."""
    text = _CASE.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{int(m[4]) + 7 * i}", text)
    text = _DATE.sub(lambda m: f"{m[1]}-{m[2]}-{(int(m[3]) - 1 + i) % 28 + 1:02d}", text)
    return text + f"\n\nKopia {i}.\n"


def replicate(source: Path, copies: int, target: Path) -> int:
    """Copy 0 verbatim under the original names, copies 1.. varied under new names."""
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in source.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())
    n = 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        (target / p.name).write_text(text, encoding="utf-8")
        n += 1
        for i in range(1, copies):
            (target / f"k{i:02d}_{p.name}").write_text(vary(text, i), encoding="utf-8")
            n += 1
    return n


# --- subprocesses ------------------------------------------------------------------------


class Procs:
    """Subprocesses started in their own process group; ``stop_all`` kills each group."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, cmd: list[str], log: Path) -> subprocess.Popen:
        fh = open(log, "wb")  # noqa: SIM115 -- closed with the process
        proc = subprocess.Popen(
            cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        proc._bench_log = fh  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the group we created: server + its workers
            except ProcessLookupError:
                pass
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        try:  # leftovers of the group (forkserver, pool workers) even if the leader is gone
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        proc._bench_log.close()  # type: ignore[attr-defined]
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self.procs):
            self.stop(proc)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_ready(proc: subprocess.Popen, url: str, log: Path, timeout: float) -> float:
    import httpx

    t = time.perf_counter()
    while time.perf_counter() - t < timeout:
        if proc.poll() is not None:
            sys.exit(f"{url}: the server exited with {proc.returncode}:\n{tail(log)}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return time.perf_counter() - t
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    sys.exit(f"{url}: not ready after {timeout:g} s:\n{tail(log)}")


def tail(path: Path, n: int = 60) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


# --- the naive rdflib server (runs in a subprocess: --rdflib-server) ---------------------


def rdflib_server(port: int, data_dir: Path) -> None:
    import uvicorn
    from fastapi import FastAPI, Query
    from fastapi.responses import Response
    from rdflib import Dataset

    t = time.perf_counter()
    ds = Dataset(default_union=True)
    files = sorted((data_dir / "graphs").glob("*.nq"))
    if (data_dir / "ontology.nq").exists():
        files.append(data_dir / "ontology.nq")
    for f in files:
        ds.parse(f, format="nquads")
    info = {"files": len(files), "quads": sum(1 for _ in ds.quads()), "load_s": time.perf_counter() - t}
    print(json.dumps(info), flush=True)

    app = FastAPI()

    @app.get("/health")
    def health() -> dict:
        return info

    @app.get("/sparql")
    def sparql(query: str = Query(...)) -> Response:  # a sync view: uvicorn's thread pool
        body = ds.query(query).serialize(format="json")
        return Response(body, media_type="application/sparql-results+json")

    uvicorn.run(app, host=HOST, port=port, log_level="warning")


# --- load --------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    status: int | None
    url: str
    error: str = ""


@dataclass
class Run:
    name: str
    clients: int
    elapsed: float
    samples: list[Sample] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Sample]]:
        out: dict[str, list[Sample]] = {}
        for s in self.samples:
            out.setdefault(s.kind, []).append(s)
        return dict(sorted(out.items()))


@dataclass
class Targets:
    queries: list[str]
    docs: list[str]  # document ids
    cases: list[tuple[str, str]]  # (path under /id/arende/, case number)
    bodies: list[str] = field(default_factory=list)  # paths of body pages

    def pick(self, kind: str, rng: random.Random) -> tuple[str, dict[str, str]]:
        if kind == "search_api":
            return f"/api/search?q={quote(rng.choice(self.queries))}", JSON_ACCEPT
        if kind == "search_page":
            return f"/sok?q={quote(rng.choice(self.queries))}", HTML_ACCEPT
        if kind == "doc_page":
            return f"/id/dokument/{quote(rng.choice(self.docs))}", HTML_ACCEPT
        if kind == "case_page":
            return rng.choice(self.cases)[0], HTML_ACCEPT
        if kind == "body_page":
            return rng.choice(self.bodies), HTML_ACCEPT
        if kind == "lineage_api":
            return f"/api/lineage?id={quote(rng.choice(self.cases)[1])}", JSON_ACCEPT
        raise ValueError(kind)


def sparql_url(query: str) -> str:
    return "/sparql?query=" + quote(query)


async def load(
    base: str, clients: int, seconds: float, choose, seed: int, timeout: float, name: str
) -> Run:
    """``clients`` tasks, each sending one request at a time until ``seconds`` have passed."""
    import httpx

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    samples: list[Sample] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        deadline = time.perf_counter() + seconds

        async def worker(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            while time.perf_counter() < deadline:
                kind, url, headers = choose(rng)
                t = time.perf_counter()
                try:
                    r = await client.get(url, headers=headers)
                    ms = (time.perf_counter() - t) * 1000
                    ok = 200 <= r.status_code < 300
                    samples.append(
                        Sample(kind, ms, ok, r.status_code, url, "" if ok else r.text[:500])
                    )
                except Exception as exc:  # noqa: BLE001 -- every failure is counted
                    ms = (time.perf_counter() - t) * 1000
                    samples.append(Sample(kind, ms, False, None, url, f"{type(exc).__name__}: {exc}"))

        start = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - start
    return Run(name, clients, elapsed, samples)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    v = sorted(values)
    k = max(0, min(len(v) - 1, math.ceil(q / 100 * len(v)) - 1))
    return v[k]


def stats(samples: list[Sample], elapsed: float) -> dict[str, float]:
    ms = [s.ms for s in samples]
    return {
        "n": len(samples),
        "rps": len(samples) / elapsed if elapsed else 0.0,
        "p50": pct(ms, 50),
        "p95": pct(ms, 95),
        "p99": pct(ms, 99),
        "max": max(ms) if ms else float("nan"),
        "errors": sum(not s.ok for s in samples),
    }


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, row in enumerate(rows):
        out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def run_table(run: Run) -> str:
    rows = [["kind", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]]
    groups = list(run.by_kind().items()) + [("ALL", run.samples)]
    for kind, samples in groups:
        s = stats(samples, run.elapsed)
        rows.append([
            kind, f"{s['n']:,}", f"{s['rps']:.1f}", f"{s['p50']:.1f}", f"{s['p95']:.1f}",
            f"{s['p99']:.1f}", f"{s['max']:.0f}", str(s["errors"]),
        ])
    return table(rows)


def side_by_side(a: Run, b: Run, rows_a: dict[str, int], rows_b: dict[str, int]) -> str:
    head = ["query", "rows ox/rdflib"]
    for label in ("oxigraph", "rdflib"):
        head += [f"{label} p50", "p95", "p99"]
    head += ["p50 rdflib/ox"]
    rows = [head]
    ka, kb = a.by_kind(), b.by_kind()
    for kind in list(SPARQL_QUERIES) + ["ALL"]:
        sa = stats(a.samples if kind == "ALL" else ka.get(kind, []), a.elapsed)
        sb = stats(b.samples if kind == "ALL" else kb.get(kind, []), b.elapsed)
        counts = "" if kind == "ALL" else f"{rows_a.get(kind, '?')}/{rows_b.get(kind, '?')}"
        ratio = sb["p50"] / sa["p50"] if sa["p50"] else float("nan")
        rows.append([
            kind, counts,
            f"{sa['p50']:.1f}", f"{sa['p95']:.1f}", f"{sa['p99']:.1f}",
            f"{sb['p50']:.1f}", f"{sb['p95']:.1f}", f"{sb['p99']:.1f}",
            f"{ratio:.2f}x",
        ])
    sa, sb = stats(a.samples, a.elapsed), stats(b.samples, b.elapsed)
    return (
        table(rows)
        + f"\nreq/s: oxigraph {sa['rps']:.1f} ({sa['n']:,} requests, {sa['errors']} errors), "
        f"rdflib {sb['rps']:.1f} ({sb['n']:,} requests, {sb['errors']} errors); latencies in ms"
    )


def report_errors(runs: list[Run], logs: dict[str, Path], out_dir: Path) -> int:
    failed = [(r.name, s) for r in runs for s in r.samples if not s.ok]
    if not failed:
        return 0
    path = out_dir / "errors.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for name, s in failed:
            fh.write(json.dumps({"run": name, **s.__dict__}, ensure_ascii=False) + "\n")
    print(f"\n!! {len(failed)} failed requests (all in {path.relative_to(REPO)}); distinct ones:")
    seen: dict[tuple, int] = {}
    for name, s in failed:
        key = (name, s.kind, s.status, s.error[:120])
        seen[key] = seen.get(key, 0) + 1
    for (name, kind, status, err), n in sorted(seen.items(), key=lambda kv: -kv[1])[:15]:
        example = next(s for rn, s in failed if (rn, s.kind, s.status, s.error[:120]) == (name, kind, status, err))
        print(f"  [{name}] {kind} x{n}: status {status}: {example.url[:160]}\n      {err}")
    for label, log in logs.items():
        print(f"\n-- last lines of {label} log ({log.relative_to(REPO)}):\n{tail(log, 80)}")
    return len(failed)


# --- main --------------------------------------------------------------------------------


def discover(base: str) -> Targets:
    """Document ids and cases from the API; search queries from tests/eval/queries.jsonl."""
    import httpx

    def pages(path: str) -> list[dict]:
        items: list[dict] = []
        while True:
            r = httpx.get(f"{base}{path}?limit=200&offset={len(items)}", timeout=60)
            r.raise_for_status()
            data = r.json()
            items += data["items"]
            if not data["items"] or len(items) >= data["total"]:
                return items

    docs = [d["id"] for d in pages("/api/documents")]
    cases = [
        (urlsplit(c["iri"]).path, c["number"]) for c in pages("/api/cases") if c.get("documents")
    ]
    queries = [
        json.loads(line)["query"]
        for line in (REPO / "tests/eval/queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    bodies = [urlsplit(b["iri"]).path for b in pages("/api/bodies")]
    return Targets(queries, docs, cases, bodies)


def distinct_urls(targets: Targets) -> int:
    """How many different URLs the mixed load can ask for."""
    searches = 2 * len(targets.queries)  # the API and the page
    return searches + len(SPARQL_QUERIES) + len(targets.docs) + 2 * len(targets.cases) + len(targets.bodies)


def server_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the SPARQL workers), MB."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total / 1024


def sparql_rows(base: str) -> dict[str, int]:
    """Each SPARQL query once: its number of result rows (or -status on failure)."""
    import httpx

    out = {}
    for name, q in SPARQL_QUERIES.items():
        r = httpx.get(base + sparql_url(q), headers=SPARQL_ACCEPT, timeout=120)
        out[name] = len(r.json()["results"]["bindings"]) if r.status_code == 200 else -r.status_code
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default=HOST, help="must be 127.0.0.1 (anything else is refused)")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="source documents (default corpus/)")
    ap.add_argument("--copies", type=int, default=1, help="write each document N times (default 1)")
    ap.add_argument("--data-dir", type=Path, help="use this built data folder; skip the build")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    ap.add_argument("--seconds", type=float, default=20.0, help="mixed load duration (default 20)")
    ap.add_argument("--sparql-seconds", type=float, default=10.0, help="SPARQL-only duration per engine (default 10)")
    ap.add_argument("--sparql-workers", type=int, default=2, help="serve --sparql-workers (default 2, as serve)")
    ap.add_argument("--timeout", type=float, default=60.0, help="client timeout per request, s")
    ap.add_argument(
        "--skip-queries", default="",
        help=f"comma-separated SPARQL queries to leave out of the mix ({', '.join(SPARQL_QUERIES)})",
    )
    ap.add_argument("--no-rdflib", action="store_true", help="skip the rdflib comparison")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    ap.add_argument("--rdflib-server", type=int, help=argparse.SUPPRESS)  # port: run the naive server
    args = ap.parse_args()

    if args.rdflib_server is not None:
        rdflib_server(args.rdflib_server, args.data_dir)
        return
    if args.host != HOST:
        sys.exit(f"refused: --host {args.host!r}; this benchmark only ever talks to {HOST}")
    if args.copies < 1 or args.clients < 1 or args.seconds <= 0 or args.sparql_seconds <= 0:
        sys.exit("--copies and --clients must be >= 1, durations > 0")

    for name in filter(None, args.skip_queries.split(",")):
        if SPARQL_QUERIES.pop(name, None) is None:
            sys.exit(f"--skip-queries: no query {name!r}")
    if not SPARQL_QUERIES:
        sys.exit("--skip-queries left no SPARQL query")

    out_dir = OUT / time.strftime("bench_web-%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    procs = Procs()
    tmp = None

    def on_signal(signum, _frame):  # make SIGTERM run the finally below
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    exe = shutil.which("beslutsgraf") or sys.exit("beslutsgraf is not on PATH (activate the venv)")
    try:
        info: dict[str, object] = {
            "copies": args.copies, "clients": args.clients, "seconds": args.seconds,
            "sparql_seconds": args.sparql_seconds, "cpus": os.cpu_count(),
            "python": platform.python_version(),
        }
        # 1. build
        if args.data_dir:
            data_dir = args.data_dir.resolve()
            manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
            info["documents"] = len(manifest["sources"])
            info["triples"] = sum(e["triples"] for e in manifest["sources"].values()) + (
                (manifest.get("ontology") or {}).get("triples", 0)
            )
        else:
            tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
            corpus = tmp / "corpus"
            info["documents"] = replicate(args.corpus, args.copies, corpus)
            data_dir = tmp / "data"
            print(f"building {info['documents']} documents into {data_dir} ...", file=sys.stderr, flush=True)
            t = time.perf_counter()
            proc = subprocess.run(
                [exe, "build", str(corpus), "--data-dir", str(data_dir), "--quiet"],
                capture_output=True, text=True, check=False,
            )
            info["build_s"] = time.perf_counter() - t
            (out_dir / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
            if proc.returncode != 0:
                sys.exit(f"build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
            m = re.search(r"triples: ([\d,]+)", proc.stdout)
            info["triples"] = int(m[1].replace(",", "")) if m else None

        # 2. serve
        port = free_port()
        base = f"http://{HOST}:{port}"
        server_log = out_dir / "server.log"
        server = procs.start(
            [exe, "serve", "--host", HOST, "--port", str(port), "--data-dir", str(data_dir),
             "--sparql-workers", str(args.sparql_workers)],
            server_log,
        )
        info["server_start_s"] = wait_ready(server, f"{base}/api/documents?limit=1", server_log, 180)
        targets = discover(base)
        info["targets"] = {
            "documents": len(targets.docs), "cases": len(targets.cases), "bodies": len(targets.bodies),
            "distinct_urls": distinct_urls(targets),
        }
        print(
            f"server on {base} ({len(targets.docs)} documents, {len(targets.cases)} cases with documents)",
            file=sys.stderr, flush=True,
        )

        # 3. warm-up: one of each kind, sequential (the first search loads the model)
        warm = random.Random(0)
        warm_samples: list[Sample] = []
        import httpx

        for kind in MIX:
            if kind == "sparql":
                for name, q in SPARQL_QUERIES.items():
                    url, headers, k = sparql_url(q), SPARQL_ACCEPT, name
                    t = time.perf_counter()
                    r = httpx.get(base + url, headers=headers, timeout=120)
                    warm_samples.append(Sample(f"sparql:{k}", (time.perf_counter() - t) * 1000, r.is_success, r.status_code, url, "" if r.is_success else r.text[:500]))
                continue
            url, headers = targets.pick(kind, warm)
            t = time.perf_counter()
            r = httpx.get(base + url, headers=headers, timeout=120)
            warm_samples.append(Sample(kind, (time.perf_counter() - t) * 1000, r.is_success, r.status_code, url, "" if r.is_success else r.text[:500]))
        warm_run = Run("warm-up", 1, sum(s.ms for s in warm_samples) / 1000, warm_samples)

        kinds = list(MIX)
        weights = [MIX[k] for k in kinds]
        queries = list(SPARQL_QUERIES.items())

        def choose_mixed(rng: random.Random):
            kind = rng.choices(kinds, weights)[0]
            if kind == "sparql":
                _, q = rng.choice(queries)
                return kind, sparql_url(q), SPARQL_ACCEPT
            url, headers = targets.pick(kind, rng)
            return kind, url, headers

        def choose_sparql(rng: random.Random):
            name, q = rng.choice(queries)
            return name, sparql_url(q), SPARQL_ACCEPT

        print(f"mixed load: {args.clients} clients for {args.seconds:g} s ...", file=sys.stderr, flush=True)
        info["server_rss_mb_before"] = round(server_rss_mb(server.pid), 1)
        mixed = asyncio.run(load(base, args.clients, args.seconds, choose_mixed, args.seed, args.timeout, "mixed"))
        info["server_rss_mb_after"] = round(server_rss_mb(server.pid), 1)
        info["distinct_urls_asked"] = len({s.url for s in mixed.samples})

        # 5. SPARQL only: the server, then naive rdflib
        rows_ox = sparql_rows(base)
        print(f"SPARQL only (oxigraph): {args.sparql_seconds:g} s ...", file=sys.stderr, flush=True)
        sp_ox = asyncio.run(load(base, args.clients, args.sparql_seconds, choose_sparql, args.seed + 1, args.timeout, "sparql-oxigraph"))
        runs = [warm_run, mixed, sp_ox]
        logs = {"beslutsgraf serve": server_log}
        sp_rdf = None
        rows_rdf: dict[str, int] = {}
        if not args.no_rdflib:
            rport = free_port()
            rbase = f"http://{HOST}:{rport}"
            rlog = out_dir / "rdflib-server.log"
            logs["rdflib server"] = rlog
            print("loading the naive rdflib server ...", file=sys.stderr, flush=True)
            rserver = procs.start(
                [sys.executable, __file__, "--rdflib-server", str(rport), "--data-dir", str(data_dir)], rlog
            )
            info["rdflib_start_s"] = wait_ready(rserver, f"{rbase}/health", rlog, 600)
            info["rdflib"] = httpx.get(f"{rbase}/health", timeout=10).json()
            rows_rdf = sparql_rows(rbase)
            print(f"SPARQL only (rdflib): {args.sparql_seconds:g} s ...", file=sys.stderr, flush=True)
            sp_rdf = asyncio.run(load(rbase, args.clients, args.sparql_seconds, choose_sparql, args.seed + 1, args.timeout, "sparql-rdflib"))
            runs.append(sp_rdf)
            procs.stop(rserver)
        procs.stop(server)

        # 4. + 5. report
        print()
        print("== warm-up (sequential, one request each; the first search loads the model)")
        print(run_table(warm_run))
        print(f"\n== mixed load: {args.clients} clients, {mixed.elapsed:.1f} s (weights {MIX})")
        print(run_table(mixed))
        if sp_rdf is not None:
            print(
                f"\n== SPARQL only, {args.clients} clients, {args.sparql_seconds:g} s each: "
                f"beslutsgraf /sparql (Oxigraph, {args.sparql_workers} workers) vs naive rdflib"
            )
            print(side_by_side(sp_ox, sp_rdf, rows_ox, rows_rdf))
        else:
            print(f"\n== SPARQL only (oxigraph), {args.clients} clients")
            print(run_table(sp_ox))
        n_err = report_errors(runs, logs, out_dir)

        ms = stats(mixed.samples, mixed.elapsed)
        so = stats(sp_ox.samples, sp_ox.elapsed)
        summary = [
            (f"bench_web: {info.get('documents', '?')} documents ({args.copies} cop{'y' if args.copies == 1 else 'ies'} of the corpus), "
            f"{info.get('triples') or '?'} triples; {args.clients} clients; {os.cpu_count()} CPUs shared by clients and server"),
            (f"mixed load ({args.seconds:g} s): {ms['rps']:.1f} req/s, p50 {ms['p50']:.0f} ms, "
            f"p95 {ms['p95']:.0f} ms, p99 {ms['p99']:.0f} ms, errors {ms['errors']} of {ms['n']:,}"),
            (f"  over {info['distinct_urls_asked']:,} distinct URLs asked (of {info['targets']['distinct_urls']:,} "
             f"possible); server memory (with SPARQL workers) {info['server_rss_mb_before']:.0f} MB before, "
             f"{info['server_rss_mb_after']:.0f} MB after"),
        ]
        for kind, samples in mixed.by_kind().items():
            s = stats(samples, mixed.elapsed)
            summary.append(
                f"  {kind:<12} {s['n']:>6,} req  p50 {s['p50']:>7.1f}  p95 {s['p95']:>7.1f}  p99 {s['p99']:>7.1f} ms  errors {s['errors']}"
            )
        summary.append(
            f"SPARQL only ({args.sparql_seconds:g} s): oxigraph {so['rps']:.1f} req/s p50/p95/p99 "
            f"{so['p50']:.0f}/{so['p95']:.0f}/{so['p99']:.0f} ms"
        )
        if sp_rdf is not None:
            sr = stats(sp_rdf.samples, sp_rdf.elapsed)
            summary.append(
                f"                    rdflib   {sr['rps']:.1f} req/s p50/p95/p99 "
                f"{sr['p50']:.0f}/{sr['p95']:.0f}/{sr['p99']:.0f} ms "
                f"(loaded {info['rdflib']['quads']:,} quads in {info['rdflib']['load_s']:.1f} s)"
            )
        summary.append(f"errors (non-2xx or exceptions), all runs: {n_err}")
        print("\n== summary (for the README)\n```\n" + "\n".join(summary) + "\n```")

        result = {
            **info,
            "mixed": {k: stats(v, mixed.elapsed) for k, v in [*mixed.by_kind().items(), ("ALL", mixed.samples)]},
            "sparql_oxigraph": {k: stats(v, sp_ox.elapsed) for k, v in [*sp_ox.by_kind().items(), ("ALL", sp_ox.samples)]},
            "sparql_rows": {"oxigraph": rows_ox, "rdflib": rows_rdf},
            "errors": n_err,
        }
        if sp_rdf is not None:
            result["sparql_rdflib"] = {k: stats(v, sp_rdf.elapsed) for k, v in [*sp_rdf.by_kind().items(), ("ALL", sp_rdf.samples)]}
        (out_dir / "results.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(f"\n(logs and results.json in {out_dir.relative_to(REPO)})")
        if n_err:
            sys.exit(1)
    finally:
        procs.stop_all()
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp is not None:
            print(f"kept {tmp}", file=sys.stderr)


if __name__ == "__main__":
    main()
