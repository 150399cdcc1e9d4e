"""The layers of DESIGN.md stay one-way: a module imports only from its own layer or
the ones before it, and the two interfaces (CLI and web) never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "beslutsgraf"

LAYERS: list[set[str]] = [
    {"config", "errors", "paths", "model", "vocab", "patterns", "dates", "normalize", "sources"},
    {"sections", "case_numbers", "bodies", "metadata", "nlp", "persons", "organisations",
     "recommendations", "proposals", "planning", "references", "extract", "chunks"},
    {"uris", "triples"},
    {"store", "lexical", "vectors", "index"},
    {"build"},
    {"search", "sparql", "entities", "lineage", "evaluation"},
    {"cli", "web", "__main__", "__init__"},
]
RANK = {name: n for n, layer in enumerate(LAYERS) for name in layer}
# What each layer may not use at all, whatever it imports from us.
FORBIDDEN_LIBRARIES = {
    1: {"rdflib", "pyoxigraph", "fastapi", "typer"},  # extraction knows nothing of RDF or interfaces
    3: {"spacy", "fastapi", "typer"},  # the store knows nothing of spaCy
    5: {"fastapi", "starlette", "typer"},  # services have no web or CLI types
}


def _top(module: Path) -> str:
    rel = module.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[tuple[str, int]]:
    """(top-level name, level) of every import; level 0 = absolute."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = path.parent.relative_to(PACKAGE).parts[: max(0, len(path.parent.relative_to(PACKAGE).parts) - node.level + 1)]
                parts = [*base, *(node.module or "").split(".")] if node.module else list(base)
                parts = [p for p in parts if p]
                if not parts:  # "from . import x" at the top: x are modules
                    out |= {(a.name, 1) for a in node.names}
                else:
                    out.add((parts[0], 1))
            elif node.module:
                out.add((node.module.split(".")[0], 0))
        elif isinstance(node, ast.Import):
            out |= {(a.name.split(".")[0], 0) for a in node.names}
    return out


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert {_top(p) for p in MODULES} <= set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_backwards(path: Path) -> None:
    me = _top(path)
    rank = RANK[me]
    for name, level in _imports(path):
        if level and name in RANK and name != me:
            assert RANK[name] <= rank, f"{me} (layer {rank}) imports {name} (layer {RANK[name]})"
            if rank == len(LAYERS) - 1:
                assert {me, name} != {"cli", "web"}, f"{me} imports {name}: the interfaces are siblings"
        if not level:
            assert name not in FORBIDDEN_LIBRARIES.get(rank, set()), f"{me} imports {name}"
