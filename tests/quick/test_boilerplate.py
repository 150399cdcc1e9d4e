"""Boilerplate passages (no embedding, keyword index only): the rules of
index/patterns/boilerplate.yml on one-line examples, with and without line breaks."""

from __future__ import annotations

import pytest

from beslutsgraf.index.boilerplate import boilerplate_reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Beslutande Anna Berg (S), ordförande Per Ek (M) Lisa Holm (C) Olle Svensson (SD) Karin Ek (v)", "attendance"),
        ("Jacqueline Maly (SD)\n\nMia Lindqvist (SD)\n\nMed instämmande av\n\nElliot Bräck (SD)\n\nAnna Shamina (SD)", "attendance"),
        ("Justerandes signatur Utdragsbestyrkande Sida 3 av 12", "furniture"),
        (
            ("ANSLAG/BEVIS Protokollet är justerat. Justeringen har tillkännagivits genom anslag. "
            "Datum då anslaget sätts upp 2024-03-12 Datum då anslaget tas ned 2024-04-03 "
            "Förvaringsplats för protokollet Kommunkansliet"),
            "furniture",
        ),
        ("Innehåll Sammanfattning ........ 2 Bakgrund ........ 3 Bedömning ....... 5 Bilagor ....... 9", "contents"),
        ("Sida 2 av 4", "short"),
        ("2024-03-12", "short"),
    ],
)
def test_boilerplate(text: str, reason: str) -> None:
    assert boilerplate_reason(text) == reason
    assert boilerplate_reason(" ".join(text.split())) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Kommunstyrelsen beslutar att anta riktlinjer för skolskjuts (bilaga 1).",
        # a decision paragraph with a few party tags in it is prose, not a list
        ("Anna Berg (S) yrkar bifall till förvaltningens förslag. Per Ek (M) yrkar avslag. Ordföranden "
        "ställer proposition på yrkandena och finner att nämnden bifaller förvaltningens förslag. "
        "Lisa Holm (C) och Olle Svensson (SD) reserverar sig mot beslutet till förmån för Per Eks yrkande."),
        # a list followed by a sentence (a passage that goes on after a signature list)
        ("Jacqueline Maly (SD)\n\nMia Lindqvist (SD)\n\nMed instämmande av\n\nElliot Bräck (SD)\n\nAnna Shamina (SD)\n\n"
         "Kompletterat med en båtklubbsborgen, som föreningen har sökt bidrag till efter samråd med nämnden."),
        # one furniture cue inside a real paragraph
        ("Utdragsbestyrkande § 45 Detaljplan för Skogsbo 3:14. Samhällsbyggnadsnämnden beslutar att "
        "godkänna samrådsredogörelsen och att skicka planen på granskning."),
    ],
)
def test_not_boilerplate(text: str) -> None:
    assert boilerplate_reason(text) is None
