"""Partitions of the search index: BM25 scored with the whole index's statistics gives
every passage the score the one index gives it (to the bit), the partition of a passage
is its municipality and year, and a shard's share of the partitions is every n-th."""

from __future__ import annotations

import numpy as np
import pytest
from support import CORPUS

from beslutsgraf.errors import SearchError
from beslutsgraf.index.lexical import Analyzer, LexicalIndex, build_vocabulary, corpus_stats
from beslutsgraf.index.partitions import partition_key
from beslutsgraf.index.passages import Chunk
from beslutsgraf.services.search import FUSION, PartAnswer, SearchQuery
from beslutsgraf.services.sharded_search import fuse, merge, select_partitions


def _paragraphs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    return [x for t in texts for x in t.split("\n\n") if x.strip()]


def _three_partitions():
    """The corpus paragraphs, their one BM25 index, and three partitions (every third
    paragraph) scored with the one index's statistics."""
    texts = _paragraphs()
    one = LexicalIndex.build(texts)
    analyzer = Analyzer(decompound=True, vocabulary=build_vocabulary(texts))
    terms = [analyzer.terms(t) or ["∅"] for t in texts]
    stats = corpus_stats(terms)
    rows = np.arange(len(texts))
    parts = [rows[rows % 3 == k] for k in range(3)]
    lexical = [LexicalIndex.from_terms([terms[i] for i in part], analyzer=analyzer, stats=stats) for part in parts]
    return texts, one, parts, lexical


@pytest.mark.parametrize("query", ["kommunstyrelsen beslut", "förebygga brott", "beslut beslut kommun", "saknas"])
def test_partitions_scored_with_the_index_statistics_score_as_the_index(query: str) -> None:
    texts, one, parts, lexical = _three_partitions()
    scores = np.zeros(len(texts), dtype=np.float32)
    for part, index in zip(parts, lexical, strict=True):
        scores[part] = index.scores(query)
    assert np.array_equal(scores, one.scores(query))
    assert (scores > 0).any() == (query != "saknas")
    # scored with its own statistics, a partition would rank otherwise
    own = LexicalIndex.build([texts[i] for i in parts[0]]).scores(query)
    assert query == "saknas" or not np.array_equal(own, scores[parts[0]])


@pytest.mark.parametrize("query", ["kommunstyrelsen beslut", "förebygga brott", "saknas"])
def test_partitions_joined_score_as_the_index(query: str) -> None:
    """A search process joins its partitions into one index: every passage keeps its
    score to the bit, in the whole index's row order."""
    texts, one, parts, lexical = _three_partitions()
    concatenated = np.concatenate(parts)
    joined = LexicalIndex.concat(lexical, np.argsort(concatenated, kind="stable"))
    assert joined.size == len(texts)
    assert np.array_equal(joined.scores(query), one.scores(query))
    # two of the three: the rows of those two, in ascending order
    two = np.sort(np.concatenate(parts[:2]))
    joined_two = LexicalIndex.concat(lexical[:2], np.argsort(np.concatenate(parts[:2]), kind="stable"))
    assert np.array_equal(joined_two.scores(query), one.scores(query)[two])


def _chunk(municipality: str | None, date: str | None) -> Chunk:
    return Chunk("d#0", "d", "d.txt", 0, 0, 1, "x", "", "", None, None, date, municipality, (), ())


def test_a_passage_goes_to_its_municipality_and_year() -> None:
    assert partition_key(_chunk("Malmö", "2018-03-01")) == "malmo/2018"
    assert partition_key(_chunk("Region Västra Götaland", "2021")) == "region-vastra-gotaland/2021"
    assert partition_key(_chunk(None, None)).endswith("/okant-ar")


def test_a_shard_serves_every_nth_partition() -> None:
    keys = ["c/2020", "a/2019", "b/2021", "d/2018", "e/2017"]
    assert select_partitions(keys, "1/1") == sorted(keys)
    assert select_partitions(keys, "1/2") == ["a/2019", "c/2020", "e/2017"]
    assert select_partitions(keys, "2/2") == ["b/2021", "d/2018"]
    for bad in ("3/2", "0/1", "x", "1-2"):
        with pytest.raises(SearchError, match="expected i/n"):
            select_partitions(keys, bad)


def test_merged_answers_rank_by_score_then_row_and_add_their_counts() -> None:
    a = PartAnswer(lexical=[(4, 3.0), (1, 1.0)], documents={4: "x", 1: "y"}, matched_rows=2, matched_docs=2,
                   coverage={4: 0.5, 1: 1.0}, facets={"municipality": {"Malmö": 2}})
    b = PartAnswer(lexical=[(2, 3.0), (7, 2.0)], documents={2: "z", 7: "w"}, matched_rows=5, matched_docs=1,
                   coverage={2: 0.25, 7: 0.0}, facets={"municipality": {"Lund": 1, "Malmö": 1}})
    m = merge([a, b], window=3, keep=10)
    assert m.lexical == [(2, 3.0), (4, 3.0), (7, 2.0)]  # tie at 3.0: the lower row first
    assert (m.matched_rows, m.matched_docs) == (7, 3)
    assert m.facets["municipality"] == {"Malmö": 3, "Lund": 1}
    fused = fuse(m, SearchQuery("x", mode="lexical"), FUSION)
    assert list(fused) == [2, 4, 7] and fused[2] > fused[4] > fused[7]
