"""Tune the hybrid search's fusion parameters on the tune half of a judgments file.

    python tests/eval/hard/assemble.py /tmp/eval-hard
    beslutsgraf build /tmp/eval-hard --data-dir /tmp/eval-hard-data
    python benchmarks/tune_fusion.py --data-dir /tmp/eval-hard-data [--queries tests/eval/hard/queries.jsonl]

A grid over ``services.search.Fusion``; each point is scored by hybrid nDCG@10 (then
MRR) on the queries of split "tune" only.  The best point and today's defaults are
then printed on the report half, which took no part in the choice.  Query vectors
are cached, so the grid costs lexical scoring and fusion only.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from beslutsgraf.config import load_settings
from beslutsgraf.services.evaluation import by_split, evaluate, format_table, load_queries
from beslutsgraf.services.search import FUSION, open_search

GRID = {
    "rrf_k": (5, 10, 30, 60),
    "semantic_weight": (0.5, 1.0, 2.0, 4.0, 6.0, 8.0),
    # 30 and 100 scored 0.864 on the tune half, 10 scored 0.860; more candidates count
    # as hits (the total, the facets) passages that share no word with the query
    "semantic_candidates": (10,),
    "coverage_power": (0.0, 0.5, 1.0, 2.0),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--queries", default=str(ROOT / "tests/eval/hard/queries.jsonl"))
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()

    service = open_search(load_settings(data_dir=args.data_dir))
    halves = by_split(load_queries(Path(args.queries)))
    tune, report = halves["tune"], halves["report"]
    print(f"{len(tune)} tune and {len(report)} report queries, {len(service.index.chunks)} passages")

    t0 = time.perf_counter()
    results = []
    for values in itertools.product(*GRID.values()):
        service.fusion = replace(FUSION, **dict(zip(GRID, values)))
        row = evaluate(service, tune, modes=("hybrid",))["hybrid"]
        results.append(((row["ndcg@10"], row["mrr"]), service.fusion))
    results.sort(key=lambda r: r[0], reverse=True)
    print(f"{len(results)} points in {time.perf_counter() - t0:.0f} s; best on the tune half:")
    print(f"{'nDCG@10':>8} {'MRR':>6}  fusion")
    for (ndcg, mrr), fusion in results[: args.top]:
        print(f"{ndcg:>8.3f} {mrr:>6.3f}  {fusion}")

    for name, fusion in (("defaults", FUSION), ("best", results[0][1])):
        service.fusion = fusion
        print(f"\n{name}: {fusion}")
        for split, group in (("tune", tune), ("report", report)):
            print(f"{split}:")
            print(format_table(evaluate(service, group)))


if __name__ == "__main__":
    main()
