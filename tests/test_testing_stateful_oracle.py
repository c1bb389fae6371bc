"""The dossier machine's oracles follow the documented rules (docs/dossier.md, "Timeliness").

Regression examples replay, through the machine's own oracles, walks that once
produced a false failure; they run in every CI run, whatever Hypothesis draws.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_core.calendar import OfficeHours
from tthc_core.dossier import (
    HandOver,
    ReceiveSupplement,
    RequestSupplement,
    RequestWithdrawal,
    StopProcessing,
    Timeliness,
)
from tthc_core.regime import SupplementClock
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, local, received
from tthc_core.testing.stateful import DossierWorkflowMachine, MinuteWalkClock
from tthc_core.testing.strategies._time import SetCalendar

ASK = RequestSupplement(("Bản sao Giấy chứng nhận kết hôn",), "Thiếu giấy tờ")
RECEIVED_AT = local(2026, 3, 2, 9, 0)  # due Monday 9/3 09:00 (5 working days)
ASKED_AT = local(2026, 3, 3, 9, 0)


def _machine(clock: SupplementClock | None) -> DossierWorkflowMachine:
    machine = DossierWorkflowMachine()
    dossier, events = received(at=RECEIVED_AT, supplement_clock=clock)
    machine.begin(
        dossier, events, deadlines=WEEKDAYS, clock=MinuteWalkClock(SetCalendar(), OfficeHours())
    )
    machine.step(HandOver(STEP_UNITS[0]), local(2026, 3, 2, 10, 0))
    machine.step(ASK, ASKED_AT)
    return machine


@pytest.mark.parametrize("clock", [None, *SupplementClock])
def test_withdrawal_after_an_unanswered_supplement_request_is_measured_at_the_request(
    clock: SupplementClock | None,
) -> None:
    # The false failure a subclass found: the oracle measured at the request only
    # while AWAITING_SUPPLEMENT, so a withdrawal (7) and stop (8) long after the due
    # time were expected OVERDUE / LATE; the rule (commit b68c053) measures at the request.
    machine = _machine(clock)
    late = local(2026, 3, 20, 9, 0)  # well past the due time
    machine.step(RequestWithdrawal("Không còn nhu cầu"), late)
    assert machine.dossier is not None
    assert machine.dossier.timeliness(late) is Timeliness.IN_TIME
    machine.step(StopProcessing("Theo đề nghị rút hồ sơ"), late)
    machine.now = late + dt.timedelta(days=30)
    machine.check_oracles()
    assert machine.dossier.timeliness(machine.now) in (Timeliness.EARLY, Timeliness.ON_TIME)
    # The stop closes the open step at the request, not at the stop.
    assert machine.dossier.sheet.entries[-1].completed_at == ASKED_AT


def test_once_the_supplement_arrives_the_clock_runs_again() -> None:
    # The other side of the rule: an answered request no longer holds the clock.
    machine = _machine(SupplementClock.PAUSE)
    machine.step(ReceiveSupplement(), local(2026, 3, 4, 9, 0))
    late = local(2026, 3, 30, 9, 0)
    machine.step(RequestWithdrawal("Không còn nhu cầu"), late)
    assert machine.dossier is not None
    assert machine.dossier.timeliness(late) is Timeliness.OVERDUE
    machine.step(StopProcessing("Theo đề nghị rút hồ sơ"), late)
    assert machine.dossier.timeliness(late) is Timeliness.LATE


def test_the_oracle_catches_a_dossier_that_ignores_the_request() -> None:
    # The oracle is not vacuous: a dossier that charged the wait to the agency fails it.
    machine = _machine(SupplementClock.RESTART)
    machine.pending_request = None  # as if the oracle had forgotten the request
    machine.now = local(2026, 3, 20, 9, 0)
    with pytest.raises(AssertionError):
        machine.timeliness_agrees_with_oracle()
