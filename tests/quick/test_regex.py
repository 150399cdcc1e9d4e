"""text/regex.py: the regex building blocks shared by the text and extraction steps."""

import re

from beslutsgraf.text.regex import anchored_matches, capitalised_matches


def test_capitalised_matches_are_finditers_capitalised_matches():
    pattern = re.compile(r"(?<!\w)(?:malmö stad|region skåne|skåne)(?!\w)", re.IGNORECASE)
    text = "MALMÖ STAD skriver till Region Skåne, (Malmö stad) och region skåne; xMalmö stad."
    got = [(m.start(), m.group()) for m in capitalised_matches(pattern, text)]
    assert got == [
        (m.start(), m.group()) for m in pattern.finditer(text) if m.group()[:1].isupper()
    ]
    assert [g for _s, g in got] == ["MALMÖ STAD", "Region Skåne", "Malmö stad"]


def test_capitalised_matches_do_not_overlap():
    # "Region Skåne" is matched whole: "Skåne" inside it is not a match of its own
    pattern = re.compile(r"region skåne|skåne", re.IGNORECASE)
    assert [m.group() for m in capitalised_matches(pattern, "Region Skåne och Skåne")] == [
        "Region Skåne",
        "Skåne",
    ]


def test_anchored_matches_are_finditers_matches():
    from beslutsgraf.text.layout import _cues

    cues = _cues()
    text = (
        "Protokoll § 12 Budget KS   § 13 Dnr KS 2021/3 enligt § 5 i lagen 14 § Val "
        "Ks § 15a Ärende §16 x 1234§ Yttrande §§ 17 § § 18 Ny §"
    )
    got = [m.span() for m in anchored_matches(cues.paragraph, text, "§", reach=cues.paragraph_reach)]
    assert got == [m.span() for m in cues.paragraph.finditer(text)]
    assert [text[a:b] for a, b in got][:3] == ["§ 12", "KS   § 13", "14 §"]


def test_anchored_matches_skip_overlaps_and_texts_without_the_anchor():
    pattern = re.compile(r"(?:ab)?§+")
    assert [m.group() for m in anchored_matches(pattern, "ab§§ x§ ab", "§", reach=2)] == ["ab§§", "§"]
    assert list(anchored_matches(pattern, "no anchor here", "§", reach=2)) == []


def test_matches_at_tries_only_the_given_starts_without_overlaps():
    from beslutsgraf.text.regex import matches_at

    pattern = re.compile(r"ab+")
    text = "abb ab abbb"
    assert [m.span() for m in matches_at(pattern, text, [0, 1, 4, 8])] == [(0, 3), (4, 6)]
    assert [m.span() for m in matches_at(pattern, text, range(len(text)))] == [
        m.span() for m in pattern.finditer(text)
    ]


def test_first_of_names_the_first_pattern_that_matches_the_whole_text():
    from beslutsgraf.text.regex import first_of, which

    pattern = first_of([r"protokoll", r"proto\w*", r"\w+"], re.IGNORECASE)
    assert which(pattern.fullmatch("PROTOKOLL")) == 0
    assert which(pattern.fullmatch("protokollsutdrag")) == 1
    assert which(pattern.fullmatch("kallelse")) == 2
    assert pattern.fullmatch("två ord") is None


def test_spans_holding_are_the_spans_a_needle_starts_in():
    from beslutsgraf.text.regex import spans_holding

    text = "Ett. Nämnden har granskat. Inget här. Granskningen visar. Slut granska"
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.?", text)]
    needle = re.compile("granska|granskn", re.IGNORECASE)
    expected = [(s, e) for s, e in spans if needle.search(text[s:e])]
    assert spans_holding(needle, text, spans) == expected
    assert [text[s:e].strip() for s, e in expected] == [
        "Nämnden har granskat.",
        "Granskningen visar.",
        "Slut granska",
    ]
    # overlapping and nested spans, and a needle hidden in another's match
    text = "abcab"
    needle = re.compile("abca|ca|b")
    spans = [(0, 1), (0, 5), (1, 3), (2, 4), (3, 4), (4, 5)]
    assert spans_holding(needle, text, spans) == [
        (s, e) for s, e in spans if any(needle.match(text, p) for p in range(s, e))
    ]
    assert spans_holding(needle, "xyz", spans) == []


