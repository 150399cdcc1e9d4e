"""Search over one index against the same passages in partitions (municipality and
year), searched in this process and by two search processes.

    OMP_WAIT_POLICY=passive python benchmarks/bench_sharded_search.py --passages 200000 \
        [--municipalities 60] [--years 10] [--queries 200] [--json]

Passages, vectors and queries are made as in ``bench_search.py``: recombined real
passages, vectors mixed from real passage embeddings, the evaluation's queries and
variants of them (embedded once, outside the timings: the embedding of a query costs
the same in every setup).  Passages get ``--municipalities`` municipalities and
``--years`` years, 20 passages a document.  Measured:

1. the build of each form (BM25 and the vector index; vectors are given, not embedded),
   its size on disk and the memory of the loaded index;
2. search latency (grouped, limit 10, faiss on one thread) per mode, without a filter
   and with one municipality, for: one index; its partitions searched in this
   process; the partitions split over two ``search-shard`` processes on this machine;
3. how far the hybrid top 10 of the partitions agrees with one index's (one index
   above 50,000 passages searches vectors with HNSW, a partition of fewer exactly).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from bench_search import (
    DEFAULT_MODEL,
    PeakRSS,
    folder_mb,
    mix_vectors,
    percentiles,
    prepare,
    synthetic_chunks,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from beslutsgraf.index.lexical import Analyzer
from beslutsgraf.index.partitions import build_partitioned_index, load_vocabulary, read_manifest
from beslutsgraf.index.search_index import SearchIndex, build_index_from_chunks
from beslutsgraf.index.vectors import VectorIndex
from beslutsgraf.services import search as search_module
from beslutsgraf.services.search import SearchQuery, SearchService
from beslutsgraf.services.sharded_search import (
    LocalShard,
    RemoteShard,
    ShardedSearch,
    select_partitions,
)


def corpus(base, n: int, municipalities: int, years: int):
    """``n`` passages, 20 a document, over ``municipalities`` × ``years`` partitions."""
    chunks = synthetic_chunks(base, n)
    out = []
    for i, c in enumerate(chunks):
        doc = i // 20
        out.append(replace(c, municipality=f"Kommun {doc % municipalities:03d}",
                           date=f"{2015 + (doc // municipalities) % years}-{1 + doc % 12:02d}-{1 + doc % 28:02d}"))
    return out


def rss_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class FixedHost:
    """A shard app's host that serves one shard of a folder (no data directory)."""

    def __init__(self, folder: Path, shard: str) -> None:
        keys = select_partitions([p["key"] for p in read_manifest(folder)["partitions"]], shard)
        self.shard = LocalShard(folder, model=DEFAULT_MODEL, keys=keys)

    def current(self) -> LocalShard:
        return self.shard


def serve_shard(folder: str, shard: str, port: int) -> None:
    """The ``--serve-shard`` mode: a shard process as ``beslutsgraf search-shard`` runs it."""
    import uvicorn

    from beslutsgraf.index.vectors import limit_threads
    from beslutsgraf.web.shard_app import create_shard_app

    limit_threads(1)
    uvicorn.run(create_shard_app(FixedHost(Path(folder), shard)), host="127.0.0.1", port=port, log_level="warning")


def latency(service, queries: list[str], vectors: dict[str, np.ndarray], **options) -> dict[str, float]:
    ms = []
    for q in queries:
        t = time.perf_counter()
        service.search(SearchQuery(q, limit=10, **options))
        ms.append((time.perf_counter() - t) * 1000)
    return percentiles(ms)


def measure(service, queries, vectors, municipality: str) -> dict:
    out = {}
    for mode in ("hybrid", "lexical", "semantic"):
        out[mode] = latency(service, queries, vectors, mode=mode)
        out[f"{mode}, one municipality"] = latency(service, queries, vectors, mode=mode, municipality=municipality)
    return out


