"""Search over a partitioned index, served by one process or by several.

A partitioned index (``index/partitions.py``) holds one index per municipality and
year.  A *shard* serves some of the partitions: in this process (``LocalShard``), or
in a search process of its own (``beslutsgraf search-shard``, reached through
``RemoteShard``).  ``ShardedSearch`` answers a search as ``SearchService`` answers it
over one index, in two phases, as search engines do:

1. *query*: the query is validated against the whole index's filter values and
   embedded once; every shard searches its partitions joined into one index
   (``load_partitions``: one search a query, however many partitions) and answers
   with a ``PartAnswer``:
   the best ``window`` lexical matches with their BM25 scores, the semantic
   candidates with their cosines, the case-number boosts, and counts and facets;
2. the answers are merged by score (BM25 scores use the whole index's statistics,
   so they compare across partitions), fused by reciprocal rank as ``SearchService``
   fuses, and the page is cut; documents lie in one partition each, so counts and
   facets add up;
3. *fetch*: the passages of the page are asked of the shards that hold them.

The answer equals the one index's as long as no shard has more lexical matches than
the window (``search_rank_window``, raised to ten times the page's end); beyond it a
match ranks as unmatched lexically, as in Elasticsearch's ``rank_window_size``.
``tests/remote/test_sharded_search.py`` compares both on the corpus.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import IndexUnavailable, SearchError
from ..index.lexical import Analyzer
from ..index.partitions import is_partitioned, load_partitions, load_vocabulary, read_manifest
from ..index.search_index import chunk_from_json
from .search import (
    EMPTY_QUERY,
    FUSION,
    ONLY_STOPWORDS,
    Fusion,
    Hit,
    PartAnswer,
    SearchQuery,
    SearchResult,
    SearchService,
    highlight_terms,
    make_hit,
    parse_query,
    query_vector,
    validate,
)

FACETS = ("municipality", "body", "kind", "year")


# --- merging and fusing ----------------------------------------------------------------


def _best(pairs: Iterable[tuple[int, float]], n: int) -> list[tuple[int, float]]:
    return sorted(pairs, key=lambda rv: (-rv[1], rv[0]))[:n]


def merge(answers: list[PartAnswer], *, window: int, keep: int) -> PartAnswer:
    """The answer one partition holding all of ``answers``' passages would give."""
    if len(answers) == 1:
        return answers[0]
    out = PartAnswer(plain=any(a.plain for a in answers))
    out.lexical = _best((p for a in answers for p in a.lexical), window)
    out.semantic = _best((p for a in answers for p in a.semantic), keep)
    out.boosts = [p for a in answers for p in a.boosts]
    first = {row for row, _s in out.lexical[:5]}
    out.coverage = {row: c for a in answers for row, c in a.coverage.items() if row in first}
    kept = {row for row, _s in out.semantic}
    out.loose = {row: v for a in answers for row, v in a.loose.items() if row in kept}
    named = {row for row, _s in (*out.lexical, *out.semantic, *out.boosts)}
    out.documents = {row: d for a in answers for row, d in a.documents.items() if row in named}
    out.matched_rows = sum(a.matched_rows for a in answers)
    out.matched_docs = sum(a.matched_docs for a in answers)
    out.facets = _add_facets(a.facets for a in answers)
    return out


