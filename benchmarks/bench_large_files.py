"""Extraction and build on one large file: time, peak memory and graph size must grow
linearly with the text, with or without line breaks.

    python benchmarks/bench_large_files.py                 # 0.25, 0.5, 1 and 2 MB
    python benchmarks/bench_large_files.py --sizes 1,5 --build

Each input repeats a corpus document up to the size, once with its line breaks
(``multi``) and once with every line break replaced by a space (``flat``, as text
from a PDF converter often is).  Every figure is a separate process
(``beslutsgraf extract`` / ``beslutsgraf build``, measured with ``os.wait4``), so
peak memory is the process's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "001_e1b0bc157f42c3af.txt"


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one command, from the kernel's account of it."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="0.25,0.5,1,2", help="comma-separated sizes in MB")
    ap.add_argument("--build", action="store_true", help="also build each file into a data folder")
    args = ap.parse_args()
    text = SEED.read_text(encoding="utf-8")
    exe = [sys.executable, "-m", "beslutsgraf"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for form in ("multi", "flat"):
            seed = text if form == "multi" else text.replace("\n", " ")
            for mb in sorted(float(s) for s in args.sizes.split(",")):
                n = int(mb * 1_000_000)
                corpus = Path(tmp) / f"{form}-{mb}" / "corpus"
                corpus.mkdir(parents=True)
                path = corpus / f"{form}_{mb}.txt"
                path.write_text((seed * (n // len(seed) + 1))[:n], encoding="utf-8")
                wall, peak = run([*exe, "extract", str(path), "--json"])
                row = [form, f"{mb:g}", f"{wall:.1f}", f"{peak:.0f}"]
                if args.build:
                    data = corpus.parent / "data"
                    bwall, bpeak = run([*exe, "build", str(corpus), "--data-dir", str(data), "--quiet"])
                    graph = sum(p.stat().st_size for p in (data / "graphs").glob("*.nq")) / 1e6
                    row += [f"{bwall:.1f}", f"{bpeak:.0f}", f"{graph:.1f}"]
                    shutil.rmtree(data)
                rows.append(row)
                print("\t".join(row), flush=True)
    head = ["text", "MB", "extract s", "extract peak MB"]
    if args.build:
        head += ["build s", "build peak MB", "graph MB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
