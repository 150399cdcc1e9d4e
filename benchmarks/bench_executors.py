"""The build's executors: what a cluster costs to start and per task, and the
extraction step's throughput in process, in local processes and on a Dask cluster.

    python benchmarks/bench_executors.py                 # 200 documents
    python benchmarks/bench_executors.py --docs 1000 --workers 1,2,4
    python benchmarks/bench_executors.py --synthetic --docs 10000 --runs local:1,dask:1,dask:2,dask:4 --no-overhead

1. Overhead: a cluster of 2 worker processes is started, 1,000 small tasks run on it,
   and it is stopped; Dask always, Ray as well when it is installed (it is not a
   dependency: ``pip install ray`` to compare).  Each in its own process.
2. Build: ``corpus/`` replicated to ``--docs`` documents (``bench_build.replicate``),
   or with ``--synthetic`` the synthetic corpus of ``synthetic/generate.py`` (seed 1),
   built into an empty data folder with ``executor=local`` and 1 worker (in
   process), ``local`` with N forked processes and ``dask`` with N worker processes
   (``--runs`` chooses them as ``executor:workers`` pairs);
   the figure is the extraction step (reading, extraction, triples, SHACL
   validation) in documents per second, from the build's own timings.  Embedding
   is the same model everywhere and reported apart (passages per second).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import replicate

OVERHEAD = r"""
import json, sys, time

def work(x):
    s = 0
    for i in range(20000):
        s += i * x
    return s

def main(which):
    t0 = time.perf_counter()
    if which == "dask":
        from distributed import Client, LocalCluster
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        t1 = time.perf_counter()
        client.gather(client.map(work, range(1000), pure=False))
        t2 = time.perf_counter()
        client.close(); cluster.close()
    else:
        import ray
        ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
        t1 = time.perf_counter()
        remote = ray.remote(work)
        ray.get([remote.remote(i) for i in range(1000)])
        t2 = time.perf_counter()
        ray.shutdown()
    import resource
    print(json.dumps({"start_s": t1 - t0, "task_ms": (t2 - t1), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))

if __name__ == "__main__":
    main(sys.argv[1])
"""

BUILD = r"""
import json, sys
from beslutsgraf.build import build
from beslutsgraf.config import load_settings
corpus, data, executor, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
r = build(corpus, settings=load_settings(data_dir=data, executor=executor), workers=workers)
print(json.dumps({"timings": r.timings, "embedded": r.embedded, "seconds": r.seconds}), flush=True)
"""


def overhead(which: str) -> dict[str, float] | None:
    out = subprocess.run(
        [sys.executable, "-c", OVERHEAD, which], check=False, capture_output=True, text=True
    )
    if out.returncode != 0:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_build(corpus: Path, work: Path, executor: str, workers: int) -> dict[str, object]:
    data = work / f"data-{executor}-{workers}"
    out = subprocess.run(
        [sys.executable, "-c", BUILD, str(corpus), str(data), executor, str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument(
        "--workers",
        default="2",
        help="worker counts for the local and Dask builds, comma-separated",
    )
    ap.add_argument(
        "--runs", default="", help="the builds as executor:workers pairs (overrides --workers)"
    )
    ap.add_argument(
        "--synthetic",
        action="store_true",
        help="build the synthetic corpus, not the replicated one",
    )
    ap.add_argument("--no-overhead", action="store_true", help="skip the cluster overhead figures")
    args = ap.parse_args()

    if not args.no_overhead:
        print_overhead()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.synthetic:
            n, size = synthetic(args.docs, work / "corpus")
        else:
            n, size = replicate(args.docs, work / "corpus")
        print(
            f"2. build of {n} documents ({size / 1e6:.1f} MB): extraction step (read, extract, triples, validate)",
            flush=True,
        )
        if args.runs:
            runs = [(e, int(w)) for e, w in (r.split(":") for r in args.runs.split(","))]
        else:
            runs = [("local", 1)] + [
                (e, int(w)) for w in args.workers.split(",") for e in ("local", "dask")
            ]
        for executor, workers in runs:
            t0 = time.perf_counter()
            r = run_build(work / "corpus", work, executor, workers)
            extract = r["timings"]["extract"]
            index = r["timings"].get("index", 0.0)
            passages = r["embedded"]
            wall = time.perf_counter() - t0
            label = (
                "in process"
                if (executor, workers) == ("local", 1)
                else f"{executor}, {workers} workers"
            )
            print(
                f"  {label:<20} extraction {n / extract:6.1f} docs/s ({extract:6.1f} s); "
                f"embedding {passages / max(index, 1e-9):5.1f} passages/s ({passages} in {index:6.1f} s); "
                f"whole build {wall:6.1f} s, {n / wall:5.1f} docs/s, {passages / wall:5.1f} passages/s",
                flush=True,
            )


def synthetic(n: int, target: Path) -> tuple[int, int]:
    """Write the synthetic corpus of ``n`` documents into ``target``; return (documents, bytes)."""
    script = Path(__file__).resolve().parent / "synthetic" / "generate.py"
    subprocess.run(
        [sys.executable, str(script), str(target), "--docs", str(n)],
        check=True,
        capture_output=True,
    )
    files = list(target.glob("*.txt"))
    return len(files), sum(f.stat().st_size for f in files)


def print_overhead() -> None:
    print("1. overhead: 2 worker processes, 1,000 small tasks")
    for which in ("dask", "ray"):
        got = overhead(which)
        if got is None:
            print(f"  {which}: not installed")
            continue
        print(
            f"  {which}: start {got['start_s']:.2f} s, {got['task_ms']:.2f} ms per task, "
            f"driver peak RSS {got['rss_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
