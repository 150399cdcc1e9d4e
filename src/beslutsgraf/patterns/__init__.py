"""Rules, patterns and gazetteers as data files, and the one loader that reads them."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import PatternError

PATTERN_DIR = Path(__file__).resolve().parent


@cache
def load_yaml(name: str) -> Any:
    """Parse ``patterns/<name>``; a malformed file is a PatternError naming it."""
    path = PATTERN_DIR / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PatternError(f"{path}: {exc}") from None


@cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated ``patterns/<name>`` with a header line."""
    path = PATTERN_DIR / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return tuple(dict(row) for row in csv.DictReader(fh, delimiter="\t"))
    except OSError as exc:
        raise PatternError(f"{path}: {exc}") from None


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of ``patterns/<name>``."""
    path = PATTERN_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PatternError(f"{path}: {exc}") from None
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))
