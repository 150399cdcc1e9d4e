"""A source the operating system will not give us is a named ``SourceError``, never a
traceback: permission denied, vanished, a link loop, a broken link, a FIFO."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from beslutsgraf.errors import SourceError
from beslutsgraf.text.sources import read_source


def _refused(path: Path) -> str:
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert err.value.path == str(path)
    return err.value.problem


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "hemlig.txt"
    doc.write_text("Kommunstyrelsen beslutar.", encoding="utf-8")
    real_open = Path.open

    def denied(self: Path, *args, **kwargs):
        if self == doc:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    # Tests run as root in CI, where chmod 000 does not stop a read.
    monkeypatch.setattr(Path, "open", denied)
    assert _refused(doc) == "cannot be read: permission denied"


def test_missing_broken_link_and_loop(tmp_path: Path) -> None:
    assert _refused(tmp_path / "borta.txt") == "no such file"
    (tmp_path / "trasig.txt").symlink_to(tmp_path / "finns-inte.txt")
    assert _refused(tmp_path / "trasig.txt") == "broken symbolic link"
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert _refused(tmp_path / "a.txt") == "symbolic link loop"


def test_fifo_and_folder_are_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ror.txt")
    assert _refused(tmp_path / "ror.txt") == "not a regular file"  # and did not block
    (tmp_path / "mapp.txt").mkdir()
    assert _refused(tmp_path / "mapp.txt") == "not a regular file"
