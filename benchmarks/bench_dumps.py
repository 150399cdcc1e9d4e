"""Dump downloads do not stall the server: page latency and server memory while three
dumps and a HEAD are fetched at once.

    python benchmarks/bench_dumps.py --data-dir DATA

Starts ``beslutsgraf serve`` on a free port of 127.0.0.1 over ``DATA`` (built with this
version, so its dumps exist), times 40 document pages alone, then 40 others while
``/dump.ttl.gz``, ``/dump.nq.gz`` and ``/dump.ttl.gz`` download and a HEAD asks for one,
and prints both latencies, the download time and the server's memory before and after.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import random
import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        ["beslutsgraf", "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(args.data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(base + "/api/documents?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        docs = [d["id"] for d in httpx.get(base + "/api/documents?limit=200", timeout=60).json()["items"]]
        random.Random(3).shuffle(docs)

        def pages(ids: list[str]) -> list[float]:
            out = []
            for d in ids:
                t = time.perf_counter()
                r = httpx.get(f"{base}/id/dokument/{d}", headers={"Accept": "text/html"}, timeout=60)
                r.raise_for_status()
                out.append((time.perf_counter() - t) * 1000)
            return sorted(out)

        alone, before = pages(docs[:40]), rss_mb(server.pid)
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            t = time.perf_counter()
            downloads = [pool.submit(httpx.get, base + n, timeout=300) for n in ("/dump.ttl.gz", "/dump.nq.gz", "/dump.ttl.gz")]
            head = httpx.head(base + "/dump.ttl.gz", timeout=60)
            during = pages(docs[40:80])
            sizes = [len(f.result().content) / 1e6 for f in downloads]
            seconds = time.perf_counter() - t
        after = rss_mb(server.pid)
        print(f"document pages alone: p50 {alone[len(alone) // 2]:.0f} ms, max {alone[-1]:.0f} ms")
        print(f"during 3 dump downloads and a HEAD: p50 {during[len(during) // 2]:.0f} ms, max {during[-1]:.0f} ms")
        print(f"dumps of {', '.join(f'{s:.1f}' for s in sizes)} MB in {seconds:.2f} s; HEAD {head.status_code}; "
              f"server memory {before} -> {after} MB")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
