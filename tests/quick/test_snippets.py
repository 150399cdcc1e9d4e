"""Search snippets are data: plain text and match offsets, rendered by each interface."""

from __future__ import annotations

from beslutsgraf.index.lexical import _stemmer
from beslutsgraf.services.search import snippet


def test_snippet_offsets_cut_the_text_into_marked_pieces():
    text = "Inledning.\n  Kommunstyrelsen beslutade om våldsbejakande extremism i Malmö. " * 10
    stem = _stemmer().stemWord
    sn = snippet(text, {stem("extremism"), stem("malmö")}, width=120)
    assert sn.text.startswith("… ") and sn.text.endswith(" …") and "\n" not in sn.text
    assert [sn.text[a:b] for a, b in sn.highlights] == ["extremism", "Malmö"]
    assert "".join(p for p, _ in sn.pieces()) == sn.text
    assert sn.render(matched=lambda t: f"[{t}]") == sn.text.replace("extremism", "[extremism]").replace(
        "Malmö", "[Malmö]"
    )
    start = snippet(" Extremism & <b> här", {stem("extremism")})
    assert start.text == "Extremism & <b> här" and start.highlights == ((0, 9),)

