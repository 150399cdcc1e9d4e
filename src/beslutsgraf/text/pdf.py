"""PDF reader: the text layer page by page (pypdfium2), OCR where it is missing or garbled.

Why pypdfium2: on the eleven real PDFs of ``../shared/real-docs`` it read 620–1,530
pages/s against 13–50 for pdfplumber (``benchmarks/bench_pdf.py``), and its reading
order of a two-column cover page keeps each label before its value
(``Beslutande Ewa Engdahl (c), ordförande``) where pdfplumber put some values
first.  It is Apache-2.0/BSD licensed (PyMuPDF's AGPL would bind deployers).

Each page is judged on its own (the decision is in ``needs_ocr``):
- no text layer (fewer than ``MIN_CHARS`` characters) on a page that shows
  something: OCR;
- a garbled text layer (few of its words are Swedish, ``text.words``): OCR, and
  the OCR text replaces the layer only when more of its words are Swedish.
Pages are joined with a form feed after their furniture is taken out
(``text.furniture``).  Limits (pages, pixels, OCR seconds) come from ``ReadLimits``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import pairwise
from pathlib import Path

from ..errors import SourceError
from .furniture import strip_furniture
from .ocr import OcrFailed, OcrUnavailable, ocr_image, pages_at_once, pgm
from .sections import standard_heading
from .sources import Decoded, ReadLimits
from .words import swedish_share

MIN_CHARS = 25  # a page with fewer characters of text has no usable text layer
GARBLED_SHARE = 0.55  # below this share of Swedish words a text layer is suspect
MIN_WORDS = 15  # too few words to judge a layer by
BETTER_BY = 0.10  # OCR must beat the layer's Swedish share by this much to replace it

# pdfium marks a word broken at a line end with U+FFFE (its soft hyphen)
_SOFT_HYPHEN = re.compile("\ufffe[ \t]*(?:\r?\n)?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff]")


_NO_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\s*/Kids\s*\[\s*\]")


def _pdfium_problem(exc: Exception, data: bytes) -> str:
    message = str(exc)
    # pdfium refuses a page tree without pages at load time (with a stale error code)
    if "password" not in message.lower() and _NO_PAGES.search(data[-65536:] + data[:65536]):
        return "the PDF has no pages"
    if "password" in message.lower():
        return "the PDF is encrypted (password protected); decrypt it first"
    if "format" in message.lower() or "file" in message.lower():
        return "not a readable PDF (corrupt or truncated)"
    return f"not a readable PDF ({message})"


def page_text(page) -> str:
    """A page's text layer, with paragraphs apart, pdfium's soft hyphens resolved and
    symbol-font bullets made plain."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if textpage.count_chars() == len(text):
            text = _with_paragraph_breaks(textpage, text)
    finally:
        textpage.close()
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_BULLETS)
    return _CONTROL.sub("", _SOFT_HYPHEN.sub("", text))


# Word's symbol-font bullets land in the Private Use Area
_BULLETS = dict.fromkeys(map(ord, "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf02d"), "•")
# A gap between two lines starts a paragraph when it is PARAGRAPH_FACTOR times the page's
# usual gap between the lines of a paragraph (its lower quartile) and PARAGRAPH_EXTRA line
# heights more: line spacing differs between documents (0.25 to 0.8 line heights seen).
PARAGRAPH_FACTOR = 1.6
PARAGRAPH_EXTRA = 0.2


def _heads_first(lines: list[tuple[str, tuple[float, float] | None]]) -> list[tuple[str, tuple[float, float] | None]]:
    """Lines drawn last but standing above the first line (a running head some producers
    write after the page's text) moved to the top, in their own order."""
    boxed = [n for n, (_raw, box) in enumerate(lines) if box is not None]
    if len(boxed) < 3:
        return lines
    first_top = lines[boxed[0]][1][1]
    cut = len(lines)
    for n in reversed(boxed[1:]):
        if lines[n][1][0] > first_top:  # its bottom is above the first line's top
            cut = n
        else:
            break
    if cut == len(lines):
        return lines
    return lines[cut:] + [("", None)] + lines[:cut]


