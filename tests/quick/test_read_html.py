"""The HTML reader: the main content without page furniture, the breadcrumb trail
first, headings as hints, lists and tables as lines, the charset the page
declares, and each refusal with its exact message.  Pages are small inline strings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from beslutsgraf.errors import SourceError
from beslutsgraf.extract.pipeline import extract_file
from beslutsgraf.text.html import looks_like_html
from beslutsgraf.text.normalize import normalize_text
from beslutsgraf.text.sources import read_source

PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8">
<title>Sammanträde 2019-05-14 - Kommunstyrelsen - Exempelby kommun</title>
<script>var html = "<p>inte text</p>";</script><style>p { color: red }</style></head>
<body class="has-sidebar cookie-consent-shown">
<a class="skip-link" href="#main">Hoppa till innehållet</a>
<div id="cookieBanner"><p>Vi använder kakor.</p><button>Godkänn</button></div>
<header class="site-header"><nav class="mainMenu"><ul><li><a>Bo och bygga</a></li></ul></nav>
<nav aria-label="Brödsmulor"><span class="sr-only">Du är här:</span><ol>
<li><a href="/">Hem</a> <span aria-hidden="true">›</span></li><li><a>Kommun och politik</a></li>
<li><a>Kommunstyrelsen</a></li><li aria-current="page">Sammanträde 2019-05-14</li></ol></nav></header>
<main id="main">
<h1>Kommunstyrelsens   sammanträde 2019-05-14</h1>
<div class="share-buttons"><a>Dela på Facebook</a></div>
<p>Tid: <strong>kl. 13.00</strong><br>Plats: Stadshuset,
   sal A</p>
<p><strong>Förslag till beslut</strong></p>
<ol><li>Kommunstyrelsen föreslås besluta att godkänna <em>Budget 2020</em>.</li>
<li><p>att lägga rapporten till handlingarna.</p></li></ol>
<table><tr><td>Beslutande</td><td>Anna Berg (S), ordförande</td></tr>
<tr><td colspan="2">Per Ek (M)</td></tr></table>
<h2 id="socialnamnden">Socialnämnden</h2>
<p>Text om socialnämnden &amp; mer.<!-- en kommentar --> Slut.</p>
</main>
<aside><h2>Relaterat</h2><p>Andra sidor</p></aside>
<footer><p>Exempelby kommun, 123 45 Exempelby</p></footer>
</body></html>
"""


def _write(tmp_path: Path, html: str | bytes, name: str = "sida.html") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode("utf-8") if isinstance(html, str) else html)
    return path


def _text(tmp_path: Path, html: str | bytes) -> str:
    return read_source(_write(tmp_path, html)).text


def _body(inner: str) -> str:
    return f"<!DOCTYPE html><html><head><title>Sidan</title></head><body>{inner}</body></html>"


def _refused(path: Path) -> str:
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert path.name in str(err.value)
    return err.value.problem


# --- the page ------------------------------------------------------------------


def test_main_content_with_breadcrumb_first_and_no_furniture(tmp_path: Path) -> None:
    src = read_source(_write(tmp_path, PAGE))
    assert src.text == (
        "Hem > Kommun och politik > Kommunstyrelsen > Sammanträde 2019-05-14\n\n"
        "# Kommunstyrelsens sammanträde 2019-05-14\n\n"
        "Tid: **kl. 13.00**\n"
        "Plats: Stadshuset, sal A\n\n"
        "**Förslag till beslut**\n\n"
        "1. Kommunstyrelsen föreslås besluta att godkänna *Budget 2020*.\n"
        "2. att lägga rapporten till handlingarna.\n\n"
        "Beslutande\tAnna Berg (S), ordförande\n"
        "Per Ek (M)\n\n"
        "## Socialnämnden\n\n"
        "Text om socialnämnden & mer. Slut."
    )
    assert (src.encoding, src.media_type, src.suffix, src.page_count) == ("utf-8", "text/html", ".html", None)
    norm = normalize_text(src.text)
    assert [norm.text[s:e] for s, e in norm.heading_hints] == [
        "Kommunstyrelsens sammanträde 2019-05-14", "Förslag till beslut", "Socialnämnden",
    ]
    assert [norm.text[s:e] for s, e in norm.emphasis] == ["kl. 13.00", "Budget 2020"]


def test_the_breadcrumb_trail_is_not_the_title(tmp_path: Path) -> None:
    out = extract_file(_write(tmp_path, PAGE)).to_json()
    assert out["document"]["title"] == "Kommunstyrelsens sammanträde 2019-05-14"
    assert out["document"]["date"] == "2019-05-14"


