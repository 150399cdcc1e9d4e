"""The package works installed outside the checkout: a wheel in a new virtual environment.

The checkout's own environment is an editable install, so it cannot show that a data
file (ontology, shapes, example queries, ``*/patterns/*``, ``services/**/*.rq``, web
templates and static files) is missing from the wheel.  This test builds the wheel
from a copy of ``pyproject.toml``, ``README.md`` and ``src/`` (a ``build/`` folder
left in the checkout could smuggle stale files into it), checks that every data file
under ``src/beslutsgraf`` is in it, creates a new venv, installs it non-editable, and
from a folder outside the checkout runs ``build``, ``sparql``, ``search`` and
``serve`` with the venv's ``beslutsgraf`` command and without ``PYTHONPATH``.

Why a real venv with every dependency installed: a venv with
``--system-site-packages`` would see the base interpreter's packages, which lack
the dependencies, and a venv that borrows the checkout's site-packages would hide a
dependency missing from ``pyproject.toml``.  torch==2.13.0 goes in first, as in
``scripts/setup.sh``: pip takes the CPU build from this machine's local wheels
(``find-links``), where a plain ``torch`` would pull the multi-GB CUDA build.  The
other dependencies come from pip's usual sources: on this machine the local package
indexes of pip.conf (wheels on disk), so no large download.  Measured (2 CPUs): on
an idle machine wheel 2 s, venv 3 s, torch 18 s, the wheel with its ~80
dependencies 38 s, the corpus build about 1 min, search and serve 15 s; with the CPUs
shared by other test runs the install took 2.9 min and the whole module 3.7 min.
Copying the checkout's site-packages instead would be faster but would not test
that ``pyproject.toml`` declares what the package imports.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "beslutsgraf"
CORPUS = ROOT / "corpus"
TORCH = "torch==2.13.0"  # keep in step with pyproject.toml and scripts/setup.sh
BG = "https://beslutsgraf.se/ontology#"


@dataclass(frozen=True)
class Installed:
    """A venv with the wheel installed, and a work folder outside the checkout."""

    venv: Path
    wheel: Path
    work: Path
    data: Path

    def bin(self, name: str) -> Path:
        """A command of the venv."""
        return self.venv / "bin" / name

    def env(self) -> dict[str, str]:
        """The environment of a user of the venv: no PYTHONPATH, no other venv."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"} and not k.startswith("BESLUTSGRAF_")
        }
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        return env

    def run(self, *args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run a command in the work folder; fail with its output if it fails."""
        proc = subprocess.run(
            [str(a) for a in args], cwd=self.work, env=self.env(), capture_output=True,
            text=True, timeout=timeout, check=False,
        )
        assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc


def _data_files() -> set[str]:
    """Every file under src/beslutsgraf that is not Python source, as a wheel member name."""
    return {
        p.relative_to(PACKAGE.parent).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("install")
    src = base / "src-copy"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(wheels), str(src)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (wheel,) = wheels.glob("beslutsgraf-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    work = base / "work"
    work.mkdir()
    inst = Installed(venv=venv, wheel=wheel, work=work, data=work / "data")
    inst.run(inst.bin("python"), "-m", "pip", "install", "--quiet", TORCH, timeout=900)
    inst.run(inst.bin("python"), "-m", "pip", "install", "--quiet", wheel, timeout=900)
    shutil.copytree(CORPUS, work / "corpus")
    yield inst


def test_wheel_holds_every_data_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert "beslutsgraf/ontology/beslutsgraf.ttl" in names
    assert "beslutsgraf/ontology/shapes.ttl" in names
    assert "beslutsgraf/web/static/style.css" in names
    assert sorted(_data_files() - names) == []


def test_installed_package_is_the_venvs(installed: Installed) -> None:
    out = installed.run(
        installed.bin("python"), "-c", "import beslutsgraf; print(beslutsgraf.__file__)"
    ).stdout.strip()
    where = Path(out).resolve()
    assert where.is_relative_to(installed.venv.resolve())
    assert not where.is_relative_to(ROOT)


@pytest.fixture(scope="module")
def built(installed: Installed) -> Installed:
    installed.run(installed.bin("beslutsgraf"), "build", "corpus", "--data-dir", installed.data, "-q")
    return installed


def test_build_and_sparql(built: Installed) -> None:
    query = f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{BG}Document> }}"
    out = built.run(
        built.bin("beslutsgraf"), "sparql", query, "--format", "csv", "--data-dir", built.data
    ).stdout
    assert out.split() == ["n", "5"]


def test_search(built: Installed) -> None:
    out = built.run(
        built.bin("beslutsgraf"), "search", "rekommendationer", "--json", "--limit", "3",
        "--data-dir", built.data,
    ).stdout
    hits = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert hits and all(h["source"].endswith(".txt") and h["snippet"] for h in hits)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve(built: Installed) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [str(built.bin("beslutsgraf")), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(built.data)],
        cwd=built.work, env=built.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"serve exited {proc.returncode}: {proc.stdout.read()}"
            try:
                if httpx.get(f"{url}/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not answer within 120 s"
            time.sleep(0.5)
        with httpx.Client(base_url=url, timeout=30) as client:
            start = client.get("/")
            assert start.status_code == 200 and "text/html" in start.headers["content-type"]
            docs = client.get("/api/documents")
            assert docs.status_code == 200
            assert "000_3c3574245795578f" in docs.text
            onto = client.get("/ontology")
            assert onto.status_code == 200 and "Document" in onto.text
            css = client.get("/static/style.css")
            assert css.status_code == 200
            assert css.content == (PACKAGE / "web" / "static" / "style.css").read_bytes()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