def _with_paragraph_breaks(textpage, text: str) -> str:
    """The page text with a blank line wherever the vertical gap to the previous line says
    a new paragraph (or a column, or a table row block) begins.

    A PDF text layer has lines but no paragraphs; extraction and normalisation read
    paragraphs from blank lines.  The gap is measured on character boxes (see
    PARAGRAPH_FACTOR); a line that stands higher than the one before starts a column."""
    lines: list[tuple[str, tuple[float, float] | None]] = []
    pos = 0
    for raw in text.split("\r\n"):
        start = pos
        pos += len(raw) + 2
        filled = [i for i, ch in enumerate(raw) if not ch.isspace()]
        if not filled:
            lines.append((raw, None))
            continue
        probes = {filled[0], filled[len(filled) // 2], filled[-1]}
        boxes = [textpage.get_charbox(start + i) for i in probes]
        lines.append((raw, (min(b[1] for b in boxes), max(b[3] for b in boxes))))
    heights = sorted(top - bottom for _raw, box in lines if box for bottom, top in [box] if top > bottom)
    if not heights:
        return text
    height = heights[len(heights) // 2]
    boxes = [box for _raw, box in lines if box is not None]
    gaps = sorted(g for a, b in pairwise(boxes) if 0 < (g := a[0] - b[1]) < 3 * height)
    usual = gaps[len(gaps) // 4] if len(gaps) >= 4 else 0.25 * height
    threshold = max(PARAGRAPH_FACTOR * usual, usual + PARAGRAPH_EXTRA * height)
    lines = _heads_first(lines)
    out: list[str] = []
    previous: tuple[float, float] | None = None
    after_heading = False
    for raw, box in lines:
        heading = standard_heading(raw.strip()) is not None
        if box is not None and previous is not None and out and out[-1].strip():
            gap = previous[0] - box[1]  # PDF y grows upwards: previous bottom minus this top
            # a standard heading (Beslut, Förslag till beslut, …) stands apart whatever its spacing
            if gap > threshold or gap < -height or heading or after_heading:
                out.append("")
        if box is not None:
            after_heading = heading
        out.append(raw)
        if box is not None:
            previous = box
    return "\r\n".join(out)


def needs_ocr(text: str) -> str | None:
    """Why a page's text layer should be read again by OCR, or None."""
    if len(text.strip()) < MIN_CHARS:
        return "no text layer"
    share, words = swedish_share(text)
    if words >= MIN_WORDS and share < GARBLED_SHARE:
        return f"garbled text layer ({share:.0%} Swedish words)"
    return None


def _shows_something(page) -> bool:
    from pypdfium2 import raw

    return any(obj.type in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH) for obj in page.get_objects(max_depth=2))


def pdfium_error() -> type[Exception]:
    import pypdfium2 as pdfium

    return pdfium.PdfiumError


def _largest_image_megapixels(page) -> float:
    from pypdfium2 import raw

    largest = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            width, height = obj.get_px_size()
        except pdfium_error():  # an image pdfium cannot measure is judged by rendering limits alone
            continue
        largest = max(largest, width * height / 1e6)
    return largest


def render_gray(page, limits: ReadLimits):
    """The page as a grayscale array at ``limits.ocr_dpi``, scaled down to the pixel limit."""
    width, height = page.get_size()  # points
    scale = limits.ocr_dpi / 72
    pixels = width * height * scale * scale
    cap = limits.max_page_megapixels * 1e6
    if pixels > cap:
        scale *= (cap / pixels) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        array = bitmap.to_numpy()
        return (array if array.ndim == 2 else array[..., 0]).copy(), round(72 * scale)
    finally:
        bitmap.close()


def count_pages(path: Path) -> int:
    """The number of pages of a PDF, 0 when it cannot be opened."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


class PdfReader:
    name = "pdf"
    media_type = "application/pdf"
    suffixes = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def decode(self, path: Path, data: bytes, limits: ReadLimits) -> Decoded:
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise SourceError(path, _pdfium_problem(exc, data)) from None
        try:
            count = len(doc)
            if count == 0:
                raise SourceError(path, "the PDF has no pages")
            if count > limits.max_pages:
                raise SourceError(
                    path, f"the PDF has {count} pages, over the limit of {limits.max_pages} (setting max_pdf_pages)"
                )
            pages, ocr_pages, warnings = self._pages(path, doc, count, limits)
        finally:
            doc.close()
        texts, furniture = strip_furniture(pages)
        return Decoded(
            text="\f".join(texts),
            encoding="pdf",
            page_count=count,
            furniture=furniture,
            ocr_pages=tuple(ocr_pages),
            warnings=tuple(warnings),
        )

    def _pages(self, path: Path, doc, count: int, limits: ReadLimits) -> tuple[list[str], list[int], list[str]]:
        """Each page's text, the 1-based pages read by OCR, and the warnings, in page order.

        Pages are read and rendered one after the other (pdfium is not thread-safe), and
        up to ``pages_at_once()`` Tesseract processes read the rendered pages meanwhile;
        each page's outcome is decided in page order, as if they had been read in turn."""
        pages: list[str] = []
        ocr_pages: list[int] = []
        warnings: list[str] = []
        ocr_off: str | None = None if limits.ocr else "OCR is turned off (setting ocr)"
        at_once = pages_at_once()
        pool = ThreadPoolExecutor(at_once, thread_name_prefix="ocr") if at_once > 1 else None
        # (page index, text layer, why it needs OCR, a call that gives the OCR text)
        pending: deque[tuple[int, str, str | None, Callable[[], str | None] | None]] = deque()

        def settle() -> None:
            nonlocal ocr_off
            index, text, reason, read = pending.popleft()
            if reason is not None:
                if ocr_off is None and read is not None:
                    try:
                        better = read()
                    except OcrUnavailable as exc:
                        ocr_off = str(exc)
                    except OcrFailed as exc:
                        warnings.append(f"page {index + 1}: {reason}, and {exc}")
                        better = None
                    if ocr_off is None and better is not None and self._prefer(better, text, reason):
                        text = better
                        ocr_pages.append(index + 1)
                if ocr_off is not None:
                    warnings.append(f"page {index + 1}: {reason}, not read again: {ocr_off}")
            pages.append(text)

        try:
            for index in range(count):
                page = doc[index]
                read = None
                try:
                    text = page_text(page)
                    reason = needs_ocr(text)
                    if reason == "no text layer" and not _shows_something(page):
                        reason = None  # a blank page
                    if reason is not None and ocr_off is None:
                        read = self._ocr(page, limits, pool)
                finally:
                    page.close()
                pending.append((index, text, reason, read))
                while pending and (len(pending) > 2 * at_once or pending[0][3] is None):
                    settle()
            while pending:
                settle()
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        return pages, ocr_pages, warnings

    @staticmethod
    def _prefer(ocr_text: str, layer: str, reason: str) -> bool:
        if reason == "no text layer":
            return len(ocr_text.strip()) > len(layer.strip())
        return swedish_share(ocr_text)[0] >= swedish_share(layer)[0] + BETTER_BY

    @staticmethod
    def _ocr(page, limits: ReadLimits, pool: ThreadPoolExecutor | None) -> Callable[[], str | None]:
        """The page rendered now; a call that gives its OCR text (read in ``pool`` meanwhile,
        or when called) or raises what reading it raised."""
        if _largest_image_megapixels(page) > limits.max_page_megapixels:
            failed = OcrFailed(
                f"an image on it is over {limits.max_page_megapixels:g} megapixels (setting max_page_megapixels)"
            )

            def fail() -> str | None:
                raise failed

            return fail
        gray, dpi = render_gray(page, limits)
        read = partial(
            ocr_image, pgm(gray), language=limits.ocr_language, timeout_s=limits.ocr_seconds_per_page, dpi=dpi
        )
        return read if pool is None else pool.submit(read).result
