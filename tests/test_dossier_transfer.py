"""Decree 61/2018/NĐ-CP Art. 18: paper dossiers leave the desk the same working day,
or at the start of the next working day when received after 15:00."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from tthc_core.dossier import (
    Channel,
    HandOver,
    ReceiveDossier,
    handle,
    rebuild,
    transfer_due,
)
from tthc_core.regime import REGIME_2018
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, local, received, submitted
from tthc_core.testing.strategies import aware_datetimes

FIRST = STEP_UNITS[0]


@pytest.mark.parametrize(
    ("received_at", "due"),
    [
        (local(2026, 11, 23, 9, 15), local(2026, 11, 23, 17, 0)),  # Monday morning: same day
        (local(2026, 11, 23, 14, 59), local(2026, 11, 23, 17, 0)),  # just before 15:00
        (local(2026, 11, 23, 15, 0), local(2026, 11, 24, 8, 30)),  # from 15:00: next morning
        (local(2026, 11, 27, 16, 0), local(2026, 11, 30, 8, 30)),  # Friday: Monday morning
        (local(2026, 11, 28, 10, 0), local(2026, 11, 30, 8, 30)),  # a Saturday: Monday morning
    ],
)
def test_transfer_due(received_at: dt.datetime, due: dt.datetime) -> None:
    assert transfer_due(received_at, WEEKDAYS) == due


def _first_handover(received_at: dt.datetime, handed_at: dt.datetime) -> bool:
    dossier, _ = received(at=received_at)
    dossier, (event,) = handle(dossier, HandOver(FIRST), at=handed_at, deadlines=WEEKDAYS)
    assert dossier.sheet.entries[0].late_transfer == event.late_transfer  # type: ignore[attr-defined]
    return dossier.sheet.entries[0].late_transfer


def test_a_same_day_transfer_is_on_time() -> None:
    assert not _first_handover(local(2026, 11, 23, 9, 15), local(2026, 11, 23, 16, 30))


def test_a_next_day_transfer_of_a_morning_dossier_is_late() -> None:
    assert _first_handover(local(2026, 11, 23, 9, 15), local(2026, 11, 24, 8, 0))


def test_after_15_00_the_next_morning_is_allowed_but_not_the_afternoon() -> None:
    assert not _first_handover(local(2026, 11, 23, 15, 30), local(2026, 11, 24, 8, 30))
    assert _first_handover(local(2026, 11, 23, 15, 30), local(2026, 11, 24, 14, 0))


def test_only_the_first_handover_of_a_paper_dossier_is_measured() -> None:
    dossier, _ = received(at=local(2026, 11, 23, 9, 15))
    dossier, _ = handle(dossier, HandOver(FIRST), at=local(2026, 11, 23, 10), deadlines=WEEKDAYS)
    dossier, _ = handle(
        dossier, HandOver(STEP_UNITS[1]), at=local(2026, 11, 30, 10), deadlines=WEEKDAYS
    )
    assert [e.late_transfer for e in dossier.sheet.entries] == [False, False]


def test_online_dossiers_move_electronically_and_are_not_flagged() -> None:
    dossier, _ = submitted(at=local(2026, 11, 23, 9))
    dossier, _ = handle(
        dossier, ReceiveDossier("Bộ phận Một cửa"), at=local(2026, 11, 23, 9), deadlines=WEEKDAYS
    )
    assert dossier.channel is Channel.ONLINE
    dossier, _ = handle(dossier, HandOver(FIRST), at=local(2026, 11, 25, 9), deadlines=WEEKDAYS)
    assert not dossier.sheet.entries[0].late_transfer


def test_the_control_sheet_notes_a_late_transfer_and_replay_keeps_it() -> None:
    dossier, events = received(at=local(2026, 11, 23, 9, 15))
    dossier, more = handle(dossier, HandOver(FIRST), at=local(2026, 11, 25, 9), deadlines=WEEKDAYS)
    assert "Điều 18 Nghị định số 61/2018/NĐ-CP" in dossier.sheet.to_markdown(REGIME_2018)
    assert rebuild(events + more) == dossier


@given(aware_datetimes(max_value=dt.datetime(2029, 12, 1)))  # noqa: DTZ001 - a naive bound
def test_the_due_instant_is_after_receipt_and_in_office_hours(received_at: dt.datetime) -> None:
    due = transfer_due(received_at, WEEKDAYS)
    assert due > received_at
    assert WEEKDAYS.index.is_working_day(due.date())
    assert WEEKDAYS.hours.opens <= due.timetz().replace(tzinfo=None) <= WEEKDAYS.hours.closes
