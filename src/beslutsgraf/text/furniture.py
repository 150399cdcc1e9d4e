"""Page furniture apart from the text: running heads, footers and page numbers.

PDF text puts each page's running head and footer (``Sida 3 (21)``, ``HÖGSBY
KOMMUN PROTOKOLL 4``, ``Justerandes sign Utdragsbestyrkande``) in the middle of
sentences that run across pages.  A line near the top or bottom of a page is
furniture when (1) it matches one of the genre's furniture lines
(``patterns/furniture.yml``), or (2) the same line, with its digits ignored, stands
at the same place from the top or bottom of at least a quarter of the pages (three pages
or more), a number in it that follows the page number ignored; a line with a
paragraph mark or a Dnr label, or a standard section heading, is never furniture
by repetition.  A repeated line is kept on the first page (the letterhead says which
body met and when) and taken out of every later page; the distinct lines taken
out are returned as metadata.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..errors import PatternError
from .sections import standard_heading

PATTERNS = Path(__file__).resolve().parent / "patterns"
# a number standing alone, not a part of a date, a case number or an amount
_NUMBER = re.compile(r"(?<![\d.,/:-])\d+(?![\d]|[.,/:-]\d)")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern[str], ...], int, int]:
    path = PATTERNS / "furniture.yml"
    data = load_yaml(path)
    try:
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in data["lines"])
        return patterns, int(data["top_lines"]), int(data["bottom_lines"])
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise PatternError(f"{path}: {exc}") from None


# Lines that carry a paragraph mark or a case-number label are text, however often they
# stand at the top of a page (a protokoll's "KS § 12 Dnr KS 2024/117").
_CONTENT = re.compile(r"§|\b(?:dnr|diarienr|diarienummer)\b", re.IGNORECASE)


def _is_content(line: str) -> bool:
    """A line that is text wherever it stands: a § mark, a Dnr label, a standard heading."""
    return bool(_CONTENT.search(line)) or standard_heading(line.strip()) is not None


def _key(line: str, page: int) -> str:
    """A line as compared across pages: spaces collapsed, lower case, and a number that
    is the page's own (or up to three less: numbering that starts after a cover) as #."""

    def number(m: re.Match[str]) -> str:
        return "#" if 0 <= page - int(m.group()) <= 3 else m.group()

    return _NUMBER.sub(number, _SPACE.sub(" ", line.strip().lower()))


def _is_genre_furniture(line: str, patterns: tuple[re.Pattern[str], ...], page_count: int) -> bool:
    for pattern in patterns:
        m = pattern.fullmatch(line)
        if not m:
            continue
        groups = m.groupdict()
        n = groups.get("n")
        of = groups.get("of") or groups.get("of2")
        limit = max(3 * page_count, page_count + 20)
        if n is not None and int(n) > (int(of) if of else limit):
            continue
        if of is not None and not int(n or 0) <= int(of) <= limit:
            continue
        return True
    return False


def is_genre_furniture(line: str, page_count: int = 1) -> bool:
    """True for a page number, ``Justerandes sign`` or another line of the genre's
    furniture (``patterns/furniture.yml``), whatever page it stands on."""
    return _is_genre_furniture(_SPACE.sub(" ", line.strip()), _rules()[0], page_count)


def _rank(lines: list[str], zone: list[int], i: int) -> int:
    """A line's place in its page: 0, 1, … from the top, -1, -2, … from the bottom."""
    filled = [j for j, line in enumerate(lines) if line.strip()]
    at = filled.index(i)
    return at if at < len(filled) - at else at - len(filled)


def _zone(lines: list[str], top: int, bottom: int) -> list[int]:
    """Indexes of the first ``top`` and last ``bottom`` non-blank lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:top]) | set(filled[-bottom:] if bottom else []))


def strip_furniture(pages: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Pages without their furniture, and the distinct furniture lines taken out."""
    genre, top, bottom = _rules()
    split = [page.split("\n") for page in pages]
    zones = [_zone(lines, top, bottom) for lines in split]
    # a running line keeps its place on the page: count (line, place) pairs
    pages_with: dict[tuple[str, int], int] = {}
    for p, (lines, zone) in enumerate(zip(split, zones)):
        for pair in {(_key(lines[i], p + 1), _rank(lines, zone, i)) for i in zone if not _is_content(lines[i])}:
            pages_with[pair] = pages_with.get(pair, 0) + 1
    repeated = (
        {k for k, n in pages_with.items() if n >= max(3, (len(pages) + 3) // 4) and any(c.isalnum() or c == "#" for c in k[0])}
        if len(pages) >= 3
        else set()
    )
    taken: dict[str, str] = {}
    out: list[str] = []
    for p, (lines, zone) in enumerate(zip(split, zones)):
        drop = set()
        for i in zone:
            line = _SPACE.sub(" ", lines[i].strip())
            key = _key(line, p + 1)
            if _is_genre_furniture(line, genre, len(pages)) or (p > 0 and (key, _rank(lines, zone, i)) in repeated):
                drop.add(i)
                taken.setdefault(re.sub(r"\d+", "#", key), line)  # one entry per line, whatever its numbers
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return out, tuple(taken.values())
