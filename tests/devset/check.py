"""Check the form of dev-set annotations: python tests/devset/check.py [FILE.json ...]

Imports only the normaliser, never the extractor: annotators run it blind.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from beslutsgraf.text.normalize import normalize_text

HERE = Path(__file__).resolve().parent
DOC_TYPES = {
    "Protokoll", "Protokollsutdrag", "Kallelse", "Föredragningslista", "Tjänsteskrivelse",
    "Tjänsteutlåtande", "Missiv", "Revisionsrapport", "Revisionsskrivelse", "Motion",
    "Medborgarförslag", "Nämndinitiativ", "Yttrande", "Remissvar", "Beslut", "Skrivelse",
    "Interpellation", "Anmälningslista",
}
KINDS = {"fullmäktige", "styrelse", "nämnd", "utskott", "revision", "förvaltning", "forum"}
PROPOSAL_KINDS = {"proposal", "decision", "motion"}
KEYS = {"source", "variant", "document", "case_numbers", "bodies", "persons", "recommendations",
        "decision_proposals"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check(path: Path) -> list[str]:
    """Problems of one annotation file, each naming the file and the place."""
    errors: list[str] = []
    err = errors.append
    gold = json.loads(path.read_text(encoding="utf-8"))
    txt = path.with_suffix(".txt")
    if not txt.exists():
        return [f"{path.name}: no {txt.name}"]
    text = normalize_text(txt.read_text(encoding="utf-8")).text
    if set(gold) != KEYS:
        err(f"{path.name}: keys {sorted(set(gold) ^ KEYS)} missing or unknown")
    if gold.get("source") != txt.name:
        err(f"{path.name}: source must be {txt.name!r}")
    if gold.get("variant") not in {"lines", "flat", "ocr"}:
        err(f"{path.name}: variant must be lines, flat or ocr")
    doc = gold.get("document") or {}
    if set(doc) != {"title", "doc_type", "date", "municipality", "case_number"}:
        err(f"{path.name}: document needs exactly title, doc_type, date, municipality, case_number")
    if doc.get("doc_type") not in DOC_TYPES:
        err(f"{path.name}: doc_type {doc.get('doc_type')!r} not in the list of ANNOTATION.md")
    if doc.get("date") is not None and not ISO.match(doc["date"]):
        err(f"{path.name}: date {doc['date']!r} is not YYYY-MM-DD")
    for key in ("case_numbers", "bodies"):
        pos = 0
        for i, fact in enumerate(gold.get(key) or []):
            at = text.find(fact.get("text") or "\0", pos)
            if at < 0:
                where = "not in the normalised text" if (fact.get("text") or "\0") not in text else "out of text order"
                err(f"{path.name}: {key}[{i}] text {fact.get('text')!r} {where}")
            else:
                pos = at + 1
    owns = [c["normalized"] for c in gold.get("case_numbers") or [] if c.get("is_own")]
    if doc.get("case_number") is not None and doc["case_number"] not in owns:
        err(f"{path.name}: document.case_number {doc['case_number']!r} is not an is_own case number")
    if owns and doc.get("case_number") is None:
        err(f"{path.name}: is_own case numbers but document.case_number is null")
    for i, b in enumerate(gold.get("bodies") or []):
        if b.get("kind") not in KINDS:
            err(f"{path.name}: bodies[{i}] kind {b.get('kind')!r}")
    for i, p in enumerate(gold.get("persons") or []):
        if not p.get("name") or set(p) - {"name", "role", "party"}:
            err(f"{path.name}: persons[{i}] needs name, role, party only")
    for key in ("recommendations", "decision_proposals"):
        for i, f in enumerate(gold.get(key) or []):
            if (f.get("text") or "\0") not in text:
                err(f"{path.name}: {key}[{i}] text not in the normalised text")
    for i, f in enumerate(gold.get("decision_proposals") or []):
        if f.get("kind") not in PROPOSAL_KINDS:
            err(f"{path.name}: decision_proposals[{i}] kind {f.get('kind')!r}")
    return errors


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(HERE.glob("*/*.json"))
    problems = [e for p in paths for e in check(p)]
    print("\n".join(problems) or f"{len(paths)} annotations, no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
