"""Range look-ups over facts in text order: which mentions lie inside a span, which span
covers an offset.  Each is a bisection, so a rule applied sentence by sentence stays
linear in the length of the document (a scan of every mention per sentence did not)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from operator import attrgetter
from typing import Protocol, TypeVar


class _Spanned(Protocol):
    start: int
    end: int


T = TypeVar("T", bound=_Spanned)
_START = attrgetter("start")


def within(items: Sequence[T], start: int, end: int) -> list[T]:
    """The items lying wholly inside ``[start, end)``; ``items`` sorted by ``start``."""
    i = bisect.bisect_left(items, start, key=_START)
    j = bisect.bisect_left(items, end, key=_START)
    return [x for x in items[i:j] if x.end <= end]


def covers(spans: Sequence[tuple[int, int]], offset: int) -> bool:
    """Whether one of ``spans`` (sorted, not overlapping) holds ``offset``."""
    i = bisect.bisect_right(spans, (offset, float("inf")))
    return i > 0 and spans[i - 1][0] <= offset < spans[i - 1][1]


def within_spans(spans: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans (sorted) that overlap ``[start, end)``."""
    i = bisect.bisect_right(spans, (start, float("inf")))
    i = max(0, i - 1)  # the span starting before ``start`` may reach into it
    out = []
    for k in range(i, len(spans)):  # no slice: a copy of the tail per call was quadratic
        a, b = spans[k]
        if a >= end:
            break
        if b > start:
            out.append((a, b))
    return out

