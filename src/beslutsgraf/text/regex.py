"""Regex building blocks shared by the text and extraction steps."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

_LITERAL = re.compile(r"(?:[^\\.^$*+?{}\[\]|()]|\\[^\w])*")
_LITERAL_ATOM = re.compile(r"[^\\]|\\.")


def is_literal(pattern: str) -> bool:
    """Whether a regex source matches only itself (escaped punctuation allowed)."""
    return bool(_LITERAL.fullmatch(pattern))


def top_level_alternatives(pattern: str) -> list[str]:
    """The alternatives of a regex source at its top level (``a|b(c|d)`` → ``a``, ``b(c|d)``)."""
    out: list[str] = []
    depth, start, escaped = 0, 0, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    return [*out, pattern[start:]]


def required_literal(pattern: str) -> str:
    """A piece of text every match of ``pattern`` contains (its literal start or end,
    lower case), or "" when it has none or an alternation at its top level; a cheap
    ``in`` test on it spares a regex scan of a text that cannot match."""
    return max(literal_head(pattern), literal_tail(pattern), key=len)


def literal_head(pattern: str) -> str:
    """The literal text every match of ``pattern`` starts with (lower case), or "" when it
    opens with a group, a class or an assertion, or has an alternation at its top level."""
    if len(top_level_alternatives(pattern)) > 1:
        return ""
    head = _LITERAL.match(pattern).group()
    atoms = _LITERAL_ATOM.findall(head)
    if atoms and pattern[len(head) : len(head) + 1] in ("?", "*", "{"):
        atoms.pop()  # "protokoll(?:et)?" keeps "protokoll", "ab?" only "a", "a\\.?" only "a"
    return unescape("".join(atoms)).lower()


def occurrences(text: str, needle: str) -> Iterator[int]:
    """The start of every occurrence of ``needle`` in ``text``, overlapping ones included."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def literal_tail(pattern: str) -> str:
    """The literal text every match of ``pattern`` ends with (lower case), or "" when it
    ends in a group, a class or a quantifier, or has an alternation at its top level."""
    if len(top_level_alternatives(pattern)) > 1:
        return ""
    for i in range(len(pattern)):
        rest = pattern[i:]
        if is_literal(rest) and not (i and pattern[i - 1] == "\\"):
            return unescape(rest).lower()
    return ""


def unescape(pattern: str) -> str:
    """The text a literal regex source matches."""
    return re.sub(r"\\([^\w])", r"\1", pattern)


def literal_alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal ``words`` as a trie (``kommun(?:en|styrelsen)``):
    Python's ``re`` tries every branch of a flat alternation at each position, a trie
    only the branches that share the text's prefix.  Longest match first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


def matches_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (ascending):
    the pattern is tried only there.  A pattern that opens with a lookbehind or an
    optional part keeps Python's regex engine from skipping ahead, so ``finditer`` tries
    it at every position; a caller that knows where matches can start (a capital, a
    label, the word before an anchor) gives those.  Matches do not overlap, and empty
    ones are skipped."""
    end = 0
    for q in starts:
        if q >= end and (m := pattern.match(text, q)) is not None and m.end() > m.start():
            end = m.end()
            yield m


# Characters that a case-insensitive pattern reads as "i" or "s" but whose lower case is
# not one: folded, so that a lower-cased text reads as such a pattern does
_FOLDS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def folded(text: str) -> str:
    """``text`` in lower case as a case-insensitive pattern reads it ("İ", "ı" as "i", "ſ"
    as "s"), with ``text``'s offsets: a character whose lower case is longer is kept."""
    if "İ" in text or "ı" in text or "ſ" in text:
        text = text.translate(_FOLDS)
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(low_c if len(low_c := c.lower()) == 1 else c for c in text)


@lru_cache(maxsize=4)
def lowered(text: str) -> str:
    """``folded(text)``, cached: the steps of one document's extraction each ask for it."""
    return folded(text)


