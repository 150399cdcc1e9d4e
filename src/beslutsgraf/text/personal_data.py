"""Personnummer in a document's text: found, checked and masked before anything is stored.

DESIGN.md's personal-data rule: a personnummer (or samordningsnummer) is never stored,
indexed or shown.  Masking happens in the text step, so the stored text, the passages,
the graph, the pages and the dumps all derive from the masked text.  The mask keeps the
length (each digit becomes ``X``, the separator stays), so every other span keeps its
offsets and the masked span itself is kept as a fact: a reader sees that something was
withheld, and where.

A candidate is a date of birth (``YYMMDD`` or ``YYYYMMDD``; a samordningsnummer adds 60
to the day), an optional ``-``/``+`` and four digits whose last is the Luhn check digit of
the ten.  Organisationsnummer (month 20 or more) and most telephone numbers fail the date
or the check; the few that pass are masked too, which errs on the side of the person.
"""

from __future__ import annotations

import re

# (the leading lookahead lets the regex engine skip to digits; the lookbehind made it
# try every position of the text)
_CANDIDATE = re.compile(
    r"(?=\d)(?<![\dA-Za-z/.-])(?P<century>19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"[ \t]?(?P<sep>[-+–])?[ \t]?(?P<serial>\d{3})(?P<check>\d)(?![\d/])"
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def is_personnummer(m: re.Match[str]) -> bool:
    """Whether a candidate match is a valid personnummer or samordningsnummer."""
    month, day = int(m["mm"]), int(m["dd"])
    if not 1 <= month <= 12:
        return False
    if not (1 <= day <= 31 or 61 <= day <= 91):
        return False
    return _luhn_ok(m["yy"] + m["mm"] + m["dd"] + m["serial"] + m["check"])


def find_personnummer(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every personnummer in ``text``."""
    return [(m.start(), m.end()) for m in _CANDIDATE.finditer(text) if is_personnummer(m)]


def mask_personnummer(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with every personnummer's digits replaced by ``X`` (same length), and the
    spans that were masked."""
    spans = find_personnummer(text)
    if not spans:
        return text, ()
    parts: list[str] = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        parts.append(re.sub(r"\d", "X", text[s:e]))
        pos = e
    parts.append(text[pos:])
    return "".join(parts), tuple(spans)
