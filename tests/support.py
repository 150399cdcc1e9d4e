"""Helpers shared by the test tiers (importable because ``tests/`` is on ``sys.path``
through its conftest): a free port and a real ``beslutsgraf serve`` process."""

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

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
# Real PDFs (third-party copies, never committed): ../shared/real-docs beside the
# checkout, as CI has it, or wherever BESLUTSGRAF_REAL_DOCS points.
REAL_DOCS = Path(os.environ.get("BESLUTSGRAF_REAL_DOCS", ROOT.parent / "shared" / "real-docs"))
FORMAT_FIXTURES = ROOT / "tests" / "fixtures" / "formats"


def real_doc(name: str) -> Path:
    """A real PDF by file name; its absence fails the test, saying where it was looked for."""
    import pytest

    path = REAL_DOCS / name
    if not path.is_file():
        pytest.fail(
            f"{path} not found: the real PDFs live in ../shared/real-docs beside the checkout "
            "(or set BESLUTSGRAF_REAL_DOCS)"
        )
    return path
# What the quick tier must not load: the embedding stack and servers (tests/quick/conftest.py).
HEAVY = ("sentence_transformers", "transformers", "faiss", "uvicorn", "selenium")


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
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


@contextmanager
def oxigraph_server(location: Path, *, union: bool = True) -> Iterator[str]:
    """Run a real Oxigraph server (``oxigraph serve`` of the PyPI package ``oxigraph``)
    storing into ``location`` on a free port of 127.0.0.1; yield its URL, stop it after.
    ``union``: the default graph is the union of the named graphs, as beslutsgraf needs."""
    exe = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    args = [str(exe), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [*args, "--union-default-graph"] if union else args,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {proc.returncode}: {proc.stdout.read()}")
            try:
                if httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("oxigraph did not answer within 30 s")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
