"""A client of a SPARQL 1.1 server: the Protocol for queries and updates, the Graph
Store HTTP Protocol for graphs.

Why only the standards.  The graph of a national corpus outgrows one machine, and the
engines that hold such graphs (Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso,
QLever for reads) all speak these three protocols; anything else would tie the
project to one of them.  The endpoint paths are settings whose defaults fit Oxigraph
server (``/query``, ``/update``, ``/store``).

Answers come back as pyoxigraph objects (``QuerySolutions``, ``QueryBoolean``, a list
of ``Triple``), so the services read a remote answer exactly as an embedded one.

Values are bound, never spliced: ``with_values`` adds the bindings as a ``VALUES``
block at the start of the query's outer ``WHERE`` group (each value serialised by
pyoxigraph), which is what the embedded store's ``substitutions`` do for the queries
of this project: a variable bound before everything else in the group.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import StoreError

QUERIES = Path(__file__).resolve().parent / "queries"
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_RESULTS = ox.QueryResultsFormat.JSON
# Bytes of the server's error message kept in our error.
_MESSAGE_CHARS = 400


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL server answers: its base URL and the three endpoint paths."""

    url: str
    query_path: str = "/query"
    update_path: str = "/update"
    store_path: str = "/store"
    timeout_s: float = 60.0

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"store {self.url!r}: expected an http(s):// URL of a SPARQL 1.1 server")

    def endpoint(self, path: str) -> str:
        return self.url.rstrip("/") + "/" + path.lstrip("/")


