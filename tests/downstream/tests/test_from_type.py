"""st.from_type works on tthc's types without importing tthc's strategies (the entry point)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_core.complaint import TABLES, Case
from tthc_core.delivery import Shipment
from tthc_core.dossier import Dossier
from tthc_core.events import DomainEvent
from tthc_core.serialization import converter


@settings(max_examples=25)
@given(st.from_type(Dossier))
def test_a_dossier_round_trips_through_json(dossier: Dossier) -> None:
    blob = json.loads(json.dumps(converter.unstructure(dossier)))
    assert converter.structure(blob, Dossier) == dossier


@settings(max_examples=25)
@given(st.from_type(Case), st.from_type(Shipment))
def test_cases_and_shipments_are_in_real_states(case: Case, shipment: Shipment) -> None:
    assert case.state in TABLES[case.kind].states
    assert (shipment.item_code is None) is (shipment.handed_over_at is None)


@settings(max_examples=25)
@given(st.from_type(DomainEvent))
def test_any_domain_event_round_trips(event: DomainEvent) -> None:
    blob = json.loads(json.dumps(converter.unstructure(event, DomainEvent)))
    assert converter.structure(blob, DomainEvent) == event
