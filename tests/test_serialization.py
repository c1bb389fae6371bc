"""JSON round trip of the core value types through the shared cattrs converter.

``converter.structure(json.loads(json.dumps(converter.unstructure(x))), type(x)) == x``
for codes, calendar, regime, catalogue and party types; malformed input raises
:class:`InvalidInput` (alone or inside cattrs' validation group) with a reason.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_core.calendar import VN_TZ, Duration, OfficeHours, TimeUnit
from tthc_core.catalogue import (
    CopyType,
    Fee,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    StepTemplate,
)
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.regime import REGIME_2018, REGIME_2025, Form, Regime, SupplementClock
from tthc_core.serialization import converter
from tthc_core.testing.strategies import (
    agency_codes,
    applicants,
    aware_datetimes,
    concrete_events,
    dossier_codes,
    durations,
    fees,
    office_hours,
    postal_addresses,
    procedure_codes,
    procedures,
    regimes,
    required_documents,
    step_templates,
)

STRATEGIES: dict[type, st.SearchStrategy[Any]] = {
    AgencyCode: agency_codes(),
    DossierCode: dossier_codes(),
    ProcedureCode: procedure_codes(),
    Duration: durations(),
    OfficeHours: office_hours(),
    TimeUnit: st.sampled_from(TimeUnit),
    Regime: regimes(),
    Form: st.sampled_from(Form),
    SupplementClock: st.sampled_from(SupplementClock),
    RequiredDocument: required_documents(),
    Fee: fees(),
    StepTemplate: step_templates(),
    Procedure: procedures(),
    CopyType: st.sampled_from(CopyType),
    OnlineLevel: st.sampled_from(OnlineLevel),
    Applicant: applicants(),
    PostalAddress: postal_addresses(),
    ReturnChannel: st.sampled_from(ReturnChannel),
}


def through_json(value: object, cls: type) -> Any:
    text = json.dumps(converter.unstructure(value, cls), ensure_ascii=False)
    return converter.structure(json.loads(text), cls)


@pytest.mark.parametrize("cls", list(STRATEGIES), ids=lambda c: c.__name__)
@given(data=st.data())
def test_json_round_trip(cls: type, data: st.DataObject) -> None:
    value = data.draw(STRATEGIES[cls])
    assert through_json(value, cls) == value


@given(
    aware_datetimes(
        timezones=st.sampled_from([dt.UTC, VN_TZ, dt.timezone(-dt.timedelta(hours=3))]),
        whole_minutes=False,
    )
)
def test_datetimes_round_trip_as_the_same_instant_in_vietnam_time(instant: dt.datetime) -> None:
    back = through_json(instant, dt.datetime)
    assert back == instant
    assert back.utcoffset() == dt.timedelta(hours=7)


def test_regimes_come_back_as_the_same_singletons() -> None:
    assert through_json(REGIME_2018, Regime) is REGIME_2018
    assert converter.unstructure(REGIME_2025) == "2025"


def test_wire_shapes_are_readable() -> None:
    """The JSON a reader sees: codes as strings, durations with their unit, times as ISO."""
    assert converter.unstructure(Duration.working_days(5)) == {
        "amount": 5,
        "unit": "working_days",
    }
    assert converter.unstructure(OfficeHours()) == {
        "intervals": [("07:30:00", "11:30:00"), ("13:30:00", "17:00:00")]
    }
    assert converter.unstructure(ProcedureCode.parse("1.001193")) == "1.001193"


def _reasons(error: BaseException) -> list[str]:
    """The InvalidInput reasons inside a cattrs validation group, or the error itself."""
    if isinstance(error, InvalidInput):
        return [error.reason]
    if isinstance(error, BaseExceptionGroup):
        return [r for sub in error.exceptions for r in _reasons(sub)]
    return []


@pytest.mark.parametrize(
    ("payload", "cls", "reason"),
    [
        (5, DossierCode, "expected a DossierCode as a string, got 5"),
        ("000.00.15.H12-241399-0001", DossierCode, "is not a calendar date"),
        ("nope", dt.datetime, "'nope' is not an ISO 8601 datetime"),
        ("2025-01-01T10:00", dt.datetime, "has no time zone"),
        ("2025-13-01", dt.date, "'2025-13-01' is not an ISO 8601 date"),
        ("25:00", dt.time, "'25:00' is not an ISO 8601 time"),
        ("1999", Regime, "unknown regime '1999'"),
        ({"amount": -1, "unit": "working_days"}, Duration, "must not be negative"),
        ({"intervals": [["11:30", "07:30"]]}, OfficeHours, "must end after it starts"),
        ({"name": " ", "amount_vnd": 0}, Fee, "name must not be blank"),
        ({"name": "An", "phone": "12345"}, Applicant, "is not a Vietnamese phone number"),
    ],
)
def test_malformed_payloads_say_what_is_wrong(payload: object, cls: type, reason: str) -> None:
    with pytest.raises((InvalidInput, cattrs.BaseValidationError)) as info:
        converter.structure(payload, cls)
    assert any(reason in r for r in _reasons(info.value)), _reasons(info.value)


@pytest.mark.parametrize("cls", concrete_events(), ids=lambda c: c.__name__)
@settings(max_examples=15)
@given(data=st.data())
def test_every_event_round_trips_through_the_tagged_union(cls: type, data: st.DataObject) -> None:
    """st.from_type builds every event (entry point), and the union tags each by its class."""
    event = data.draw(st.from_type(cls))
    payload = converter.unstructure(event, DomainEvent)
    assert payload["type"] == cls.__name__
    assert through_json(event, DomainEvent) == event


def test_two_event_classes_with_one_name_are_refused_at_import() -> None:
    """The class name is the stored tag: a second class of that name would read as the first."""
    from tthc_core.serialization import _check_unique_tags

    class Base:
        pass

    kept = [type("Same", (Base,), {"__module__": m}) for m in ("x.one", "x.two")]
    with pytest.raises(TypeError, match="share the stored tag 'Same'"):
        _check_unique_tags(Base)
    assert len(kept) == 2


def test_a_slotted_class_and_the_class_it_replaced_are_one_tag() -> None:
    """attrs' slotted classes leave the class they were built from among the subclasses."""
    from tthc_core.serialization import _check_unique_tags

    class Base:
        pass

    gc.disable()  # keep the replaced class among the subclasses, as it is until collected
    try:

        @attrs.frozen
        class Only(Base):
            x: int

        assert len(Base.__subclasses__()) == 2  # the slotted class and the one it replaced
        _check_unique_tags(Base)  # no error: one place, one tag
    finally:
        gc.enable()
    assert Only(1).x == 1
