"""Styled runs as Markdown marks that normalisation removes, every one of them."""

from __future__ import annotations

import pytest

from beslutsgraf.text.markup import Run, mark_line, split_lines
from beslutsgraf.text.normalize import normalize_text


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        ([Run("Förslag", bold=True), Run(" "), Run("till beslut", bold=True)], "**Förslag till beslut**"),
        ([Run("  Sammanfattning ", bold=True)], "**Sammanfattning**"),
        ([Run("Kommunstyrelsen beslutar " * 5, bold=True)], ("Kommunstyrelsen beslutar " * 5).strip()),
        ([Run("I rapporten "), Run("Budget 2024", italic=True), Run(" står")], "I rapporten *Budget 2024* står"),
        ([Run("för"), Run("valt", italic=True), Run("ningen")], "förvaltningen"),  # '*' inside a word stays
        ([Run("se "), Run("a*b", bold=True), Run(" här")], "se a*b här"),
        ([Run("fet", bold=True), Run("kursiv", italic=True), Run(" slut")], "**fet**kursiv slut"),
        ([Run("   ")], ""),
    ],
)
def test_mark_line(runs: list[Run], expected: str) -> None:
    assert mark_line(runs) == expected


@pytest.mark.parametrize(
    "runs",
    [
        [Run("I rapporten "), Run("Budget 2024", italic=True), Run(", och "), Run("Plan", bold=True), Run(".")],
        [Run("för"), Run("valt", italic=True), Run("ning "), Run("x", bold=True), Run("y", italic=True)],
    ],
)
def test_normalisation_removes_every_mark(runs: list[Run]) -> None:
    assert normalize_text(mark_line(runs)).text == "".join(r.text for r in runs).strip()


def test_split_lines_keeps_styles() -> None:
    assert split_lines([Run("a\nb", bold=True), Run("c")]) == [[Run("a", bold=True)], [Run("b", bold=True), Run("c")]]
