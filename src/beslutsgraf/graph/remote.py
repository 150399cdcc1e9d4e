"""The graph in a SPARQL 1.1 server: the remote reader and the remote generation writer.

The setting ``store`` names an ``http(s)://`` URL instead of a folder; everything else
(graph files, manifest, ``CURRENT``, search index, dumps) stays in the data directory.

How a build commits to a server without a half-written state.  Each changed
document graph is sent with a Graph Store Protocol ``PUT`` into a *staging* graph
(``urn:beslutsgraf:staging:<generation>:<n>``) that no query of ours reads: the union
default graph holds them, but every service query is scoped by the documents it
asks about, and the staging graphs are gone after the commit.  When all are in and
their quad counts match the graph files, one SPARQL Update request drops the
removed graphs and ``MOVE``s each staging graph onto its document graph; a server
applies one update request as one transaction (Oxigraph, Fuseki, GraphDB).  A server
that fails or is unreachable before that request leaves the served graphs as they
were; the staging graphs of a failed build are dropped by the next one.  The
manifest and ``CURRENT`` are written after the update, so a crash in between leaves
a manifest older than the server: the next build sends the changed graphs again,
which a ``MOVE`` replaces whole.

The server must serve the union of its named graphs as the default graph (Oxigraph
``serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``; GraphDB and
Virtuoso do by default): the reader checks this when it opens and says so if not.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import pyoxigraph as ox

from ..errors import StoreError
from .sparql_client import Endpoints, SparqlClient, query_file, render_update

if TYPE_CHECKING:
    from .store import DataDir, Manifest

STAGING_PREFIX = "urn:beslutsgraf:staging:"
_NQUADS = ox.RdfFormat.N_QUADS
_NOT_UNION = (
    "{url}: the server's default graph is not the union of its named graphs; start it so "
    "that it is (oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true)"
)


class RemoteReader:
    """The graph on a SPARQL server, read as the embedded ``StoreReader`` is read."""

    def __init__(self, client: SparqlClient, generation: str) -> None:
        self.client = client
        self.generation = generation

    @classmethod
    def open(cls, data: DataDir, endpoints: Endpoints) -> RemoteReader:
        """A reader of the generation ``CURRENT`` names; checks the server's union graph."""
        generation = data.current()
        if generation is None:
            raise StoreError(f"{data.path}: no graph store yet; run `beslutsgraf build` first")
        reader = cls(SparqlClient(endpoints), generation)
        reader.check_union()
        return reader

    def check_union(self) -> None:
        """Refuse a server whose default graph does not show its named graphs' triples."""
        named = self.client.query(query_file("server_named_triples"))
        if bool(named) and not bool(self.client.query(query_file("server_default_triples"))):
            raise StoreError(_NOT_UNION.format(url=self.client.endpoints.url))

    @property
    def store(self) -> RemoteReader:
        """What dumps and statistics query: this reader (its ``query`` has the store's signature)."""
        return self

    def query(
        self,
        query: str,
        *,
        union: bool = True,
        use_default_graph_as_union: bool | None = None,
        default_graph: Any = None,
        named_graphs: Any = None,
        substitutions: Any = None,
        prefixes: Any = None,
    ) -> Any:
        """Run a SPARQL query on the server.  The union default graph is the server's
        own; an explicit dataset goes as the protocol's graph parameters."""
        del union, use_default_graph_as_union  # the server's default graph is the union
        defaults = [g.value for g in _as_list(default_graph) if isinstance(g, ox.NamedNode)]
        named = [g.value for g in _as_list(named_graphs) if isinstance(g, ox.NamedNode)]
        if default_graph is not None and not defaults and named_graphs is None:
            # an empty default graph and all named graphs: ask for a graph that does not exist
            defaults = ["urn:beslutsgraf:empty"]
        return self.client.query(
            query, substitutions=substitutions, prefixes=prefixes,
            default_graphs=defaults, named_graphs=named,
        )

    def __len__(self) -> int:
        return self.client.count("quad_count")

    def named_graph_count(self) -> int:
        return self.client.count("named_graph_count")

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class RemoteGenerationWriter:
    """A build's changes to the graphs on a SPARQL server, applied in one update at ``publish``.

    ``remove_graph`` and ``bulk_load_files`` collect; ``publish`` checks what was sent
    and applies it; ``commit`` writes the manifest and ``CURRENT``.  Leaving the
    block without ``publish`` drops the staging graphs and changes nothing served.
    """

    def __init__(self, data: DataDir, name: str, client: SparqlClient, *, drop_prefix: str | None) -> None:
        self.data = data
        self.name = name
        self.base = None
        self.client = client
        self.committed = False
        self.published = False
        self._drop_prefix = drop_prefix
        self._drops: set[str] = set()
        self._staged: dict[str, str] = {}  # staging graph -> document graph
        self._quads = 0
        self._counter = itertools.count(1)

    @classmethod
    def create(cls, data: DataDir, endpoints: Endpoints, *, drop_prefix: str | None = None) -> RemoteGenerationWriter:
        """Start a generation on the server; ``drop_prefix``: a full build, which also
        drops every graph under that prefix that it does not write."""
        client = SparqlClient(endpoints)
        stale = client.graphs(prefix=STAGING_PREFIX)  # left by a failed build
        if stale:
            client.update(_operations(drops=stale))
        return cls(data, data.next_generation_name(), client, drop_prefix=drop_prefix)

    @property
    def store(self) -> RemoteReader:
        """The server, read as it is (after ``publish``, this generation's graphs)."""
        return RemoteReader(self.client, self.name)

    def remove_graph(self, iri: str) -> None:
        """Drop one named graph at ``publish`` (no error if it is absent)."""
        self._drops.add(iri)

    def bulk_load_files(self, paths: Iterable[Path]) -> None:
        """Send each file's graphs to staging graphs (one ``PUT`` per graph)."""
        for path in paths:
            try:
                by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
                for quad in ox.parse(path=str(path), format=_NQUADS, rename_blank_nodes=True):
                    if not isinstance(quad.graph_name, ox.NamedNode):
                        raise StoreError(f"{path}: a quad outside a named graph; every graph file names its graph")
                    by_graph[quad.graph_name.value].append(quad.triple)
            except (OSError, SyntaxError) as exc:
                raise StoreError(f"{path}: cannot read the graph file ({exc})") from None
            for graph, triples in by_graph.items():
                staging = f"{STAGING_PREFIX}{self.name}:{next(self._counter)}"
                self._staged[staging] = graph
                self.client.put_graph(staging, triples)
                self._quads += len(set(triples))

    def publish(self) -> None:
        """Check the staging graphs on the server, then apply everything in one update."""
        have = self.client.count("quads_with_prefix", prefix=f"{STAGING_PREFIX}{self.name}:")
        if have != self._quads:
            raise StoreError(
                f"{self.client.endpoints.url}: the server holds {have} staged quads but {self._quads} "
                "were sent; nothing was changed (run the build again)"
            )
        targets = set(self._staged.values())
        drops = set(self._drops)
        if self._drop_prefix is not None:
            drops |= set(self.client.graphs(prefix=self._drop_prefix))
        drops -= targets  # a MOVE replaces its target whole
        if drops or self._staged:
            self.client.update(_operations(drops=sorted(drops), moves=self._staged))
        self.published = True

    def __len__(self) -> int:
        return len(self.store)

    def commit(self, manifest: Manifest) -> list[str]:
        """Record the published generation: the manifest (the commit record), then ``CURRENT``."""
        if not self.published:
            self.publish()
        manifest.store = self.name
        manifest.location = self.data.store_location
        self.data.write_manifest(manifest)
        self.data.switch(self.name, manifest.index)
        self.committed = True
        return []

    def discard(self) -> None:
        """Drop this build's staging graphs (best effort: the next build drops any left)."""
        if self.published or not self._staged:
            return
        try:
            self.client.update(_operations(drops=list(self._staged)))
        except StoreError:
            pass  # the server is the problem; the next build cleans up

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if not self.committed:
            self.discard()


def _operations(*, drops: Iterable[str], moves: dict[str, str] | None = None) -> str:
    """One update request: drop each of ``drops``, then move each staging graph onto its
    document graph (``moves``: staging -> document graph)."""
    ops = [render_update(query_file("drop_graph"), {"graph": ox.NamedNode(g)}) for g in drops]
    ops += [
        render_update(query_file("move_graph"), {"staging": ox.NamedNode(s), "graph": ox.NamedNode(g)})
        for s, g in (moves or {}).items()
    ]
    return " ;\n".join(ops)
