"""Query files and the reader that runs them: the one way services query the store.

A service keeps its SPARQL as ``.rq`` files in a ``queries/`` folder beside it.  A
file is read once; the prefixes come from one table (``vocab.PREFIXES``) passed to
pyoxigraph; values are bound as substitutions (``?doc`` := an IRI checked by
``NamedNode``), never spliced into the text.  pyoxigraph requires a substituted
variable of a SELECT to be projected, so every bound variable is in the SELECT.

Results over the whole graph are memoised per store generation: a build switches
the generation, and the next call recomputes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import NotFound, PatternError
from ..graph import uris
from ..graph.store import StoreReader
from ..vocab import PREFIXES


@cache
def query_text(path: Path) -> str:
    """The text of a query file, read once per process."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PatternError(f"{path}: no such query file (an incomplete installation)") from None


def plain(term: Any) -> Any:
    """A result term as a plain value: ints and booleans typed, other terms as strings."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int")):
            return int(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


def bindings(iris: Mapping[str, str]) -> dict[ox.Variable, ox.NamedNode]:
    """``{"doc": iri}`` as pyoxigraph substitutions; an invalid IRI is ``NotFound``."""
    out: dict[ox.Variable, ox.NamedNode] = {}
    for name, iri in iris.items():
        try:
            out[ox.Variable(name)] = ox.NamedNode(iri)
        except ValueError:
            raise NotFound(f"not an IRI: {iri!r}") from None
    return out


class QueryReader:
    """Runs the query files of one folder on the serving store, with per-generation memos."""

    def __init__(self, reader: Callable[[], StoreReader], *, base_iri: str, folder: Path) -> None:
        self._reader = reader
        self.base = base_iri
        self.folder = folder
        self._cache: dict[str, Any] = {}
        self._cache_generation: str | None = None

    def with_folder(self, folder: Path) -> QueryReader:
        """A reader of the same store and base for another service's query folder."""
        return QueryReader(self._reader, base_iri=self.base, folder=folder)

    @property
    def generation(self) -> str:
        """The name of the serving store generation."""
        return self._reader().generation

    def _run(self, name: str, iris: Mapping[str, str]) -> Any:
        text = query_text(self.folder / f"{name}.rq")
        return self._reader().query(text, substitutions=bindings(iris), prefixes=PREFIXES)

    def rows(self, name: str, **iris: str) -> list[dict[str, Any]]:
        """Rows of the SELECT query ``name`` as dicts of plain values, ``iris`` bound.

        The bound variables are projected (pyoxigraph requires it) but left out of the rows.
        """
        answer = self._run(name, iris)
        names = [v.value for v in answer.variables if v.value not in iris]
        return [{n: plain(sol[n]) for n in names} for sol in answer]

    def ask(self, name: str, **iris: str) -> bool:
        """The answer of the ASK query ``name``, ``iris`` bound."""
        return bool(self._run(name, iris))

    def triples(self, name: str, **iris: str) -> list[ox.Triple]:
        """The distinct triples of the CONSTRUCT query ``name`` (the union graph repeats them)."""
        return list(dict.fromkeys(self._run(name, iris)))

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per store generation (lists over the whole graph)."""
        generation = self.generation
        cache = self._cache if self._cache_generation == generation else {}
        if key not in cache:
            cache[key] = compute()
        self._cache, self._cache_generation = cache, generation
        return cache[key]

    def key(self, iri: str) -> str:
        """The path of an IRI under the base (``arende/malmo/STK-2018-885``)."""
        return uris.relative(iri, base=self.base)

    def kind(self, iri: str) -> str | None:
        """The kind of one of our IRIs (``case``, ``document``…), None for others."""
        return uris.kind_of(iri, base=self.base)
