"""Helpers shared by the test tiers (importable because ``tests/`` is on ``sys.path``
through its conftest): a free port and a real ``beslutsgraf serve`` process."""

from __future__ import annotations

import os
import shutil
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


_EXTRACTED: dict[Path, object] = {}


def extracted_once(path: Path):
    """The extraction of the file at ``path``, read once per test process: scanned PDFs
    take seconds of OCR, and several test modules read them."""
    if path not in _EXTRACTED:
        from beslutsgraf.extract.pipeline import extract_file

        _EXTRACTED[path] = extract_file(path)
    return _EXTRACTED[path]


def format_fixture(name: str):
    """The extraction of ``tests/fixtures/formats/<name>``, read once per test process."""
    return extracted_once(FORMAT_FIXTURES / name)


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


def corpus_with_devset(tmp: Path) -> Path:
    """The corpus and the development set copied into ``tmp``: 65 documents of over 30
    municipalities (three build tasks of 25)."""
    corpus = Path(shutil.copytree(CORPUS, tmp / "corpus"))
    for folder in ("dev", "untouched"):
        for path in sorted((ROOT / "tests" / "devset" / folder).glob("*.txt")):
            shutil.copy(path, corpus / path.name)
    return corpus


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(args: list[str], probe: str, *, name: str, wait_s: float, env: dict[str, str] | None = None) -> Iterator[None]:
    """Run the server ``args`` until the block ends; enter once ``probe`` (a URL) answers 200."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}: {proc.stdout.read()}")
            try:
                if httpx.get(probe, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer within {wait_s:g} s")
            time.sleep(0.2)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def serve(data_dir: Path, **settings: str) -> Iterator[str]:
    """Run ``beslutsgraf serve`` on ``data_dir`` (extra settings as BESLUTSGRAF_* variables)
    on a free port of 127.0.0.1; yield its base URL once it answers, stop it after."""
    port = free_port()
    env = {**os.environ, "BESLUTSGRAF_DATA_DIR": str(data_dir)}
    env.update({f"BESLUTSGRAF_{k.upper()}": v for k, v in settings.items()})
    url = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "beslutsgraf", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with running(args, url + "/api/documents", name="server", wait_s=90, env=env):
        yield url


@contextmanager
def oxigraph_server(location: Path, *, union: bool = True) -> Iterator[str]:
    """Run a real Oxigraph server (``oxigraph serve`` of the PyPI package ``oxigraph``)
    storing into ``location`` on a free port of 127.0.0.1; yield its URL, stop it after.
    ``union``: the default graph is the union of the named graphs, as beslutsgraf needs."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [str(Path(sys.executable).with_name("oxigraph")), "serve", "--location", str(location),
            "--bind", f"127.0.0.1:{port}", *(["--union-default-graph"] if union else [])]
    with running(args, url + "/query?query=ASK%20%7B%7D", name="oxigraph", wait_s=30):
        yield url
