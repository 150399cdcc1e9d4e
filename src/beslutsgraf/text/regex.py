"""Regex building blocks shared by the text and extraction steps."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_LITERAL = re.compile(r"(?:[^\\.^$*+?{}\[\]|()]|\\[^\w])*")


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
    if len(top_level_alternatives(pattern)) > 1:
        return ""
    head = _LITERAL.match(pattern).group()
    if pattern[len(head) : len(head) + 1] in ("?", "*", "{"):
        head = head[:-1]  # "protokoll(?:et)?" keeps "protokoll", "ab?" only "a"
    tail = ""
    for i in range(len(pattern)):
        rest = pattern[i:]
        if is_literal(rest) and not (i and pattern[i - 1] == "\\"):
            tail = rest
            break
    best = max(unescape(head), unescape(tail), key=len)
    return best.lower()


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


# a capital that starts a word (the guard written after the first character, so that
# the regex engine skips to candidates)
_WORD_CAPITAL = re.compile(r"[A-ZÅÄÖÆØÜÉ](?<!\w.)")


def capitalised_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only where a word starts with a capital letter.

    A case-insensitive pattern that opens with a lookbehind keeps Python's regex engine
    from skipping to candidates, so it is tried at every position; where only
    capitalised matches count (a heading, a letterhead's name), trying it at the word
    capitals is several times faster.  Matches do not overlap, as with ``finditer``."""
    end = 0
    for c in _WORD_CAPITAL.finditer(text):
        if c.start() < end:
            continue
        m = pattern.match(text, c.start())
        if m is not None and m.end() > m.start():
            end = m.end()
            yield m


def anchored_matches(
    pattern: re.Pattern[str], text: str, anchor: str, *, reach: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match holds ``anchor`` at most
    ``reach`` characters after its start, white space just before the anchor not counted
    (``KS  § 12``: the § is 2 characters and 2 spaces in).

    A pattern that opens with optional parts and a lookbehind is tried at every position
    of a text; here it is tried only at the few positions before each anchor.  Matches do
    not overlap, as with ``finditer``."""
    end = 0
    at = text.find(anchor)
    while at >= 0:
        first = at
        while first > 0 and text[first - 1].isspace():
            first -= 1
        for q in range(max(end, first - reach), at + 1):
            m = pattern.match(text, q)
            if m is not None and m.end() > m.start():
                end = m.end()
                yield m
                break
        at = text.find(anchor, max(at + 1, end))
