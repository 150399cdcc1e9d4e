"""extract/persons.py: the searches that find a pattern's matches from its anchors give
the pattern's own matches."""

from beslutsgraf.extract.persons import (
    _OFFICIAL_BEFORE,
    _PARTY_COMMA,
    _PARTY_COMMA_TAIL,
    _PARTY_MARK,
    _officials_before,
)
from beslutsgraf.text.regex import anchored_matches

TEXT = (
    "Ekonomichef Kerstin Walldén och chef  Anna Berg, Xchef Anna Lind, -chef Per Ek,\n"
    "kommunsekreterare\tÉva Ström (S) ordförande (M), 2:e vice (kd) Lena Hall, s, och "
    "Kristina Öberg, c, yrkar ((S) Per Ek (v)"
)


def test_officials_before_are_the_patterns_matches():
    got = [m.group() for m in _officials_before(TEXT)]
    assert got == [m.group() for m in _OFFICIAL_BEFORE.finditer(TEXT)]
    assert got[0] == "Ekonomichef Kerstin Walldén"


def test_party_marks_from_their_parentheses_are_the_patterns_matches():
    got = [m.span() for m in anchored_matches(_PARTY_MARK, TEXT, "(", reach=0)]
    assert got == [m.span() for m in _PARTY_MARK.finditer(TEXT)]
    assert len(got) == 5


def test_a_text_with_party_comma_marks_holds_their_tail():
    assert [m.group("name") for m in _PARTY_COMMA.finditer(TEXT)] == ["Lena Hall", "Kristina Öberg"]
    assert _PARTY_COMMA_TAIL.search(TEXT)
    assert not _PARTY_COMMA_TAIL.search("Lena Hall, socialdemokrat, yrkar")


def test_a_name_ends_before_a_suspended_compound():
    """A protokoll paragraph whose text lost its line break after the preparer: the
    capitalised "Kosthålls-" of "Kosthålls- och städchefen" is not part of her name."""
    from beslutsgraf.extract.pipeline import extract_text

    for text in (
        "Beredning: personalchef Kristina Wikblad Kosthålls- och städchefen anhåller om ett tillägg.",
        "Beredning: personalchef Kristina Wikblad\nKosthålls- och städchefen anhåller om ett tillägg.",
    ):
        persons = [(p.name, p.role) for p in extract_text(text).persons]
        assert persons == [("Kristina Wikblad", "personalchef")], text


def test_two_names_side_by_side_are_not_one_person():
    """A list's two columns run together: a given name, a surname and two more words are
    two names, even where the given-name list does not know the second given name; a
    person with two given names stays whole."""
    from beslutsgraf.extract.persons import list_entries

    text = "Ola Löfström Klaus Leidecker Stellan Lindeberg Margareta Johansson"
    names = [p.name for p in list_entries(text, 0, len(text), "ledamot")]
    assert "Ola Löfström Klaus Leidecker" not in names
    assert names[0] == "Ola Löfström"
    assert names[-2:] == ["Stellan Lindeberg", "Margareta Johansson"]
    text = "Anna Karin Berg Holm, ordförande"
    assert [(p.name, p.role) for p in list_entries(text, 0, len(text), "ledamot")] == [
        ("Anna Karin Berg Holm", "ordförande")
    ]
