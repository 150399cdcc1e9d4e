"""Search benchmark: embedding throughput, index build, size, memory and query latency.

    python benchmarks/bench_search.py --sizes 10000,100000 [--embed-sample 512] [--queries 60]

A synthetic corpus in the genre's shape: passages of the real corpus recombined
(sentences shuffled across passages, case numbers, dates and municipalities
varied) into the requested number of passages.  Only ``--embed-sample`` passages
are embedded; the rest of the matrix reuses sample vectors with a little noise
(renormalised), so the faiss index has the real size while the full embedding
time is projected from the measured throughput.  Query latency is measured
through ``SearchService.search`` after a warm-up, so the first model load is not
counted.  Exact (IndexFlatIP) and HNSW (M=32) are compared at the largest size.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from beslutsgraf.extract.pipeline import extract_file
from beslutsgraf.index.lexical import LexicalIndex
from beslutsgraf.index.passages import Chunk, make_chunks
from beslutsgraf.index.search_index import SearchIndex
from beslutsgraf.index.vectors import DEFAULT_MODEL, HNSW_M, VectorIndex, embed
from beslutsgraf.services.search import SearchQuery, SearchService

MUNICIPALITIES = ["Malmö", "Stockholm", "Göteborg", "Uppsala", "Tyresö", "Kramfors", "Lund", "Umeå", "Örebro"]
_SENT = re.compile(r"(?<=[.!?])\s+")


def synthetic_chunks(n: int, seed: int = 7) -> list[Chunk]:
    rng = random.Random(seed)
    base = [c for f in sorted(glob.glob(str(ROOT / "corpus" / "*.txt"))) for c in make_chunks(extract_file(f))]
    sentences = [s for c in base for s in _SENT.split(c.text) if len(s) > 30]
    out = []
    for i in range(n):
        c = base[i % len(base)]
        extra = " ".join(rng.sample(sentences, 2))
        text = re.sub(r"(\d{4})-(\d+)", lambda m, i=i: f"{m[1]}-{int(m[2]) + i}", c.text)[:500] + " " + extra
        text = text[:700]
        out.append(
            replace(
                c, id=f"d{i // 20:06d}#{i % 20}", document=f"d{i // 20:06d}", source=f"d{i // 20:06d}.txt",
                ordinal=i % 20, text=text, municipality=MUNICIPALITIES[(i // 20) % len(MUNICIPALITIES)],
                date=f"{2015 + (i // 20) % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            )
        )
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(ms: list[float]) -> dict[str, float]:
    a = np.array(ms)
    return {p: round(float(np.percentile(a, q)), 2) for p, q in (("p50", 50), ("p95", 95), ("p99", 99))}


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run(n: int, args, queries: list[str], sample_vecs: np.ndarray, rate: float) -> dict:
    chunks = synthetic_chunks(n)
    texts = [c.text for c in chunks]
    res: dict = {"passages": n, "projected_embed_s": round(n / rate, 1)}
    t = time.perf_counter()
    lexical = LexicalIndex.build(texts)
    res["bm25_build_s"] = round(time.perf_counter() - t, 2)
    rng = np.random.default_rng(1)
    vecs = sample_vecs[np.arange(n) % len(sample_vecs)] + rng.normal(0, 0.02, (n, sample_vecs.shape[1])).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    t = time.perf_counter()
    vectors = VectorIndex(vecs.astype(np.float32), [c.content_hash for c in chunks], DEFAULT_MODEL)
    res["faiss_build_s"] = round(time.perf_counter() - t, 2)
    res["faiss_kind"] = type(vectors.index).__name__
    tmp = Path(tempfile.mkdtemp())
    lexical.save(tmp / "lexical")
    vectors.save(tmp / "vectors")
    res["index_mb"] = round(folder_mb(tmp), 1)
    shutil.rmtree(tmp)
    service = SearchService(SearchIndex(chunks, lexical, vectors))
    for q in queries[:5]:
        service.search(SearchQuery(q))  # warm-up: model load, caches
    for mode in ("lexical", "semantic", "hybrid"):
        ms = []
        for q in queries:
            t = time.perf_counter()
            service.search(SearchQuery(q, mode=mode))
            ms.append((time.perf_counter() - t) * 1000)
        res[f"{mode}_ms"] = percentiles(ms)
    filtered = []
    for q in queries:
        t = time.perf_counter()
        service.search(SearchQuery(q, municipality="Malmö", date_from="2018-01-01"))
        filtered.append((time.perf_counter() - t) * 1000)
    res["hybrid_filtered_ms"] = percentiles(filtered)
    if n >= 50_000:
        res["faiss_compare"] = compare_faiss(vecs.astype(np.float32), queries)
    res["peak_rss_mb"] = round(rss_mb())
    return res


def compare_faiss(vecs: np.ndarray, queries: list[str]) -> dict:
    import faiss

    qv = embed(queries, model=DEFAULT_MODEL, kind="query")
    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    t = time.perf_counter()
    _, truth = exact.search(qv, 10)
    out = {"exact_ms_per_query": round((time.perf_counter() - t) * 1000 / len(qv), 3)}
    hnsw = faiss.IndexHNSWFlat(vecs.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    t = time.perf_counter()
    hnsw.add(vecs)
    out["hnsw_build_s"] = round(time.perf_counter() - t, 1)
    for ef in (64, 128):
        hnsw.hnsw.efSearch = ef
        t = time.perf_counter()
        _, got = hnsw.search(qv, 10)
        per = (time.perf_counter() - t) * 1000 / len(qv)
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, got)])
        out[f"hnsw_ef{ef}"] = {"ms_per_query": round(per, 3), "recall@10": round(float(recall), 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--embed-sample", type=int, default=512)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    queries = [json.loads(line)["query"] for line in (ROOT / "tests/eval/queries.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    queries = (queries * 3)[: args.queries]
    sample = [c.text for c in synthetic_chunks(args.embed_sample, seed=3)]
    embed(sample[:8], model=DEFAULT_MODEL, kind="passage")  # load the model outside the timing
    t = time.perf_counter()
    sample_vecs = embed(sample, model=DEFAULT_MODEL, kind="passage")
    rate = len(sample) / (time.perf_counter() - t)
    print(f"embedding throughput: {rate:.1f} passages/s (batch 32, {len(sample)} passages, default model, CPU)")
    results = [run(int(n), args, queries, sample_vecs, rate) for n in args.sizes.split(",") if n]
    for r in results:
        print(f"\n== {r['passages']:,} passages")
        for k, v in r.items():
            if k != "passages":
                print(f"  {k:<22} {v}")
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
