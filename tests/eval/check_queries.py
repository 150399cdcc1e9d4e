"""Validate tests/eval/queries.jsonl against the corpus.

Run:  python tests/eval/check_queries.py [path/to/queries.jsonl]

Uses only the standard library and ``beslutsgraf.text.normalize`` (plus
``beslutsgraf.text.sources.read_source`` for decoding, the same reader the index
uses).  Exits 1 and lists every problem when any check fails:

- each line is a JSON object with ``id``, ``query``, ``type``, ``relevant``
  (non-empty) and ``note``; ids are unique; ``type`` is one of the six types;
- each judgment has ``source`` (a file in corpus/), ``fragment`` and ``grade``
  (1 or 2); no (source, fragment) pair repeats within a query;
- the fragment is an exact substring of the *normalised* text of its source;
- the fragment has no line break at all (so it never spans a paragraph break
  ``\\n\\n``, and never two list items, which a passage split may separate);
- the fragment is 20–120 characters long; the one exception is a bare case
  number in a ``case_number`` query that stands alone on its line (the number
  has nothing around it to lengthen the fragment with);
- inside a paragraph longer than 700 characters (which the chunker must split
  at sentence boundaries) the fragment does not cross a sentence boundary.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from beslutsgraf.text.normalize import normalize_text
from beslutsgraf.text.sources import read_source

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DEFAULT = Path(__file__).resolve().parent / "queries.jsonl"
TYPES = {"keyword", "question", "paraphrase", "case_number", "body_topic", "phrase"}
MAX_PASSAGE = 700
# ". " / "? " / "! " followed by an upper-case letter or a digit: a sentence boundary.
_SENTENCE_BREAK = re.compile(r"[.!?:]\s+(?=[A-ZÅÄÖ0-9”\"])")
_CASE_NUMBER = re.compile(r"^[A-ZÅÄÖ]{2,6}-\d{4}-\d+$")


def _paragraph_around(text: str, start: int, end: int) -> str:
    p0 = text.rfind("\n\n", 0, start)
    p1 = text.find("\n\n", end)
    return text[(0 if p0 < 0 else p0 + 2) : (len(text) if p1 < 0 else p1)]


def check(path: Path) -> list[str]:
    texts: dict[str, str] = {}
    errors: list[str] = []
    seen_ids: set[str] = set()
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        where = f"line {lineno}"
        try:
            q = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON ({exc})")
            continue
        missing = {"id", "query", "type", "relevant", "note"} - set(q)
        if missing:
            errors.append(f"{where}: missing keys {sorted(missing)}")
            continue
        qid = q["id"]
        where = f"{qid} (line {lineno})"
        if qid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(qid)
        if q["type"] not in TYPES:
            errors.append(f"{where}: unknown type {q['type']!r}")
        if not q["query"].strip():
            errors.append(f"{where}: empty query")
        if not q["relevant"]:
            errors.append(f"{where}: no relevant passages")
        pairs: set[tuple[str, str]] = set()
        for j in q["relevant"]:
            src, frag, grade = j.get("source"), j.get("fragment", ""), j.get("grade")
            tag = f"{where} [{src}] {frag[:50]!r}"
            if grade not in (1, 2):
                errors.append(f"{tag}: grade must be 1 or 2, not {grade!r}")
            if (src, frag) in pairs:
                errors.append(f"{tag}: repeated judgment")
            pairs.add((src, frag))
            if not src or not (CORPUS / src).is_file():
                errors.append(f"{tag}: no such corpus file")
                continue
            if src not in texts:
                texts[src] = normalize_text(read_source(CORPUS / src).text).text
            text = texts[src]
            if "\n" in frag:
                kind = "spans a paragraph break" if "\n\n" in frag else "spans a line break"
                errors.append(f"{tag}: {kind}")
                continue
            short_ok = q["type"] == "case_number" and _CASE_NUMBER.match(frag)
            if not (20 <= len(frag) <= 120) and not (short_ok and len(frag) < 20):
                errors.append(f"{tag}: length {len(frag)} outside 20–120")
            start = text.find(frag)
            if start < 0:
                errors.append(f"{tag}: not found in normalised text")
                continue
            if short_ok and len(frag) < 20:
                line0 = text.rfind("\n", 0, start) + 1
                line1 = text.find("\n", start)
                if text[line0 : len(text) if line1 < 0 else line1].strip() != frag:
                    errors.append(f"{tag}: short case-number fragment must be a whole line")
            while start >= 0:  # every occurrence must lie safely inside one passage
                para = _paragraph_around(text, start, start + len(frag))
                if len(para) > MAX_PASSAGE and _SENTENCE_BREAK.search(frag):
                    errors.append(f"{tag}: crosses a sentence boundary in a long paragraph")
                    break
                start = text.find(frag, start + 1)
    if not seen_ids:
        errors.append("no queries")
    return errors


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    errors = check(path)
    n = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    if errors:
        print(f"{path}: {len(errors)} problem(s) in {n} queries", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print(f"{path}: {n} queries OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
