"""The web application in process: ``create_app`` on the session's built corpus, driven
through FastAPI's ``TestClient`` (no socket, no uvicorn, no second model load)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from beslutsgraf.config import Settings


@pytest.fixture(scope="session")
def web(built_settings: Settings) -> Iterator[TestClient]:
    """A client of the application over ``built_settings``; its lifespan (store, SPARQL
    workers, search warm-up) runs once for the session.  Server errors come back as
    responses, as a real server sends them, instead of being raised into the test."""
    from fastapi.testclient import TestClient

    from beslutsgraf.web.app import create_app

    with TestClient(create_app(built_settings), raise_server_exceptions=False) as client:
        yield client