def _add_facets(many: Iterable[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for facets in many:
        for name, values in facets.items():
            for value, n in values.items():
                counts[name][value] = counts[name].get(value, 0) + n
    return {name: _ordered(values) for name, values in counts.items()}


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    """Most frequent first, ties in name order (as ``SearchService`` orders facets)."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def fuse(a: PartAnswer, q: SearchQuery, fusion: Fusion) -> dict[int, float]:
    """Fused score of every row ``a`` names, added in ``SearchService._rank``'s order."""
    fused: dict[int, float] = {}
    if a.plain:
        fused = dict.fromkeys((row for row, _s in a.lexical), 1.0)
    else:
        weight = fusion.semantic_weight
        if q.mode in ("hybrid", "lexical"):
            for rank, (row, _s) in enumerate(a.lexical, start=1):
                fused[row] = fused.get(row, 0.0) + fusion.lexical_weight / (fusion.rrf_k + rank)
            first = [a.coverage.get(row, 0.0) for row, _s in a.lexical[:5]]
            weight = fusion.semantic_weight_after(max(first) if first else 0.0)
        if q.mode == "semantic":
            weight = fusion.semantic_weight
        for rank, (row, _s) in enumerate(a.semantic, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (fusion.rrf_k + rank)
    for row, boost in a.boosts:
        fused[row] = fused.get(row, 0.0) + boost
    return fused


# --- shards ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShardInfo:
    index: str  # the index generation served ("index-<n>")
    partitions: tuple[str, ...]
    choices: dict[str, list[str]]
    passages: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ShardInfo:
        return cls(d["index"], tuple(d["partitions"]), d["choices"], int(d["passages"]))


class Shard(Protocol):
    name: str

    def info(self) -> ShardInfo: ...

    def first_phase(self, q: SearchQuery, vector: np.ndarray | None, *, window: int, index: str) -> PartAnswer: ...

    def fetch(self, rows: list[int], *, index: str) -> dict[int, dict[str, Any]]: ...


def select_partitions(keys: list[str], shard: str) -> list[str]:
    """The partitions of shard ``i/n`` (``1/1``: all): every n-th key in name order."""
    try:
        i, n = (int(x) for x in shard.split("/"))
        if not 1 <= i <= n:
            raise ValueError(shard)
    except ValueError:
        raise SearchError(f"shard {shard!r}: expected i/n with 1 ≤ i ≤ n, e.g. 1/2") from None
    return sorted(keys)[i - 1 :: n]


class LocalShard:
    """Partitions of one index, loaded in this process."""

    def __init__(self, folder: Path, *, model: str, keys: list[str] | None = None, fusion: Fusion = FUSION) -> None:
        manifest = read_manifest(folder)
        vocabulary = load_vocabulary(folder)
        self.index_name = folder.name
        self.name = f"{folder.name} (in process)"
        self.fusion = fusion
        known = [p["key"] for p in manifest["partitions"]]
        unknown = sorted(set(keys or ()) - set(known))
        if unknown:
            raise IndexUnavailable(f"{folder}: no partitions {', '.join(unknown)}")
        self.keys = known if keys is None else [k for k in known if k in set(keys)]
        # the partitions searched as one index: one search a query, whatever their number
        self.service: SearchService | None = None  # None: more shards than partitions
        if self.keys:
            index, rows = load_partitions(folder, self.keys, model=model, vocabulary=vocabulary)
            self.service = SearchService(index, fusion=fusion, rows=rows)

    def info(self) -> ShardInfo:
        if self.service is None:
            return ShardInfo(self.index_name, (), {"municipality": [], "kind": [], "body": []}, 0)
        choices = {name: sorted(values) for name, values in self.service.choices().items()}
        return ShardInfo(self.index_name, tuple(self.keys), choices, len(self.service.index.chunks))

    def _check(self, index: str) -> None:
        if index != self.index_name:
            raise IndexUnavailable(f"search shard {self.name} serves {self.index_name}, not {index}; restart it")

    def first_phase(self, q: SearchQuery, vector: np.ndarray | None, *, window: int, index: str) -> PartAnswer:
        self._check(index)
        if self.service is None:
            return PartAnswer()
        return self.service.part_answer(q, parse_query(q), vector=vector, window=window)

    def fetch(self, rows: list[int], *, index: str) -> dict[int, dict[str, Any]]:
        self._check(index)
        out = {}
        for row in rows:
            try:
                if self.service is None:
                    raise KeyError(row)
                out[row] = self.service.row_data(row)
            except KeyError:
                raise SearchError(f"search shard {self.name}: no passage at row {row}") from None
        return out


class RemoteShard:
    """A shard in a search process of its own (``beslutsgraf search-shard``), over HTTP/JSON."""

    def __init__(self, url: str, *, timeout_s: float) -> None:
        self.url = url.rstrip("/")
        self.name = self.url
        self.timeout_s = timeout_s

    def _call(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method="GET" if body is None else "POST",
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            try:
                detail = json.loads(detail)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                pass
            error = SearchError if exc.code == 400 else IndexUnavailable
            raise error(f"search shard {self.url}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise IndexUnavailable(f"search shard {self.url} cannot be reached ({reason})") from None

    def info(self) -> ShardInfo:
        return ShardInfo.from_json(self._call("/shard"))

    def first_phase(self, q: SearchQuery, vector: np.ndarray | None, *, window: int, index: str) -> PartAnswer:
        body = {"query": asdict(q), "vector": None if vector is None else [float(x) for x in vector],
                "window": window, "index": index}
        return PartAnswer.from_json(self._call("/shard/search", body))

    def fetch(self, rows: list[int], *, index: str) -> dict[int, dict[str, Any]]:
        answer = self._call("/shard/fetch", {"rows": rows, "index": index})
        return {int(k): v for k, v in answer["rows"].items()}


# --- the coordinator -------------------------------------------------------------------


def _may_match(info: ShardInfo, q: SearchQuery) -> bool:
    """Whether a shard holds the query's filter values (a shard without one answers
    with nothing, so it is not asked)."""
    return all(not getattr(q, name) or getattr(q, name) in info.choices.get(name, ()) for name in ("municipality", "kind", "body"))


@dataclass
class ShardedSearch:
    """``SearchService.search`` over shards that together hold every partition once."""

    shards: list[Shard]
    index_name: str
    model: str
    analyzer: Analyzer
    window: int = 1000
    fusion: Fusion = FUSION
    _choices: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        infos = self._map(lambda s: s.info())
        choices: dict[str, set[str]] = {"municipality": set(), "kind": set(), "body": set()}
        for info in infos:
            for name, values in info.choices.items():
                choices[name].update(values)
        self._choices = {k: sorted(v) for k, v in choices.items()}
        self._infos = infos

    def check_cover(self, partitions: list[str]) -> None:
        """Refuse shards that serve another index, or that leave a partition out or
        serve one twice (the counts would be wrong)."""
        seen: dict[str, str] = {}
        for shard, info in zip(self.shards, self._infos, strict=True):
            if info.index != self.index_name:
                raise IndexUnavailable(f"search shard {shard.name} serves {info.index}, not {self.index_name}; restart it")
            for key in info.partitions:
                if key in seen:
                    raise IndexUnavailable(f"partition {key} is served by both {seen[key]} and {shard.name}")
                seen[key] = shard.name
        missing = sorted(set(partitions) - set(seen))
        if missing:
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            raise IndexUnavailable(f"no search shard serves partitions {shown} of {self.index_name}")

    def choices(self) -> dict[str, list[str]]:
        return self._choices

    def _map(self, call, shards: list[Shard] | None = None) -> list:
        shards = self.shards if shards is None else shards
        if len(shards) == 1 or all(isinstance(s, LocalShard) for s in shards):
            return [call(s) for s in shards]
        with ThreadPoolExecutor(max_workers=min(16, len(shards))) as pool:
            return list(pool.map(call, shards))

    def search(self, query: SearchQuery) -> SearchResult:
        t0 = time.perf_counter()
        q = validate(query, self._choices)
        p = parse_query(q)
        if not q.text and not p.has_filter:
            raise SearchError(EMPTY_QUERY)
        if q.text and not p.searchable and not p.cases:
            return SearchResult(q, 0, [], {name: {} for name in FACETS}, (time.perf_counter() - t0) * 1000,
                                ONLY_STOPWORDS)
        want = q.offset + q.limit
        window = max(self.window, 10 * want)
        vector = None
        if q.text and q.mode in ("hybrid", "semantic"):
            vector = query_vector(p.free_text, model=self.model)
        # only the shards that hold the filter's value are asked (the others hold no match)
        asked = [n for n, info in enumerate(self._infos) if _may_match(info, q)] or [0]
        answers = self._map(lambda s: s.first_phase(q, vector, window=window, index=self.index_name),
                            [self.shards[n] for n in asked])
        owner = {row: asked[k] for k, a in enumerate(answers) for row in a.documents}
        a = merge(answers, window=window, keep=self.fusion.semantic_kept(q))
        fused = fuse(a, q, self.fusion)
        # semantic matches outside the lexical matches count once kept
        total_rows, total_docs = a.matched_rows, a.matched_docs
        extra_docs: dict[str, dict[str, list[str]]] = {}
        for row, _s in a.semantic:
            loose = a.loose[row]
            total_rows += 0 if loose["row"] else 1
            if not loose["doc"]:
                extra_docs.setdefault(a.documents[row], loose["facets"])
        total_docs += len(extra_docs)
        facets = _add_facets([a.facets, *({name: dict.fromkeys(v, 1) for name, v in f.items()} for f in extra_docs.values())])
        order = sorted(fused, key=lambda row: (-fused[row], row))
        if q.group:
            by_doc: dict[str, list[int]] = {}
            for row in order:
                by_doc.setdefault(a.documents[row], []).append(row)
            page = [rows[:4] for rows in list(by_doc.values())[q.offset : want]]
            total = total_docs
        else:
            page = [[row] for row in order[q.offset : want]]
            total = total_rows
        hits = self._fetch_hits(page, fused, owner, p.free_text)
        return SearchResult(q, total, hits, facets, (time.perf_counter() - t0) * 1000, None)

    def _fetch_hits(self, page: list[list[int]], fused: dict[int, float], owner: dict[int, int], text: str) -> list[Hit]:
        wanted: dict[int, list[int]] = {}
        for rows in page:
            for row in rows:
                wanted.setdefault(owner[row], []).append(row)
        data: dict[int, dict[str, Any]] = {}
        for n, rows in wanted.items():
            data.update(self.shards[n].fetch(rows, index=self.index_name))
        terms = highlight_terms(text, self.analyzer)
        seen: dict[str, bool] = {}
        hits = []
        for rows in page:
            first = data[rows[0]]
            hits.append(make_hit(
                chunk_from_json(first["chunk"]), fused[rows[0]], terms, bodies=tuple(first["bodies"]),
                cases=tuple(first["cases"]), more=[(chunk_from_json(data[r]["chunk"]), fused[r]) for r in rows[1:]],
                seen=seen,
            ))
        return hits


def open_sharded(folder: Path, settings) -> ShardedSearch:
    """The search over the partitioned index in ``folder``: its partitions loaded here, or
    the shards of the setting ``search_shards`` (URLs, comma-separated)."""
    manifest = read_manifest(folder)
    urls = [u.strip() for u in (settings.search_shards or "").split(",") if u.strip()]
    if urls:
        shards: list[Shard] = [RemoteShard(u, timeout_s=settings.search_shard_timeout_s) for u in urls]
    else:
        shards = [LocalShard(folder, model=settings.embedding_model)]
    service = ShardedSearch(shards, folder.name, settings.embedding_model,
                            Analyzer(decompound=True, vocabulary=load_vocabulary(folder)),
                            window=settings.search_rank_window)
    service.check_cover([p["key"] for p in manifest["partitions"]])
    return service


class ShardHost:
    """What a search process serves: the partitions of setting ``search_shard`` of the
    index that the data directory serves, loaded again when a build commits another."""

    def __init__(self, settings) -> None:
        from ..graph.store import DataDir

        self.settings = settings
        self.data = DataDir.for_settings(settings)
        self._shard: LocalShard | None = None
        select_partitions([], settings.search_shard)  # a bad i/n fails at start

    def current(self) -> LocalShard:
        name = self.data.serving().index
        if not name:
            raise IndexUnavailable(f"{self.data.path}: no search index; run `beslutsgraf build` first")
        if self._shard is None or self._shard.index_name != name:
            folder = self.data.index_path(name)
            if not is_partitioned(folder):
                raise IndexUnavailable(f"{folder}: not partitioned; build with index_partitions=municipality-year")
            keys = select_partitions([p["key"] for p in read_manifest(folder)["partitions"]], self.settings.search_shard)
            self._shard = LocalShard(folder, model=self.settings.embedding_model, keys=keys)
        return self._shard


def shard_query(body: dict[str, Any]) -> tuple[SearchQuery, np.ndarray | None, int, str]:
    """A shard request's JSON as ``first_phase``'s arguments (the shard's HTTP side)."""
    try:
        q = replace(SearchQuery(""), **body["query"])
        vector = None if body.get("vector") is None else np.asarray(body["vector"], dtype=np.float32)
        return q, vector, int(body["window"]), str(body["index"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SearchError(f"shard request: {exc}") from None
