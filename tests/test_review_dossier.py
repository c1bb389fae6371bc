"""Review findings on the dossier workflow: each test pins a defect that was fixed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.dossier import (
    DossierState,
    HandOver,
    RequestSupplement,
    RequestWithdrawal,
    StopProcessing,
    Timeliness,
    rebuild,
)
from tthc_core.regime import SupplementClock
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, drive, local, received

ASK = RequestSupplement(("Bản sao Giấy chứng nhận kết hôn",), "Thiếu giấy tờ")


@pytest.mark.parametrize("clock", list(SupplementClock))
@given(wait=st.integers(1, 60 * 450))
def test_a_withdrawal_while_waiting_for_the_supplement_is_measured_at_the_request(
    clock: SupplementClock, wait: int
) -> None:
    # Decision 766/QĐ-TTg KPI 2.1: the applicant's supplement time is not the
    # agency's; a dossier still waiting is measured at the request. Withdrawing
    # it meanwhile (DVCQG 5 → 7 → 8) must not turn the applicant's wait into
    # an overdue (then late) dossier.
    dossier, events = received(at=local(2026, 3, 2, 9, 0), supplement_clock=clock)
    asked = local(2026, 3, 3, 9, 0)  # due Monday 9/3 09:00
    dossier, more = drive(
        dossier, (HandOver(STEP_UNITS[0]), local(2026, 3, 2, 10, 0)), (ASK, asked)
    )
    withdrawn_at = WEEKDAYS.add_working_minutes(asked, wait)
    withdrawn, w = drive(dossier, (RequestWithdrawal("Không còn nhu cầu"), withdrawn_at))
    assert withdrawn.timeliness(withdrawn_at) is Timeliness.IN_TIME
    assert withdrawn.step_timeliness(withdrawn_at) == (Timeliness.IN_TIME,)
    stopped, s = drive(withdrawn, (StopProcessing("Theo đề nghị rút hồ sơ"), withdrawn_at))
    assert stopped.state is DossierState.STOPPED
    assert stopped.timeliness(withdrawn_at) in (Timeliness.EARLY, Timeliness.ON_TIME)
    assert stopped.step_timeliness(withdrawn_at)[0] in (Timeliness.EARLY, Timeliness.ON_TIME)
    assert rebuild([*events, *more, *w, *s]) == stopped
