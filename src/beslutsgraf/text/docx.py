"""DOCX reader (python-docx): heading styles become Markdown headings, tables rows."""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from .sources import Decoded, ReadLimits


class DocxReader:
    name = "docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    suffixes = (".docx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04")

    def decode(self, path: Path, data: bytes, limits: ReadLimits) -> Decoded:
        raise SourceError(path, "DOCX is not read yet")
