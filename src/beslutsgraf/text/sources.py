"""Reading source files into text, behind one reader interface.

Plain text and Markdown are read now; PDF, DOCX and HTML readers join later by
registering a ``Reader`` for their suffixes.  Every refusal is a ``SourceError``
naming the file and the problem, so a batch can report it and go on.
"""

from __future__ import annotations

import errno
import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import SourceError


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str  # decoded, not yet normalised
    sha256: str  # of the file's bytes
    encoding: str


class Reader(Protocol):
    suffixes: tuple[str, ...]

    def decode(self, path: Path, data: bytes) -> tuple[str, str]:
        """Return (text, encoding name) or raise SourceError."""


# Control characters that never occur in a text document (tab, LF, CR, FF allowed).
_BINARY_BYTES = set(range(9)) | {11} | set(range(14, 32)) - {27}


class PlainTextReader:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 / Latin-1."""

    suffixes = (".txt", ".md", ".markdown", ".text")

    def decode(self, path: Path, data: bytes) -> tuple[str, str]:
        if data.startswith(b"\xef\xbb\xbf"):
            return self._strict(path, data[3:], "utf-8"), "utf-8-sig"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return self._strict(path, data, "utf-16"), "utf-16"
        sample = data[:65536]
        if b"\x00" in sample or sum(b in _BINARY_BYTES for b in sample) > len(sample) * 0.01:
            raise SourceError(path, "looks like a binary file, not text (control bytes found)")
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        # Swedish text in the legacy Windows code page; every byte but five is defined,
        # and Latin-1 takes the rest (it decodes any byte).
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1"

    @staticmethod
    def _strict(path: Path, data: bytes, encoding: str) -> str:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not valid {encoding} at byte {exc.start}") from None


READERS: tuple[Reader, ...] = (PlainTextReader(),)


def supported_suffixes() -> tuple[str, ...]:
    return tuple(s for r in READERS for s in r.suffixes)


def reader_for(path: Path) -> Reader:
    suffix = path.suffix.lower()
    for reader in READERS:
        if suffix in reader.suffixes:
            return reader
    raise SourceError(
        path, f"unsupported file type {suffix or '(none)'}; supported: {', '.join(supported_suffixes())}"
    )


def _os_problem(exc: BaseException) -> str:
    """An operating-system error as a short phrase: ``permission denied``."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "symbolic link loop"
    text = getattr(exc, "strerror", None) or str(exc)
    return f"cannot be read: {text[:1].lower()}{text[1:]}"


def read_source(path: Path | str, *, max_mb: float = 20.0) -> SourceText:
    """Read and decode one source file, refusing what is not a text document."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        problem = "broken symbolic link" if path.is_symlink() else "no such file"
        raise SourceError(path, problem) from None
    except (OSError, RuntimeError) as exc:  # a link loop is RuntimeError on Python 3.11
        raise SourceError(path, _os_problem(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(path, "not a regular file")
    reader = reader_for(path)
    if st.st_size > max_mb * 1_000_000:
        raise SourceError(
            path, f"file is {st.st_size / 1e6:.1f} MB, over the {max_mb:g} MB limit (setting max_file_mb)"
        )
    try:
        with path.open("rb") as fh:
            # Never more than the limit, even if the file grew since stat().
            data = fh.read(int(max_mb * 1_000_000) + 1)
    except OSError as exc:
        raise SourceError(path, _os_problem(exc)) from None
    if len(data) > max_mb * 1_000_000:
        raise SourceError(path, f"file grew past the {max_mb:g} MB limit while it was read")
    text, encoding = reader.decode(path, data)
    if not text.strip():
        raise SourceError(path, "file is empty")
    return SourceText(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding)
