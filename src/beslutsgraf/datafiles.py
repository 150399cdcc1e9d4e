"""The one loader of data files: rules, patterns, gazetteers and word lists.

Each step keeps its data files in a ``patterns/`` folder beside the module that reads
them (``extract/patterns/``, ``text/patterns/``, ``index/patterns/``) and passes the
path here; a malformed file is a ``PatternError`` that names it.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import PatternError

# libyaml's parser where PyYAML was built with it: the pure-Python one was a third of a
# cold ``beslutsgraf extract`` (the pattern files are read once per process)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(path: Path) -> Any:
    """Parse the file at ``path``; a malformed file is a PatternError naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise PatternError(f"{path}: {exc}") from None


@cache
def load_tsv(path: Path) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated the file at ``path`` with a header line."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return tuple(dict(row) for row in csv.DictReader(fh, delimiter="\t"))
    except OSError as exc:
        raise PatternError(f"{path}: {exc}") from None


@cache
def load_lines(path: Path) -> tuple[str, ...]:
    """Non-empty, non-comment lines of the file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PatternError(f"{path}: {exc}") from None
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
