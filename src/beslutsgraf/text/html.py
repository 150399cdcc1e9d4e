"""HTML reader: the main content of a municipal or meeting-portal page."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceError
from .sources import Decoded, ReadLimits

_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def looks_like_html(head: bytes) -> bool:
    """True when a file's first bytes open an HTML document."""
    return bool(_HTML_START.match(head[:2048]))


class HtmlReader:
    name = "html"
    media_type = "text/html"
    suffixes = (".html", ".htm", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        return looks_like_html(head)

    def decode(self, path: Path, data: bytes, limits: ReadLimits) -> Decoded:
        raise SourceError(path, "HTML is not read yet")
