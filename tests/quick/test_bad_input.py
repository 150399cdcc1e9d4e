"""Files the extractor must refuse clearly, or read correctly despite their form.

Refusals are a ``beslutsgraf.errors.SourceError`` whose message names the file,
so a batch over 290 municipalities can report the file and go on.  Legacy
encodings (Windows-1252, Latin-1) and a UTF-8 byte-order mark are read, not
refused, with å/ä/ö intact.  Every file is written into ``tmp_path``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from beslutsgraf.model import FACT_LISTS

TITLE = "Översyn av lokalförsörjningsplan för förskolor i Västerås"

# A short Västerås tjänsteskrivelse; the en dash, the curly quotes and the ellipsis
# are bytes 0x96, 0x94 and 0x85 in Windows-1252 (control characters in Latin-1).
# The header uses the plain "Label: value" form so that these tests are about
# decoding; harder header layouts are in tests/examples/.
SWEDISH_DOC = f"""Västerås stad
Tjänsteskrivelse

Datum: 2022-10-04
Dnr: KS 2022/0815

{TITLE}

Sammanfattning
Förskolenämnden har begärt att kommunstyrelsen ser över lokalförsörjningsplanen för åren 2023–2026.
Nämnden bedömer att behovet av platser i Skälby och Bäckby ökar. Förvaltningen anser att ”planen bör revideras årligen” …

Förslag till beslut
Kommunstyrelsen föreslås besluta att godkänna översynen av lokalförsörjningsplanen.
"""

# The same document without the characters Latin-1 lacks.
LATIN1_DOC = SWEDISH_DOC.replace("–", "-").replace("”", '"').replace(" …", "")

PROSE = (
    "Det var en stilla morgon i slutet av augusti. Dimman låg kvar över ängarna och "
    "fåglarna hade ännu inte börjat sjunga. Någon hade lämnat en cykel vid grinden, "
    "och på trappan stod en kopp kaffe som för länge sedan hade kallnat. Längre bort "
    "hördes ett tåg, och sedan blev det tyst igen. Hon gick långsamt ned mot sjön, "
    "satte sig på bryggan och såg hur ljuset sakta förändrades över vattnet.\n"
)


def _extract(path: Path, **options):
    from beslutsgraf.extract.pipeline import extract_file

    return extract_file(path, **options)


def _assert_refused(path: Path, **options) -> str:
    from beslutsgraf.errors import SourceError

    with pytest.raises(SourceError) as excinfo:
        _extract(path, **options)
    message = str(excinfo.value)
    assert path.name in message, f"the message does not name the file: {message!r}"
    assert len(message) > len(str(path)) + 5, f"the message does not say what is wrong: {message!r}"
    return message


# --- refused -------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tom_tjansteskrivelse.txt"
    path.write_bytes(b"")
    _assert_refused(path)


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank_protokoll.txt"
    path.write_bytes(b"   \n\t\n\r\n  \n\n\xc2\xa0\n")  # spaces, tab, CRLF, a no-break space
    _assert_refused(path)


def test_png_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "skannad_bilaga.txt"
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
        b"\x00\x00\x00\x19IDATx\x9cc\xfc\xff\xff?\x03%\x80\x89\x81B0\xaa\x06\x00\x00\x16\x00\x01"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    path.write_bytes(png)
    _assert_refused(path)


def test_random_bytes_with_nuls_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "trasig_export.txt"
    data = bytearray(random.Random(290).randbytes(4096))
    data[100:110] = b"\x00" * 10
    path.write_bytes(bytes(data))
    _assert_refused(path)


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stor_bilaga.txt"
    path.write_text(SWEDISH_DOC * 8, encoding="utf-8")  # about 4 KB, over a 1 KB limit
    assert path.stat().st_size > 2000
    _assert_refused(path, max_mb=0.001)


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "protokoll.exe"
    path.write_bytes(
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + SWEDISH_DOC.encode("utf-8")
    )
    _assert_refused(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    _assert_refused(tmp_path / "finns_inte.txt")


# --- read correctly ------------------------------------------------------------


def _assert_swedish_doc(path: Path, *, dashes: bool) -> dict:
    out = _extract(path).to_json(include_text=True)
    text = out["text"]
    assert "\ufffd" not in text and "Ã" not in text, "mis-decoded characters in the text"
    assert "\ufeff" not in text, "byte-order mark left in the text"
    assert TITLE in text
    assert out["document"]["title"] == TITLE
    if dashes:
        assert "2023–2026" in text and "”planen bör revideras årligen”" in text and "…" in text
    numbers = [c for c in out["case_numbers"] if c["normalized"] == "KS 2022/0815"]
    assert numbers, f"case number not found in {out['case_numbers']}"
    for c in numbers:
        assert text[c["start"] : c["end"]] == c["text"]
    return out


def test_windows_1252_document_is_read(tmp_path: Path) -> None:
    path = tmp_path / "vasteras_cp1252.txt"
    path.write_bytes(SWEDISH_DOC.replace("\n", "\r\n").encode("cp1252"))  # Windows line ends too
    _assert_swedish_doc(path, dashes=True)


def test_latin1_document_is_read(tmp_path: Path) -> None:
    path = tmp_path / "vasteras_latin1.txt"
    path.write_bytes(LATIN1_DOC.encode("latin-1"))
    _assert_swedish_doc(path, dashes=False)


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "vasteras_bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SWEDISH_DOC.encode("utf-8"))
    out = _assert_swedish_doc(path, dashes=True)
    assert out["text"].startswith("Västerås stad")


def test_prose_without_structure_gives_no_facts(tmp_path: Path) -> None:
    path = tmp_path / "novell.txt"
    path.write_text(PROSE, encoding="utf-8")
    out = _extract(path).to_json(include_text=True)
    facts = {name: out[name] for name in FACT_LISTS if name != "sections" and out.get(name)}
    assert not facts, f"facts found in plain prose: {facts}"
    assert out["document"]["case_number"] is None
    assert out["document"]["municipality"] is None
