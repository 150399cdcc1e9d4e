"""The error catalogue: every error type carries its status and titles, and the web
boundary answers each with that status through one lookup."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from fastapi.testclient import TestClient

from beslutsgraf import errors
from beslutsgraf.web import errors as web_errors

CATALOGUE = errors.catalogue()
EXPECTED_STATUS = {
    "BeslutsgrafError": 400, "SettingsError": 400, "SourceError": 400, "ExtractionError": 400,
    "ValidationError": 400, "IriError": 400, "SearchError": 400, "QueryError": 400,
    "UpdateRefused": 403, "ServiceRefused": 403, "NotFound": 404, "TooManyQueries": 429, "PatternError": 500,
    "StoreError": 503, "IndexUnavailable": 503, "QueryTimeout": 503, "QueryBusy": 503,
    "WorkerDied": 503, "ExecutorUnavailable": 503,
}


def test_catalogue_is_complete_and_documented() -> None:
    assert {c.__name__ for c in CATALOGUE} == set(EXPECTED_STATUS)
    for cls in CATALOGUE:
        assert cls.__name__ in errors.__doc__, f"{cls.__name__} missing from the table in errors.py"
        assert cls.title_sv and cls.title_en and cls.__doc__


@pytest.mark.parametrize("cls", CATALOGUE, ids=lambda c: c.__name__)
def test_status(cls: type[errors.BeslutsgrafError]) -> None:
    assert cls.status == EXPECTED_STATUS[cls.__name__]


def _make(cls: type[errors.BeslutsgrafError]) -> errors.BeslutsgrafError:
    if cls in (errors.SourceError, errors.ExtractionError):
        return cls("corpus/x.txt", "is empty")
    return cls("the message")


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.state.templates = Jinja2Templates(directory=Path(web_errors.__file__).parent / "templates")
    web_errors.install(app)

    @app.get("/api/raise/{name}")
    @app.get("/sida/{name}")
    @app.get("/sparql/{name}")
    def _raise(name: str) -> None:
        raise _make(getattr(errors, name))

    @app.get("/api/boom")
    def _boom() -> None:
        raise RuntimeError("secret internals")

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("cls", CATALOGUE, ids=lambda c: c.__name__)
def test_api_answers_status_and_message(client: TestClient, cls: type) -> None:
    r = client.get(f"/api/raise/{cls.__name__}")
    assert r.status_code == cls.status
    body = r.json()["error"]
    assert body["status"] == cls.status
    assert body["message"] == str(_make(cls))


@pytest.mark.parametrize("cls", CATALOGUE, ids=lambda c: c.__name__)
def test_page_answers_swedish_title(client: TestClient, cls: type) -> None:
    r = client.get(f"/sida/{cls.__name__}", headers={"accept": "text/html"})
    assert r.status_code == cls.status
    assert cls.title_sv in r.text and "Traceback" not in r.text


def test_sparql_answers_plain_text(client: TestClient) -> None:
    r = client.get("/sparql/UpdateRefused", headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 403
    assert r.text == "Inte tillåtet: the message\n"


def test_unexpected_error_is_500_without_internals(client: TestClient) -> None:
    r = client.get("/api/boom")
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text
