"""The search index in partitions (municipality and year), searched in this process or
by search processes of their own (``beslutsgraf search-shard``): every answer (hits,
scores, snippets, totals, facets) is the one index's; shards that do not serve every
partition once, are down or serve another generation are refused with a clear error."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from support import ROOT, corpus_with_devset, free_port, running, serve

from beslutsgraf.build import build
from beslutsgraf.config import Settings, load_settings
from beslutsgraf.errors import IndexUnavailable, SearchError, SettingsError
from beslutsgraf.graph.store import DataDir
from beslutsgraf.index.partitions import is_partitioned, read_manifest
from beslutsgraf.services.search import SearchQuery, SearchService, hit_json, open_search
from beslutsgraf.services.sharded_search import ShardedSearch

EVAL_QUERIES = ROOT / "tests" / "eval" / "queries.jsonl"
# beyond the evaluation's queries: a case number, a phrase, stopwords only, a compound
MORE_QUERIES = ["STK-2018-885", "\"stadsdelsnämnden i Skärholmen\"", "och att det", "brottsförebyggande arbete",
                "dnr 3.1.3–91/2019 revision"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Settings, Path]:
    """The same corpus as one index and, in a copy of its data directory, partitioned."""
    tmp = tmp_path_factory.mktemp("sharded")
    corpus = corpus_with_devset(tmp)
    one = load_settings(data_dir=str(tmp / "one"))
    assert not build(corpus, settings=one).failed
    shutil.copytree(tmp / "one", tmp / "parts")
    parts = load_settings(data_dir=str(tmp / "parts"), index_partitions="municipality-year")
    report = build(corpus, settings=parts)
    # only the index is made again, and every vector is reused from the one index
    assert report.committed and report.index_chunks > 0 and report.embedded == 0
    return one, parts, corpus


def _serving_index(settings: Settings) -> str:
    return DataDir.for_settings(settings).serving().index


def _queries() -> list[str]:
    lines = EVAL_QUERIES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()] + MORE_QUERIES


def _answer(service, q: SearchQuery) -> str:
    r = service.search(q)
    return json.dumps([[hit_json(h) for h in r.hits], r.total, r.facets, r.notice], ensure_ascii=False)


def _variants(service: SearchService) -> list[dict]:
    """Filters and pages to search with: one municipality, body and kind of the index each."""
    choices = service.choices()
    return [
        {"municipality": "Malmö"},
        {"municipality": choices["municipality"][-1]},
        {"body": "Kommunstyrelsen" if "Kommunstyrelsen" in choices["body"] else choices["body"][0]},
        {"kind": choices["kind"][0]},
        {"date_from": "2019-01-01", "date_to": "2023-12-31"},
        {"group": False, "limit": 20},
        {"offset": 5, "limit": 5},
    ]


def test_the_build_writes_one_index_per_municipality_and_year(built) -> None:
    one, parts, _ = built
    folder = parts.data_path / _serving_index(parts)
    assert is_partitioned(folder)
    manifest = read_manifest(folder)
    keys = [p["key"] for p in manifest["partitions"]]
    assert len(keys) >= 20 and keys == sorted(keys) and "malmo/2024" in keys
    assert sum(p["passages"] for p in manifest["partitions"]) == manifest["chunks"]
    service = open_search(one)
    assert manifest["chunks"] == len(service.index.chunks)
    # each document lies in one partition
    seen: dict[str, str] = {}
    for key in keys:
        for line in (folder / "partitions" / key / "chunks.jsonl").read_text(encoding="utf-8").splitlines():
            document = json.loads(line)["document"]
            assert seen.setdefault(document, key) == key


def test_partitions_searched_in_process_answer_as_the_one_index(built) -> None:
    one, parts, _ = built
    single, sharded = open_search(one), open_search(parts)
    assert isinstance(single, SearchService) and isinstance(sharded, ShardedSearch)
    assert sharded.choices() == single.choices()
    compared = 0
    for text in _queries():
        for mode in ("hybrid", "lexical", "semantic"):
            q = SearchQuery(text, mode=mode)
            assert _answer(sharded, q) == _answer(single, q), (text, mode)
            compared += 1
    for text in _queries()[::6]:
        for variant in _variants(single):
            for mode in ("hybrid", "lexical"):
                q = SearchQuery(text, mode=mode, **variant)
                assert _answer(sharded, q) == _answer(single, q), (text, mode, variant)
                compared += 1
    for variant in _variants(single)[:5]:  # filters alone
        q = SearchQuery("", **variant)
        assert _answer(sharded, q) == _answer(single, q), variant
    assert compared > 200


def test_an_unknown_filter_value_is_refused_with_the_index_values(built) -> None:
    _, parts, _ = built
    with pytest.raises(SearchError, match="unknown municipality 'Atlantis'; known values: .*Malmö"):
        open_search(parts).search(SearchQuery("budget", municipality="Atlantis"))


@contextmanager
def shards(settings: Settings, *which: str) -> Iterator[list[str]]:
    """``beslutsgraf search-shard`` processes over ``settings``' data directory, one per
    ``i/n`` of ``which``; yield their URLs."""
    urls = []
    with ExitStack() as stack:
        for shard in which:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            args = [sys.executable, "-m", "beslutsgraf", "search-shard", "--shard", shard, "--port", str(port),
                    "--data-dir", str(settings.data_path)]
            stack.enter_context(running(args, url + "/shard", name=f"search shard {shard}", wait_s=60))
            urls.append(url)
        yield urls


@pytest.fixture(scope="module")
def two_shards(built) -> Iterator[list[str]]:
    _, parts, _ = built
    with shards(parts, "1/2", "2/2") as urls:
        yield urls


def test_two_search_processes_answer_as_the_one_index(built, two_shards) -> None:
    one, parts, _ = built
    infos = [httpx.get(u + "/shard").json() for u in two_shards]
    keys = [p["key"] for p in read_manifest(parts.data_path / _serving_index(parts))["partitions"]]
    assert sorted(infos[0]["partitions"] + infos[1]["partitions"]) == keys
    assert not set(infos[0]["partitions"]) & set(infos[1]["partitions"])
    single = open_search(one)
    remote = open_search(replace(parts, values={**parts.values, "search_shards": ",".join(two_shards)}))
    assert [s.name for s in remote.shards] == two_shards
    for text in _queries()[::3]:
        for mode in ("hybrid", "lexical", "semantic"):
            q = SearchQuery(text, mode=mode)
            assert _answer(remote, q) == _answer(single, q), (text, mode)
    for variant in _variants(single):
        q = SearchQuery("kommunstyrelsen beslut", **variant)
        assert _answer(remote, q) == _answer(single, q), variant


def test_the_web_app_searches_through_the_shards(built, two_shards) -> None:
    one, parts, _ = built
    expected = open_search(one).search(SearchQuery("våldsbejakande extremism", limit=5))
    with serve(parts.data_path, search_shards=",".join(two_shards)) as url:
        api = httpx.get(url + "/api/search", params={"q": "våldsbejakande extremism", "limit": 5}, timeout=60).json()
        page = httpx.get(url + "/sok", params={"q": "våldsbejakande extremism"}, timeout=60)
    assert [h["passage_id"] for h in api["hits"]] == [h.passage_id for h in expected.hits]
    assert api["total"] == expected.total and api["facets"] == expected.facets
    assert page.status_code == 200 and expected.hits[0].title in page.text


def test_shards_must_serve_every_partition_once(built, two_shards) -> None:
    _, parts, _ = built
    half = replace(parts, values={**parts.values, "search_shards": two_shards[0]})
    with pytest.raises(IndexUnavailable, match=r"no search shard serves partitions .* of index-"):
        open_search(half)
    twice = replace(parts, values={**parts.values, "search_shards": ",".join([two_shards[0], *two_shards])})
    with pytest.raises(IndexUnavailable, match="is served by both"):
        open_search(twice)


def test_a_shard_that_is_down_is_a_clear_error(built) -> None:
    _, parts, _ = built
    down = f"http://127.0.0.1:{free_port()}"
    settings = replace(parts, values={**parts.values, "search_shards": down, "search_shard_timeout_s": 2.0})
    with pytest.raises(IndexUnavailable, match=f"search shard {down} cannot be reached"):
        open_search(settings)


def test_shards_follow_a_new_build_and_refuse_an_old_coordinator(built, tmp_path: Path) -> None:
    _, parts, corpus = built
    data = tmp_path / "data"
    shutil.copytree(parts.data_path, data)
    settings = replace(parts, values={**parts.values, "data_dir": str(data)})
    with shards(settings, "1/1") as urls:
        remote = replace(settings, values={**settings.values, "search_shards": urls[0]})
        old = open_search(remote)
        assert old.search(SearchQuery("kommunstyrelsen")).total > 0
        changed = Path(shutil.copytree(corpus, tmp_path / "corpus"))
        (changed / "zz_ny.txt").write_text(
            "Tjänsteskrivelse\nDatum 2024-05-02\nMalmö stad\nFlytbryggor i Limhamn STK-2024-999\n\n"
            "Kommunstyrelsen föreslås besluta att flytbryggor byggs i Limhamns hamn.\n", encoding="utf-8")
        report = build(changed, settings=settings)
        assert report.committed and report.embedded > 0
        new = open_search(remote)  # the shard loads the new generation when asked
        hits = new.search(SearchQuery("flytbryggor")).hits
        assert hits and hits[0].source == "zz_ny.txt"
        with pytest.raises(IndexUnavailable, match=f"serves index-\\d+, not {old.index_name}; restart it"):
            old.search(SearchQuery("kommunstyrelsen"))


def test_bad_partition_settings_are_refused_before_anything_is_built(built, tmp_path: Path) -> None:
    _, _, corpus = built
    with pytest.raises(SettingsError, match="unknown index_partitions 'kommun'; choose one of: '', 'municipality-year'"):
        build(corpus, settings=load_settings(data_dir=str(tmp_path / "d"), index_partitions="kommun"))
    assert not (tmp_path / "d" / "CURRENT").exists()
