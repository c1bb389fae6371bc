"""Supplement requests: once under the 2018 regime; postal transit under the 2025 pause.

Decree 61/2018/NĐ-CP Art. 11(2)(c) "chỉ được yêu cầu sửa đổi, bổ sung một lần" (see
Art. 15(3), 17(2)(a)); Decision 45/2016/QĐ-TTg Art. 7(4): a dossier sent by post is
filed when the desk and the postal worker sign the handover (issue #10, item 8).
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from tthc_core.dossier import (
    AskToComplete,
    Dossier,
    DossierState,
    HandOver,
    ReceiveDossier,
    ReceiveSupplement,
    RequestSupplement,
    ResubmitDossier,
    SupplementRefused,
    handle,
)
from tthc_core.errors import InvalidInput
from tthc_core.regime import REGIME_2018, REGIME_2025, SupplementClock
from tthc_core.testing.dossiers import STEP_UNITS, WEEKDAYS, drive, local, received, submitted

ASK = RequestSupplement(("Bản sao Giấy chứng nhận kết hôn",), "Thiếu giấy tờ")
COMPLETE = AskToComplete(("Giấy chứng sinh",), "Thiếu giấy tờ")


def _processing(year: int, clock: SupplementClock | None = None) -> Dossier:
    day = 2 if year == 2026 else 4
    dossier, _ = received(at=local(year, 3, day, 9, 0), supplement_clock=clock)
    dossier, _ = drive(dossier, (HandOver(STEP_UNITS[0]), local(year, 3, day, 10, 0)))
    return dossier


def test_the_regimes_say_how_often_a_supplement_may_be_requested() -> None:
    assert REGIME_2018.max_supplement_requests == 1
    assert REGIME_2025.max_supplement_requests is None  # counted as late instead (KPI 2.1)


def test_a_second_request_after_appraisal_is_refused_under_2018() -> None:
    dossier, _ = drive(
        _processing(2024),
        (ASK, local(2024, 3, 5, 9, 0)),
        (ReceiveSupplement(), local(2024, 3, 6, 9, 0)),
    )
    with pytest.raises(SupplementRefused, match="once") as info:
        handle(dossier, ASK, at=local(2024, 3, 6, 10, 0), deadlines=WEEKDAYS)
    assert "Art. 11(2)(c)" in info.value.rule


def test_a_request_after_appraisal_is_refused_after_one_at_intake_under_2018() -> None:
    dossier, _ = submitted(at=local(2024, 3, 4, 9, 0))
    dossier, _ = drive(
        dossier,
        (COMPLETE, local(2024, 3, 4, 9, 30)),
        (ResubmitDossier(), local(2024, 3, 5, 9, 0)),
    )
    with pytest.raises(SupplementRefused):
        handle(dossier, COMPLETE, at=local(2024, 3, 5, 9, 30), deadlines=WEEKDAYS)

    dossier, _ = drive(
        dossier,
        (
            ReceiveDossier(
                "Bộ phận Một cửa", code=attrs.evolve(dossier.code, received_on=dt.date(2024, 3, 5))
            ),
            local(2024, 3, 5, 10, 0),
        ),
        (HandOver(STEP_UNITS[0]), local(2024, 3, 5, 10, 30)),
    )
    with pytest.raises(SupplementRefused):
        handle(dossier, ASK, at=local(2024, 3, 5, 11, 0), deadlines=WEEKDAYS)


def test_the_first_request_is_allowed_under_2018() -> None:
    dossier, _ = drive(_processing(2024), (ASK, local(2024, 3, 5, 9, 0)))
    assert dossier.state is DossierState.AWAITING_SUPPLEMENT


def test_a_second_request_is_recorded_and_counted_late_under_2025() -> None:
    dossier, _ = drive(
        _processing(2026),
        (ASK, local(2026, 3, 3, 9, 0)),
        (ReceiveSupplement(), local(2026, 3, 4, 9, 0)),
        (ASK, local(2026, 3, 4, 10, 0)),
    )
    assert dossier.state is DossierState.AWAITING_SUPPLEMENT
    assert dossier.counts_as_late_for_supplements


# --- the 2025 pause and postal transit (Decision 45/2016 Art. 7(4)) --------------------------


@pytest.mark.parametrize(
    ("handed_over", "recorded", "waited_days"),
    [
        (local(2026, 3, 5, 9, 0), local(2026, 3, 9, 9, 0), 2),  # recorded Monday, signed Thursday
        (local(2026, 3, 5, 9, 0), local(2026, 3, 5, 9, 0), 2),  # recorded at the handover
    ],
)
def test_the_pause_ends_at_the_signed_postal_handover(
    handed_over: dt.datetime, recorded: dt.datetime, waited_days: int
) -> None:
    day = WEEKDAYS.hours.minutes_per_day
    dossier, _ = drive(
        _processing(2026),
        (ASK, local(2026, 3, 3, 9, 0)),
        (ReceiveSupplement(handed_over_at=handed_over), recorded),
    )
    assert dossier.supplements[0].waited_minutes == waited_days * day
    assert dossier.supplements[0].received_at == handed_over
    # Due Monday 9/3 09:00 shifted by the two working days in the post and with the applicant.
    assert dossier.due_at == local(2026, 3, 11, 9, 0)


def test_restart_counts_again_from_the_signed_postal_handover() -> None:
    dossier, _ = drive(
        _processing(2026, SupplementClock.RESTART),
        (ASK, local(2026, 3, 3, 9, 0)),
        (ReceiveSupplement(handed_over_at=local(2026, 3, 5, 9, 0)), local(2026, 3, 6, 9, 0)),
    )
    assert dossier.due_at == WEEKDAYS.due(local(2026, 3, 5, 9, 0), dossier.processing_time)


@pytest.mark.parametrize(
    ("handed_over", "recorded"),
    [
        (local(2026, 3, 3, 8, 59), local(2026, 3, 5, 9, 0)),  # a minute before the request
        (local(2026, 3, 5, 9, 1), local(2026, 3, 5, 9, 0)),  # a minute after it is recorded
    ],
)
def test_the_handover_lies_between_the_request_and_its_recording(
    handed_over: dt.datetime, recorded: dt.datetime
) -> None:
    dossier, _ = drive(_processing(2026), (ASK, local(2026, 3, 3, 9, 0)))
    with pytest.raises(InvalidInput, match="handover"):
        handle(
            dossier, ReceiveSupplement(handed_over_at=handed_over), at=recorded, deadlines=WEEKDAYS
        )


def test_the_handover_instant_at_the_request_itself_is_accepted() -> None:
    dossier, _ = drive(
        _processing(2026),
        (ASK, local(2026, 3, 3, 9, 0)),
        (ReceiveSupplement(handed_over_at=local(2026, 3, 3, 9, 0)), local(2026, 3, 3, 9, 0)),
    )
    assert dossier.supplements[0].waited_minutes == 0