def test_lowered_keeps_the_offsets():
    from beslutsgraf.text.regex import lowered

    assert lowered("Kommunstyrelsen BESLUTAR") == "kommunstyrelsen beslutar"
    text = "İstanbul Granskningen"  # "İ".lower() is two characters
    low = lowered(text)
    assert len(low) == len(text)
    assert low.index("granskningen") == text.index("Granskningen")
    # read as a case-insensitive pattern reads them: "İ" and "ı" as "i", "ſ" as "s"
    assert lowered("MOTİON Motıon ſkrivelse") == "motion motion skrivelse"
    for text in ("MOTİON", "Motıon", "ſkrivelse", "ÅÄÖ İ"):
        assert all(
            re.fullmatch(a, b, re.IGNORECASE) for a, b in zip(text, lowered(text)) if not a.isspace()
        )


def test_guards_after_the_first_letter_match_as_lookbehinds_first():
    """Patterns that hold their word-start guard after their first letter (so the regex
    engine skips to that letter) match as the forms with a lookbehind first, on every
    test document and on the edge cases of the guard."""
    from pathlib import Path

    from beslutsgraf.extract.metadata import _FORM_DATE_LABEL, _SPACED
    from beslutsgraf.extract.organisations import _POLICE_UNIT
    from beslutsgraf.extract.recommendations import _SECTION_ISSUER

    plain = {
        _FORM_DATE_LABEL: re.compile(r"(?<![\w-])Datum[ \t]*:[ \t]*\n?"),
        _POLICE_UNIT: re.compile(
            r"\b(?P<unit>[Pp]olisområde|[Pp]olisregion)\s+(?P<place>[A-ZÅÄÖ][\wåäö-]+)"
        ),
        _SECTION_ISSUER: re.compile(r"(?<![\w-])([A-ZÅÄÖ][a-zåäö]{3,}s)\s+rekommendation(?:er)?\b"),
        _SPACED: re.compile(r"(?<![\w])[A-Za-zÅÄÖåäöÉé](?: [A-Za-zÅÄÖåäöÉé])+(?:  [A-Za-zÅÄÖåäöÉé](?: [A-Za-zÅÄÖåäöÉé])*)*(?![\w])"),
    }
    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("tests/devset/*/*.txt"))]
    for before in ("", "x", "-", " ", "\n", "å", "(", "_"):
        texts.append(
            f"{before}Datum: 2024-01-02 {before}Polisområde Malmö {before}polisregion Syd "
            f"{before}Genomlysningens rekommendationer {before}Datum :\n"
            f"{before}M E D B O R G A R F Ö R S L A G {before}U t d r a g  u r  p r o t o k o l l {before}a b\n"
        )
    for fast, slow in plain.items():
        for t in texts:
            assert [(m.span(), m.groups()) for m in fast.finditer(t)] == [
                (m.span(), m.groups()) for m in slow.finditer(t)
            ]
    assert _POLICE_UNIT.search("x Polisområde Malmö")["place"] == "Malmö"


def test_literal_tail_is_the_text_every_match_ends_with():
    from beslutsgraf.text.regex import literal_tail

    assert literal_tail("sammanfattning") == "sammanfattning"
    assert literal_tail(r"beslutet (?:ska )?skickas till") == "skickas till"
    assert literal_tail(r"(?>\w+)(?<=s) Bedömning") == " bedömning"
    assert literal_tail(r"bilagor\.") == "bilagor."
    assert literal_tail(r"förslag till beslut i (?:ks|kf)") == ""  # ends in a group
    assert literal_tail(r"beslutet?") == ""  # its last letter is optional
    assert literal_tail("beslut|förslag") == ""  # an alternation at the top level


