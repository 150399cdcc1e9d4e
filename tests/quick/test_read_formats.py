"""One short tjänsteskrivelse as .txt, .docx and .html gives the same facts.

The DOCX is built with python-docx (heading styles, a numbered list), the HTML
is written as a municipal page would show it (navigation, header and footer,
``<h2>`` headings, an ``<ol>``); both must extract as the plain text does.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from beslutsgraf.extract.pipeline import extract_file

HEADER = ["Tjänsteskrivelse", "Datum: 2024-03-12", "Dnr KS 2024/117", "Till kommunstyrelsen"]
TITLE = "Ny taxa för bygglov"
SUMMARY = (
    "Stadsbyggnadsnämnden har den 20 februari 2024 föreslagit en ny taxa för bygglov. "
    "Kommunstyrelsen bereder ärendet inför kommunfullmäktige."
)
LEAD = "Kommunstyrelsen föreslås besluta"
PROPOSALS = [
    "att godkänna stadsbyggnadsnämndens förslag till ny taxa för bygglov,",
    "att taxan ska gälla från och med den 1 juli 2024.",
]
# a proposal's text is its clause without the comma that joins it to the next
EXTRACTED = [p.rstrip(",") for p in PROPOSALS]

TEXT = (
    "\n".join(HEADER)
    + f"""

{TITLE}

Sammanfattning
{SUMMARY}

Förslag till beslut
{LEAD}
1. {PROPOSALS[0]}
2. {PROPOSALS[1]}
"""
)

HTML = f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{TITLE} – Exempelby kommun</title></head>
<body>
<header><nav class="main-menu"><a href="/">Start</a> <a href="/politik">Politik</a></nav></header>
<main>
<p>{HEADER[0]}<br>{HEADER[1]}<br>{HEADER[2]}<br>{HEADER[3]}</p>
<h1>{TITLE}</h1>
<h2>Sammanfattning</h2>
<p>{SUMMARY}</p>
<h2>Förslag till beslut</h2>
<p>{LEAD}</p>
<ol><li>{PROPOSALS[0]}</li><li>{PROPOSALS[1]}</li></ol>
</main>
<footer>Exempelby kommun · 100 00 Exempelby</footer>
</body></html>
"""


def _docx(path: Path) -> Path:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Exempelby kommun"
    for line in HEADER:
        d.add_paragraph(line)
    d.add_paragraph(TITLE, style="Title")
    d.add_heading("Sammanfattning", level=2)
    d.add_paragraph(SUMMARY)
    d.add_heading("Förslag till beslut", level=2)
    d.add_paragraph(LEAD)
    for proposal in PROPOSALS:
        d.add_paragraph(proposal, style="List Number")
    d.save(str(path))
    return path


def _facts(path: Path) -> dict:
    out = extract_file(path).to_json()
    return {
        "document": {
            k: out["document"][k] for k in ("title", "doc_type", "date", "case_number", "addressee")
        },
        "case_numbers": [(c["text"], c["normalized"]) for c in out["case_numbers"]],
        "bodies": [b["name"] for b in out["bodies"]],
        "proposals": [(p["text"], p["body"]) for p in out["decision_proposals"]],
    }


@pytest.fixture
def plain(tmp_path: Path) -> dict:
    path = tmp_path / "tjansteskrivelse.txt"
    path.write_text(TEXT, encoding="utf-8")
    return _facts(path)


def test_the_plain_text_version_reads_as_expected(plain: dict) -> None:
    assert plain["document"] == {
        "title": TITLE,
        "doc_type": "Tjänsteskrivelse",
        "date": "2024-03-12",
        "case_number": "KS 2024/117",
        "addressee": "Kommunstyrelsen",
    }
    assert plain["case_numbers"] == [("KS 2024/117", "KS 2024/117")]
    assert plain["bodies"] == [
        "Kommunstyrelsen",
        "Kommunstyrelsen",
        "Stadsbyggnadsnämnden",
        "Kommunstyrelsen",
        "Kommunfullmäktige",
        "Kommunstyrelsen",
        "Stadsbyggnadsnämnden",
    ]
    assert plain["proposals"] == [(p, "Kommunstyrelsen") for p in EXTRACTED]


def test_docx_gives_the_facts_of_the_plain_text(tmp_path: Path, plain: dict) -> None:
    assert _facts(_docx(tmp_path / "tjansteskrivelse.docx")) == plain


def test_html_gives_the_facts_of_the_plain_text(tmp_path: Path, plain: dict) -> None:
    path = tmp_path / "tjansteskrivelse.html"
    path.write_text(HTML, encoding="utf-8")
    assert _facts(path) == plain
