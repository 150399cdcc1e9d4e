"""Score the extractor on tests/heldout/ (annotated without seeing the rules): python tests/heldout/score.py"""
import json
import sys
from pathlib import Path

sys.path.insert(0, "tests")
from gold_scoring import format_differences, format_table, micro, score_document

from beslutsgraf.extract.pipeline import extract_file

results = []
for gold_path in sorted(Path("tests/heldout").glob("*.json")):
    txt = gold_path.with_suffix(".txt")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    pred = extract_file(txt).to_json(include_text=True)
    r = score_document(gold, pred)
    results.append(r)
    print(format_table(r, title=txt.name)); print(format_differences(r))
print(format_table(micro(results), title=f"held-out, micro over {len(results)} documents"))
