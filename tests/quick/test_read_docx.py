"""The DOCX reader: body text in document order, headings as hints, tables as rows,
headers and footers as furniture, and each refusal with its exact message.

Every document is built with python-docx into ``tmp_path``; the few constructs
python-docx cannot write (tracked changes, content controls, text boxes) are
added as WordprocessingML.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from beslutsgraf.errors import SourceError
from beslutsgraf.text.docx import DocxReader
from beslutsgraf.text.normalize import normalize_text
from beslutsgraf.text.sources import ReadLimits, read_source

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _read(path: Path):
    return read_source(path)


def _save(document, tmp_path: Path, name: str = "tjansteskrivelse.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def _refused(path: Path) -> str:
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert path.name in str(err.value)
    return err.value.problem


def _hints(text: str) -> list[str]:
    norm = normalize_text(text)
    return [norm.text[s:e] for s, e in norm.heading_hints]


def _protokoll():
    d = docx.Document()
    d.add_paragraph("Dnr KS 2024/117")
    d.add_heading("Förslag till beslut", level=1)
    d.add_paragraph("Kommunstyrelsen föreslås besluta", style="List Number")
    d.add_paragraph("att godkänna redovisningen", style="List Number")
    d.add_heading("Närvarande", level=2)
    table = d.add_table(rows=2, cols=2)
    for row, (label, value) in zip(table.rows, [("Beslutande", "Anna Berg (S), ordförande"), ("Justerare", "Per Ek (M)")]):
        row.cells[0].text = label
        row.cells[1].text = value
    d.add_paragraph("Efter tabellen följer ärendet.")
    d.add_paragraph("ett", style="List Bullet")
    d.add_paragraph("två", style="List Bullet")
    return d


# --- the body ------------------------------------------------------------------


def test_body_in_document_order_with_headings_lists_and_table_rows(tmp_path: Path) -> None:
    src = _read(_save(_protokoll(), tmp_path))
    assert src.text == (
        "Dnr KS 2024/117\n\n"
        "# Förslag till beslut\n\n"
        "1. Kommunstyrelsen föreslås besluta\n"
        "2. att godkänna redovisningen\n\n"
        "## Närvarande\n\n"
        "Beslutande\tAnna Berg (S), ordförande\n"
        "Justerare\tPer Ek (M)\n\n"
        "Efter tabellen följer ärendet.\n\n"
        "- ett\n"
        "- två"
    )
    assert (src.encoding, src.page_count, src.suffix) == ("docx", None, ".docx")
    assert src.media_type == DocxReader.media_type
    assert _hints(src.text) == ["Förslag till beslut", "Närvarande"]


def test_swedish_style_names_outline_levels_and_based_on_styles_are_headings(tmp_path: Path) -> None:
    d = docx.Document()
    d.styles.add_style("Rubrik 2", WD_STYLE_TYPE.PARAGRAPH)
    own = d.styles.add_style("KS rubrik", WD_STYLE_TYPE.PARAGRAPH)
    own.base_style = d.styles["Heading 3"]
    d.add_paragraph("Ärendet", style="Rubrik 2")
    d.add_paragraph("Bakgrund", style="KS rubrik")
    outlined = d.add_paragraph("Beslutsunderlag")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W_NS} w:val="0"/>'))
    d.add_paragraph("Titel", style="Title")
    d.add_paragraph("Brödtext.")
    text = _read(_save(d, tmp_path)).text
    assert text == "## Ärendet\n\n### Bakgrund\n\n# Beslutsunderlag\n\n# Titel\n\nBrödtext."


def test_short_bold_paragraph_is_a_heading_hint_and_inline_styles_are_emphasis(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph().add_run("Sammanfattning").bold = True
    long_bold = "Kommunstyrelsen beslutar att godkänna förslaget och att uppdra åt stadskontoret att återkomma med en plan."
    d.add_paragraph().add_run(long_bold).bold = True
    p = d.add_paragraph("I rapporten ")
    p.add_run("Granskning av budgetprocessen").italic = True
    p.add_run(" står det ")
    p.add_run("tydligt").bold = True
    p.add_run(" vad som gäller.")
    text = _read(_save(d, tmp_path)).text
    assert text.split("\n\n") == [
        "**Sammanfattning**",
        long_bold,
        "I rapporten *Granskning av budgetprocessen* står det **tydligt** vad som gäller.",
    ]
    norm = normalize_text(text)
    assert [norm.text[s:e] for s, e in norm.heading_hints] == ["Sammanfattning"]
    assert [norm.text[s:e] for s, e in norm.emphasis] == ["Granskning av budgetprocessen", "tydligt"]


def test_merged_cells_once_and_nested_table_after_its_row(tmp_path: Path) -> None:
    d = docx.Document()
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Plats och tid"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Stadshuset kl 13.00–15.30"
    table.cell(1, 0).text = "Beslutande"
    table.cell(1, 1).text = "Anna Berg (S), ordförande"
    table.cell(1, 0).merge(table.cell(2, 0))  # the label spans two rows
    table.cell(2, 1).text = "Per Ek (M)"
    inner = table.cell(1, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Ersättare"
    inner.cell(0, 1).text = "Lisa Holm (C)"
    text = _read(_save(d, tmp_path)).text
    assert text.split("\n") == [
        "Plats och tid\tStadshuset kl 13.00–15.30",
        "Beslutande\tAnna Berg (S), ordförande",
        "Ersättare\tLisa Holm (C)",
        "Per Ek (M)",
    ]


def test_headers_and_footers_are_furniture_not_text(tmp_path: Path) -> None:
    d = _protokoll()
    first = d.sections[0]
    first.different_first_page_header_footer = True
    first.first_page_header.paragraphs[0].text = "Malmö stad\tTJÄNSTESKRIVELSE"
    first.header.paragraphs[0].text = "Kommunstyrelsen sammanträde 2024-05-14"
    first.footer.paragraphs[0].text = "Justerandes sign\tUtdragsbestyrkande"
    d.add_section()  # linked to the first section's header and footer: read once
    d.add_paragraph("Andra avsnittet.")
    src = _read(_save(d, tmp_path))
    assert src.furniture == (
        "Malmö stad TJÄNSTESKRIVELSE",
        "Kommunstyrelsen sammanträde 2024-05-14",
        "Justerandes sign Utdragsbestyrkande",
    )
    # the first page's header is also the letterhead, the text's first lines
    body = _read(_save(_protokoll(), tmp_path, "utan.docx")).text
    assert src.text == "Malmö stad\tTJÄNSTESKRIVELSE\n\n" + body + "\n\nAndra avsnittet."


def test_no_pages_and_breaks_are_line_breaks(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("Före brytningen")
    p.add_run().add_break(WD_BREAK.LINE)
    p.add_run("efter raden")
    d.add_page_break()
    d.add_paragraph("Ny sida")
    src = _read(_save(d, tmp_path))
    assert src.text == "Före brytningen\nefter raden\n\nNy sida"
    assert src.page_count is None and "\f" not in src.text


def test_revisions_hidden_text_placeholders_and_text_boxes(tmp_path: Path) -> None:
    d = docx.Document()
    body = d.element.body
    sect = body[-1]  # sectPr stays last
    xml = f"""<w:body {W_NS}
        xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
        xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
      <w:p><w:r><w:t xml:space="preserve">Nämnden </w:t></w:r><w:del><w:r><w:delText>avslog</w:delText></w:r></w:del>
        <w:ins><w:r><w:t>biföll</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>dold</w:t></w:r>
        <w:hyperlink><w:r><w:t xml:space="preserve"> motionen</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>
      <w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>
        <w:p><w:r><w:t>Klicka här för att ange text.</w:t></w:r></w:p></w:sdtContent></w:sdt>
      <w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Dnr KS 2024/117</w:t></w:r></w:p></w:sdtContent></w:sdt>
      <w:p><w:r><w:t>Ankare</w:t></w:r><w:r><mc:AlternateContent>
        <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
          <w:p><w:r><w:t>Text i rutan</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>
        <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Text i rutan</w:t></w:r></w:p></w:txbxContent></w:pict>
        </mc:Fallback></mc:AlternateContent></w:r></w:p>
    </w:body>"""
    for child in list(parse_xml(xml)):
        sect.addprevious(child)
    text = _read(_save(d, tmp_path)).text
    assert text == "Nämnden biföll motionen.\n\nDnr KS 2024/117\n\nAnkare\n\nText i rutan"


# --- refused -------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bilagor.docx", {"bilaga1.txt": b"Kommunstyrelsen", "bilaga2.txt": b"Beslut"})
    assert _refused(path) == "a ZIP archive but not a DOCX document (no word/document.xml)"


def test_corrupt_zip(tmp_path: Path) -> None:
    path = _save(_protokoll(), tmp_path, "trasig.docx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # the central directory is at the end
    assert _refused(path) == "not a readable DOCX (corrupt ZIP: File is not a zip file)"


def _ole(*streams: str) -> bytes:
    # the magic, then directory entry names as an OLE directory stores them (UTF-16LE)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"".join(s.encode("utf-16-le") + b"\x00\x00" for s in streams)


def test_encrypted_docx_and_legacy_doc(tmp_path: Path) -> None:
    encrypted = tmp_path / "sekretess.docx"
    encrypted.write_bytes(_ole("EncryptionInfo", "EncryptedPackage"))
    assert _refused(encrypted) == (
        "the DOCX is encrypted (password protected); remove the password in Word and save it again"
    )
    legacy = tmp_path / "gammal.docx"
    legacy.write_bytes(_ole("WordDocument", "1Table"))
    assert _refused(legacy) == "a Word 97–2003 document (.doc), not a DOCX; save it as .docx first"


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(110):
                member.write(b"\x00" * 1_000_000)
    assert path.stat().st_size < 200_000
    assert _refused(path) == (
        "the DOCX unpacks to 110 MB (word/document.xml alone 110 MB), over the limit of 100 MB (a zip bomb?)"
    )


def test_malformed_xml_and_a_main_part_that_is_not_a_word_document(tmp_path: Path) -> None:
    good = _save(_protokoll(), tmp_path, "original.docx")
    with zipfile.ZipFile(good) as archive:
        members = {m: archive.read(m) for m in archive.namelist()}
    broken = _zip(tmp_path / "halv.docx", {**members, "word/document.xml": members["word/document.xml"][:-40]})
    assert _refused(broken).startswith("not a readable DOCX (malformed XML: ")
    macro = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    docm = _zip(tmp_path / "makro.docx", {**members, "[Content_Types].xml": macro})
    assert _refused(docm) == (
        "not a Word document (its main part is application/vnd.ms-word.document.macroEnabled.main+xml)"
    )


def test_reader_refuses_bytes_directly_with_the_path() -> None:
    with pytest.raises(SourceError) as err:
        DocxReader().decode(Path("x.docx"), io.BytesIO(b"PK\x03\x04junk").getvalue(), ReadLimits())
    assert str(err.value) == "x.docx: not a readable DOCX (corrupt ZIP: File is not a zip file)"


def test_a_package_without_styles_and_numbering_parts(tmp_path: Path) -> None:
    good = _save(_protokoll(), tmp_path, "original.docx")
    with zipfile.ZipFile(good) as archive:
        members = {m: archive.read(m) for m in archive.namelist()}
    rels = members["word/_rels/document.xml.rels"].decode("utf-8")
    for part in ("styles", "numbering"):
        del members[f"word/{part}.xml"]
        rels = re.sub(rf'<Relationship [^>]*Target="{part}.xml"/>', "", rels)
    members["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    text = read_source(_zip(tmp_path / "enkel.docx", members)).text
    # without styles a heading is known by its style id ("Heading1"), and a list
    # paragraph whose numbering was in its style is a plain paragraph
    assert text.split("\n\n")[:4] == [
        "Dnr KS 2024/117", "# Förslag till beslut", "Kommunstyrelsen föreslås besluta", "att godkänna redovisningen",
    ]


def test_content_decides_over_the_suffix(tmp_path: Path) -> None:
    misnamed = tmp_path / "protokoll.txt"
    misnamed.write_bytes(_save(_protokoll(), tmp_path).read_bytes())
    src = read_source(misnamed)
    assert src.text.startswith("Dnr KS 2024/117\n\n# Förslag till beslut")
    assert src.warnings == ("named .txt but its content is a ZIP (DOCX) archive; read as that",)
    ole = tmp_path / "sekretess.txt"
    ole.write_bytes(_ole("EncryptionInfo", "EncryptedPackage"))
    assert _refused(ole).startswith("the DOCX is encrypted (password protected)")


def test_letterhead_in_the_header_is_text_without_its_page_number(tmp_path: Path) -> None:
    from beslutsgraf.extract.pipeline import extract_file

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Ekeby kommun\tTJÄNSTESKRIVELSE\tSida 1 (1)"
    d.sections[0].header.add_paragraph("Kommunledningskontoret\tDnr KS 2024/200")
    d.add_paragraph("Ny taxa för bygglov", style="Title")
    d.add_paragraph("Kommunstyrelsen föreslås besluta att anta taxan.")
    ex = extract_file(_save(d, tmp_path))
    assert ex.text.startswith("Ekeby kommun\tTJÄNSTESKRIVELSE\nKommunledningskontoret\tDnr KS 2024/200\n\n")
    assert [c.normalized for c in ex.case_numbers] == ["KS 2024/200"]
    assert "Sida 1 (1)" not in ex.text
