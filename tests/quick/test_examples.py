"""Golden examples: documents from municipalities the extractor has never seen.

Each ``tests/examples/<stem>.txt`` is a short, realistic document (text as it
comes out of PDF/Word) in one municipality's conventions; ``<stem>.expected.json``
lists the facts a correct extractor MUST find, in the forms of docs/extraction.md.

How an expected file is read:

- ``document``: every key given must equal the extracted ``document`` value
  (an explicit ``null`` included).
- fact lists (``case_numbers``, ``bodies``, ``persons``, ``organisations``,
  ``recommendations``, ``decision_proposals``, ``planned_treatments``,
  ``recipients``, ``references``, ``items``): every expected fact must be matched
  by an extracted fact of its own (one-to-one, so a mention listed three times
  needs three extracted mentions, and one merged proposal cannot stand in for
  three ``att``-clauses); the extractor may find more.  A fact matches when every
  key given agrees: plain keys by equality, ``targets`` as a set, ``role``
  ignoring case (a title's capital depends on where it stands), and
  ``<field>_contains`` / ``<field>_startswith`` as substring / prefix of the
  field with white space collapsed (a fact may span a wrapped line).
  An explicitly empty list means the extractor must find none of that kind.
- ``must_not``: per fact list, strings that no extracted fact may have as its
  ``text``, ``normalized``, ``name`` or ``target`` (ignoring case), or objects
  matched like expected facts.
- keys starting with ``_`` are comments.

Besides, every extracted fact with ``start``/``end``/``text`` must satisfy
``text[start:end] == fact["text"]`` on the normalised text.  All mismatches of a
document are reported in one assertion message.

``test_expected_facts_occur_in_source`` checks the expected files themselves
against the normalised text, so a typo in an example fails without the extractor.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from beslutsgraf.model import FACT_LISTS as ALL_FACT_LISTS

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))

FACT_LISTS = tuple(name for name in ALL_FACT_LISTS if name != "sections")  # sections: not asserted
TOP_KEYS = {"document", "must_not", *FACT_LISTS}
IDENTITY_FIELDS = ("text", "normalized", "name", "target")
_WS = re.compile(r"\s+")


def _expected_path(path: Path) -> Path:
    return path.with_name(path.stem + ".expected.json")


def _load_expected(path: Path) -> dict[str, Any]:
    return json.loads(_expected_path(path).read_text(encoding="utf-8"))


def _base(key: str) -> str:
    for suffix in ("_contains", "_startswith"):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def _collapse(value: Any) -> str:
    return _WS.sub(" ", str(value)).strip()


def _field_matches(key: str, want: Any, fact: dict[str, Any]) -> bool:
    if key.endswith("_contains"):
        got = fact.get(key[: -len("_contains")])
        return got is not None and _collapse(want) in _collapse(got)
    if key.endswith("_startswith"):
        got = fact.get(key[: -len("_startswith")])
        return got is not None and _collapse(got).startswith(_collapse(want))
    if key not in fact:
        return False
    got = fact[key]
    if key == "targets":
        return sorted(got or []) == sorted(want)
    if key == "role" and isinstance(want, str) and isinstance(got, str):
        return want.casefold() == got.casefold()
    return got == want


def _matches(expected: dict[str, Any], fact: dict[str, Any]) -> bool:
    return all(_field_matches(k, v, fact) for k, v in expected.items() if not k.startswith("_"))


def _assign(expected: list[dict], found: list[dict]) -> list[int]:
    """One-to-one matching (augmenting paths); the indices of unmatched expected facts."""
    candidates = [[j for j, f in enumerate(found) if _matches(e, f)] for e in expected]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    # most constrained first, so a loose fact does not take a specific one's match
    order = sorted(range(len(expected)), key=lambda i: len(candidates[i]))
    return sorted(i for i in order if not augment(i, set()))


def _short(fact: dict[str, Any], keys: list[str] | None = None) -> str:
    """An extracted fact, restricted to ``keys`` (field names or expected keys)."""
    fields = dict.fromkeys(
        _base(k) for k in (keys or fact) if not k.startswith("_") and k not in ("start", "end")
    )
    parts = []
    for k in fields:
        if k in fact:
            v = fact[k]
            if isinstance(v, str) and len(v) > 90:
                v = v[:87] + "..."
            parts.append(f"{k}={v!r}")
    return "{" + ", ".join(parts) + "}"


def _show(expected: dict[str, Any]) -> str:
    """An expected fact as written in the expected file."""
    return "{" + ", ".join(f"{k}={v!r}" for k, v in expected.items() if not k.startswith("_")) + "}"


def _hint(expected: dict[str, Any], found: list[dict]) -> str:
    """Extracted facts that share a value with an unmatched expected fact."""
    wanted = {
        _collapse(v).casefold()
        for k, v in expected.items()
        if isinstance(v, str) and not k.startswith("_")
    }
    near = []
    for f in found:
        values = {_collapse(v).casefold() for v in f.values() if isinstance(v, str)}
        if wanted & values or any(w in v for w in wanted for v in values if len(w) > 12):
            near.append(_short(f, list(expected)))
    if not near:
        return "no similar fact extracted"
    more = f" (+{len(near) - 3} more)" if len(near) > 3 else ""
    return "similar: " + "; ".join(near[:3]) + more


def _must_not_hits(rule: Any, found: list[dict]) -> list[dict]:
    if isinstance(rule, dict):
        return [f for f in found if _matches(rule, f)]
    needle = str(rule).casefold()
    return [
        f
        for f in found
        if any(isinstance(f.get(k), str) and f[k].casefold() == needle for k in IDENTITY_FIELDS)
    ]


def compare(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """All differences between an expected file and one ``Extraction.to_json()``."""
    problems: list[str] = []
    text = got.get("text", "")

    doc = got.get("document") or {}
    for key, want in (expected.get("document") or {}).items():
        if key.startswith("_"):
            continue
        have = doc.get(key, "<missing>")
        if have != want:
            problems.append(f"document.{key}: expected {want!r}, got {have!r}")

    for name in FACT_LISTS:
        if name not in expected:
            continue
        found = got.get(name)
        if found is None:
            problems.append(f"{name}: missing from the extraction output")
            continue
        want = expected[name]
        if not want:
            for f in found:
                problems.append(f"{name}: expected none, got {_short(f)}")
            continue
        for i in _assign(want, found):
            problems.append(f"{name}: missing {_show(want[i])} -- {_hint(want[i], found)}")

    for name, rules in (expected.get("must_not") or {}).items():
        for rule in rules:
            for f in _must_not_hits(rule, got.get(name) or []):
                problems.append(f"{name}: must not contain {rule!r}, got {_short(f)}")

    for name, facts in got.items():
        if not isinstance(facts, list):
            continue
        for f in facts:
            if (
                not isinstance(f, dict)
                or not {"start", "end", "text"} <= f.keys()
                or f["start"] is None
            ):
                continue
            span = text[f["start"] : f["end"]]
            if span != f["text"]:
                problems.append(
                    f"{name}: span [{f['start']}:{f['end']}] is {span!r}, but the fact's text is {f['text']!r}"
                )
    return problems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example(path: Path) -> None:
    from beslutsgraf.extract.pipeline import extract_file

    expected = _load_expected(path)
    got = extract_file(path).to_json(include_text=True)
    problems = compare(expected, got)
    if problems:
        pytest.fail(
            f"{path.name}: {len(problems)} mismatch(es)\n  " + "\n  ".join(problems), pytrace=False
        )


# --- the examples themselves -------------------------------------------------


def test_examples_are_paired() -> None:
    stems = {p.stem for p in EXAMPLES}
    expected = {p.name[: -len(".expected.json")] for p in EXAMPLES_DIR.glob("*.expected.json")}
    assert len(stems) >= 8
    assert stems == expected, (
        f"without expectations: {stems - expected}; without document: {expected - stems}"
    )


def _model_fields() -> dict[str, set[str]]:
    from dataclasses import fields

    from beslutsgraf import model

    classes = {
        "document": model.DocumentMeta,
        "case_numbers": model.CaseNumber,
        "bodies": model.BodyMention,
        "persons": model.Person,
        "organisations": model.Organisation,
        "recommendations": model.Recommendation,
        "decision_proposals": model.DecisionProposal,
        "planned_treatments": model.PlannedTreatment,
        "recipients": model.Recipient,
        "references": model.Reference,
        "items": model.Item,
    }
    return {name: {f.name for f in fields(cls)} for name, cls in classes.items()}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_expected_files_use_model_fields(path: Path) -> None:
    """Every key of an expected file is a field of the fact model (catches typos)."""
    allowed = _model_fields()
    expected = _load_expected(path)
    bad = [k for k in expected if not k.startswith("_") and k not in TOP_KEYS]
    for key in expected.get("document", {}):
        if _base(key) not in allowed["document"]:
            bad.append(f"document.{key}")
    for name in FACT_LISTS:
        for fact in expected.get(name, []):
            bad += [
                f"{name}.{k}"
                for k in fact
                if not k.startswith("_") and _base(k) not in allowed[name]
            ]
    for name, rules in expected.get("must_not", {}).items():
        if name not in FACT_LISTS:
            bad.append(f"must_not.{name}")
        for rule in rules:
            if isinstance(rule, dict):
                bad += [f"must_not.{name}.{k}" for k in rule if _base(k) not in allowed[name]]
    assert not bad, f"{path.name}: unknown keys {bad}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_expected_facts_occur_in_source(path: Path) -> None:
    """Expected texts, titles and fragments are really in the normalised document."""
    from beslutsgraf.text.normalize import normalize_text

    text = normalize_text(path.read_text(encoding="utf-8")).text
    flat = _collapse(text)
    expected = _load_expected(path)
    missing: list[str] = []

    # each listed mention needs its own occurrence (as a whole word) in the text
    for name in ("case_numbers", "bodies"):
        counts = Counter(f["text"] for f in expected.get(name, []) if "text" in f)
        for surface, n in counts.items():
            occurrences = len(re.findall(rf"(?<![\w-]){re.escape(surface)}(?![\w])", text))
            if occurrences < n:
                missing.append(f"{name}: {surface!r} listed {n} times, found {occurrences} times")

    for name in FACT_LISTS:
        for fact in expected.get(name, []):
            for key, value in fact.items():
                if key.endswith(("_contains", "_startswith")) and _collapse(value) not in flat:
                    missing.append(f"{name}.{key}: {value!r}")
    for item in expected.get("items", []):
        if _collapse(item["title"]) not in flat:
            missing.append(f"items.title: {item['title']!r}")
    for ref in expected.get("references", []):
        if ref.get("kind") == "document" and _collapse(ref["target"]) not in flat:
            missing.append(f"references.target: {ref['target']!r}")
    title = expected.get("document", {}).get("title")
    if title and _collapse(title) not in flat:
        missing.append(f"document.title: {title!r}")
    own = [c["normalized"] for c in expected.get("case_numbers", []) if c.get("is_own")]
    doc_number = expected.get("document", {}).get("case_number", "<absent>")
    if doc_number != "<absent>" and own != ([doc_number] if doc_number else []):
        missing.append(f"document.case_number {doc_number!r} disagrees with is_own numbers {own}")
    if missing:
        pytest.fail(
            f"{path.name}: expected facts not in the source:\n  " + "\n  ".join(missing),
            pytrace=False,
        )


def test_compare_reports_every_mismatch() -> None:
    """The comparison itself: one-to-one matching, must_not, spans, empty lists."""
    got = {
        "text": "Kommunstyrelsen och kommunstyrelsen",
        "document": {"title": "T", "case_number": None},
        "bodies": [
            {"name": "Kommunstyrelsen", "text": "Kommunstyrelsen", "start": 0, "end": 15},
            {"name": "Kommunstyrelsen", "text": "kommunstyrelsen", "start": 19, "end": 30},
        ],
        "case_numbers": [{"text": "2021-03-02", "normalized": "2021-03-02", "start": 0, "end": 10}],
        "planned_treatments": [{"body": "Kommunstyrelsen", "date": None}],
    }
    expected = {
        "document": {"title": "T", "case_number": None},
        "bodies": [
            {"name": "Kommunstyrelsen", "text": "kommunstyrelsen"},
            {"name": "Kommunstyrelsen", "text": "kommunstyrelsen"},
            {"name": "Kommunstyrelsen"},
        ],
        "planned_treatments": [],
        "must_not": {"case_numbers": ["2021-03-02"]},
    }
    problems = compare(expected, got)
    assert len([p for p in problems if p.startswith("bodies: missing")]) == 1
    assert any(p.startswith("planned_treatments: expected none") for p in problems)
    assert any(p.startswith("case_numbers: must not contain") for p in problems)
    # the case number's span is "Kommunsty", not its text, and the second body's span is off by four
    assert len([p for p in problems if "span [" in p]) == 2
    assert compare(
        {"bodies": [{"name": "Kommunstyrelsen", "text_contains": "kommun"}]}, got
    ) == compare({}, got)
