"""Retrieval evaluation: nDCG@10, MRR and Recall@10 per search mode.

Two kinds of judgment (see ``tests/eval/README.md``):

- passage level (``tests/eval/queries.jsonl``): a judgment names a text fragment, not a
  passage id; a returned passage of document ``source`` is relevant with grade g when
  its text contains the fragment, and the highest grade wins.  Passages are ranked
  ungrouped, so the metrics measure passage retrieval.
- document level (``tests/eval/hard/queries.jsonl``): a judgment without a fragment
  grades the whole document; the search is grouped (one hit per document, ranked by
  its best passage), as a journalist sees it.

A query may carry a ``split`` ("tune" or "report"): fusion weights are tuned on the
tune half only, and the figures that count are those of the report half.
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
SPLITS = ("tune", "report")


@dataclass(frozen=True)
class Judgment:
    source: str
    fragment: str | None  # None: the whole document
    grade: int


@dataclass(frozen=True)
class EvalQuery:
    id: str
    query: str
    type: str
    relevant: tuple[Judgment, ...]
    split: str = ""

    @property
    def document_level(self) -> bool:
        return all(j.fragment is None for j in self.relevant)


def load_queries(path: Path) -> list[EvalQuery]:
    """Read a judgments file; a malformed line is an error naming the line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            rel = tuple(Judgment(r["source"], r.get("fragment"), int(r["grade"])) for r in d["relevant"])
            q = EvalQuery(d["id"], d["query"], d.get("type", ""), rel, d.get("split", ""))
        except (ValueError, KeyError, TypeError) as exc:
            raise BeslutsgrafError(f"{path}:{n}: not a judgment line ({exc})") from None
        if not rel or (not q.document_level and any(j.fragment is None for j in rel)):
            raise BeslutsgrafError(f"{path}:{n}: query {q.id}: judgments must all name a fragment or none of them")
        if q.split not in SPLITS + ("",):
            raise BeslutsgrafError(f"{path}:{n}: query {q.id}: split must be one of {', '.join(SPLITS)}, not {q.split!r}")
        out.append(q)
    return out


def grade_of(source: str, text: str, q: EvalQuery) -> int:
    return max(
        (j.grade for j in q.relevant if j.source == source and (j.fragment is None or j.fragment in text)),
        default=0,
    )


def _dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


@dataclass(frozen=True)
class Scores:
    ndcg: float
    mrr: float
    recall: float


def score_query(service: SearchService, q: EvalQuery, mode: str) -> Scores:
    if q.document_level:
        sources = {c.source for c in service.index.chunks}
        ideal = sorted((j.grade for j in q.relevant if j.source in sources and j.grade > 0), reverse=True)
        result = service.search(SearchQuery(q.query, mode=mode, limit=K, group=True))
        grades = [grade_of(h.source, "", q) for h in result.hits]
    else:
        # the ideal: every passage of the index that carries a judged fragment
        chunks = service.index.chunks
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


def _means(scores: list[Scores]) -> dict[str, float]:
    n = len(scores) or 1
    return {
        "ndcg@10": sum(s.ndcg for s in scores) / n,
        "mrr": sum(s.mrr for s in scores) / n,
        "recall@10": sum(s.recall for s in scores) / n,
    }


def evaluate(service: SearchService, queries: list[EvalQuery], *, modes=MODES) -> dict[str, dict[str, float]]:
    """Mean nDCG@10, MRR and Recall@10 per mode."""
    return {mode: _means([score_query(service, q, mode) for q in queries]) for mode in modes}


def evaluate_by_type(service: SearchService, queries: list[EvalQuery], *, mode: str) -> dict[str, dict[str, float]]:
    """Mean scores of one mode per query type, with the number of queries as ``n``."""
    out: dict[str, dict[str, float]] = {}
    for kind in sorted({q.type for q in queries}):
        of_kind = [q for q in queries if q.type == kind]
        out[kind] = {**_means([score_query(service, q, mode) for q in of_kind]), "n": len(of_kind)}
    return out


def by_split(queries: list[EvalQuery]) -> dict[str, list[EvalQuery]]:
    """The queries per split, in SPLITS order; a file without splits is one group "all"."""
    if not any(q.split for q in queries):
        return {"all": queries}
    return {s: [q for q in queries if q.split == s] for s in SPLITS if any(q.split == s for q in queries)}


def format_table(table: dict[str, dict[str, float]], *, label: str = "mode") -> str:
    lines = [f"{label:<12} {'nDCG@10':>8} {'MRR':>8} {'R@10':>8}" + ("   n" if any("n" in r for r in table.values()) else "")]
    for name, row in table.items():
        n = f" {int(row['n']):>3}" if "n" in row else ""
        lines.append(f"{name:<12} {row['ndcg@10']:>8.3f} {row['mrr']:>8.3f} {row['recall@10']:>8.3f}{n}")
    return "\n".join(lines)
