"""JSON round trips of dossiers, their events, commands and status views."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given

from tthc_core.dossier import Command, Dossier, StatusView
from tthc_core.events import DomainEvent
from tthc_core.serialization import converter
from tthc_core.testing.strategies import DossierHistory, dossier_commands, dossier_histories


def _round_trip(value: object, as_type: Any) -> object:
    text = json.dumps(converter.unstructure(value, as_type), ensure_ascii=False)
    return converter.structure(json.loads(text), as_type)


@given(dossier_histories())
def test_dossier_and_all_its_events_round_trip_through_json(history: DossierHistory) -> None:
    assert _round_trip(history.dossier, Dossier) == history.dossier
    for event in history.events:
        assert _round_trip(event, DomainEvent) == event
    view = history.dossier.public_status(history.dossier.last_event_at)
    assert _round_trip(view, StatusView) == view


@given(dossier_histories())
def test_events_are_tagged_by_class_name(history: DossierHistory) -> None:
    for event in history.events:
        assert converter.unstructure(event, DomainEvent)["type"] == type(event).__name__


@given(dossier_commands())
def test_commands_round_trip_by_their_class(command: Command) -> None:
    assert _round_trip(command, type(command)) == command
