"""The graph in the embedded store and in an Oxigraph server: build, load and query figures.

    python benchmarks/bench_remote_store.py                          # 200 documents, 1M triples
    python benchmarks/bench_remote_store.py --docs 500 --triples 10000000

1. Build: ``corpus/`` replicated to ``--docs`` documents (``bench_build.replicate``)
   is built twice, into the embedded store and into an ``oxigraph serve`` on a free
   local port (``--union-default-graph``): the store step of each build (the embedded
   bulk load against the Graph Store Protocol PUTs and the one MOVE update), then a
   one-document change (the incremental store step).
2. Scale: the graph files of that build are copied, each copy's document IRIs
   renamed, until ``--triples`` quads; they are bulk loaded into a new embedded store
   and PUT graph by graph into a new server (what a full build's store step does
   without the extraction before it), and every example query of
   ``ontology/queries/`` runs on both: median and p95 of 5 runs, in ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import replicate

REPO = Path(__file__).resolve().parents[1]
RUNS = 5


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    sys.path.insert(0, str(REPO / "tests"))
    from support import free_port

    port = free_port()
    exe = Path(sys.executable).with_name("oxigraph")
    proc = subprocess.Popen(
        [str(exe), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph serve did not answer")


def latency(fn) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def copies(graph_files: list[Path], triples: int, per_file: dict[Path, int]) -> list[tuple[str, bytes]]:
    """(name, N-Quads) of renamed copies of ``graph_files`` until ``triples`` quads."""
    out, total, k = [], 0, 0
    while total < triples:
        for path in graph_files:
            stem = path.stem
            data = path.read_bytes().replace(f"/{stem}>".encode(), f"/{stem}-k{k}>".encode())
            data = data.replace(f"/{stem}/".encode(), f"/{stem}-k{k}/".encode())
            out.append((f"{stem}-k{k}", data))
            total += per_file[path]
            if total >= triples:
                break
        k += 1
    return out


def main() -> None:
    import pyoxigraph as ox

    from beslutsgraf.build import build
    from beslutsgraf.config import load_settings
    from beslutsgraf.graph.remote import RemoteReader
    from beslutsgraf.graph.sparql_client import Endpoints, SparqlClient

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--triples", type=int, default=1_000_000)
    args = ap.parse_args()
    queries = {q.stem: q.read_text(encoding="utf-8") for q in sorted((REPO / "ontology" / "queries").glob("*.rq"))}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        n, size = replicate(args.docs, work / "corpus")
        proc, url = start_server(work / "oxigraph")
        try:
            setups = {
                "embedded": load_settings(data_dir=str(work / "embedded")),
                "server": load_settings(data_dir=str(work / "server"), store=url),
            }
            print(f"1. build of {n} documents ({size / 1e6:.1f} MB of text)")
            for name, settings in setups.items():
                report = build(work / "corpus", settings=settings)
                print(f"  {name:<9} {report.triples:,} triples; store step {report.timings['store']:6.2f} s "
                      f"(whole build {report.seconds:.1f} s)")
            doc = min((work / "corpus").glob("*.txt"))
            doc.write_text(doc.read_text(encoding="utf-8") + "\nÄndrad.\n", encoding="utf-8")
            for name, settings in setups.items():
                report = build(work / "corpus", settings=settings)
                print(f"  {name:<9} one document changed: store step {report.timings['store']:.2f} s")
        finally:
            proc.terminate()
            proc.wait(10)

        graph_files = sorted((work / "embedded" / "graphs").glob("*.nq"))
        per_file = {p: sum(1 for _ in p.open("rb")) for p in graph_files}
        parts = copies(graph_files, args.triples, per_file)
        total = sum(data.count(b"\n") for _n, data in parts)
        print(f"2. {total:,} quads in {len(parts):,} document graphs")
        t0 = time.perf_counter()
        store = ox.Store(str(work / "scale-embedded"))
        store.bulk_extend(q for _n, data in parts for q in ox.parse(data, format=ox.RdfFormat.N_QUADS))
        store.flush()
        print(f"  embedded: bulk load {time.perf_counter() - t0:6.1f} s ({len(store):,} quads)")
        proc, url = start_server(work / "scale-server")
        try:
            client = SparqlClient(Endpoints(url, timeout_s=600))
            t0 = time.perf_counter()
            for _n, data in parts:
                quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
                client.put_graph(quads[0].graph_name.value, [q.triple for q in quads])
            remote = RemoteReader(client, "scale")
            print(f"  server:   PUT graph by graph {time.perf_counter() - t0:6.1f} s ({len(remote):,} quads)")
            print(f"  query, ms (median / p95 of {RUNS})      embedded             server")
            for name, text in queries.items():
                a = latency(lambda t=text: list(store.query(t, use_default_graph_as_union=True)))
                b = latency(lambda t=text: list(remote.query(t)))
                print(f"  {name:<32} {a[0]:8.1f} / {a[1]:8.1f}   {b[0]:8.1f} / {b[1]:8.1f}")
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
