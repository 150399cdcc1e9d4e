"""Where the package's data folders are: the ontology ships inside the package."""

from __future__ import annotations

from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "beslutsgraf.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ONTOLOGY_DIR / "queries"
