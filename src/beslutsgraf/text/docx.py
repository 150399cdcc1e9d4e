"""DOCX reader (python-docx for the package, styles and parts; the XML walked in ``docx_body``).

The body is read in document order with heading styles as Markdown headings,
list paragraphs as lines and tables as one line per row (``docx_body``).  Headers
and footers are page furniture: their distinct lines go to ``Decoded.furniture``;
only the first page's header is also kept as the text's first lines (the
letterhead: Word templates put the Dnr, the date and the kind there), without its
page numbers.  A DOCX has no reliable pages (Word lays them out when it
shows the document), so the text has no form feeds and ``page_count`` is None.

Refused, each with its own message: a ZIP that is not a DOCX, a corrupt ZIP, an
OLE compound file (a password-protected DOCX is stored as one, and so is a
Word 97–2003 ``.doc``), and an archive that unpacks to more than
``MAX_UNPACKED_MB`` (a zip bomb, or a document too large to hold in memory).
The limit is absolute, not a ratio to the file's size: python-docx holds every
part in memory and parses the XML ones, so the unpacked size is what has to be
bounded, and a ratio would refuse honest documents (repetitive WordprocessingML
deflates 100–200 times).  Measured: 23 MB of ``document.xml`` (200,000
paragraphs) takes 7 s and 260 MB of memory, so 100 MB stays near 1 GB, while a
long real document (a 500-page protokoll) should hold some 30–60 MB of XML.  ``zipfile`` never inflates a member past the
size its directory declares (one that lies fails its CRC check), so the
declared sizes can be trusted for this.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from ..errors import SourceError
from .docx_body import Story
from .docx_styles import Numbering, StyleBook
from .furniture import is_genre_furniture
from .sources import Decoded, ReadLimits

MAX_UNPACKED_MB = 100
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAIN_PART = "word/document.xml"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def ole_problem(data: bytes) -> str:
    """What an OLE compound file named as a DOCX is, from the names of its streams."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "the DOCX is encrypted (password protected); remove the password in Word and save it again"
    if "WordDocument".encode("utf-16-le") in data:
        return "a Word 97–2003 document (.doc), not a DOCX; save it as .docx first"
    return "an OLE compound file (a legacy Office format), not a DOCX document"


def check_archive(path: Path, data: bytes) -> None:
    """Refuse a corrupt ZIP, a ZIP without ``word/document.xml`` and a possible zip bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise SourceError(path, f"not a readable DOCX (corrupt ZIP: {exc})") from None
    if MAIN_PART not in {m.filename for m in members}:
        raise SourceError(path, f"a ZIP archive but not a DOCX document (no {MAIN_PART})")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_MB * 1_000_000:
        largest = max(members, key=lambda m: m.file_size)
        raise SourceError(
            path,
            f"the DOCX unpacks to {unpacked / 1e6:,.0f} MB ({largest.filename} alone "
            f"{largest.file_size / 1e6:,.0f} MB), over the limit of {MAX_UNPACKED_MB} MB "
            "(a zip bomb?)",
        )


def open_document(path: Path, data: bytes):
    """The python-docx Document of ``data``, or SourceError saying why it cannot be opened."""
    import docx
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise SourceError(path, f"not a readable DOCX (corrupt ZIP: {exc})") from None
    except NotImplementedError as exc:  # zipfile: a compression method it lacks
        raise SourceError(path, f"not a readable DOCX (unsupported ZIP: {exc})") from None
    except RuntimeError as exc:  # zipfile: an encrypted member
        raise SourceError(path, f"not a readable DOCX ({exc})") from None
    except etree.XMLSyntaxError as exc:
        raise SourceError(path, f"not a readable DOCX (malformed XML: {exc})") from None
    except KeyError as exc:
        raise SourceError(path, f"not a readable DOCX (a part is missing: {exc})") from None
    except ValueError as exc:  # python-docx: the main part is not a Word document's
        kind = str(exc).rpartition("content type is ")[2].strip("'") or str(exc)
        raise SourceError(path, f"not a Word document (its main part is {kind})") from None
    except (OpcError, PythonDocxError) as exc:
        raise SourceError(path, f"not a readable DOCX ({exc})") from None


def _furniture(document, styles: StyleBook, numbering: Numbering) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The distinct lines of every header and footer the sections define, in order,
    and a warning for each one whose part is missing from the package."""
    story = Story(styles, numbering, plain=True)
    lines: dict[str, None] = {}
    warnings: list[str] = []
    for number, section in enumerate(document.sections, 1):
        for kind, part in (
            ("header", section.first_page_header), ("header", section.header), ("header", section.even_page_header),
            ("footer", section.first_page_footer), ("footer", section.footer), ("footer", section.even_page_footer),
        ):
            if part.is_linked_to_previous:
                continue  # no definition of its own: nothing new, and reading it would add one
            try:
                element = part.part.element
            except KeyError:  # the section names a part the package lacks
                warnings.append(f"section {number}: a {kind} part is missing; not read")
                continue
            for line in story.render(element).split("\n"):
                if line.strip():
                    lines[" ".join(line.split())] = None
    return tuple(lines), tuple(warnings)


def _letterhead(document, styles: StyleBook) -> str:
    """The header of the first page, kept as the text's first lines (as the PDF reader
    keeps page 1's): Word templates put the Dnr, the date and the document kind there.
    Page numbers and the like are left out."""
    if not document.sections:
        return ""
    section = document.sections[0]
    part = section.first_page_header if section.different_first_page_header_footer else section.header
    if part.is_linked_to_previous:
        return ""
    try:
        element = part.part.element
    except KeyError:
        return ""
    lines = Story(styles, Numbering(None), plain=True).render(element).split("\n")
    # header lines are laid out with tabs: "Ekeby kommun<tab>TJÄNSTESKRIVELSE<tab>Sida 1 (2)"
    kept = ("\t".join(c for c in line.split("\t") if c.strip() and not is_genre_furniture(c)) for line in lines)
    return "\n".join(line for line in kept if line)


class DocxReader:
    name = "docx"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    suffixes = (".docx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith((ZIP_MAGIC, OLE_MAGIC))

    def decode(self, path: Path, data: bytes, limits: ReadLimits) -> Decoded:
        if data.startswith(OLE_MAGIC):
            raise SourceError(path, ole_problem(data))
        check_archive(path, data)
        document = open_document(path, data)
        styles = StyleBook(_related_element(document, _RELATIONSHIPS + "styles"))
        numbering = Numbering(_related_element(document, _RELATIONSHIPS + "numbering"))
        text = Story(styles, numbering).render(document.element.body)
        furniture, warnings = _furniture(document, styles, Numbering(None))
        letterhead = _letterhead(document, styles)
        if letterhead:
            text = letterhead + "\n\n" + text
        return Decoded(text=text, encoding="docx", page_count=None, furniture=furniture, warnings=warnings)


def _related_element(document, relationship: str):
    """The root element of the document's styles or numbering part, None when it has none
    (python-docx would add a default styles part, and fails to add a numbering part)."""
    try:
        return document.part.part_related_by(relationship).element
    except KeyError:
        return None

