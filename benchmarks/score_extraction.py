"""P/R/F1 per fact type of the extractor on every annotated set in the repository.

    python benchmarks/score_extraction.py                 # all sets, one table each
    python benchmarks/score_extraction.py --sets devset   # one set
    python benchmarks/score_extraction.py --flat          # each document flattened first
    python benchmarks/score_extraction.py --details       # what was missed and found extra

Sets: ``gold`` (corpus/ with tests/gold/), ``heldout`` (tests/heldout/), ``devset``
(tests/devset/dev/), ``untouched`` (tests/devset/untouched/: reported, never tuned on),
``real`` (tests/devset/real/: the PDFs of ../shared/real-docs, when present).  Bodies are
scored on political organs only in the dev sets (administrations are not counted, as the
hidden sets do), persons by (name, party) besides (name, role, party).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from gold_scoring import format_table
from set_scoring import score  # tests/set_scoring.py


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="gold,heldout,devset,untouched,real")
    ap.add_argument("--flat", action="store_true", help="flatten every document first")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args()
    for name in args.sets.split(","):
        s = score(name, flat=args.flat, details=args.details)
        if s["n"]:
            print(format_table(s["total"], title=f"{name}{' (flattened)' if args.flat else ''}: {s['n']} documents"))


if __name__ == "__main__":
    main()