class SparqlClient:
    """One SPARQL 1.1 server, through the Protocol and the Graph Store HTTP Protocol."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints

    # --- queries ---------------------------------------------------------------------

    def query(
        self,
        query: str,
        *,
        substitutions: Mapping[ox.Variable, Any] | None = None,
        prefixes: Mapping[str, str] | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout_s: float | None = None,
    ) -> Any:
        """Run a query; SELECT gives ``ox.QuerySolutions``, ASK ``ox.QueryBoolean``,
        CONSTRUCT and DESCRIBE a list of ``ox.Triple``.  A query the server refuses as
        malformed raises ``SyntaxError`` with the server's message."""
        text = with_prefixes(query, prefixes or {})
        if substitutions:
            text = with_values(text, substitutions)
        form = [("query", text)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        status, media, body = self._send(
            "POST",
            self.endpoints.endpoint(self.endpoints.query_path),
            body=urllib.parse.urlencode(form).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
            timeout_s=timeout_s,
            what="query",
        )
        if status == 400:
            raise SyntaxError(_message(body))
        self._check(status, body, "query")
        results = ox.QueryResultsFormat.from_media_type(media) if media else None
        if results is not None:
            return ox.parse_query_results(body, format=results)
        rdf = ox.RdfFormat.from_media_type(media) if media else None
        if rdf is None:
            raise StoreError(f"{self.endpoints.url}: the query answer has an unknown media type {media!r}")
        return [q.triple for q in ox.parse(body, format=rdf)]

    def update(self, update: str, *, timeout_s: float | None = None) -> None:
        """Run a SPARQL 1.1 Update request (one request: the server applies it whole or not at all)."""
        status, _media, body = self._send(
            "POST",
            self.endpoints.endpoint(self.endpoints.update_path),
            body=urllib.parse.urlencode([("update", update)]).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout_s=timeout_s,
            what="update",
        )
        self._check(status, body, "update")

    # --- graphs ----------------------------------------------------------------------

    def put_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Replace the named graph ``graph`` with ``triples`` (Graph Store Protocol PUT)."""
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        status, _media, body = self._send(
            "PUT",
            self._graph_url(graph),
            body=data,
            headers={"Content-Type": "application/n-triples"},
            timeout_s=None,
            what=f"PUT of graph <{graph}>",
        )
        self._check(status, body, f"PUT of graph <{graph}>")

    def delete_graph(self, graph: str) -> None:
        """Delete the named graph ``graph``; an absent graph is not an error."""
        status, _media, body = self._send(
            "DELETE", self._graph_url(graph), body=None, headers={}, timeout_s=None,
            what=f"DELETE of graph <{graph}>",
        )
        if status != 404:
            self._check(status, body, f"DELETE of graph <{graph}>")

    def graphs(self, *, prefix: str = "") -> list[str]:
        """The named graphs the server holds whose IRI starts with ``prefix``."""
        answer = self.query(query_file("graphs_with_prefix"), substitutions={ox.Variable("prefix"): ox.Literal(prefix)})
        return sorted(s["g"].value for s in answer if isinstance(s["g"], ox.NamedNode))

    def count(self, name: str, **literals: str) -> int:
        """The ``?n`` of the counting query ``name`` (``graph/queries/<name>.rq``), 0 without a row."""
        subs = {ox.Variable(k): ox.Literal(v) for k, v in literals.items()}
        for row in self.query(query_file(name), substitutions=subs or None):
            return int(row["n"].value)
        return 0

    def _graph_url(self, graph: str) -> str:
        return self.endpoints.endpoint(self.endpoints.store_path) + "?" + urllib.parse.urlencode({"graph": graph})

    # --- transport -------------------------------------------------------------------

    def _send(
        self, method: str, url: str, *, body: bytes | None, headers: dict[str, str],
        timeout_s: float | None, what: str,
    ) -> tuple[int, str, bytes]:
        """(status, media type, body) of one request; an unreachable or silent server
        raises ``StoreError`` naming the URL and what was asked."""
        timeout = timeout_s if timeout_s is not None else self.endpoints.timeout_s
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, _media_type(response.headers.get("Content-Type")), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, _media_type(exc.headers.get("Content-Type")), exc.read()
        except TimeoutError:
            raise StoreError(f"{url}: the SPARQL server gave no answer to the {what} within {timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StoreError(
                    f"{url}: the SPARQL server gave no answer to the {what} within {timeout:g} s"
                ) from None
            raise StoreError(f"{url}: cannot reach the SPARQL server ({reason})") from None
        except (ConnectionError, OSError) as exc:
            raise StoreError(f"{url}: the connection to the SPARQL server failed during the {what} ({exc})") from None

    def _check(self, status: int, body: bytes, what: str) -> None:
        if not 200 <= status < 300:
            raise StoreError(f"{self.endpoints.url}: the SPARQL server refused the {what} (HTTP {status}: {_message(body)})")


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _message(body: bytes) -> str:
    return body.decode("utf-8", "replace").strip()[:_MESSAGE_CHARS]


# --- binding values and prefixes ---------------------------------------------------------


@cache
def query_file(name: str) -> str:
    """The text of ``graph/queries/<name>.rq`` (or ``.ru`` for an update template)."""
    for suffix in (".rq", ".ru"):
        path = QUERIES / f"{name}{suffix}"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"{QUERIES}/{name}.rq: no such query")


def render_update(template: str, bindings: Mapping[str, ox.NamedNode]) -> str:
    """An update template (a ``.ru`` file) with each ``?name`` written as its bound IRI.

    SPARQL Update has no variables in graph management (``DROP GRAPH <g>``), and the
    protocol no substitution parameter, so the IRI must be in the text: it is
    serialised by pyoxigraph, whose ``NamedNode`` refuses anything that is not an IRI."""
    body = "\n".join(line for line in template.splitlines() if not line.lstrip().startswith("#")).strip()

    def term(m: re.Match[str]) -> str:
        try:
            return str(bindings[m.group(1)])
        except KeyError:
            raise StoreError(f"update template: ?{m.group(1)} is not bound") from None

    return _VARIABLE.sub(term, body)


_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def with_prefixes(query: str, prefixes: Mapping[str, str]) -> str:
    """``query`` with a ``PREFIX`` declaration for each of ``prefixes`` (the embedded
    store takes them as an argument; the protocol has none)."""
    for name in prefixes:
        if not _PREFIX_NAME.fullmatch(name):
            raise StoreError(f"not a SPARQL prefix name: {name!r}")
    head = "".join(f"PREFIX {name}: {ox.NamedNode(iri)}\n" for name, iri in prefixes.items())
    return head + query


_PREFIX_NAME = re.compile(r"(?:[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9_-])?|[A-Za-z]")


def with_values(query: str, bindings: Mapping[ox.Variable, Any]) -> str:
    """``query`` with ``bindings`` as one ``VALUES`` row at the start of its outer
    ``WHERE`` group.  The values are serialised by pyoxigraph, so no text of a value
    can change the query."""
    names = " ".join(f"?{v.value}" for v in bindings)
    row = " ".join(str(term) for term in bindings.values())
    at = _where_brace(query)
    return f"{query[: at + 1]} VALUES ({names}) {{ ({row}) }} {query[at + 1 :]}"


def _where_brace(query: str) -> int:
    """Offset of the ``{`` that opens the query's outer ``WHERE`` group: the first
    brace after the keyword ``WHERE``, or (``ASK {…}``, ``SELECT * {…}`` without the
    keyword) the first brace outside a ``CONSTRUCT`` template.  Comments, strings,
    IRIs, variables and prefixed names are skipped."""
    construct_template = False
    depth = 0
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            i = query.find("\n", i)
            if i < 0:
                break
            continue
        if c in "\"'":
            i = _string_end(query, i)
            continue
        if c == "<" and _iri_at(query, i):
            i = query.index(">", i) + 1
            continue
        if c.isalpha() or c == "_":
            j = i
            while j < n and (query[j].isalnum() or query[j] in "_-.:"):
                j += 1
            word = query[i:j].upper()
            keyword = i == 0 or query[i - 1] not in "?$:"
            i = j
            if keyword and depth == 0 and word == "CONSTRUCT":
                construct_template = True
            elif keyword and depth == 0 and word == "WHERE":
                brace = query.find("{", i)
                if brace >= 0:
                    return brace
            continue
        if c == "{":
            if depth == 0 and not construct_template:
                return i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                construct_template = False
        i += 1
    raise StoreError("cannot bind values: the query has no WHERE group")


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    long = text.startswith(quote * 3, i)
    delim = quote * 3 if long else quote
    j = i + len(delim)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(delim, j):
            return j + len(delim)
        j += 1
    return len(text)


def _iri_at(text: str, i: int) -> bool:
    """Whether the ``<`` at ``i`` opens an IRI (``<http://…>``), not a less-than."""
    end = text.find(">", i)
    return end > i and not any(ch.isspace() for ch in text[i + 1 : end])