@pytest.mark.parametrize(
    "trail",
    [
        '<div class="breadcrumbs"><a href="/">Hem</a> / <a>Politik</a> / <span>Protokoll</span></div>',
        '<ol class="c-breadcrumb__list"><li>Hem</li><li>Politik</li><li>Protokoll</li></ol>',
        '<ul itemtype="https://schema.org/BreadcrumbList"><li>Hem ›</li><li>Politik ›</li><li>Protokoll</li></ul>',
        '<nav aria-label="Du är här"><a>Hem</a> &gt; <a>Politik</a> &gt; Protokoll</nav>',
    ],
)
def test_breadcrumb_trails_of_several_kinds(tmp_path: Path, trail: str) -> None:
    text = _text(tmp_path, _body(f"<header>{trail}</header><main><h1>Protokoll</h1><p>Text.</p></main>"))
    assert text == "Hem > Politik > Protokoll\n\n# Protokoll\n\nText."


def test_a_single_crumb_is_no_trail(tmp_path: Path) -> None:
    text = _text(tmp_path, _body('<nav class="breadcrumb"><a>Hem</a></nav><main><h1>Start</h1><p>Text.</p></main>'))
    assert text == "# Start\n\nText."


def test_class_words_remove_furniture_but_not_content(tmp_path: Path) -> None:
    inner = """<main>
    <div class="page-banner"><h1>Bygglovstaxa</h1></div>
    <div class="shared-content"><p>Delat innehåll.</p></div>
    <div id="socialnamnden"><p>Om socialnämnden.</p></div>
    <div class="social-links"><a>Facebook</a></div>
    <div class="cookiebar">Kakor</div><div class="consent-dialog">Samtycke</div>
    <div class="sidebarWidget">Sidopanel</div><ul class="menu-list"><li>Meny</li></ul>
    <div class="skiplinks">Till innehållet</div><div class="banner">Annons</div>
    <div hidden>Dold</div><div aria-hidden="true">Ikon</div><div style="display: none">Osynlig</div>
    <div role="navigation">Navigering</div><form><label>Sök</label></form>
    <article><header><h2>Artikelns rubrik</h2><p>2024-01-15</p></header><p>Artikeltext.</p></article>
    </main>"""
    assert _text(tmp_path, _body(inner)) == (
        "# Bygglovstaxa\n\nDelat innehåll.\n\nOm socialnämnden.\n\n## Artikelns rubrik\n\n2024-01-15\n\nArtikeltext."
    )


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        # <main> before everything else
        ("<p>Utanför.</p><main><h1>Huvud</h1><p>Innehåll.</p></main>", "# Huvud\n\nInnehåll."),
        ('<p>Utanför.</p><div role="main"><h1>Huvud</h1><p>Innehåll.</p></div>', "# Huvud\n\nInnehåll."),
        # the largest article when it holds most of the articles' text
        (
            "<p>Utanför.</p><article><h1>Lång</h1><p>Ett långt stycke text om ärendet.</p></article>"
            + "<article><p>Kort.</p></article>",
            "# Lång\n\nEtt långt stycke text om ärendet.",
        ),
        # a list of items, each an article: the page is read whole
        ("<article><h2>Ärende 1</h2></article><article><h2>Ärende 2</h2></article>",
         "# Sidan\n\n## Ärende 1\n\n## Ärende 2"),
    ],
)
def test_main_content_is_chosen(tmp_path: Path, inner: str, expected: str) -> None:
    assert _text(tmp_path, _body(inner)) == expected


def test_title_or_outer_h1_stands_in_for_a_missing_h1(tmp_path: Path) -> None:
    assert _text(tmp_path, _body("<main><p>Innehåll.</p></main>")) == "# Sidan\n\nInnehåll."
    outer = _body('<div class="hero"><h1>Sidans rubrik</h1></div><main><p>Innehåll.</p></main>')
    assert _text(tmp_path, outer) == "# Sidans rubrik\n\nInnehåll."


def test_lists_breaks_and_white_space(tmp_path: Path) -> None:
    inner = """<h1>Listor</h1>
    <ol start="3"><li>tre</li><li value="7">sju</li><li>åtta<ul><li>under</li></ul></li></ol>
    <p>rad ett<br>rad   två<br><br>nytt stycke</p>
    <div>block <b>fet</b> och <i>kursiv</i>, för<i>valt</i>ning</div>
    <pre>  kod
  rad två</pre>
    <dl><dt>Datum</dt><dd>2024-05-14</dd></dl>"""
    assert _text(tmp_path, _body(inner)).split("\n") == [
        "# Listor", "",
        "3. tre", "7. sju", "8. åtta", "- under", "",
        "rad ett", "rad två", "", "nytt stycke", "",
        "block **fet** och *kursiv*, förvaltning", "",
        "kod", "rad två", "",
        "Datum", "2024-05-14",
    ]


