"""Reading source files into text, behind one reader interface.

A reader is chosen by the file's content (its magic bytes) first and its suffix
second: a PDF named ``.txt`` is read as a PDF (with a warning), while a file
named ``.pdf``/``.docx``/``.html`` whose content is not that format is refused.
Paged formats join their pages with a form feed (``\\f``), which normalisation
turns into page offsets, so every span downstream knows its page.  Every
refusal is a ``SourceError`` naming the file and the problem, so a batch can
report it and go on.
"""

from __future__ import annotations

import errno
import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import SourceError


@dataclass(frozen=True)
class ReadLimits:
    """Limits and switches of the binary readers (settings ``max_pdf_pages`` and so on)."""

    max_pages: int = 2000
    max_page_megapixels: float = 60.0  # of a rendered page or of one embedded image
    ocr: bool = True
    ocr_seconds_per_page: float = 60.0
    ocr_dpi: int = 300
    ocr_language: str = "swe"

    @classmethod
    def from_settings(cls, settings: object) -> ReadLimits:
        """The limits named by the settings ``max_pdf_pages``, ``max_page_megapixels``,
        ``ocr``, ``ocr_seconds_per_page`` and ``ocr_dpi``."""
        return cls(
            max_pages=int(settings.max_pdf_pages),  # type: ignore[attr-defined]
            max_page_megapixels=float(settings.max_page_megapixels),  # type: ignore[attr-defined]
            ocr=bool(settings.ocr),  # type: ignore[attr-defined]
            ocr_seconds_per_page=float(settings.ocr_seconds_per_page),  # type: ignore[attr-defined]
            ocr_dpi=int(settings.ocr_dpi),  # type: ignore[attr-defined]
        )


@dataclass(frozen=True)
class Decoded:
    """What a reader makes of a file's bytes."""

    text: str  # not yet normalised; pages joined by "\f" when the format has pages
    encoding: str  # a text encoding, or the reader's name for binary formats
    page_count: int | None = None
    furniture: tuple[str, ...] = ()  # running heads and footers taken out of the pages
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text came from OCR
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str  # decoded, not yet normalised
    sha256: str  # of the file's bytes
    encoding: str
    media_type: str = "text/plain"
    suffix: str = ".txt"  # the canonical suffix of the content (".pdf" for a PDF)
    page_count: int | None = None
    furniture: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = field(default=())


class Reader(Protocol):
    name: str
    media_type: str
    suffixes: tuple[str, ...]  # the first is the canonical one

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file are this format's."""

    def decode(self, path: Path, data: bytes, limits: ReadLimits) -> Decoded:
        """Return the document's text or raise SourceError naming ``path``."""


# Control characters that never occur in a text document (tab, LF, CR, FF allowed).
_BINARY_BYTES = set(range(9)) | {11} | set(range(14, 32)) - {27}


class PlainTextReader:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 / Latin-1."""

    name = "text"
    media_type = "text/plain"
    suffixes = (".txt", ".md", ".markdown", ".text")

    def sniff(self, head: bytes) -> bool:
        return False  # text is what is left when no other reader claims a file

    def decode(self, path: Path, data: bytes, limits: ReadLimits) -> Decoded:
        if data.startswith(b"\xef\xbb\xbf"):
            return Decoded(self._strict(path, data[3:], "utf-8"), "utf-8-sig")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return Decoded(self._strict(path, data, "utf-16"), "utf-16")
        sample = data[:65536]
        if b"\x00" in sample or sum(b in _BINARY_BYTES for b in sample) > len(sample) * 0.01:
            raise SourceError(path, "looks like a binary file, not text (control bytes found)")
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
        # Swedish text in the legacy Windows code page; every byte but five is defined,
        # and Latin-1 takes the rest (it decodes any byte).
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            return Decoded(data.decode("latin-1"), "latin-1")

    @staticmethod
    def _strict(path: Path, data: bytes, encoding: str) -> str:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not valid {encoding} at byte {exc.start}") from None


def _readers() -> tuple[Reader, ...]:
    # imported here so that reading a .txt file never loads a PDF library
    from .docx import DocxReader
    from .html import HtmlReader
    from .pdf import PdfReader

    return (PdfReader(), DocxReader(), HtmlReader(), PlainTextReader())


_SUFFIXES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    **dict.fromkeys(PlainTextReader.suffixes, "text"),
}
# What a file's first bytes say it is: (prefix, reader name, what it is).  HTML is
# sniffed by its reader, since a text file may start with anything.  An OLE compound
# file goes to the DOCX reader, which says what it is: a password-protected DOCX is
# stored as one, and so is a Word 97-2003 document.
_MAGIC = (
    (b"%PDF-", "pdf", "a PDF"),
    (b"PK\x03\x04", "docx", "a ZIP (DOCX) archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "docx", "an OLE (Office) compound file"),
)


def supported_suffixes() -> tuple[str, ...]:
    return tuple(_SUFFIXES)


def _reader_named(name: str) -> Reader:
    return next(r for r in _readers() if r.name == name)


def _content_kind(head: bytes) -> tuple[str, str] | None:
    """(reader name, what the content is) from a file's first bytes, or None."""
    # a PDF may have junk before its header; readers accept it within the first KB
    probe = head[:1024]
    for magic, name, what in _MAGIC:
        if probe.startswith(magic) or (name == "pdf" and magic in probe):
            return name, what
    from .html import looks_like_html

    return ("html", "an HTML page") if looks_like_html(head) else None


