"""Boundaries of the small rule modules first run under mutation on this branch (issue 15).

* ``storage/_codec``: an event class defined after the first read is still found by its name
  (the codec rebuilds its name table from ``DomainEvent``'s subclasses when a name is missing);
* ``calendar/_certainty``: an announced year is a whole number, never a string or a bool;
* ``complaint/_privacy``: a confidential field keeps the caller's own metadata and options;
* ``complaint/_rules``: a paused clock, or one timing another step, judges nothing; an extended
  variant's period is the one started;
* ``storage/_kinds``: an aggregate kind's name is a lower-case ASCII identifier;
* ``dossier/_timeliness``: the due date is the Vietnamese calendar date (Circular 01/2018
  Art. 13), whatever the zone the server runs in.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator

import attrs
import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, CalendarCertainty, Duration
from tthc_core.codes import AgencyCode
from tthc_core.complaint import CONFIDENTIAL, CaseKind, Clock, ReceivingAgency, Step, Variant
from tthc_core.complaint._privacy import confidential
from tthc_core.complaint._rules import on_time, start_clock
from tthc_core.dossier import Timeliness, classify_finished
from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.serialization import converter
from tthc_core.storage import AggregateKind, decode_event, encode_event

_NAMES = itertools.count(1)
AT = dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN_TZ)


def _defined_now() -> type[DomainEvent]:
    """A DomainEvent subclass (and its subclass) defined at this moment, under fresh names."""
    n = next(_NAMES)
    parent = attrs.frozen(kw_only=True)(
        type(f"LateParent{n}", (DomainEvent,), {"__annotations__": {"note": str}})
    )
    return attrs.frozen(kw_only=True)(
        type(f"LateChild{n}", (parent,), {"__annotations__": {"extra": int}})
    )


def test_an_event_class_defined_after_the_first_read_is_found_by_its_name() -> None:
    decode_event(
        converter, *encode_event(converter, _defined_now()(occurred_at=AT, note="a", extra=1))
    )
    late = _defined_now()  # defined after the codec's name table was filled
    event = late(occurred_at=AT, note="ghi chú", extra=2)  # type: ignore[call-arg]
    name, body = encode_event(converter, event)
    assert name == late.__name__
    assert decode_event(converter, name, body) == event


def test_an_unknown_event_type_names_itself_and_the_remedy() -> None:
    with pytest.raises(InvalidInput) as info:
        decode_event(converter, "NoSuchEvent", {})
    assert info.value.reason == (
        "stored event type 'NoSuchEvent' is unknown: import the module that defines it"
    )


@pytest.mark.parametrize("year", ["2025", True, 2025.0])
def test_an_announced_year_must_be_a_whole_number(year: object) -> None:
    with pytest.raises(InvalidInput) as info:
        CalendarCertainty({year: "Thông báo 9441/TB-BNV"})  # type: ignore[dict-item]
    assert info.value.reason == f"announced year {year!r} must be a whole number"


@pytest.fixture
def utc_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone set to UTC (seven hours behind Vietnam)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("utc_server")
def test_the_due_date_is_the_vietnamese_date_whatever_the_servers_zone() -> None:
    """Due at 06:00 on 10 Sept (VN, 23:00 on 9 Sept UTC): work done on 9 Sept is early."""
    due_at = dt.datetime(2025, 9, 10, 6, 0, tzinfo=VN_TZ)
    assert classify_finished(due_at - dt.timedelta(hours=20), due_at) is Timeliness.EARLY
    assert classify_finished(due_at - dt.timedelta(hours=1), due_at) is Timeliness.ON_TIME


# -- complaint/_privacy: a confidential field keeps the caller's metadata and options --------


def test_a_confidential_field_keeps_the_callers_metadata_and_default() -> None:
    """Law on Denunciations 25/2018/QH14 Art. 47(2): the redacted value rides in the metadata."""

    @attrs.frozen
    class Note:
        sender: str = confidential("***", default="", metadata={"label": "Người gửi"})

    (field,) = attrs.fields(Note)
    assert dict(field.metadata) == {"label": "Người gửi", CONFIDENTIAL: "***"}
    assert Note().sender == ""


# -- complaint/_rules: which clock judges a step ------------------------------------------------


def _clock(**changes: object) -> Clock:
    base = Clock(
        step=Step.RESOLVE,
        variant=Variant.ORDINARY,
        limit=Duration.calendar_days(30),
        citation="Điều 28 Luật Khiếu nại 2011",
        rule_on=AT.date(),
        started_on=AT.date(),
        due_at=AT + dt.timedelta(days=31),
    )
    return attrs.evolve(base, **changes)


def test_a_paused_clock_judges_nothing() -> None:
    """While suspended (no due instant) no step is on time or late."""
    assert on_time(_clock(started_on=None, due_at=None), AT) is None


def test_a_clock_judges_only_the_step_it_times() -> None:
    assert on_time(_clock(), AT, Step.ACCEPT) is None
    assert on_time(_clock(), AT, Step.RESOLVE) is True


def test_a_complex_denunciation_runs_the_complex_period() -> None:
    """Law on Denunciations 2018 Art. 30(1): a complex case's period, not the ordinary one."""
    agency = ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")
    clocks = [
        start_clock(
            CaseKind.DENUNCIATION,
            None,
            Step.RESOLVE,
            at=AT,
            agency=agency,
            deadlines=default_deadlines(),
            variant=variant,
        )
        for variant in (Variant.ORDINARY, Variant.COMPLEX)
    ]
    assert [c.variant for c in clocks if c] == [Variant.ORDINARY, Variant.COMPLEX]
    assert clocks[0].due_at < clocks[1].due_at  # type: ignore[union-attr,operator]


# -- storage/_kinds: an aggregate kind's name is a table and column name ------------------------


@attrs.frozen
class _Thing:
    key: str
    version: int = 0


@pytest.mark.parametrize("name", ["Dossier", "hồ_sơ", "dossier-x", "2dossier"])
def test_an_aggregate_kind_name_is_a_lower_case_ascii_identifier(name: str) -> None:
    """Refused: upper case, non-ASCII, not an identifier; each with the same advice."""
    with pytest.raises(InvalidInput) as info:
        AggregateKind(name, _Thing, key=lambda t: t.key)
    assert info.value.reason == (
        f"aggregate kind name {name!r} must be a lower-case ASCII identifier, such as 'dossier'"
    )
    assert AggregateKind("dossier_x", _Thing, key=lambda t: t.key).name == "dossier_x"
