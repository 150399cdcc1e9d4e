"""Lineage latency on a built data folder: the citation index read once, then lineages.

    python benchmarks/bench_lineage.py --data-dir DATA [--n 40] [--depth 3]

Prints the time to read the citation index (once per store generation; the server does
it at start) and p50 / p95 / max of ``LineageService.lineage`` for ``--n`` random cases
and ``--n`` random documents.  Build a large folder first, e.g. 1,000 documents with
``benchmarks/bench_build.py``'s ``replicate`` and ``beslutsgraf build``.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from beslutsgraf.config import load_settings
from beslutsgraf.graph.store import DataDir, ServingReader
from beslutsgraf.services.entities import EntityService
from beslutsgraf.services.lineage import LineageService


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"p50 {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--n", type=int, default=40, help="cases and documents to trace (each)")
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    settings = load_settings(data_dir=str(args.data_dir))
    serving = ServingReader(DataDir(settings.data_path))
    try:
        entities = EntityService(serving.get, base_iri=settings.base_iri)
        lineage = LineageService(entities)
        t = time.perf_counter()
        index = lineage.index()
        print(f"citation index: {len(index.documents):,} documents, read in {time.perf_counter() - t:.2f} s")
        rng = random.Random(args.seed)
        cases = [c["number"] for c in entities.cases(limit=200).items]
        docs = [d["id"] for d in entities.documents(limit=200).items]
        for label, idents in (("case", cases), ("document", docs)):
            ms = []
            for ident in rng.sample(idents, min(args.n, len(idents))):
                t = time.perf_counter()
                lineage.lineage(ident, depth=args.depth)
                ms.append((time.perf_counter() - t) * 1000)
            print(f"lineage of a {label} (depth {args.depth}, {len(ms)} of them): {percentiles(ms)}")
    finally:
        serving.close()


if __name__ == "__main__":
    main()
