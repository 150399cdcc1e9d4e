"""Scoring extractor output against the gold annotations in ``tests/gold/``.

Pure functions, no I/O: ``score_document(gold, predicted)`` compares one gold
dict (``tests/gold/<stem>.json``) with one ``Extraction.to_json(include_text=True)``
dict and returns a ``TypeResult`` (tp/fp/fn plus the unmatched facts) per fact
type; ``micro`` adds results up over documents; ``span_integrity`` checks that
every predicted fact's ``text`` is exactly ``text[start:end]``; ``format_table``
renders ``fact type | P | R | F1 | tp fp fn``.

Gold is written by surface strings, not offsets (normalisation may change), so
matching is by keys, never by position:

============================  ==================================================
fact type                     a predicted fact matches a gold fact when
============================  ==================================================
``document``                  per field (title, doc_type, date, municipality,
                              case_number) exactly equal; a null field is
                              "nothing stated": null/null counts nothing,
                              value/null is fn, null/value is fp, a wrong value
                              is fp + fn
``case_numbers``              (normalized, text, is_own), multiset
``bodies``                    (name, text), multiset
``persons``                   (name, role, party), multiset
``organisations``             (name, kind), multiset
``recommendations``           same target set, same issuer, similar text
``decision_proposals``        same body, same kind, similar text
``planned_treatments``        (body, date), multiset
``recipients``                name, multiset
``references``                same kind and target (casefolded, white space
                              collapsed), plus the same ``date``/``body`` where
                              gold has one.  For ``kind == "decision"`` the
                              target is a free short description, so targets
                              match when *similar*, or the texts are similar
============================  ==================================================

"Similar" texts: after collapsing white space and casefolding, one contains the
other, or their word-token Jaccard is at least ``JACCARD_MIN``.  Facts matched by
similarity are paired one-to-one by a maximum bipartite matching, so the order
of the lists does not matter and one prediction never counts twice.

P, R and F1 follow the vacuous convention: nothing predicted gives P = 1.0,
nothing to find gives R = 1.0 (a type with neither is 1.0 / 1.0).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

FACT_TYPES: tuple[str, ...] = (
    "document",
    "case_numbers",
    "bodies",
    "persons",
    "organisations",
    "recommendations",
    "decision_proposals",
    "planned_treatments",
    "recipients",
    "references",
)
DOCUMENT_FIELDS: tuple[str, ...] = ("title", "doc_type", "date", "municipality", "case_number")
JACCARD_MIN = 0.8

Fact = Mapping[str, Any]


@dataclass(frozen=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class TypeResult:
    """The score of one fact type, with what was missed and what was spurious."""

    score: Score
    missed: tuple[Any, ...] = field(default=())  # gold facts (or keys) not found
    spurious: tuple[Any, ...] = field(default=())  # predicted facts (or keys) not in gold

    def __add__(self, other: TypeResult) -> TypeResult:
        return TypeResult(
            self.score + other.score, self.missed + other.missed, self.spurious + other.spurious
        )


@dataclass(frozen=True)
class SpanCheck:
    checked: int
    ok: int
    failures: tuple[str, ...] = ()

    @property
    def ratio(self) -> float:
        return self.ok / self.checked if self.checked else 1.0

    def __add__(self, other: SpanCheck) -> SpanCheck:
        return SpanCheck(
            self.checked + other.checked, self.ok + other.ok, self.failures + other.failures
        )


# ---------------------------------------------------------------- text helpers


def normalize_ws(text: str | None) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return " ".join((text or "").split())


def tokens(text: str | None) -> set[str]:
    """Casefolded word tokens, for the Jaccard comparison."""
    return set(re.findall(r"\w+", (text or "").casefold()))


def similar_text(a: str | None, b: str | None, *, jaccard_min: float = JACCARD_MIN) -> bool:
    """True when one text contains the other (white space and case aside) or Jaccard >= min."""
    x, y = normalize_ws(a).casefold(), normalize_ws(b).casefold()
    if not x or not y:
        return False
    if x in y or y in x:
        return True
    tx, ty = tokens(x), tokens(y)
    return bool(tx | ty) and len(tx & ty) / len(tx | ty) >= jaccard_min


def normalize_target(target: str | None) -> str:
    return normalize_ws(target).casefold()


# ---------------------------------------------------------------- matching


def multiset_match(gold_keys: Iterable[Hashable], pred_keys: Iterable[Hashable]) -> TypeResult:
    """Score two multisets of keys: tp is the size of their intersection."""
    g, p = Counter(gold_keys), Counter(pred_keys)
    tp = sum((g & p).values())
    missed = tuple(sorted((g - p).elements(), key=repr))
    spurious = tuple(sorted((p - g).elements(), key=repr))
    return TypeResult(Score(tp, sum(p.values()) - tp, sum(g.values()) - tp), missed, spurious)


def bipartite_match(
    gold: Sequence[Fact], pred: Sequence[Fact], compatible: Callable[[Fact, Fact], bool]
) -> TypeResult:
    """Pair gold and predicted facts one-to-one (maximum matching) under ``compatible``."""
    edges = [[j for j, p in enumerate(pred) if compatible(g, p)] for g in gold]
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    matched_gold = set(owner.values())
    tp = len(owner)
    missed = tuple(g for i, g in enumerate(gold) if i not in matched_gold)
    spurious = tuple(p for j, p in enumerate(pred) if j not in owner)
    return TypeResult(Score(tp, len(pred) - tp, len(gold) - tp), missed, spurious)


# ---------------------------------------------------------------- per fact type


def _facts(doc: Mapping[str, Any], key: str) -> list[Fact]:
    return list(doc.get(key) or [])


def score_document_fields(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> TypeResult:
    """The five document fields, each compared exactly; null means 'not stated'."""
    tp = fp = fn = 0
    missed: list[tuple[str, Any]] = []
    spurious: list[tuple[str, Any]] = []
    for name in DOCUMENT_FIELDS:
        g, p = gold.get(name), pred.get(name)
        if g is not None and g == p:
            tp += 1
            continue
        if g is not None:
            fn += 1
            missed.append((name, g))
        if p is not None:
            fp += 1
            spurious.append((name, p))
    return TypeResult(Score(tp, fp, fn), tuple(missed), tuple(spurious))


def _recommendation_ok(g: Fact, p: Fact) -> bool:
    return (
        set(g.get("targets") or ()) == set(p.get("targets") or ())
        and g.get("issuer") == p.get("issuer")
        and similar_text(g.get("text"), p.get("text"))
    )


def _proposal_ok(g: Fact, p: Fact) -> bool:
    return (
        g.get("body") == p.get("body")
        and (g.get("kind") or "proposal") == (p.get("kind") or "proposal")
        and similar_text(g.get("text"), p.get("text"))
    )


def _reference_ok(g: Fact, p: Fact) -> bool:
    if g.get("kind") != p.get("kind"):
        return False
    for extra in ("date", "body"):
        if g.get(extra) is not None and g.get(extra) != p.get(extra):
            return False
    if g.get("kind") == "decision":
        return similar_text(g.get("target"), p.get("target")) or similar_text(
            g.get("text"), p.get("text")
        )
    return normalize_target(g.get("target")) == normalize_target(p.get("target"))


_KEYS: dict[str, Callable[[Fact], Hashable]] = {
    "case_numbers": lambda f: (f.get("normalized"), f.get("text"), bool(f.get("is_own"))),
    "bodies": lambda f: (f.get("name"), f.get("text")),
    "persons": lambda f: (f.get("name"), f.get("role"), f.get("party")),
    "organisations": lambda f: (f.get("name"), f.get("kind")),
    "planned_treatments": lambda f: (f.get("body"), f.get("date")),
    "recipients": lambda f: f.get("name"),
}
_COMPATIBLE: dict[str, Callable[[Fact, Fact], bool]] = {
    "recommendations": _recommendation_ok,
    "decision_proposals": _proposal_ok,
    "references": _reference_ok,
}


def score_fact_type(fact_type: str, gold: Mapping[str, Any], pred: Mapping[str, Any]) -> TypeResult:
    """Score one fact type of one document; unknown types fail with the valid choices."""
    if fact_type == "document":
        return score_document_fields(gold.get("document") or {}, pred.get("document") or {})
    if fact_type in _KEYS:
        key = _KEYS[fact_type]
        return multiset_match(
            (key(f) for f in _facts(gold, fact_type)), (key(f) for f in _facts(pred, fact_type))
        )
    if fact_type in _COMPATIBLE:
        return bipartite_match(
            _facts(gold, fact_type), _facts(pred, fact_type), _COMPATIBLE[fact_type]
        )
    raise ValueError(f"unknown fact type {fact_type!r}; valid: {', '.join(FACT_TYPES)}")


def score_document(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, TypeResult]:
    """Every fact type of one document, in ``FACT_TYPES`` order."""
    return {t: score_fact_type(t, gold, pred) for t in FACT_TYPES}


def micro(results: Iterable[Mapping[str, TypeResult]]) -> dict[str, TypeResult]:
    """Micro-average: add tp/fp/fn (and the unmatched lists) over documents."""
    total = {t: TypeResult(Score()) for t in FACT_TYPES}
    for result in results:
        for t, r in result.items():
            total[t] = total[t] + r
    return total


# ---------------------------------------------------------------- span integrity


def span_integrity(pred: Mapping[str, Any]) -> SpanCheck:
    """Check ``text[start:end] == fact["text"]`` for every predicted fact that has all three.

    ``pred`` must come from ``to_json(include_text=True)``; the document title is
    checked against ``title_start``/``title_end`` too.
    """
    if "text" not in pred or not isinstance(pred["text"], str):
        raise ValueError("span_integrity needs Extraction.to_json(include_text=True)")
    text = pred["text"]
    checked = ok = 0
    failures: list[str] = []

    def check(where: str, value: Any, start: Any, end: Any) -> None:
        nonlocal checked, ok
        checked += 1
        if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
            if text[start:end] == value:
                ok += 1
                return
            got = text[start:end]
        else:
            got = "<offsets out of range>"
        failures.append(f"{where}: text={value!r} but text[{start}:{end}]={got!r}")

    for key, facts in pred.items():
        if not isinstance(facts, list):
            continue
        for i, fact in enumerate(facts):
            if isinstance(fact, Mapping) and {"text", "start", "end"} <= fact.keys():
                check(f"{key}[{i}]", fact["text"], fact["start"], fact["end"])
    doc = pred.get("document") or {}
    if doc.get("title") is not None and doc.get("title_start") is not None:
        check("document.title", doc["title"], doc["title_start"], doc.get("title_end"))
    return SpanCheck(checked, ok, tuple(failures))


# ---------------------------------------------------------------- report


def format_table(results: Mapping[str, TypeResult], *, title: str = "") -> str:
    """``fact type | P | R | F1 | tp fp fn``, one row per type and a micro total row."""
    head = f"{'fact type':<20}|{'P':>7} |{'R':>7} |{'F1':>7} |{'tp':>5}{'fp':>5}{'fn':>5}"
    rule = "-" * len(head)
    lines = [title] if title else []
    lines += [head, rule]
    total = Score()
    for t in FACT_TYPES:
        if t not in results:
            continue
        s = results[t].score
        total = total + s
        lines.append(_row(t, s))
    lines += [rule, _row("all facts", total)]
    extra = [k for k in results if k not in FACT_TYPES]
    if extra:
        lines += [rule] + [_row(k, results[k].score) for k in extra]
    return "\n".join(lines)


def _row(name: str, s: Score) -> str:
    return (
        f"{name:<20}|{s.precision:>7.3f} |{s.recall:>7.3f} |{s.f1:>7.3f} |"
        f"{s.tp:>5}{s.fp:>5}{s.fn:>5}"
    )


def format_differences(results: Mapping[str, TypeResult], *, limit: int = 8) -> str:
    """The first missed/spurious facts per type, to show what a failing threshold is about."""
    out: list[str] = []
    for t, r in results.items():
        if not r.missed and not r.spurious:
            continue
        out.append(f"[{t}]")
        for label, items in (("missed", r.missed), ("spurious", r.spurious)):
            for item in items[:limit]:
                out.append(f"  {label}: {_short(item)}")
            if len(items) > limit:
                out.append(f"  {label}: … {len(items) - limit} more")
    return "\n".join(out)


def _short(item: Any, width: int = 160) -> str:
    if isinstance(item, Mapping):
        keep = {k: v for k, v in item.items() if k not in {"start", "end"} and v not in (None, "")}
        item = keep
    s = repr(item)
    return s if len(s) <= width else s[: width - 1] + "…"