def spans_holding(
    needle: re.Pattern[str], text: str, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The ``spans`` (sorted by start) in which a match of ``needle`` starts: a rule read
    span by span (sentence by sentence) whose every match holds a needle reads only
    these.  One search per span that holds a needle and per gap between them, instead
    of a search of every span; each search starts at a span's start, so needles that
    overlap one another are all seen.  For words in any case, search a case-sensitive
    needle in ``lowered(text)``: a case-insensitive alternation is 7x slower."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(spans)
    while i < n:
        m = needle.search(text, spans[i][0])
        if m is None:
            break
        at = m.start()
        while i < n and spans[i][1] <= at:
            i += 1
        while i < n and spans[i][0] <= at < spans[i][1]:
            out.append(spans[i])
            i += 1
    return out


def first_of(patterns: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """The patterns as one alternation, a group ``p0``, ``p1``, … each, in order: a full
    match takes the first pattern that matches the whole text, as trying them in turn
    does, in one scan; ``which`` tells which one it was."""
    return re.compile("|".join(f"(?P<p{i}>{p})" for i, p in enumerate(patterns)), flags)


def which(m: re.Match[str]) -> int:
    """The index of the pattern of ``first_of`` that made ``m``."""
    return int(m.lastgroup[1:])


# a capital that starts a word (the guard written after the first character, so that
# the regex engine skips to candidates)
_WORD_CAPITAL = re.compile(r"[A-ZÅÄÖÆØÜÉ](?<!\w.)")


def word_alternation(words: Iterable[str]) -> str:
    """A regex source that matches ``words`` (lower case) where a word starts, to search
    in ``lowered(text)``, one scan: see ``_by_first_letter``."""
    return _by_first_letter(words, capital=False)


def capitalised_alternation(words: Iterable[str]) -> str:
    """A regex source that matches ``words`` (lower case) in any case where the word's
    first letter is a capital that starts a word, as ``capitalised_matches`` reads an
    alternation of them, but in one scan: see ``_by_first_letter``."""
    return _by_first_letter(words, capital=True)


def _by_first_letter(words: Iterable[str], *, capital: bool) -> str:
    """One branch per first letter, the letter written as itself (its capital, with
    ``capital``) and the word-start guard after it, then the rest of the words as a trie
    (in any case, with ``capital``).  With no global flag and no lookbehind first, the
    regex engine skips to those letters itself, where a case-insensitive alternation
    with a lookbehind first was tried at every position."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        first = word[:1].upper() if capital else word[:1]
        if first and (not capital or _WORD_CAPITAL.fullmatch(first)):
            by_first.setdefault(first, []).append(word[1:])
    rest = "(?i:{})" if capital else "(?:{})"
    branches = [
        f"{re.escape(first)}(?<!\\w.)" + rest.format(literal_alternation(rests))
        for first, rests in sorted(by_first.items())
    ]
    return "(?:" + "|".join(branches) + ")"


def capitalised_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only where a word starts with a capital letter.

    A case-insensitive pattern that opens with a lookbehind keeps Python's regex engine
    from skipping to candidates, so it is tried at every position; where only
    capitalised matches count (a heading, a letterhead's name), trying it at the word
    capitals is several times faster.  Matches do not overlap, as with ``finditer``."""
    return matches_at(pattern, text, (c.start() for c in _WORD_CAPITAL.finditer(text)))


def anchored_matches(
    pattern: re.Pattern[str], text: str, anchor: str, *, reach: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match holds ``anchor`` at most
    ``reach`` characters after its start, white space just before the anchor not counted
    (``KS  § 12``: the § is 2 characters and 2 spaces in): it is tried only at the few
    positions before each anchor."""
    return matches_at(pattern, text, _before_anchors(text, anchor, reach))


def _before_anchors(text: str, anchor: str, reach: int) -> Iterator[int]:
    """The positions up to ``reach`` characters (and the white space) before each
    ``anchor`` in ``text``, ascending, each once."""
    tried = -1
    for at in occurrences(text, anchor):
        first = at
        while first > 0 and text[first - 1].isspace():
            first -= 1
        yield from range(max(tried + 1, first - reach), at + 1)
        tried = max(tried, at)
