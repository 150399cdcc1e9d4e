"""How much of a text is Swedish words: the measure that tells a garbled text layer.

The word list is the word forms and lemmas of spaCy's Swedish lookup table
(``spacy-lookups-data``, about 740,000 forms) and the Swedish function words,
loaded once per process.  A word
not in the list still counts as Swedish when it splits into two listed words of
three letters or more, with or without a linking ``s`` (Swedish compounds:
``sammanträdes|tid``), so long compounds do not make clean text look garbled.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..datafiles import load_lines

PATTERNS = Path(__file__).resolve().parent / "patterns"

_WORD = re.compile(r"[a-zåäöéü]{3,}", re.IGNORECASE)


@lru_cache(maxsize=1)
def stopwords_sv() -> frozenset[str]:
    """Swedish function words (the Snowball stop list and a few of the genre's)."""
    return frozenset(load_lines(PATTERNS / "stopwords_sv.txt"))


@lru_cache(maxsize=1)
def swedish_words() -> frozenset[str]:
    """Every Swedish word form the lookup table knows, lower case."""
    table = resources.files("spacy_lookups_data") / "data" / "sv_lemma_lookup.json.gz"
    with table.open("rb") as fh, gzip.open(fh) as unzipped:
        forms = json.load(unzipped)
    return frozenset(w.lower() for pair in forms.items() for w in pair) | stopwords_sv()


def is_swedish(word: str, words: frozenset[str]) -> bool:
    """True for a listed word or a compound of two listed words (see module docstring)."""
    if word in words:
        return True
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if tail in words and (head in words or (head.endswith("s") and head[:-1] in words)):
            return True
    return False


def swedish_share(text: str) -> tuple[float, int]:
    """(share of the words of three letters or more that are Swedish, number of such words)."""
    words = swedish_words()
    tokens = [t.lower() for t in _WORD.findall(text)]
    if not tokens:
        return 0.0, 0
    known = sum(1 for t in tokens if is_swedish(t, words))
    return known / len(tokens), len(tokens)
