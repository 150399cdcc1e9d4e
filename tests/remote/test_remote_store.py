"""The graph in a SPARQL 1.1 server: the corpus built into a real Oxigraph server
(``oxigraph serve``) gives the same quads, example-query answers, pages, API answers,
lineage and CLI output as the embedded store; a server that is down, slow or fails
mid-commit gives a clear error and leaves what was served as it was."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import CORPUS, ROOT, free_port, oxigraph_server, serve

from beslutsgraf.build import build
from beslutsgraf.config import Settings, load_settings
from beslutsgraf.errors import StoreError
from beslutsgraf.graph.remote import STAGING_PREFIX
from beslutsgraf.graph.sparql_client import Endpoints, SparqlClient
from beslutsgraf.graph.store import DataDir, store_stats
from beslutsgraf.services.sparql import run_query

QUERIES = ROOT / "ontology" / "queries"
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def remote_settings(server: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = load_settings(data_dir=str(tmp_path_factory.mktemp("remote") / "data"), store=server)
    report = build(CORPUS, settings=settings)
    assert not report.failed and report.committed
    return settings


def quads(settings: Settings) -> set[tuple[str, str, str, str]]:
    """Every quad the store holds, blank nodes written as ``_`` (their ids differ between stores)."""
    def term(t) -> str:
        return "_" if t.kind == "bnode" else repr(t)

    result = run_query(settings, ALL_QUADS, max_rows=10**7)
    return {tuple(term(v) for v in row) for row in result.rows}  # type: ignore[misc]


def answers(settings: Settings, query: str) -> list[str]:
    result = run_query(settings, query, max_rows=10**6)
    return sorted(map(repr, result.rows or result.triples or [result.boolean]))


def test_the_server_holds_the_same_quads_as_the_embedded_store(built_settings, remote_settings):
    embedded, remote = quads(built_settings), quads(remote_settings)
    assert len(embedded) > 5000
    assert remote == embedded
    assert store_stats(DataDir.for_settings(remote_settings)).triples == store_stats(built_settings.data_path).triples
    client = SparqlClient(DataDir.for_settings(remote_settings).remote)
    assert client.graphs(prefix=STAGING_PREFIX) == []  # nothing left staged


@pytest.mark.parametrize("name", sorted(p.name for p in QUERIES.glob("*.rq")))
def test_every_example_query_answers_the_same(built_settings, remote_settings, name):
    query = (QUERIES / name).read_text(encoding="utf-8")
    assert answers(remote_settings, query) == answers(built_settings, query)


def test_a_bound_value_cannot_change_the_query(remote_settings):
    """Bound values go to the server as serialised terms in a VALUES block, not as text."""
    client = SparqlClient(DataDir.for_settings(remote_settings).remote)
    hostile = ox.Literal('x" } } ; DROP ALL ; SELECT * { "')
    rows = list(client.query("SELECT ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t }",
                             substitutions={ox.Variable("t"): hostile}))
    assert rows == []
    assert len(quads(remote_settings)) > 5000


def _web_paths(client) -> list[str]:
    """Pages and API answers over every document, case and body of the corpus."""
    paths = ["/", "/api/documents", "/api/cases", "/api/bodies", "/api/persons", "/api/recommendations",
             "/api/search?q=v%C3%A5ldsbejakande%20milj%C3%B6er", "/sok?q=rekommendationer",
             "/api/search/filters"]
    for doc in client.get("/api/documents").json()["items"]:
        paths += [f"/api/documents/{doc['id']}", f"/api/lineage?id={doc['id']}",
                  "/" + doc["iri"].split("/", 3)[3]]
    for case in client.get("/api/cases").json()["items"]:
        paths += [f"/api/cases/{case['id']}", f"/api/lineage?id={case['number']}",
                  "/" + case["iri"].split("/", 3)[3]]
    for body in client.get("/api/bodies?limit=200").json()["items"]:
        paths.append("/" + body["iri"].split("/", 3)[3])
    return paths


def _untimed(text: str) -> str:
    """An answer without the time it took (the one thing that may differ)."""
    return re.sub(r'"took_ms":[0-9.]+|[0-9]+(?:[.,][0-9]+)? ms\b', "", text)


def test_the_web_app_answers_the_same(built_settings, remote_settings):
    from fastapi.testclient import TestClient

    from beslutsgraf.web.app import create_app

    with TestClient(create_app(built_settings)) as embedded, TestClient(create_app(remote_settings)) as remote:
        paths = _web_paths(embedded)
        assert len(paths) > 30
        for path in paths:
            a, b = embedded.get(path), remote.get(path)
            assert (b.status_code, _untimed(b.text)) == (a.status_code, _untimed(a.text)), path
            assert a.status_code == 200, path
        for accept in ("text/turtle", "application/n-triples"):
            doc = embedded.get("/api/documents").json()["items"][0]
            path = "/" + doc["iri"].split("/", 3)[3]
            assert remote.get(path, headers={"accept": accept}).text == embedded.get(path, headers={"accept": accept}).text
        query = {"query": (QUERIES / "persons_and_roles.rq").read_text(encoding="utf-8")}
        csv = {"accept": "text/csv"}
        a, b = embedded.get("/sparql", params=query, headers=csv), remote.get("/sparql", params=query, headers=csv)
        assert b.status_code == 200 and sorted(b.text.splitlines()) == sorted(a.text.splitlines())


def test_cli_and_a_real_server_on_the_remote_store(built_settings, remote_settings):
    exe = [sys.executable, "-m", "beslutsgraf"]
    store = ["--data-dir", str(remote_settings.data_path), "--store", remote_settings.store]
    local = ["--data-dir", str(built_settings.data_path)]
    for args in (["lineage", "STK-2018-885", "--json"], ["stats", "--json"],
                 ["sparql", "SELECT ?d ?t WHERE { ?d <http://purl.org/dc/terms/title> ?t } ORDER BY ?d"]):
        a = subprocess.run([*exe, *args, *local], capture_output=True, text=True, check=True).stdout
        b = subprocess.run([*exe, *args, *store], capture_output=True, text=True, check=True).stdout
        if args[0] == "stats":
            a, b = json.loads(a), json.loads(b)
            for key in ("data_dir", "store_bytes", "data_dir_bytes"):
                a.pop(key), b.pop(key)
        assert b == a, args[0]
    with serve(remote_settings.data_path, store=remote_settings.store) as url:
        import httpx

        got = httpx.get(url + "/api/documents", timeout=30).json()
    assert sorted(d["id"] for d in got["items"]) == sorted(p.stem for p in CORPUS.glob("*.txt"))


# --- incremental builds and faults --------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Settings, Path]]:
    """A server of its own and a copy of the corpus to change."""
    corpus = Path(shutil.copytree(CORPUS, tmp_path / "corpus"))
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield load_settings(data_dir=str(tmp_path / "data"), store=url), corpus


def _graphs(settings: Settings) -> list[str]:
    return SparqlClient(DataDir.for_settings(settings).remote).graphs()


def test_an_incremental_build_replaces_and_drops_graphs(fresh):
    settings, corpus = fresh
    build(corpus, settings=settings)
    data = DataDir.for_settings(settings)
    before = data.read_manifest()
    removed, changed = sorted(corpus.glob("*.txt"))[:2]
    removed.unlink()
    changed.write_text(changed.read_text(encoding="utf-8") + "\nKommunstyrelsen beslutar att godkänna rapporten.\n",
                       encoding="utf-8")
    report = build(corpus, settings=settings)
    assert report.committed and report.incremental
    after = data.read_manifest()
    assert after.location == settings.store and after.store != before.store
    graphs = _graphs(settings)
    want = sorted([e.graph for e in after.sources.values()] + [after.ontology["graph"]])
    assert graphs == want
    assert before.sources[removed.name].graph not in graphs
    assert store_stats(data).triples == after.triples  # every quad, blank nodes apart


def test_a_failed_commit_leaves_the_served_graph_as_it_was(fresh, monkeypatch):
    settings, corpus = fresh
    build(corpus, settings=settings)
    data = DataDir.for_settings(settings)
    served, manifest = quads(settings), data.read_manifest()
    current = data.current_path.read_bytes()
    doc = min(corpus.glob("*.txt"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\nRevisorerna rekommenderar nämnden att följa upp.\n",
                   encoding="utf-8")

    real_update = SparqlClient.update

    def failing_update(self, update, **kw):
        if "MOVE" in update:
            raise StoreError(f"{self.endpoints.url}: the connection to the SPARQL server failed during the update")
        return real_update(self, update, **kw)

    monkeypatch.setattr(SparqlClient, "update", failing_update)
    with pytest.raises(StoreError, match="failed during the update"):
        build(corpus, settings=settings)
    assert quads(settings) == served
    assert data.current_path.read_bytes() == current
    assert data.read_manifest().to_json() == manifest.to_json()
    assert SparqlClient(data.remote).graphs(prefix=STAGING_PREFIX) == []
    monkeypatch.undo()
    report = build(corpus, settings=settings)
    assert report.committed and quads(settings) != served
    assert store_stats(data).triples == data.read_manifest().triples


def test_a_server_that_is_down_is_named_in_the_error(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    settings = load_settings(data_dir=str(tmp_path / "data"), store=url)
    with pytest.raises(StoreError, match=rf"{url}/.*cannot reach the SPARQL server"):
        build(CORPUS, settings=settings)
    assert not (tmp_path / "data" / "CURRENT").exists()
    assert not (tmp_path / "data" / "manifest.json").exists()


def test_a_silent_server_times_out_with_a_clear_error(remote_settings):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        accepted: list[socket.socket] = []
        thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        settings = load_settings(data_dir=str(remote_settings.data_path), store=url, store_timeout_s=1)
        with pytest.raises(StoreError, match=r"no answer to the query within 1 s"):
            run_query(settings, "ASK { ?s ?p ?o }")
        for conn in accepted:
            conn.close()


def test_a_server_without_the_union_default_graph_is_refused(tmp_path, remote_settings):
    with oxigraph_server(tmp_path / "plain", union=False) as url:
        client = SparqlClient(Endpoints(url))
        client.put_graph("https://example.org/g", [ox.Triple(ox.NamedNode("https://example.org/s"),
                                                             ox.NamedNode("https://example.org/p"),
                                                             ox.Literal("o"))])
        settings = load_settings(data_dir=str(remote_settings.data_path), store=url)
        with pytest.raises(StoreError, match="--union-default-graph"):
            run_query(settings, "ASK { ?s ?p ?o }")


def test_a_store_folder_holds_the_generations(tmp_path):
    """The setting ``store`` as a folder: the embedded generations live there, the rest in the data dir."""
    settings = load_settings(data_dir=str(tmp_path / "data"), store=str(tmp_path / "graph"))
    build(CORPUS, settings=settings)
    assert [p.name for p in (tmp_path / "graph").iterdir() if p.is_dir()] == ["store-1"]
    assert not any(p.name.startswith("store-") and p.is_dir() for p in (tmp_path / "data").iterdir())
    assert run_query(settings, "ASK { ?s ?p ?o }").boolean is True