def test_capitalised_alternation_matches_as_capitalised_matches_reads_the_words():
    from beslutsgraf.text.regex import (
        capitalised_alternation,
        capitalised_matches,
        literal_alternation,
    )

    words = ["malmö stad", "region skåne", "skåne", "östra göinge kommun", "ale kommun", "a", "3d"]
    text = (
        "MALMÖ STAD och Region Skåne; region skåne, xSkåne, Östra Göinge kommuns "
        "(Ale kommun) ÖSTRA GÖINGE KOMMUN, A och a. Ale-kommun 3D Skåne"
    )
    new = re.compile(rf"{capitalised_alternation(words)}(?i:s)?(?!\w)")
    old = re.compile(rf"(?<!\w)(?:{literal_alternation(words)})s?(?!\w)", re.IGNORECASE)
    got = [m.span() for m in new.finditer(text)]
    assert got == [m.span() for m in capitalised_matches(old, text)]
    assert [text[a:b] for a, b in got] == [
        "MALMÖ STAD", "Region Skåne", "Östra Göinge kommuns", "Ale kommun",
        "ÖSTRA GÖINGE KOMMUN", "A", "Skåne",
    ]


def test_literal_head_and_its_occurrences():
    from beslutsgraf.text.regex import literal_head, occurrences

    assert literal_head("protokoll(?:et)?") == "protokoll"
    assert literal_head(r"Tjänsteskr\.") == "tjänsteskr."
    assert literal_head("utdrag ur .{0,40}protokoll") == "utdrag ur "
    assert literal_head("motions?") == "motion"  # its last letter is optional
    assert literal_head(r"tjänsteskr\.?") == "tjänsteskr"  # an escaped character too
    assert literal_head(r"a\.{2}") == "a"
    assert literal_head(r"(?:kallelse)") == ""  # opens with a group
    assert literal_head("kallelse|dagordning") == ""  # an alternation at the top level
    assert list(occurrences("aaa ba", "aa")) == [0, 1]
    assert list(occurrences("abc", "x")) == []


def test_kind_cues_are_tried_where_their_opening_word_stands():
    # document_kind tries each cue at its opening word's places in the lower-cased
    # opening; it finds what the cue's finditer finds, in every case
    from beslutsgraf.extract.metadata import _kind_cues
    from beslutsgraf.text.regex import lowered, matches_at, occurrences

    cues = _kind_cues().cues
    text = (
        "PROTOKOLL Kommunstyrelsen Utdrag ur sammanträdesprotokollet, xprotokoll, "
        "Tjänsteskr. 12 ÄRENDE VÄCKT AV (S) e-förslag E-FÖRSLAG Kallelse/föredragningslista "
        "protokollsutdrag-protokoll Utdrag ur kommunstyrelsens protokoll MOTİON Motıon ſkrivelse "
    )
    # every cue's opening word in every case, alone, glued to a word and after a hyphen
    for _kind, _pattern, _weak, head in cues:
        text += f"{head} {head.upper()} {head.capitalize()}. x{head} -{head}s {head}-x\n"
    found = 0
    for _kind, pattern, _weak, head in cues:
        got = [m.span() for m in matches_at(pattern, text, occurrences(lowered(text), head))]
        assert got == [m.span() for m in pattern.finditer(text)], pattern.pattern
        found += len(got)
    assert found > 3 * len(cues)


def test_word_alternation_in_lowered_text_matches_as_a_case_insensitive_alternation():
    from beslutsgraf.extract.persons import _party_heading_names, _party_heading_re
    from beslutsgraf.text.regex import lowered

    names = sorted(_party_heading_names(), key=len, reverse=True)
    plain = re.compile(
        r"(?<![\wåäö])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\wåäö])", re.IGNORECASE
    )
    text = (
        "MODERATERNA Göran Ekstam Socialdemokraterna: Anna Berg, xCenterpartiet, "
        "centerpartiets Per Ek; Vänsterpartiet-Liberalerna (Kristdemokraterna) SVERIGEDEMOKRATERNA"
        " Arbetarepartiet-Socialdemokraterna Miljöpartiet de gröna Centern LİBERALERNA Anna"
    )
    got = [m.span() for m in _party_heading_re().finditer(lowered(text))]
    assert got == [m.span() for m in plain.finditer(text)]
    assert len(got) >= 8