def test_tables_rows_and_layout_tables(tmp_path: Path) -> None:
    data = """<table><caption>Närvarande</caption><thead><tr><th>Roll</th><th>Namn</th></tr></thead>
    <tbody><tr><td>Beslutande</td><td>Anna Berg (S),<br>ordförande</td></tr>
    <tr><td rowspan="2">Ersättare</td><td>Lisa Holm (C)</td></tr><tr><td>Per Ek (M)</td></tr></tbody></table>"""
    assert _text(tmp_path, _body(f"<h1>T</h1>{data}")).split("\n") == [
        "# T", "", "Närvarande", "Roll\tNamn", "Beslutande\tAnna Berg (S), ordförande",
        "Ersättare\tLisa Holm (C)", "Per Ek (M)",
    ]
    layout = f"""<table><tr><td><h1>Protokoll</h1><p>Inledning.</p>{data}</td><td><p>Sidospalt</p></td></tr></table>"""
    assert _text(tmp_path, _body(layout)).split("\n") == [
        "# Protokoll", "", "Inledning.", "", "Närvarande", "Roll\tNamn",
        "Beslutande\tAnna Berg (S), ordförande", "Ersättare\tLisa Holm (C)", "Per Ek (M)", "", "Sidospalt",
    ]


# --- charsets ------------------------------------------------------------------

SWEDISH = "<h1>Översyn av förskolor</h1><p>Åren 2023–2026 ökar behovet.</p>"


@pytest.mark.parametrize(
    ("head", "encoded", "charset"),
    [
        ('<meta charset="utf-8">', "utf-8", "utf-8"),
        ('<meta charset="iso-8859-1">', "cp1252", "cp1252"),  # browsers read Latin-1 as Windows-1252
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252", "cp1252"),
        ("", "utf-8", "utf-8"),
        ("", "cp1252", "cp1252"),  # no declaration and not UTF-8
    ],
)
def test_charset_from_meta_or_content(tmp_path: Path, head: str, encoded: str, charset: str) -> None:
    page = f"<html><head>{head}<title>T</title></head><body>{SWEDISH}</body></html>"
    src = read_source(_write(tmp_path, page.encode(encoded)))
    assert src.text == "# Översyn av förskolor\n\nÅren 2023–2026 ökar behovet."
    assert (src.encoding, src.warnings) == (charset, ())


def test_bom_and_a_wrong_declaration(tmp_path: Path) -> None:
    page = f"<html><head><meta charset=windows-1252></head><body>{SWEDISH}</body></html>"
    src = read_source(_write(tmp_path, b"\xef\xbb\xbf" + page.encode("utf-8")))
    assert (src.encoding, src.text.startswith("# Översyn")) == ("utf-8", True)
    lying = f"<html><head><meta charset=utf-8></head><body>{SWEDISH}</body></html>".encode("cp1252")
    src = read_source(_write(tmp_path, lying, "fel.html"))
    assert src.encoding == "cp1252" and "2023–2026" in src.text
    assert src.warnings == ("the page declares charset 'utf-8' but its bytes are not that",)


# --- refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Bara en titel</title></head></html>",
        _body("<nav><a>Hem</a></nav><footer>Exempelby kommun</footer>"),
        _body('<nav aria-label="breadcrumb"><a>Hem</a> &gt; <a>Politik</a></nav><main>  </main>'),
        "   \n",
    ],
)
def test_a_page_without_body_text(tmp_path: Path, page: str) -> None:
    assert _refused(_write(tmp_path, page)) == "the HTML page has no body text"


def test_text_and_binary_named_html(tmp_path: Path) -> None:
    text = _write(tmp_path, "Kommunstyrelsen beslutar.\nInga taggar här.", "text.html")
    assert _refused(text) == "not an HTML page (no tags in it); name it .txt to read it as text"
    binary = _write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)), "bild.html")
    assert _refused(binary) == "looks like a binary file, not HTML (control bytes found)"
    bad_bom = _write(tmp_path, b"\xef\xbb\xbf<html><body>\xff\xfe</body></html>", "bom.html")
    assert _refused(bad_bom) == "not valid utf-8 at byte 12"


def test_looks_like_html() -> None:
    assert looks_like_html(b"<!DOCTYPE html><html>")
    assert looks_like_html(b"\xef\xbb\xbf\n<!-- export -->\n<HTML lang=sv>")
    assert looks_like_html(b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')
    assert not looks_like_html(b"Kommunstyrelsen <b>beslutar</b>")
    assert not looks_like_html(b"<p>Ett stycke</p>")


def test_xhtml_with_an_xml_declaration(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Text.</p></body></html>'
    assert read_source(_write(tmp_path, page, "sida.xhtml")).text == "Text."
