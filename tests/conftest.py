"""Shared fixtures for the web tests: the corpus built once, and a real server on it.

``built_settings`` builds ``corpus/`` (graph and search index) into a temporary data
directory once per test session; tests must only read it.  ``live_server`` runs
``beslutsgraf serve`` on that directory in its own process, on a free port of
127.0.0.1, and yields its base URL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from beslutsgraf.build import build
from beslutsgraf.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("web") / "data"
    settings = load_settings(data_dir=str(data_dir))
    report = build(CORPUS, settings=settings)
    assert not report.failed
    return settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(data_dir: Path, **settings: str) -> Iterator[str]:
    """Run ``beslutsgraf serve`` on ``data_dir`` (extra settings as BESLUTSGRAF_* variables)
    on a free port of 127.0.0.1; yield its base URL once it answers, stop it after."""
    port = free_port()
    env = {**os.environ, "BESLUTSGRAF_DATA_DIR": str(data_dir)}
    env.update({f"BESLUTSGRAF_{k.upper()}": v for k, v in settings.items()})
    proc = subprocess.Popen(
        [sys.executable, "-m", "beslutsgraf", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}: {proc.stdout.read()}")
            try:
                if httpx.get(url + "/api/documents", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer within 90 s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server(built_settings: Settings) -> Iterator[str]:
    with serve(built_settings.data_path) as url:
        yield url
