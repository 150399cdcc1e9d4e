import spacy

import beslutsgraf.extract.nlp  # noqa: F401  (registers the components)
from beslutsgraf.extract.nlp import sentence_spans


def test_case_number_component_sets_spans_with_facts():
    nlp = spacy.blank("sv")
    nlp.add_pipe("beslutsgraf_case_numbers_v1", config={"municipality": "Malmö"})
    doc = nlp("Se ärendet STK-2016-346 och Dnr KS 2021/317.")
    spans = doc.spans["case_numbers"]
    assert [s.text for s in spans] == ["STK-2016-346", "KS 2021/317"]
    assert spans[0]._.fact.body == "Kommunstyrelsen"
    assert spans[1]._.fact.normalized == "KS 2021/317"


def test_body_component_sets_canonical_names():
    nlp = spacy.blank("sv")
    nlp.add_pipe("beslutsgraf_bodies_v1", config={"municipality": "Uppsala"})
    doc = nlp("Ärendet går till kommunstyrelsens arbetsutskott och sedan till utbildningsnämnden.")
    assert [(s.text, s._.fact.name) for s in doc.spans["bodies"]] == [
        ("kommunstyrelsens arbetsutskott", "Kommunstyrelsens arbetsutskott"),
        ("utbildningsnämnden", "Utbildningsnämnden"),
    ]


def test_sentences_break_at_lines_and_keep_abbreviations():
    text = "Beslutsunderlag\n- Tjänsteskrivelse t.ex. om bl.a. budget\nKommunstyrelsen beslutar. Ärendet avslutas."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Beslutsunderlag",
        "- Tjänsteskrivelse t.ex. om bl.a. budget",
        "Kommunstyrelsen beslutar.",
        "Ärendet avslutas.",
    ]


def test_sentences_end_at_a_single_letter_and_a_unit_but_not_an_abbreviation():
    text = "Vi har placerat dem i. Kommunen ska dock mäta 50 km/h. Det gäller fr.o.m. Mars m.m. Slut."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Vi har placerat dem i.",
        "Kommunen ska dock mäta 50 km/h.",
        "Det gäller fr.o.m. Mars m.m. Slut.",
    ]


def test_the_tokenizer_has_no_special_cases():
    # spaCy stores no word in its tokenizer cache once a document has hit a special
    # case ("\n" is one in its Swedish defaults): with none, a word is split only once
    from beslutsgraf.extract.nlp import sentence_nlp

    assert sentence_nlp().tokenizer.rules == {}


def test_affix_rules_split_as_their_plain_forms():
    # tokenizer.yml writes its suffix and infix with the set-apart character first (for
    # speed); they split every chunk as the plain forms do: a character class after its
    # context, "'s" and a run of full stops or ellipses as alternatives of their own
    import random
    import re

    from beslutsgraf.datafiles import load_yaml
    from beslutsgraf.extract.nlp import PATTERNS, sentence_nlp

    rules = load_yaml(PATTERNS / "tokenizer.yml")
    suffix, infix = re.compile(rules["suffix"]), re.compile(rules["infix"])
    plain_suffix = re.compile(r"""(?:\.{2,}|…{2,}|[\)\]\}"'”“«»‘’,;:.!?…%]|'s)$""")
    plain_infix = re.compile(
        r"""(?<=[\w\)])[,;:!?"”/](?=[\w"(])|(?<=[a-zåäö])\.(?=[A-ZÅÄÖ])|(?<=\w)[–—](?=\w)"""
    )
    pieces = list("aÅkZ9_)(\"”“'s,;:!?/.–—-…%«»") + ["ks", "'s", "Dnr", "....", "..", "……"]
    rng = random.Random(5)
    for _ in range(5000):
        chunk = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        m, p = suffix.search(chunk), plain_suffix.search(chunk)
        assert (m and m.span()) == (p and p.span()), chunk
        assert [x.span() for x in infix.finditer(chunk)] == [x.span() for x in plain_infix.finditer(chunk)], chunk
    doc = sentence_nlp()("Kommunens (KS) förslag: bifall.Beslut, ”enligt” Malmös’s 2021/22–23 Ks-2021 aa—bb.")
    assert [t.text for t in doc] == [
        "Kommunens", "(", "KS", ")", "förslag", ":", "bifall", ".", "Beslut", ",", "”", "enligt", "”",
        "Malmös’s", "2021", "/", "22", "–", "23", "Ks-2021", "aa", "—", "bb", ".",
    ]


def test_a_run_of_full_stops_is_one_token_and_ends_a_sentence_as_one():
    # a table of contents' dot leaders and a rule of dashes: one token each (spaCy strips
    # one affix a round), and the sentences are those a full stop a token gave
    from beslutsgraf.extract.nlp import sentence_nlp

    text = "Innehåll Platsmark........ 12 Bygglov...... 14 Slut.. Nej!.. ok t.ex...... x"
    assert [t.text for t in sentence_nlp()(text)][:7] == [
        "Innehåll", "Platsmark", "........", "12", "Bygglov", "......", "14"
    ]
    rule = "Beslut ------ -–- (se ovan……) slut"
    assert [t.text for t in sentence_nlp()(rule)] == [
        "Beslut", "------", "-–-", "(", "se", "ovan", "……", ")", "slut"
    ]
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Innehåll Platsmark........", "12 Bygglov......", "14 Slut..", "Nej!..", "ok t.ex......", "x"
    ]