def agreement(a, b, queries: list[str]) -> float:
    """Mean share of one's hybrid top-10 documents that the other has in its top 10."""
    shares = []
    for q in queries:
        x = [h.document for h in a.search(SearchQuery(q)).hits]
        y = {h.document for h in b.search(SearchQuery(q)).hits}
        shares.append(len([d for d in x if d in y]) / max(1, len(x)))
    return round(float(np.mean(shares)), 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=200_000)
    ap.add_argument("--municipalities", type=int, default=60)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--serve-shard", nargs=3, metavar=("FOLDER", "I/N", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_shard:
        serve_shard(args.serve_shard[0], args.serve_shard[1], int(args.serve_shard[2]))
        return
    import faiss

    faiss.omp_set_num_threads(1)
    base, sample, _rate, queries, qv, info = prepare(args.queries)
    chunks = corpus(base, args.passages, args.municipalities, args.years)
    vectors = mix_vectors(sample, len(chunks))
    # the queries' vectors, made once: every setup gets the same from the cache
    search_module.query_vector.cache_clear()
    cached = {q: v for q, v in zip(queries, qv, strict=True)}
    real_query_vector = search_module.query_vector

    def query_vector(text: str, *, model: str) -> np.ndarray:
        return cached[text] if text in cached else real_query_vector(text, model=model)

    search_module.query_vector = query_vector
    import beslutsgraf.services.sharded_search as sharded_module

    sharded_module.query_vector = query_vector
    tmp = Path(tempfile.mkdtemp(prefix="bench-sharded-"))
    res: dict = {"passages": len(chunks), **info}
    procs = []
    try:
        prev = tmp / "given"
        VectorIndex(vectors, [c.content_hash for c in chunks], DEFAULT_MODEL, index=False).save(prev / "vectors")
        t = time.perf_counter()
        build_index_from_chunks(chunks, tmp / "one", model=DEFAULT_MODEL, previous=prev)
        res["one index: build s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        build_partitioned_index(chunks, tmp / "parts", model=DEFAULT_MODEL, previous=prev)
        res["partitions: build s"] = round(time.perf_counter() - t, 1)
        manifest = read_manifest(tmp / "parts")
        sizes = [p["passages"] for p in manifest["partitions"]]
        res["partitions"] = len(sizes)
        res["passages per partition (min/median/max)"] = [min(sizes), int(np.median(sizes)), max(sizes)]
        res["one index: MB on disk"] = round(folder_mb(tmp / "one"))
        res["partitions: MB on disk"] = round(folder_mb(tmp / "parts"))
        with PeakRSS() as mem:
            one = SearchService(SearchIndex.load(tmp / "one", model=DEFAULT_MODEL))
        res["one index: loaded MB"] = mem.report["retained_mb"]
        with PeakRSS() as mem:
            local = ShardedSearch([LocalShard(tmp / "parts", model=DEFAULT_MODEL)], "parts", DEFAULT_MODEL,
                                  Analyzer(vocabulary=load_vocabulary(tmp / "parts")))
        res["partitions in process: loaded MB"] = mem.report["retained_mb"]
        municipality = chunks[0].municipality
        for q in queries[:5]:
            one.search(SearchQuery(q))
            local.search(SearchQuery(q))
        res["one index"] = measure(one, queries, cached, municipality)
        res["partitions in process"] = measure(local, queries, cached, municipality)
        urls = []
        for shard in ("1/2", "2/2"):
            port = 8900 + len(urls)
            env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
            procs.append(subprocess.Popen([sys.executable, __file__, "--serve-shard", str(tmp / "parts"), shard, str(port)],
                                          env=env))
            urls.append(f"http://127.0.0.1:{port}")
        remote = None
        deadline = time.monotonic() + 600
        while remote is None:
            try:
                remote = ShardedSearch([RemoteShard(u, timeout_s=60) for u in urls], "parts", DEFAULT_MODEL,
                                       Analyzer(vocabulary=load_vocabulary(tmp / "parts")))
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        res["two shard processes: MB each"] = [round(rss_of(p.pid)) for p in procs]
        for q in queries[:5]:
            remote.search(SearchQuery(q))
        res["two shard processes"] = measure(remote, queries, cached, municipality)
        res["hybrid top-10 agreement, partitions vs one index"] = agreement(one, local, queries[:100])
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return
    for k, v in res.items():
        if isinstance(v, dict) and v and all(isinstance(x, dict) and "p50" in x for x in v.values()):
            print(k)
            for mode, p in v.items():
                print(f"  {mode:<28} p50 {p['p50']:>8} ms   p95 {p['p95']:>8} ms")
        else:
            print(f"{k:<44} {json.dumps(v, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
