"""The error catalogue: every error beslutsgraf raises, in one place.

Each type carries the HTTP status the web boundary answers with and a short title in
Swedish and English; the message of an instance names the file, span, line or value
and what was expected.  The CLI prints the message as one line; the web layer looks up
``status`` and ``title_sv`` on the exception and nothing else, so a new error type
needs no change there.

==================  ======  ==========================================================
type                status  raised when
==================  ======  ==========================================================
BeslutsgrafError    400     (base) a request or input we refuse
SettingsError       400     an unknown setting or a value of the wrong type
SourceError         400     a source file that cannot be read as a document
ExtractionError     400     the extractor failed on a document
ValidationError     400     a built graph does not satisfy the SHACL shapes
IriError            400     a part that cannot be minted, or an IRI that is not ours
SearchError         400     a search query or filter the service refuses
QueryError          400     a malformed or empty SPARQL query
UpdateRefused       403     a SPARQL update sent to the read-only endpoint
ServiceRefused      403     a federated query (SERVICE)
NotFound            404     no such entity, document or IRI in the graph
TooManyQueries      429     a client already has its share of SPARQL queries running
PatternError        500     a data file of the package (rules, gazetteers, queries) is bad
StoreError          503     the graph store is missing, locked or inconsistent, or its server is unreachable
ExecutorUnavailable 503     the build's Dask cluster cannot be reached or started
IndexUnavailable    503     the search index or the embedding model cannot be loaded
QueryTimeout        503     a SPARQL query ran past its time limit
QueryBusy           503     every SPARQL worker stayed busy for the whole time limit
WorkerDied          503     a SPARQL worker process ended while answering
==================  ======  ==========================================================
"""

from __future__ import annotations

from typing import ClassVar


class BeslutsgrafError(Exception):
    """Base class: an error the CLI and web layer report as one clear line."""

    status: ClassVar[int] = 400
    title_sv: ClassVar[str] = "Felaktig förfrågan"
    title_en: ClassVar[str] = "Bad request"


class SettingsError(BeslutsgrafError):
    """An unknown setting or a value of the wrong type."""

    title_sv = "Felaktig inställning"
    title_en = "Invalid setting"


class SourceError(BeslutsgrafError):
    """A source file that cannot be read as a document (empty, binary, too large, ...)."""

    title_sv = "Källfilen kan inte läsas"
    title_en = "Unreadable source file"

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ExtractionError(BeslutsgrafError):
    """The extractor failed on a document (a bug or an unexpected structure)."""

    title_sv = "Extraktionen misslyckades"
    title_en = "Extraction failed"

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ValidationError(BeslutsgrafError):
    """A built graph does not satisfy ontology/shapes.ttl."""

    title_sv = "Grafen är ogiltig"
    title_en = "Invalid graph"


class IriError(BeslutsgrafError, ValueError):
    """A part that cannot be minted into an IRI, or an IRI that is not ours."""

    title_sv = "Ogiltig IRI"
    title_en = "Invalid IRI"


class SearchError(BeslutsgrafError):
    """A query or filter the search service refuses, with what was expected."""

    title_sv = "Felaktig sökning"
    title_en = "Invalid search"


class QueryError(BeslutsgrafError):
    """A malformed, empty or refused SPARQL query."""

    title_sv = "Felaktig SPARQL-fråga"
    title_en = "Invalid SPARQL query"


class UpdateRefused(QueryError):
    """A SPARQL update sent to a read-only endpoint."""

    status = 403
    title_sv = "Inte tillåtet"
    title_en = "Forbidden"


class ServiceRefused(UpdateRefused):
    """A federated query (SERVICE): the server would fetch from any host it names."""


class NotFound(BeslutsgrafError):
    """No such entity in the graph (the message names what was looked for)."""

    status = 404
    title_sv = "Hittades inte"
    title_en = "Not found"


class TooManyQueries(QueryError):
    """A client already has as many SPARQL queries running as it may (per-client limit)."""

    status = 429
    title_sv = "För många samtidiga frågor"
    title_en = "Too many concurrent queries"


class PatternError(BeslutsgrafError):
    """A data file of the package (rules, gazetteers, query files) is malformed or missing:
    a fault of the installation, not of the request."""

    status = 500
    title_sv = "Internt fel"
    title_en = "Internal error"


class StoreError(BeslutsgrafError):
    """The graph store is missing, locked or inconsistent."""

    status = 503
    title_sv = "Tjänsten är inte tillgänglig"
    title_en = "Service unavailable"


class ExecutorUnavailable(BeslutsgrafError):
    """The build's executor (a Dask cluster) cannot be reached or started."""

    status = 503
    title_sv = "Tjänsten är inte tillgänglig"
    title_en = "Service unavailable"


class IndexUnavailable(StoreError):
    """The search index or the embedding model is missing, unreadable or inconsistent."""

    title_sv = "Sökindexet är inte tillgängligt"
    title_en = "Search index unavailable"


class QueryTimeout(QueryError):
    """A query stopped because it ran past its time limit."""

    status = 503
    title_sv = "Frågan tog för lång tid"
    title_en = "Query timed out"


class QueryBusy(QueryError):
    """Every query worker stayed busy for the whole time limit."""

    status = 503
    title_sv = "Tjänsten är upptagen"
    title_en = "Service busy"


class WorkerDied(QueryError):
    """A query worker process ended while answering (out of memory, killed)."""

    status = 503
    title_sv = "Frågan avbröts"
    title_en = "Query aborted"


def catalogue() -> list[type[BeslutsgrafError]]:
    """Every error type, base first, in definition order."""
    out: list[type[BeslutsgrafError]] = []
    todo = [BeslutsgrafError]
    while todo:
        cls = todo.pop(0)
        if cls not in out:
            out.append(cls)
            todo.extend(cls.__subclasses__())
    return out
