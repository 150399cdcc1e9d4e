"""The quick tier: no embedding model, no build, no server.

When a run holds only quick tests, it fails if any of them loaded the embedding stack
(sentence-transformers, transformers, faiss) or a server (uvicorn, selenium).  torch itself
is allowed: spaCy's thinc imports it whenever it is installed, and the rule components
run on ``spacy.blank("sv")``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support import HEAVY

QUICK = Path(__file__).resolve().parent


def heavy_modules() -> list[str]:
    """The heavy modules (see ``HEAVY``) loaded in this process."""
    return [name for name in HEAVY if name in sys.modules]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    items = getattr(session, "items", [])
    if not items or any(QUICK not in item.path.parents for item in items):
        return  # other tiers load the model on purpose
    if loaded := heavy_modules():
        writer = session.config.get_terminal_writer()
        writer.line()
        writer.line(
            f"quick tier loaded {', '.join(loaded)}: move the test that needs it out of tests/quick/",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
