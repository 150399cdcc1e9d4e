"""Exception types. Every message names the file, span or line and what was expected."""

from __future__ import annotations


class BeslutsgrafError(Exception):
    """Base class: an error the CLI and web layer report as one clear line."""


class SettingsError(BeslutsgrafError):
    """An unknown setting or a value of the wrong type."""


class SourceError(BeslutsgrafError):
    """A source file that cannot be read as a document (empty, binary, too large, ...)."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ExtractionError(BeslutsgrafError):
    """The extractor failed on a document (a bug or an unexpected structure)."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class PatternError(BeslutsgrafError):
    """A rules/gazetteer data file is malformed."""


class StoreError(BeslutsgrafError):
    """The graph store is missing, locked or inconsistent."""


class ValidationError(BeslutsgrafError):
    """A built graph does not satisfy ontology/shapes.ttl."""


class QueryError(BeslutsgrafError):
    """A malformed, refused (update) or runaway SPARQL query."""
