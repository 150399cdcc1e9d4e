"""The quick tier stays quick: importing its test modules (and the conftests above them)
loads no embedding stack and no server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import HEAVY

QUICK = Path(__file__).resolve().parent
TESTS = QUICK.parent

SCRIPT = """
import importlib.util, sys
from pathlib import Path
sys.path[:0] = [{tests!r}, {quick!r}]
for path in [Path({tests!r}) / "conftest.py", *sorted(Path({quick!r}).glob("*.py"))]:
    spec = importlib.util.spec_from_file_location("m_" + path.stem, path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
print(" ".join(name for name in {heavy!r} if name in sys.modules))
"""


def test_quick_modules_import_no_model_and_no_server() -> None:
    script = SCRIPT.format(tests=str(TESTS), quick=str(QUICK), heavy=HEAVY)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == []
