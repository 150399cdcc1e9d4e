"""Small web helpers: content negotiation, CSV cells, the address serve prints."""

from __future__ import annotations

import pytest

from beslutsgraf.cli import _serving_address
from beslutsgraf.web.deps import negotiate
from beslutsgraf.web.routes_api import _cell

OFFERED = ["application/json", "text/html"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("*/*;q=abc", "application/json"),  # a malformed weight is ignored
        ("text/html;q=0.9, application/json;q=0.5", "text/html"),
        ("text/html;q=0", None),  # html refused and nothing else asked for
        ("image/png", None),
        ("text/*;q=2", "text/html"),  # weights are clamped to 1
    ],
)
def test_negotiate(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, OFFERED) == chosen


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=cmd|calc", "'=cmd|calc"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("Kommunstyrelsen", "Kommunstyrelsen"), (3, 3), ("", "")],
)
def test_csv_cells_a_spreadsheet_would_run_are_quoted(value: object, cell: object) -> None:
    assert _cell(value) == cell


def test_serving_address() -> None:
    assert _serving_address("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert _serving_address("0.0.0.0", 80).startswith("http://0.0.0.0:80/ (every interface")
    assert _serving_address("::1", 8000) == "http://[::1]:8000/"
