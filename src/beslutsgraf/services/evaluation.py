"""Retrieval evaluation: nDCG@10, MRR and Recall@10 per search mode.

Judgments (``tests/eval/queries.jsonl``, see its README) name text fragments, not
passage ids: a returned passage of document ``source`` is relevant with grade g
when its text contains the fragment; the highest grade wins.  Passages are ranked
ungrouped, so the metrics measure passage retrieval.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import BeslutsgrafError
from .choices import MODES
from .search import SearchQuery, SearchService

K = 10


@dataclass(frozen=True)
class Judgment:
    source: str
    fragment: str
    grade: int


@dataclass(frozen=True)
class EvalQuery:
    id: str
    query: str
    type: str
    relevant: tuple[Judgment, ...]


def load_queries(path: Path) -> list[EvalQuery]:
    """Read a judgments file; a malformed line is an error naming the line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            rel = tuple(Judgment(r["source"], r["fragment"], int(r["grade"])) for r in d["relevant"])
            out.append(EvalQuery(d["id"], d["query"], d.get("type", ""), rel))
        except (ValueError, KeyError, TypeError) as exc:
            raise BeslutsgrafError(f"{path}:{n}: not a judgment line ({exc})") from None
    return out


def grade_of(source: str, text: str, q: EvalQuery) -> int:
    return max((j.grade for j in q.relevant if j.source == source and j.fragment in text), default=0)


def _dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


@dataclass(frozen=True)
class Scores:
    ndcg: float
    mrr: float
    recall: float


def score_query(service: SearchService, q: EvalQuery, mode: str) -> Scores:
    chunks = service.index.chunks
    # the ideal: every passage of the index that carries a judged fragment
    ideal = sorted((g for c in chunks if (g := grade_of(c.source, c.text, q)) > 0), reverse=True)
    result = service.search(SearchQuery(q.query, mode=mode, limit=K, group=False))
    grades = [_hit_grade(service, h, q) for h in result.hits]
    ndcg = _dcg(grades) / _dcg(ideal[:K]) if ideal else 0.0
    rr = next((1.0 / (i + 1) for i, g in enumerate(grades) if g > 0), 0.0)
    recall = sum(1 for g in grades if g > 0) / min(len(ideal), K) if ideal else 0.0
    return Scores(ndcg, rr, recall)


def _hit_grade(service: SearchService, hit, q: EvalQuery) -> int:
    chunk = service.index.chunks[service.chunk_row(hit.passage_id)]
    return grade_of(chunk.source, chunk.text, q)


def evaluate(service: SearchService, queries: list[EvalQuery], *, modes=MODES) -> dict[str, dict[str, float]]:
    """Mean nDCG@10, MRR and Recall@10 per mode, and per query type."""
    table: dict[str, dict[str, float]] = {}
    for mode in modes:
        scores = [score_query(service, q, mode) for q in queries]
        n = len(scores) or 1
        table[mode] = {
            "ndcg@10": sum(s.ndcg for s in scores) / n,
            "mrr": sum(s.mrr for s in scores) / n,
            "recall@10": sum(s.recall for s in scores) / n,
        }
    return table


def format_table(table: dict[str, dict[str, float]]) -> str:
    lines = [f"{'mode':<10} {'nDCG@10':>8} {'MRR':>8} {'R@10':>8}"]
    for mode, row in table.items():
        lines.append(f"{mode:<10} {row['ndcg@10']:>8.3f} {row['mrr']:>8.3f} {row['recall@10']:>8.3f}")
    return "\n".join(lines)
