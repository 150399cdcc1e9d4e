from beslutsgraf.index.lexical import Analyzer, LexicalIndex, build_vocabulary, words


def test_tokens_keep_swedish_letters_and_split_hyphens():
    assert words("Våldsbejakande EXTREMISM i Enskede-Årsta") == ["våldsbejakande", "extremism", "i", "enskede", "årsta"]


def test_stopwords_are_dropped_and_words_stemmed():
    assert Analyzer(decompound=False).terms("och rekommendationerna till nämnderna") == ["rekommendation", "nämnd"]


def test_compound_splits_into_indexed_parts():
    vocab = build_vocabulary(["brott begås", "förebygga"])
    a = Analyzer(decompound=True, vocabulary=vocab)
    assert a.split("brottsförebyggande") == ("brotts", "förebyggande")  # "brotts" stems to "brott"
    assert a.terms("brottsförebyggande") == ["brottsförebygg", "brott", "förebygg"]
    assert a.split("kommunen") is None


def test_split_words_query_finds_compound(tmp_path):
    idx = LexicalIndex.build(["Det brottsförebyggande arbetet", "Kommunstyrelsen beslutar", "Förebygga brott bland unga"])
    scores = idx.scores("förebygga brott")
    assert scores[0] > 0 and scores[2] > 0 and scores[1] == 0
    idx.save(tmp_path)
    again = LexicalIndex.load(tmp_path)
    assert list(again.scores("förebygga brott")) == list(scores)


def test_query_of_unknown_words_scores_zero():
    idx = LexicalIndex.build(["Kommunstyrelsen beslutar"])
    assert idx.scores("borgen båtklubb").tolist() == [0.0]
