"""A build killed in the middle leaves nothing behind that blocks the next one: its
extraction workers die with it and the build lock is free again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beslutsgraf.build import PARALLEL_MIN_DOCS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def many_documents(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))
    n = 0
    while n < PARALLEL_MIN_DOCS + 20:  # enough to run extraction in worker processes
        for src in sources:
            text = src.read_text(encoding="utf-8")
            (corpus / f"kopia_{n:03d}.txt").write_text(text + f"\n\nKopia {n}.\n", encoding="utf-8")
            n += 1
    return corpus


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "term"])
def test_killed_build_leaves_no_workers_and_no_lock(many_documents: Path, tmp_path: Path, sig) -> None:
    data = tmp_path / "data"
    cmd = [sys.executable, "-m", "beslutsgraf", "build", str(many_documents), "--data-dir", str(data)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = {c for c in _children(proc.pid) if _alive(c)}
        if len(workers) >= 2:  # the pool's workers are extracting
            break
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the build never started its extraction workers"
    time.sleep(0.5)
    os.kill(proc.pid, sig)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them to the rest of the suite
        os.kill(w, signal.SIGKILL)
    assert not left, f"extraction workers outlived the killed build: {left}"
    # The next build takes the lock and builds everything.
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert "another build is running" not in done.stderr
