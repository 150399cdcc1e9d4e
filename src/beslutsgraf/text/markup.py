"""Styled runs of text as the light Markdown that ``normalize`` reads.

The DOCX and HTML readers see bold and italic text.  Normalisation takes a line
that is ``**bold**`` from end to end as a heading hint and keeps ``**x**`` and
``*x*`` as emphasis spans (titles of reports, names), removing the marks.  So a
reader hands its runs of one line to ``mark_line``, which places the marks where
normalisation will remove every one of them: around the text of a run, never
around white space, never next to another ``*``, and ``*`` never touching a
letter (normalisation leaves such a mark in the text).  A line that is bold from
end to end is marked as a whole only when it is short enough to be a heading;
a long bold paragraph is left unmarked, since marking it would make it one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

BOLD_HEADING_MAX = 100  # a line bold from end to end and shorter than this is a heading


@dataclass(frozen=True)
class Run:
    """A piece of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False


def split_lines(runs: Iterable[Run]) -> list[list[Run]]:
    """The runs cut at line breaks (``\\n`` inside a run's text): one list per line."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        parts = run.text.split("\n")
        for n, part in enumerate(parts):
            if n:
                lines.append([])
            if part:
                lines[-1].append(replace(run, text=part))
    return lines


def plain_line(runs: Sequence[Run]) -> str:
    """The text of one line of runs, stripped, without marks."""
    return "".join(r.text for r in runs).strip()


def mark_line(runs: Sequence[Run]) -> str:
    """One line of runs as stripped text with emphasis marks (see the module docstring)."""
    runs = _merged(runs)
    text = plain_line(runs)
    if not text:
        return ""
    inked = [r for r in runs if r.text.strip()]
    if all(r.bold for r in inked):
        whole = len(text) < BOLD_HEADING_MAX and _markable(text)
        return f"**{text}**" if whole else text
    out = ""
    for n, run in enumerate(runs):
        mark = "**" if run.bold else "*" if run.italic else ""
        core = run.text.strip()
        if mark and core and _markable(core):
            lead = run.text[: len(run.text) - len(run.text.lstrip())]
            trail = run.text[len(run.text.rstrip()) :]
            before = (out + lead)[-1:]
            after = trail[:1] or (runs[n + 1].text[:1] if n + 1 < len(runs) else "")
            if _free(before, mark) and _free(after, mark):
                out += f"{lead}{mark}{core}{mark}{trail}"
                continue
        out += run.text
    return out.strip()


def _markable(text: str) -> bool:
    return "*" not in text and "__" not in text


def _free(neighbour: str, mark: str) -> bool:
    """Whether a mark may stand next to this character and still be read as a mark."""
    if neighbour in ("*", "_"):
        return False
    return mark == "**" or not (neighbour.isalnum() or neighbour == "_")


def _merged(runs: Sequence[Run]) -> list[Run]:
    """Adjacent runs of one style joined; white space between two runs of one style
    takes their style, so ``**Förslag till beslut**`` is one span, not two."""
    runs = [r for r in runs if r.text]
    styled: list[Run] = []
    for n, run in enumerate(runs):
        if not run.text.strip() and 0 < n < len(runs) - 1:
            prev, nxt = runs[n - 1], runs[n + 1]
            if (prev.bold, prev.italic) == (nxt.bold, nxt.italic):
                run = replace(run, bold=prev.bold, italic=prev.italic)
        styled.append(run)
    out: list[Run] = []
    for run in styled:
        if out and (out[-1].bold, out[-1].italic) == (run.bold, run.italic):
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return out
