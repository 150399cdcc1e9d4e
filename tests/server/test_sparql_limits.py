"""Limits that keep one SPARQL client from taking the machine: a worker's heap is capped
(a query needing more is stopped with a clear message, the next query runs), and one
client has at most ``sparql_per_client`` queries running on the web endpoint."""

from __future__ import annotations

import concurrent.futures
from urllib.parse import quote

import httpx
import pytest

from beslutsgraf.config import load_settings
from beslutsgraf.errors import WorkerDied
from beslutsgraf.services.sparql import QueryPool, run_query

HUNGRY = "SELECT ?a ?d { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"  # sorts |G|² rows
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"  # a few seconds, little memory
SMALL = "SELECT (COUNT(*) AS ?n) { ?s a ?c }"


def _capped(settings, mb: float):
    return load_settings(**{**settings.values, "sparql_memory_mb": mb, "sparql_timeout_s": 30.0})


def test_a_query_over_the_memory_cap_is_stopped_and_named(built_settings) -> None:
    settings = _capped(built_settings, 300)
    with pytest.raises(WorkerDied, match=r"needed more than 300 MB \(setting sparql_memory_mb\)"):
        run_query(settings, HUNGRY)
    assert int(run_query(settings, SMALL).rows[0][0].value) > 0


def test_the_pool_replaces_a_worker_stopped_by_the_cap(built_settings) -> None:
    pool = QueryPool(_capped(built_settings, 300), size=1)
    try:
        with pytest.raises(WorkerDied, match="needed more than 300 MB"):
            pool.run(HUNGRY)
        assert int(pool.run(SMALL).rows[0][0].value) > 0
    finally:
        pool.close()


def test_one_client_runs_at_most_its_share(built_settings) -> None:
    from support import serve

    with serve(built_settings.data_path, sparql_per_client="1", sparql_workers="2") as url:
        def ask(query: str) -> int:
            return httpx.get(f"{url}/sparql?query={quote(query)}", timeout=60,
                             headers={"Accept": "application/sparql-results+json"}).status_code

        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            first = ex.submit(ask, SLOW)
            import time

            time.sleep(0.8)  # the slow query is running
            second = ex.submit(ask, SMALL)
            statuses = sorted([first.result(), second.result()])
        assert statuses == [200, 429]
        assert ask(SMALL) == 200  # the share is back once the first query is done
