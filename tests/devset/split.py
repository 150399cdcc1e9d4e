"""Move annotated documents from ``incoming/<writer>/`` into ``dev/`` or ``untouched/``.

    python tests/devset/split.py

One document in three goes to ``untouched/``, chosen by a hash of its file stem, so the
choice is fixed before anyone looks at a document or its score.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent


def is_untouched(stem: str) -> bool:
    """Whether a document belongs to the untouched third."""
    return int(hashlib.sha256(stem.encode("utf-8")).hexdigest(), 16) % 3 == 0


def main() -> None:
    moved = {"dev": 0, "untouched": 0}
    for ann in sorted(HERE.glob("incoming/*/*.json")):
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise SystemExit(f"{ann}: no {txt.name} beside it")
        target = HERE / ("untouched" if is_untouched(ann.stem) else "dev")
        target.mkdir(exist_ok=True)
        for f in (ann, txt):
            shutil.move(str(f), target / f.name)
        moved[target.name] += 1
    print(f"moved {moved['dev']} to dev/, {moved['untouched']} to untouched/")


if __name__ == "__main__":
    main()
