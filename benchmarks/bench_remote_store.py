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
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import replicate

REPO = Path(__file__).resolve().parents[1]
RUNS = 5
PUT_GRAPHS = 300  # graphs sent one PUT each, for the Graph Store Protocol rate


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


def copies(graph_files: list[Path], triples: int, per_file: dict[Path, int]) -> Iterator[bytes]:
    """N-Quads of renamed copies of ``graph_files`` until ``triples`` quads, one graph at a time."""
    total, k = 0, 0
    while total < triples:
        for path in graph_files:
            stem = path.stem
            data = path.read_bytes().replace(f"/{stem}>".encode(), f"/{stem}-k{k}>".encode())
            yield data.replace(f"/{stem}/".encode(), f"/{stem}-k{k}/".encode())
            total += per_file[path]
            if total >= triples:
                return
        k += 1


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
        graphs = sum(1 for _ in copies(graph_files, args.triples, per_file))
        print(f"2. {args.triples:,} quads or a little more, in {graphs:,} document graphs")
        t0 = time.perf_counter()
        store = ox.Store(str(work / "scale-embedded"))
        store.bulk_extend(
            q for data in copies(graph_files, args.triples, per_file)
            for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
        )
        store.flush()
        print(f"  embedded: bulk load {time.perf_counter() - t0:6.1f} s ({len(store):,} quads)")
        # the server: the Graph Store Protocol rate on the first graphs, then the whole
        # as a national build's first load would go, through Oxigraph's bulk loader
        nq = work / "scale.nq"
        with nq.open("wb") as fh:
            for data in copies(graph_files, args.triples, per_file):
                fh.write(data)
        t0 = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("oxigraph")), "load", "--location",
                        str(work / "scale-server"), "--file", str(nq)], check=True, capture_output=True)
        print(f"  server:   oxigraph load {time.perf_counter() - t0:6.1f} s")
        proc, url = start_server(work / "scale-server")
        try:
            client = SparqlClient(Endpoints(url, timeout_s=600))
            remote = RemoteReader(client, "scale")
            print(f"            serving {len(remote):,} quads")
            t0, quads_put = time.perf_counter(), 0
            for i, data in enumerate(copies(graph_files, 10**9, per_file)):
                if i == PUT_GRAPHS:
                    break
                quads = [q.triple for q in ox.parse(data.replace(b"-k", b"-put"), format=ox.RdfFormat.N_QUADS)]
                first = next(ox.parse(data.replace(b"-k", b"-put"), format=ox.RdfFormat.N_QUADS))
                client.put_graph(first.graph_name.value, quads)
                quads_put += len(quads)
            seconds = time.perf_counter() - t0
            print(f"  server:   PUT of {PUT_GRAPHS} more graphs, {quads_put:,} quads: {seconds:.1f} s "
                  f"({quads_put / seconds:,.0f} quads/s)")
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
