"""Extraction throughput, build time, store figures and peak memory on a replicated corpus.

    python benchmarks/bench_build.py                      # sizes 1000 and 10000
    python benchmarks/bench_build.py --sizes 100,1000 --budget-s 300

``corpus/`` is copied to N documents in a temporary folder; every copy gets other
case-number serials, shifted dates and a copy marker, so no two files hash alike and
the extractor sees as many distinct case numbers as a real archive.  Each size runs
in its own process so that its peak memory (max RSS of the process and, separately,
of its extraction workers) is its own.

Phases per size (each one is skipped and projected from the previous size's rate
when the projection exceeds ``--budget-s``; projected figures are marked ``~``):

1. extract: ``extract_file`` on every document in one process (docs/s, MB/s);
2. build: ``beslutsgraf.build.build`` into an empty data folder, SHACL validation on
   (the real build), workers = CPUs;
3. build without validation, to show what extraction + RDF + the store cost alone;
4. unchanged rebuild (hashing only) and a one-document change (incremental store);
5. store: size on disk, ``Store.read_only`` open time, a COUNT query.

Why validation is batched: pyshacl has a fixed cost per call (ontology mixed in,
shapes compiled, RDFS closure set up): per document 0.29 s alone, 0.18 s in batches
of 25 (``build.VALIDATE_BATCH``).  Its SPARQL-based constraints were re-parsed per
focus node, 90% of the time before ``build`` cached them
(``build._prepared_sparql_constraints``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

_CASE = re.compile(r"\b([A-ZÅÄÖ]{2,6}[-–])(\d{4})([-–])(\d{1,6})\b")
_DATE = re.compile(r"\b(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")


def vary(text: str, i: int) -> str:
    """Copy ``i`` of a document: other case serials, dates shifted within the month, a marker."""
    text = _CASE.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{int(m[4]) + 7 * i}", text)
    text = _DATE.sub(lambda m: f"{m[1]}-{m[2]}-{(int(m[3]) - 1 + i) % 28 + 1:02d}", text)
    return text + f"\n\nKopia {i}.\n"


def replicate(n: int, target: Path) -> tuple[int, int]:
    """Write ``n`` varied documents into ``target``; return (documents, bytes)."""
    seeds = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        stem, text = seeds[i % len(seeds)]
        data = vary(text, i // len(seeds)).encode("utf-8")
        (target / f"{i:05d}_{stem}.txt").write_bytes(data)
        total += len(data)
    return n, total


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


# --- one size, in its own process ---------------------------------------------------------


def run_one(n: int, workdir: Path, skip: set[str], use_tracemalloc: bool) -> dict[str, object]:
    import pyoxigraph as ox

    from beslutsgraf.build import build
    from beslutsgraf.config import load_settings
    from beslutsgraf.extract.pipeline import extract_file
    from beslutsgraf.graph.store import DataDir, disk_usage

    corpus = workdir / "corpus"
    docs, nbytes = replicate(n, corpus)
    out: dict[str, object] = {"docs": docs, "mb": nbytes / 1e6}
    files = sorted(corpus.iterdir())

    if "extract" not in skip:
        if use_tracemalloc:
            tracemalloc.start()
        t = time.perf_counter()
        for f in files:
            extract_file(f)
        secs = time.perf_counter() - t
        out["extract_s"] = secs
        out["extract_docs_s"] = docs / secs
        out["extract_mb_s"] = nbytes / 1e6 / secs
        if use_tracemalloc:
            out["extract_py_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
        out["rss_after_extract_mb"] = rss_mb(resource.RUSAGE_SELF)

    # The first build that runs also gives the rebuild and store figures (with its settings).
    data_dir = workdir / "data"
    first = True
    for phase, validate in (("build", True), ("build_novalidate", False)):
        if phase in skip:
            continue
        shutil.rmtree(data_dir, ignore_errors=True)
        settings = load_settings(data_dir=str(data_dir), validate=validate)
        t = time.perf_counter()
        report = build(corpus, settings=settings)
        out[f"{phase}_s"] = time.perf_counter() - t
        out[f"rss_after_{phase}_mb"] = rss_mb(resource.RUSAGE_SELF)
        if not first:
            continue
        first = False
        out["measured_with_validation"] = validate
        out["failed"] = len(report.failed)
        out["triples"] = report.triples
        out["build_timings"] = report.timings

        t = time.perf_counter()
        again = build(corpus, settings=settings)
        out["rebuild_unchanged_s"] = time.perf_counter() - t
        assert not again.committed

        target = files[len(files) // 2]
        target.write_text(target.read_text(encoding="utf-8") + "\nÄndrad.\n", encoding="utf-8")
        t = time.perf_counter()
        one = build(corpus, settings=settings)
        out["rebuild_one_s"] = time.perf_counter() - t
        out["rebuild_one_incremental"] = one.incremental

        data = DataDir(data_dir)
        generation = data.generation_path(data.current() or "")
        out["store_mb"] = disk_usage(generation) / 1e6
        out["graph_files_mb"] = disk_usage(data.graphs_dir) / 1e6
        t = time.perf_counter()
        store = ox.Store.read_only(str(generation))
        out["reopen_s"] = time.perf_counter() - t
        t = time.perf_counter()
        list(
            store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True
            )
        )
        out["count_query_s"] = time.perf_counter() - t
        del store

    out["peak_rss_mb"] = rss_mb(resource.RUSAGE_SELF)
    out["peak_rss_workers_mb"] = rss_mb(resource.RUSAGE_CHILDREN)
    return out


# --- orchestration -----------------------------------------------------------------------

PHASE_RATES = {  # phase -> the measured key whose seconds scale with the number of documents
    "extract": "extract_s",
    "build": "build_s",
    "build_novalidate": "build_novalidate_s",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated document counts")
    ap.add_argument(
        "--budget-s",
        type=float,
        default=600.0,
        help="skip (and project) a phase projected to take longer than this",
    )
    ap.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python heap peak in extraction (slow)",
    )
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--skip", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.one is not None:
        res = run_one(
            args.one, args.workdir, set(filter(None, args.skip.split(","))), args.tracemalloc
        )
        print(json.dumps(res))
        return

    sizes = [int(s) for s in args.sizes.split(",") if s]
    results: list[dict[str, object]] = []
    rates: dict[str, float] = {}  # seconds per document from the largest size measured so far
    for n in sizes:
        skip = {
            phase
            for phase, key in PHASE_RATES.items()
            if key in rates and rates[key] * n > args.budget_s
        }
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            cmd = [
                sys.executable,
                __file__,
                "--one",
                str(n),
                "--workdir",
                tmp,
                "--skip",
                ",".join(sorted(skip)),
            ]
            if args.tracemalloc:
                cmd.append("--tracemalloc")
            print(
                f"size {n}: running" + (f" (projecting {', '.join(sorted(skip))})" if skip else ""),
                file=sys.stderr,
                flush=True,
            )
            proc = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            if proc.returncode != 0:
                sys.exit(f"size {n} failed:\n{proc.stderr}")
            res = json.loads(proc.stdout.strip().splitlines()[-1])
        res["projected"] = sorted(skip)
        for phase, key in PHASE_RATES.items():
            if key in res:
                rates[key] = float(res[key]) / n  # type: ignore[arg-type]
            elif key in rates:
                res[key] = rates[key] * n
                if phase == "extract":
                    res["extract_docs_s"] = 1 / rates[key]
                    res["extract_mb_s"] = float(res["mb"]) / res[key]  # type: ignore[arg-type]
        results.append(res)

    print_table(results)
    if args.json:
        print(json.dumps(results, indent=1))


def print_table(results: list[dict[str, object]]) -> None:
    def cell(res: dict[str, object], key: str, fmt: str, phase: str | None = None) -> str:
        if key not in res:
            return "-"
        mark = "~" if phase and phase in res["projected"] else ""  # type: ignore[operator]
        return mark + format(res[key], fmt)

    cols = [
        ("docs", lambda r: cell(r, "docs", ",d")),
        ("MB", lambda r: cell(r, "mb", ".1f")),
        ("extract docs/s", lambda r: cell(r, "extract_docs_s", ".1f", "extract")),
        ("extract MB/s", lambda r: cell(r, "extract_mb_s", ".2f", "extract")),
        ("build s", lambda r: cell(r, "build_s", ".1f", "build")),
        ("build s (no SHACL)", lambda r: cell(r, "build_novalidate_s", ".1f", "build_novalidate")),
        ("rebuild same s", lambda r: cell(r, "rebuild_unchanged_s", ".2f")),
        ("rebuild 1 changed s", lambda r: cell(r, "rebuild_one_s", ".2f")),
        ("triples", lambda r: cell(r, "triples", ",d")),
        ("store MB", lambda r: cell(r, "store_mb", ".0f")),
        ("reopen s", lambda r: cell(r, "reopen_s", ".3f")),
        ("peak RSS MB", lambda r: cell(r, "peak_rss_mb", ".0f")),
        ("workers RSS MB", lambda r: cell(r, "peak_rss_workers_mb", ".0f")),
    ]
    rows = [[name for name, _ in cols]] + [[f(r) for _, f in cols] for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(cols))]
    for j, row in enumerate(rows):
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
        if j == 0:
            print("  ".join("-" * w for w in widths))
    print(
        f"\n~ = projected from the previous size's per-document time (budget exceeded); "
        f"CPUs: {os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
