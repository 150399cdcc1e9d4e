"""Search modes and SPARQL formats are named once (services/choices.py); every
interface offers exactly those."""

from __future__ import annotations

import typing

from beslutsgraf import cli
from beslutsgraf.services import choices
from beslutsgraf.web import present, routes_api


def test_formats_partition() -> None:
    assert set(choices.FORMATS) == {"table", *choices.RESULT_FORMATS, *choices.GRAPH_FORMATS}
    assert set(choices.MEDIA_TYPES) == set(choices.FORMATS)


def test_cli_offers_the_service_choices() -> None:
    assert tuple(m.value for m in cli.Mode) == choices.MODES
    assert tuple(f.value for f in cli.Format) == choices.FORMATS


def test_web_offers_the_service_modes() -> None:
    assert tuple(present.MODE_LABELS) == choices.MODES
    hints = typing.get_type_hints(routes_api.SearchParams.__init__)
    assert typing.get_args(hints["mode"]) == choices.MODES
