"""Fixtures shared by every tier: the corpus built once per run, and a real server on it.

The tiers (see README): ``quick/`` (no embedding model, no build, no server),
``built/`` (the corpus built once; services, store, SPARQL, search, CLI, build),
``web/`` (the application in process through FastAPI's ``TestClient``) and
``server/`` (a real ``beslutsgraf serve``: SPARQL protocol, OpenAPI, browser, raw sockets).

``built_settings`` builds ``corpus/`` (graph and search index) into a temporary data
directory once per test session, whichever tiers are selected; tests must only read it.
``live_server`` runs ``beslutsgraf serve`` on that directory in its own process, on a
free port of 127.0.0.1, and yields its base URL.  Heavy modules (the build, hence the
embedding model) are imported inside the fixtures, so collecting ``quick/`` stays light.

Every build of the run, in this process or a subprocess, shares one embedding cache
(the setting ``embedding_cache``, through ``BESLUTSGRAF_EMBEDDING_CACHE``): the dozens of
builds of the corpus embed each passage once, with the real model, instead of once per
build.  A cache set in the environment already is used as it is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from support import CORPUS, serve

if TYPE_CHECKING:
    from beslutsgraf.config import Settings

TIERS = {
    "quick": "no embedding model, no build, no server",
    "built": "needs the corpus built once per run (or builds its own)",
    "web": "the web application in process (TestClient) on the built corpus",
    "server": "a real server process: SPARQL protocol, OpenAPI, browser, raw sockets",
    "remote": "the graph in a real Oxigraph server (oxigraph serve), compared with the embedded store",
    "install": "installs the package",
    "formats": "readers on real and generated files: PDF text layers, OCR, DOCX, HTML",
}


_OWN_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    for tier, what in TIERS.items():
        config.addinivalue_line("markers", f"{tier}: tests/{tier}/, {what}")
    if not os.environ.get("BESLUTSGRAF_EMBEDDING_CACHE"):
        _OWN_CACHE.append(tempfile.mkdtemp(prefix="beslutsgraf-embeddings-"))
        os.environ["BESLUTSGRAF_EMBEDDING_CACHE"] = _OWN_CACHE[0]


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _OWN_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its tier folder, so ``-m quick`` or ``-m 'not server'`` select tiers."""
    for item in items:
        parts = item.path.relative_to(config.rootpath).parts
        if len(parts) > 2 and parts[0] == "tests" and parts[1] in TIERS:
            item.add_marker(parts[1])


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from beslutsgraf.build import build
    from beslutsgraf.config import load_settings

    data_dir = tmp_path_factory.mktemp("built") / "data"
    settings = load_settings(data_dir=str(data_dir))
    report = build(CORPUS, settings=settings)
    assert not report.failed
    return settings


@pytest.fixture(scope="session")
def live_server(built_settings: Settings) -> Iterator[str]:
    with serve(built_settings.data_path) as url:
        yield url
