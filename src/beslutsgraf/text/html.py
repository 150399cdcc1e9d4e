"""HTML reader (lxml.html): the main content of a municipal or meeting-portal page.

The bytes are decoded by their byte-order mark, else the charset the page
declares (``<meta charset>`` or ``http-equiv``), else UTF-8, falling back to
Windows-1252 (which browsers also read for a declared Latin-1).  The text is
the breadcrumb trail on the first line (``Hem > Kommun och politik >
Kommunstyrelsen``), then, when the content has no ``<h1>``, the page's ``<h1>``
or ``<title>`` as a ``#`` heading, then the main content (``html_content``)
rendered as text with light Markdown (``html_render``).  A page whose content
has no text is refused, even if it has a trail and a title.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import SourceError
from .html_content import breadcrumb_trail, collapse, main_content, remove_furniture
from .html_render import Renderer, inline_text
from .sources import Decoded, ReadLimits

_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_MARKUP = re.compile(r"<[a-zA-Z!/?]")
# what browsers read for these labels (the WHATWG Encoding standard)
_AS_WINDOWS_1252 = {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1", "ascii", "us-ascii", "iso_8859-1"}
# Control characters that never occur in a web page (tab, LF, FF, CR allowed).
_BINARY_BYTES = set(range(9)) | {11} | set(range(14, 32)) - {27}


def looks_like_html(head: bytes) -> bool:
    """True when a file's first bytes open an HTML document."""
    return bool(_HTML_START.match(head[:2048]))


def _declared(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def decode_html(path: Path, data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """(text, charset used, warnings) of an HTML file's bytes; see the module docstring."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(path, data[3:], "utf-8"), "utf-8", ()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, data, "utf-16"), "utf-16", ()
    sample = data[:65536]
    if b"\x00" in sample or sum(b in _BINARY_BYTES for b in sample) > len(sample) * 0.01:
        raise SourceError(path, "looks like a binary file, not HTML (control bytes found)")
    warnings: list[str] = []
    declared = _declared(data)
    if declared:
        try:
            charset = codecs.lookup("cp1252" if declared in _AS_WINDOWS_1252 else declared).name
        except LookupError:
            charset = None
            warnings.append(f"the page declares an unknown charset {declared!r}")
        if charset and not charset.startswith("utf-16"):  # without a BOM it cannot be UTF-16
            try:
                return data.decode(charset), charset, ()
            except UnicodeDecodeError:
                warnings.append(f"the page declares charset {declared!r} but its bytes are not that")
    for charset in ("utf-8", "cp1252"):
        try:
            return data.decode(charset), charset, tuple(warnings)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1", tuple(warnings)  # cp1252 lacks five bytes


def _strict(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not valid {encoding} at byte {exc.start}") from None


def parse_html(path: Path, text: str):
    """The lxml document of a page's text, or SourceError when it is not a readable page."""
    from lxml import etree
    from lxml import html as lxml_html

    if not text.strip():
        raise SourceError(path, "the HTML page has no body text")
    if not _MARKUP.search(text):
        raise SourceError(path, "not an HTML page (no tags in it); name it .txt to read it as text")
    try:
        # lxml refuses text that still declares its encoding
        return lxml_html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(path, f"not a readable HTML page ({exc})") from None


def _page_heading(root, content) -> str | None:
    """The page's own heading when the content has no ``<h1>``: an ``<h1>`` outside it, else ``<title>``."""
    if content.xpath("boolean(descendant-or-self::h1)"):
        return None
    for h1 in root.iter("h1"):
        text = inline_text(h1)
        if text:
            return text
    title = root.find(".//title")
    text = collapse(title.text_content()) if title is not None else ""
    return text or None


class HtmlReader:
    name = "html"
    media_type = "text/html"
    suffixes = (".html", ".htm", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        return looks_like_html(head)

    def decode(self, path: Path, data: bytes, limits: ReadLimits) -> Decoded:
        text, charset, warnings = decode_html(path, data)
        root = parse_html(path, text)
        trail = breadcrumb_trail(root)
        remove_furniture(root)
        body = root.find("body")
        content = main_content(body) if body is not None else None
        body_text = Renderer().render(content) if content is not None else ""
        if not body_text.strip():
            raise SourceError(path, "the HTML page has no body text")
        heading = _page_heading(root, content)
        parts = [" > ".join(trail)] if trail else []
        parts += [f"# {heading}"] if heading else []
        return Decoded(text="\n\n".join([*parts, body_text]), encoding=charset, warnings=warnings)
