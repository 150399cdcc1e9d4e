"""SPARQL lives in .rq files: no query text is assembled in Python, and every .rq file parses.

(a) walks every module under src/ and fails where a SPARQL keyword appears in the
literal parts of an f-string, a ``%`` format, a ``+`` concatenation or a
``.format(`` call (values must be bound as substitutions, see services/reader.py),
and where a string constant other than a docstring holds a whole query;
(b) runs every .rq file of the package on an empty store with the one prefix table.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from beslutsgraf.vocab import PREFIXES

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "beslutsgraf"
# A keyword followed by SPARQL syntax (so prose such as "needs a CONSTRUCT query" is no hit).
SPARQL = re.compile(
    r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?[?*(]|\b(CONSTRUCT|ASK)\s*(\{|WHERE\b)|\bDESCRIBE\s+[<?*]"
    r"|\b(INSERT|DELETE)\s+(DATA\b|WHERE\b|\{)|\bWHERE\s*\{|\bPREFIX\s+\w*:|\b(FILTER|OPTIONAL|GRAPH)\s*[{(?<]"
)


# A whole query: a query form, then (anywhere after it) a group pattern.
WHOLE_QUERY = re.compile(r"(?is)\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b.*?\{.*\}")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the constants that are docstrings (modules, classes, functions)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _literals(node: ast.AST) -> str:
    """The string constants inside an expression, joined (the literal parts of a built string)."""
    return " ".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def _built_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, kind) of every string built at run time whose literal parts look like SPARQL,
    and of every string constant (not a docstring) that holds a whole query."""
    found = []
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and SPARQL.search(node.value)
            and WHOLE_QUERY.search(node.value)
        ):
            found.append((node.lineno, "query text in Python"))
            continue
        if isinstance(node, ast.JoinedStr):
            kind, text = "f-string", _literals(node)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
            kind, text = ("% format" if isinstance(node.op, ast.Mod) else "+ concatenation"), _literals(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            kind, text = ".format call", _literals(node.func.value)
        else:
            continue
        if SPARQL.search(text):
            found.append((node.lineno, kind))
    return found


# The one function that writes SPARQL syntax around values, because the SPARQL
# protocol has no parameter for them: the prefix table sent to a SPARQL server, each
# name checked and each IRI serialised by pyoxigraph (values go through ``with_values``,
# which writes no keyword, and update templates through ``render_update``).
BINDERS = {("beslutsgraf/graph/sparql_client.py", "with_prefixes")}


def _exempt_lines(path: Path, tree: ast.AST) -> set[int]:
    rel = path.relative_to(SRC).as_posix()
    return {
        line
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and (rel, node.name) in BINDERS
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }


def offenders() -> list[str]:
    """``file:line: kind`` of every query built from strings under src/."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        seen = _exempt_lines(path, tree)  # and a nested f-string inside a concatenation: its line once
        for line, kind in sorted(_built_strings(tree)):
            if line not in seen:
                seen.add(line)
                out.append(f"{path.relative_to(SRC.parent)}:{line}: {kind}")
    return out


def test_the_guard_sees_built_queries() -> None:
    tree = ast.parse(
        'q = f"SELECT ?x WHERE {{ <{iri}> ?p ?x }}"\n'
        'r = "ASK { " + ref + " ?p ?o }"\n'
        's = "SELECT ?v WHERE { %s ?p ?v }" % ref\n'
        't = "PREFIX bg: <{}>".format(ns)\n'
        'u = f"Selected {n} documents"\n'
        'v = "where " + name\n'
        'W = """\nSELECT ?c WHERE {\n  ?s a ?c\n}\n"""\n'
        'x = "INSERT DATA"\n'
        'def f():\n    """Runs SELECT ?x WHERE { ?x ?p ?o } on the store."""\n'
    )
    assert sorted({line for line, _ in _built_strings(tree)}) == [1, 2, 3, 4, 7]


def test_no_sparql_is_built_from_strings() -> None:
    found = offenders()
    assert not found, "SPARQL assembled at run time (put it in a .rq file, bind values):\n" + "\n".join(found)


QUERY_FILES = sorted(PACKAGE.rglob("*.rq"))


def test_query_files_exist() -> None:
    assert any("services" in p.parts for p in QUERY_FILES) and any("ontology" in p.parts for p in QUERY_FILES)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_query_file_parses(path: Path) -> None:
    ox.Store().query(path.read_text(encoding="utf-8"), prefixes=PREFIXES)
