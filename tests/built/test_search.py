"""The search service over the real corpus with the real default embedding model."""

import glob
import json
from pathlib import Path

import pytest

from beslutsgraf.errors import BeslutsgrafError
from beslutsgraf.extract.pipeline import extract_file
from beslutsgraf.graph.store import DataDir
from beslutsgraf.index.search_index import SearchIndex, build_index
from beslutsgraf.index.vectors import DEFAULT_MODEL, VectorIndex
from beslutsgraf.services.evaluation import by_split, evaluate, format_table, load_queries
from beslutsgraf.services.search import SearchError, SearchQuery, SearchService

MODEL = DEFAULT_MODEL


@pytest.fixture(scope="module")
def extractions():
    return [extract_file(f) for f in sorted(glob.glob("corpus/*.txt"))]


@pytest.fixture(scope="module")
def index_dir(built_settings):
    """The index of the corpus built once for the run (read only; that a first build
    embeds every passage is tests/built/test_build_index.py's)."""
    data = DataDir(built_settings.data_path)
    folder = data.index_path(data.read_manifest().index)
    assert len((folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines()) > 50
    return folder


@pytest.fixture(scope="module")
def service(index_dir):
    return SearchService(SearchIndex.load(index_dir, model=MODEL))


def test_case_number_goes_straight_to_its_document(service):
    res = service.search(SearchQuery("STK-2017-284"))
    assert res.hits[0].document == "002_a82cb0acb981a939"
    sn = res.hits[0].snippet
    assert "STK-2017-284" in [sn.text[a:b] for a, b in sn.highlights]
    assert "STK-2017-284" in res.hits[0].case_numbers


def test_case_number_inside_a_query_and_with_a_prefix(service):
    res = service.search(SearchQuery("remiss dnr 3.1.3-91/2019"))
    assert res.hits[0].document == "001_e1b0bc157f42c3af"


def test_quoted_phrase_must_match_exactly(service):
    res = service.search(SearchQuery('"örat mot marken"'))
    assert [h.document for h in res.hits] == ["002_a82cb0acb981a939"]
    assert all("örat mot marken" in h.snippet.text.lower() for h in res.hits)


def test_results_grouped_per_document_with_more_passages(service):
    res = service.search(SearchQuery("CTC utvecklingsledare fritidsnämnden", limit=10))
    docs = [h.document for h in res.hits]
    assert len(docs) == len(set(docs))
    assert docs[0] == "004_d69471dc42ee4681"
    assert res.hits[0].passages and res.hits[0].passages[0].score <= res.hits[0].score
    flat = service.search(SearchQuery("CTC utvecklingsledare fritidsnämnden", limit=10, group=False))
    assert len({h.passage_id for h in flat.hits}) == len(flat.hits) == 10


def test_filters_and_facets(service):
    res = service.search(SearchQuery("våldsbejakande extremism"))
    assert res.facets["municipality"] == {"Malmö": 1, "Stockholm": 1}
    assert res.facets["kind"] == {"Tjänsteskrivelse": 1, "Tjänsteutlåtande": 1}
    assert res.facets["body"]["Kommunstyrelsen"] == 2
    only = service.search(SearchQuery("våldsbejakande extremism", municipality="stockholm"))
    assert {h.municipality for h in only.hits} == {"Stockholm"}
    assert only.query.municipality == "Stockholm"
    by_body = service.search(SearchQuery("rekommendationer", body="Revisorskollegiet"))
    assert [h.document for h in by_body.hits] == ["000_3c3574245795578f"]
    dated = service.search(SearchQuery("CTC", date_from="2024-01-01", date_to="2024-12-31"))
    assert {h.date[:4] for h in dated.hits} == {"2024"}
    kind = service.search(SearchQuery("barn i kriminalitet", kind="Nämndinitiativ"))
    assert [h.doc_type for h in kind.hits] == ["Nämndinitiativ"]


def test_filter_only_lists_documents(service):
    res = service.search(SearchQuery("", municipality="Malmö"))
    assert res.total == 4


@pytest.mark.parametrize(
    "query, message",
    [
        (SearchQuery(""), "empty query"),
        (SearchQuery("x" * 10_000), "at most 1000"),
        (SearchQuery("CTC", municipality="Atlantis"), "known values: Malmö, Stockholm"),
        (SearchQuery("CTC", date_from="2024-13-01"), "YYYY-MM-DD"),
        (SearchQuery("CTC", date_from="2024-05-01", date_to="2024-01-01"), "is after"),
        (SearchQuery("CTC", mode="fuzzy"), "hybrid, lexical, semantic"),
        (SearchQuery("CTC", limit=0), "between 1 and 100"),
    ],
)
def test_bad_queries_get_clear_errors(service, query, message):
    with pytest.raises(SearchError, match=message):
        service.search(query)


@pytest.mark.parametrize("text", ["och det är", "!!! ?? ...", "att"])
def test_stopwords_or_punctuation_give_an_empty_result_with_a_notice(service, text):
    res = service.search(SearchQuery(text))
    assert res.hits == [] and res.total == 0 and "stopwords" in res.notice


def test_snippets_mark_stems_and_compound_parts(service):
    res = service.search(SearchQuery("förebygga brott", mode="lexical"))
    marked = {h.snippet.text[a:b].lower() for h in res.hits for a, b in h.snippet.highlights}
    assert {"brottsförebyggande", "förebyggande"} & marked


def test_unchanged_chunks_are_not_embedded_again(tmp_path, extractions, index_dir):
    report = build_index(extractions, tmp_path / "index-2", model=MODEL, previous=index_dir)
    assert report.embedded == 0 and report.reused + report.skipped == report.chunks
    changed = extractions[:1]
    report = build_index(changed, tmp_path / "index-3", model=MODEL, previous=index_dir)
    assert report.embedded == 0


def test_a_model_change_is_never_a_silent_mismatch(index_dir):
    with pytest.raises(BeslutsgrafError, match="run `beslutsgraf build` to re-embed"):
        VectorIndex.load(index_dir / "vectors", model="intfloat/multilingual-e5-small")


def test_evaluation_hybrid_is_at_least_as_good_as_either_alone(service):
    queries = load_queries(Path("tests/eval/queries.jsonl"))
    assert len(queries) >= 40
    table = evaluate(service, queries)
    print("\n" + format_table(table))
    best_single = max(table["lexical"]["ndcg@10"], table["semantic"]["ndcg@10"])
    assert table["hybrid"]["ndcg@10"] >= best_single
    assert table["hybrid"]["mrr"] >= max(table["lexical"]["mrr"], table["semantic"]["mrr"])
    # the figures reached (README "Search evaluation"), less a little for float noise
    assert table["hybrid"]["ndcg@10"] >= 0.79
    assert table["hybrid"]["mrr"] >= 0.87
    assert table["lexical"]["ndcg@10"] >= 0.72


def test_document_level_judgments_rank_documents(service, tmp_path):
    """A judgment without a fragment grades the whole document, and the search is grouped:
    the same document found in several passages counts once."""
    lines = [
        {"id": "d1", "query": "våldsbejakande extremism", "type": "keyword", "split": "tune",
         "relevant": [{"source": "001_e1b0bc157f42c3af.txt", "grade": 2}]},
        {"id": "d2", "query": "våldsbejakande extremism", "type": "keyword", "split": "report",
         "relevant": [{"source": "no_such_document.txt", "grade": 2}]},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    queries = load_queries(path)
    assert [q.document_level for q in queries] == [True, True]
    halves = by_split(queries)
    assert list(halves) == ["tune", "report"]
    found = evaluate(service, halves["tune"], modes=("hybrid",))["hybrid"]
    assert found == {"ndcg@10": 1.0, "mrr": 1.0, "recall@10": 1.0}
    assert evaluate(service, halves["report"], modes=("lexical",))["lexical"]["mrr"] == 0.0


def test_judgments_mixing_levels_are_refused(tmp_path):
    path = tmp_path / "q.jsonl"
    line = {"id": "m1", "query": "x", "relevant": [{"source": "a.txt", "grade": 2}, {"source": "a.txt", "fragment": "y", "grade": 1}]}
    path.write_text(json.dumps(line), encoding="utf-8")
    with pytest.raises(BeslutsgrafError, match=r"q.jsonl:1: query m1"):
        load_queries(path)
