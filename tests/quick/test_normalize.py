from beslutsgraf.text.normalize import normalize_text


def test_nfc_dashes_soft_hyphens_and_spaces():
    raw = "Go\u0308teborg\u00a0stad dnr 3.1.3\u201291/2019 \u2010 bo\u00adstad\u200b"
    assert normalize_text(raw).text == "Göteborg stad dnr 3.1.3–91/2019 - bostad"


def test_word_split_across_line_end_is_joined():
    assert normalize_text("det brottsföre-\nbyggande arbetet").text == "det brottsförebyggande arbetet"


def test_suspended_compound_keeps_hyphen():
    assert normalize_text("arbetsmarknads-\noch socialnämnden").text == "arbetsmarknads- och socialnämnden"


def test_markdown_heading_and_emphasis_removed_and_remembered():
    n = normalize_text("## Tjänsteskrivelse\n\n#### **Sammanfattning**\n\nI rapporten *Granskning av X* står det.")
    assert n.text == "Tjänsteskrivelse\n\nSammanfattning\n\nI rapporten Granskning av X står det."
    assert [n.text[s:e] for s, e in n.heading_hints] == ["Tjänsteskrivelse", "Sammanfattning"]
    assert [n.text[s:e] for s, e in n.emphasis] == ["Granskning av X"]


def test_page_break_inside_paragraph_is_joined():
    raw = "Granskningen är genomförd av KPMG på uppdrag av Malmö stadsrevision, i\n\n   \n\nsyfte att bedöma."
    assert normalize_text(raw).text == "Granskningen är genomförd av KPMG på uppdrag av Malmö stadsrevision, i syfte att bedöma."


def test_short_label_lines_are_not_joined_and_blank_runs_collapse():
    raw = "\n\n\nDatum\n\n\n\n2018-10-10\r\nVår referens  \n"
    assert normalize_text(raw).text == "Datum\n\n2018-10-10\nVår referens"


def test_heading_marked_line_merged_into_cut_paragraph_loses_hint():
    raw = "- G-Tjänsteskrivelse - Ärende väckt av Vänsterpartiet - Förebyggande och\n\n## brottsförebyggande arbete"
    n = normalize_text(raw)
    assert n.text.endswith("Förebyggande och brottsförebyggande arbete")
    assert n.heading_hints == ()


def test_emphasis_marks_match_as_their_lookbehind_forms():
    """The emphasis patterns hold their guard after the first mark (for speed): on every
    short string of marks, letters and spaces they match as the plain forms do."""
    import itertools
    import re

    from beslutsgraf.text import normalize as n

    plain = {
        n._MD_BOLD: re.compile(
            rf"(?<![*_])(\*\*)(?=[^\s*])({n._IN_EMPHASIS})(?<=[^\s*])\*\*(?!\*)"
            rf"|(?<![_\w])(__)(?=[^\s_])({n._IN_EMPHASIS})(?<=[^\s_])__(?![_\w])"
        ),
        n._MD_ITALIC: re.compile(
            rf"(?<![\w*])\*(?=[^\s*])({n._IN_EMPHASIS})(?<=[^\s*])\*(?![\w*])"
        ),
    }
    for size in range(1, 8):
        for chars in itertools.product("*_a ", repeat=size):
            t = "".join(chars)
            for fast, slow in plain.items():
                got = [(m.span(), m.groups()) for m in fast.finditer(t)]
                assert got == [(m.span(), m.groups()) for m in slow.finditer(t)], t
