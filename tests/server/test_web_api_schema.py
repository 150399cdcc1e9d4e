"""Property-based tests of the JSON API against its own OpenAPI document (schemathesis).

The schema is loaded from the running server (``live_server``) at
``/api/openapi.json``; schemathesis generates requests for every ``/api/`` operation
and runs its default checks on each answer: no server error (5xx), a documented
status code, a documented content type and a body that conforms to the declared
response schema (errors answer ``{"error": {"status", "message"}}``).

``/sparql`` is in the same OpenAPI document but is left to ``test_web_sparql.py``:
its answers are SPARQL result formats and plain-text errors, not JSON.

One expectation is widened on purpose: the search filters (``municipality``,
``body``, ``kind``, dates) are free strings in the schema, but the search service
answers 400 for a value it does not know ("unknown municipality …; known values: …").
That is the API's design, so 400 counts as an accepted answer to schema-valid data.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

CONFIG = {
    "checks": {
        "positive_data_acceptance": {
            # defaults (2xx, 3xx, 401, 403, 404, 409, 429, 5xx is judged by
            # not_a_server_error) plus 400 for filter values the corpus does not know
            "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"],
        },
    },
}


@pytest.fixture(scope="session")
def api_schema(live_server: str):
    return schemathesis.openapi.from_url(
        live_server + "/api/openapi.json", config=SchemathesisConfig.from_dict(CONFIG)
    )


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_api_conforms_to_its_openapi(case: schemathesis.Case) -> None:
    case.call_and_validate(timeout=30)


def test_openapi_declares_the_error_body(live_server: str) -> None:
    import httpx

    doc = httpx.get(live_server + "/api/openapi.json", timeout=10).json()
    for path, ops in doc["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in ops.items():
            for status in ("400", "404", "422", "503"):
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, status)
    body = doc["components"]["schemas"]["ErrorBody"]
    assert body["required"] == ["error"]
