"""Gather the documents of the hard evaluation set into one flat folder to build.

The set's 209 documents live where the extraction work keeps them (the corpus, the
examples, the held-out and development sets and ``tests/eval/corpus``); judgments name
them by file name, which is unique across these folders.  Copies, not links, so that
the build reads a plain folder.

    python tests/eval/hard/assemble.py /tmp/eval-hard
    beslutsgraf build /tmp/eval-hard --data-dir /tmp/eval-hard-data
    beslutsgraf eval --queries tests/eval/hard/queries.jsonl --data-dir /tmp/eval-hard-data
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FOLDERS = ("corpus", "tests/examples", "tests/heldout", "tests/devset", "tests/eval/corpus")


def documents() -> dict[str, Path]:
    """File name -> path of every document of the set; a name seen twice is an error."""
    found: dict[str, Path] = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.txt")):
            if path.name in found:
                raise SystemExit(f"{path}: the file name is also {found[path.name]}; judgments need unique names")
            found[path.name] = path
    return found


def main(dest: Path) -> None:
    if dest.exists() and any(dest.iterdir()):
        raise SystemExit(f"{dest}: exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    docs = documents()
    for name, path in docs.items():
        shutil.copyfile(path, dest / name)
    print(f"{len(docs)} documents copied to {dest}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tests/eval/hard/assemble.py DEST_DIR")
    main(Path(sys.argv[1]))
