"""Whole-graph lists shared by the views: documents per entity, labelled instances."""

from __future__ import annotations

from typing import Any

from ..reader import QueryReader


def counts(q: QueryReader, name: str) -> dict[str, int]:
    """?x -> number of documents, from a ``counts_*`` query (each document's own graph)."""
    return {r["x"]: r["n"] for r in q.rows(name)}


def labelled(q: QueryReader, name: str) -> list[dict[str, Any]]:
    """Distinct instances (?x, name, municipality) from a ``labelled_*`` query, first row each."""
    seen: dict[str, dict[str, Any]] = {}
    for r in q.rows(name):
        seen.setdefault(r["x"], r)
    return list(seen.values())
