import glob
import itertools
import re

import pytest

from beslutsgraf.extract.pipeline import extract_file, extract_text
from beslutsgraf.index.passages import MAX_CHARS, make_chunks


@pytest.fixture(scope="module")
def corpus_chunks():
    return {f: make_chunks(extract_file(f)) for f in sorted(glob.glob("corpus/*.txt"))}


def test_chunks_cover_text_in_order_within_the_limit(corpus_chunks):
    for f, chunks in corpus_chunks.items():
        ex = extract_file(f)
        assert [c.ordinal for c in chunks] == list(range(len(chunks)))
        for a, b in itertools.pairwise(chunks):
            assert a.end <= b.start
        for c in chunks:
            assert ex.text[c.start : c.end] == c.text
            assert len(c.text) <= MAX_CHARS


def test_no_chunk_cuts_a_sentence_or_list_item(corpus_chunks):
    for chunks in corpus_chunks.values():
        for c in chunks:
            # a chunk ends at a paragraph end, a sentence end or a line end (list item)
            following = c.text[-1]
            assert following in ".!?:)”\"" or re.search(r"\w$", c.text), c.text[-40:]


def test_numbered_recommendations_stay_whole(corpus_chunks):
    chunks = corpus_chunks["corpus/001_e1b0bc157f42c3af.txt"]
    item = "2. Utveckla rapporteringen till nämnden kring uppföljningen av aktiviteter i handlingsplanerna och en samlad analys av arbetet."
    assert any(item in c.text for c in chunks)


def test_chunks_carry_filters():
    text = "Datum\n2021-04-12\nDnr KS 2021/317\n\nTjänsteskrivelse\n\nNy fritidsgård\n\nSammanfattning\n\nBarn- och utbildningsnämnden i Tyresö kommun föreslår en ny fritidsgård."
    (head, summary) = make_chunks(extract_text(text, source="tyreso.txt"))
    assert head.case_numbers == ("KS 2021/317",) and head.section_key == "header"
    assert summary.section == "Sammanfattning"
    assert summary.bodies == ("Barn- och utbildningsnämnden",)
    assert summary.municipality == "Tyresö" and summary.date == "2021-04-12" and summary.document == "tyreso"
