"""Where the repository's data folders are: the ontology lives beside ``src/``, not in the package."""

from __future__ import annotations

from pathlib import Path

# src/beslutsgraf/paths.py -> parents[2] is the repository root (editable install).
ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "beslutsgraf.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ONTOLOGY_DIR / "queries"