def reader_for(path: Path, head: bytes | None = None) -> tuple[Reader, str | None]:
    """The reader for a file, from its suffix and, when given, its first bytes.

    Returns the reader and a warning when content and suffix disagree; raises
    SourceError for an unknown suffix or a binary suffix the content belies."""
    suffix = path.suffix.lower()
    claimed = _SUFFIXES.get(suffix)
    if head is None:
        if claimed is None:
            raise SourceError(
                path, f"unsupported file type {suffix or '(none)'}; supported: {', '.join(supported_suffixes())}"
            )
        return _reader_named(claimed), None
    found, what = _content_kind(head) or (None, "")
    if found is not None and found != claimed:
        if found == "html" and claimed == "text":
            return _reader_named("text"), None  # Markdown and text may hold HTML
        named = f"named {suffix}" if suffix else "without a suffix"
        return _reader_named(found), f"{named} but its content is {what}; read as that"
    if found is None and claimed in ("pdf", "docx"):
        shown = head[:12].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise SourceError(path, f"named {suffix} but it is not a {claimed.upper()} file (it starts with {shown!r})")
    if claimed is None and found is None:
        raise SourceError(
            path, f"unsupported file type {suffix or '(none)'}; supported: {', '.join(supported_suffixes())}"
        )
    return _reader_named(found or claimed), None


def _os_problem(exc: BaseException) -> str:
    """An operating-system error as a short phrase: ``permission denied``."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "symbolic link loop"
    text = getattr(exc, "strerror", None) or str(exc)
    return f"cannot be read: {text[:1].lower()}{text[1:]}"


def read_bytes(path: Path | str, *, max_mb: float = 20.0) -> bytes:
    """A source file's bytes, refusing what is not a regular file within the size limit."""
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
    return data


def page_weight(path: Path | str) -> int:
    """How many pages a file will be read as (1 for a file without pages), for progress.

    Cheap (a PDF's page tree only); a file that cannot be opened weighs 1 and fails
    later, where the reason is reported."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return 1
    if b"%PDF-" not in head:
        return 1
    from .pdf import count_pages

    return max(1, count_pages(path))


def read_source(path: Path | str, *, max_mb: float = 20.0, limits: ReadLimits | None = None) -> SourceText:
    """Read and decode one source file, refusing what is not a document we can read."""
    path = Path(path)
    reader_for(path)  # an unknown suffix is refused before the file is read
    data = read_bytes(path, max_mb=max_mb)
    reader, warning = reader_for(path, data[:4096])
    decoded = reader.decode(path, data, limits or ReadLimits())
    if not decoded.text.replace("\f", "").strip():
        raise SourceError(path, "file is empty" if reader.name == "text" else "no text found in the file")
    return SourceText(
        path=path,
        text=decoded.text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=decoded.encoding,
        media_type=reader.media_type,
        suffix=reader.suffixes[0],
        page_count=decoded.page_count,
        furniture=decoded.furniture,
        ocr_pages=decoded.ocr_pages,
        warnings=((warning,) if warning else ()) + decoded.warnings,
    )
