"""What "the same facts" means for a text and its flattened form (tests/quick/test_flattened.py,
tests/formats/test_flattened_pdfs.py): every fact list but the stored text's own
sections, fact texts compared with white space normalised, and the document fields but
the title (read from the stored lines on purpose: it is shown, not asserted)."""

from __future__ import annotations

from dataclasses import asdict

from beslutsgraf.model import FACT_LISTS

# display-only fields (read from the stored lines) and the stored text's own sections
_DISPLAY = {"title", "title_start", "title_end"}
_COMPARED_LISTS = tuple(x for x in FACT_LISTS if x != "sections")


def flatten(text: str) -> str:
    """What a PDF converter makes of a text: every line break a space."""
    return text.replace("\r\n", "  ").replace("\n", " ").replace("\r", " ").replace("\f", " ")


def _facts(ex) -> dict:
    """The comparable facts of an extraction."""
    doc = {k: v for k, v in asdict(ex.document).items() if k not in _DISPLAY}
    out = {"document": doc}
    for name in _COMPARED_LISTS:
        rows = []
        for fact in getattr(ex, name):
            row = asdict(fact)
            # the fact's own text, whitespace aside (a line break is now a space)
            rows.append({k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in row.items()})
        out[name] = rows
    return out


