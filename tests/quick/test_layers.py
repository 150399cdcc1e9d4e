"""The layers of DESIGN.md stay one-way, and the folders show them.

Each top-level subpackage is one step of the flow; a module imports only from its own
step or the ones before it, and the two interfaces (CLI and web) never import each
other.  Every module of the package must belong to a layer named here, so a new
folder or module has to take its place in the flow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "beslutsgraf"

# From the bottom up.  A name is a top-level module or subpackage of beslutsgraf.
LAYERS: list[set[str]] = [
    {"__init__", "config", "errors", "model", "vocab", "paths", "datafiles"},  # the ground floor
    {"text"},  # sources -> normalised text -> sections
    {"extract"},  # text -> typed facts with spans
    {"graph"},  # facts -> RDF (IRIs, triples, validation) -> Oxigraph store
    {"index"},  # passages -> BM25 + vectors
    {"build", "executors"},  # the only writer: runs the steps (on an executor), commits a generation
    {"services"},  # search, lineage, entities, SPARQL: plain Python
    {"cli", "web", "__main__"},  # the interfaces, siblings
]
RANK = {name: n for n, layer in enumerate(LAYERS) for name in layer}
# What a layer may not use at all, whatever it imports from us.
FORBIDDEN_LIBRARIES = {
    "text": {"spacy", "rdflib", "pyoxigraph", "fastapi", "typer", "torch"},
    "extract": {"rdflib", "pyoxigraph", "fastapi", "typer", "torch"},  # extraction knows nothing of RDF
    "graph": {"spacy", "fastapi", "typer", "torch"},  # the store knows nothing of spaCy
    "index": {"rdflib", "pyoxigraph", "fastapi", "typer"},
    "services": {"fastapi", "starlette", "typer", "jinja2"},  # services have no web or CLI types
}
STEPS = ("text", "extract", "graph", "index", "services", "web")


def _top(module: Path) -> str:
    return module.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[tuple[str, int]]:
    """(top-level name under beslutsgraf, 1) for our imports, (library, 0) for others."""
    here = path.parent.relative_to(PACKAGE).parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - node.level + 1])
                parts = base + [p for p in (node.module or "").split(".") if p]
                if parts:
                    out.add((parts[0], 1))
                else:  # "from .. import x" at the top: x are top-level names
                    out |= {(a.name, 1) for a in node.names}
            elif node.module:
                top = node.module.split(".")
                out.add((top[1], 1) if top[0] == "beslutsgraf" and len(top) > 1 else (top[0], 0))
        elif isinstance(node, ast.Import):
            out |= {(a.name.split(".")[0], 0) for a in node.names}
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert {_top(p) for p in MODULES} <= set(RANK)


def test_the_steps_are_folders() -> None:
    for step in STEPS:
        assert (PACKAGE / step / "__init__.py").is_file(), f"{step}/ is not a subpackage"
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == sorted(
        ["__init__.py", "__main__.py", "build.py", "cli.py", "config.py", "datafiles.py", "executors.py",
         "errors.py", "model.py", "paths.py", "vocab.py"]
    ), "only the ground floor and the top (build, cli) stand outside the step folders"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_backwards(path: Path) -> None:
    me = _top(path)
    rank = RANK[me]
    for name, ours in _imports(path):
        if ours and name in RANK and name != me:
            assert RANK[name] <= rank, f"{me} (layer {rank}) imports {name} (layer {RANK[name]})"
            assert {me, name} != {"cli", "web"}, f"{me} imports {name}: the interfaces are siblings"
        if not ours:
            assert name not in FORBIDDEN_LIBRARIES.get(me, set()), f"{me} imports {name}"
