"""Which passages get no embedding: attendance lists, ANSLAG/BEVIS blocks, tables
of contents and scraps of page furniture (rules in ``patterns/boilerplate.yml``).

They stay in the keyword index; only the semantic half skips them, which saves the
build their embedding and keeps them out of semantic results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..datafiles import load_yaml
from ..errors import PatternError

RULES_FILE = Path(__file__).parent / "patterns" / "boilerplate.yml"


@dataclass(frozen=True)
class _Rules:
    tag: re.Pattern[str]
    min_tags: int
    max_chars_per_tag: int
    max_words_between_tags: int
    cues: re.Pattern[str]
    min_cues: int
    max_furniture_chars: int
    leader: re.Pattern[str]
    min_leaders: int
    word: re.Pattern[str]
    min_words: int


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    d = load_yaml(RULES_FILE)
    try:
        att, fur, toc = d["attendance"], d["furniture"], d["contents"]
        return _Rules(
            tag=re.compile(att["tag"], re.IGNORECASE),
            min_tags=int(att["min_tags"]),
            max_chars_per_tag=int(att["max_chars_per_tag"]),
            max_words_between_tags=int(att["max_words_between_tags"]),
            cues=re.compile("|".join(f"(?:{c})" for c in fur["cues"]), re.IGNORECASE),
            min_cues=int(fur["min_cues"]),
            max_furniture_chars=int(fur["max_chars"]),
            leader=re.compile(toc["leader"]),
            min_leaders=int(toc["min_leaders"]),
            word=re.compile(d["word"]),
            min_words=int(d["min_words"]),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise PatternError(f"{RULES_FILE}: {exc!r}") from None


def boilerplate_reason(text: str) -> str | None:
    """The rule that makes ``text`` boilerplate ("attendance", "furniture",
    "contents", "short"), or None for a passage worth embedding."""
    r = _rules()
    if len(r.word.findall(text)) < r.min_words:
        return "short"
    tags = len(r.tag.findall(text))
    if (
        tags >= r.min_tags
        and len(text) / tags <= r.max_chars_per_tag
        and max(len(r.word.findall(gap)) for gap in r.tag.split(text)) <= r.max_words_between_tags
    ):
        return "attendance"
    if len(text) <= r.max_furniture_chars and len({m.group().lower() for m in r.cues.finditer(text)}) >= r.min_cues:
        return "furniture"
    if len(r.leader.findall(text)) >= r.min_leaders:
        return "contents"
    return None
