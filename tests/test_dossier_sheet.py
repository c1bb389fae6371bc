"""The process control sheet (Mẫu 05 in 2018 / Mẫu 06 in 2025) and replay of events."""

from __future__ import annotations

import pytest
from hypothesis import given

from tthc_core.calendar import Duration
from tthc_core.dossier import (
    Dossier,
    DossierHandedOver,
    DossierReceived,
    DossierState,
    HandOver,
    HandoverKind,
    InvalidEventStream,
    Resolve,
    ReturnFromAgency,
    SendToAgency,
    StepTemplateMismatch,
    Timeliness,
    handle,
    rebuild,
    rebuild_sheet,
)
from tthc_core.events import DomainEvent
from tthc_core.testing.dossiers import DESK, STEP_UNITS, WEEKDAYS, drive, local, received
from tthc_core.testing.strategies import DossierHistory, dossier_histories

OFFICER, LEADER, _ = STEP_UNITS


def _five_steps() -> tuple[Dossier, list[DomainEvent]]:
    dossier, events = received(at=local(2026, 3, 2, 9, 0))  # Monday; due Monday 9/3 09:00
    dossier, more = drive(
        dossier,
        (HandOver(OFFICER, to_officer="Lê Thị Hoa"), local(2026, 3, 2, 10, 0)),
        (HandOver(LEADER), local(2026, 3, 5, 10, 0)),  # officer: 3 days, used exactly 3
        (HandOver(DESK, note="Đã ký"), local(2026, 3, 6, 16, 0)),  # leader: 1 day, used 1 + 6 h
        (Resolve(), local(2026, 3, 6, 16, 30)),  # desk: 1 day, used 30 min
    )
    return dossier, events + more


def test_each_handover_is_a_row_from_the_step_template() -> None:
    dossier, _ = _five_steps()
    rows = dossier.sheet.entries
    assert [(r.from_unit, r.to_unit) for r in rows] == [
        (DESK, OFFICER),
        (OFFICER, LEADER),
        (LEADER, DESK),
    ]
    assert [r.step_index for r in rows] == [0, 1, 2]
    assert [r.allowance for r in rows] == [Duration.working_days(n) for n in (3, 1, 1)]
    assert rows[0].to_officer == "Lê Thị Hoa"
    assert rows[1].from_officer == "Lê Thị Hoa"
    # Each step is due its allowance after the handover (working minutes).
    assert rows[0].due_at == local(2026, 3, 5, 10, 0)
    assert rows[1].due_at == local(2026, 3, 6, 10, 0)
    assert rows[2].due_at == local(2026, 3, 9, 16, 0)
    # Each row closes when the dossier is handed on (or processing ends).
    assert [r.completed_at for r in rows] == [
        local(2026, 3, 5, 10, 0),
        local(2026, 3, 6, 16, 0),
        local(2026, 3, 6, 16, 30),
    ]


def test_step_results_follow_circular_01_2018_art_13_indicator_2() -> None:
    dossier, _ = _five_steps()
    assert [r.result for r in dossier.sheet.entries] == [
        Timeliness.ON_TIME,  # handed on at its due instant
        Timeliness.LATE,  # six hours after its due instant
        Timeliness.EARLY,  # days before its due date
    ]


def test_the_open_step_is_in_time_or_overdue() -> None:
    dossier, _ = received(at=local(2026, 3, 2, 9, 0))
    dossier, _ = drive(dossier, (HandOver(OFFICER), local(2026, 3, 2, 10, 0)))
    step = dossier.sheet.open_entry
    assert step is not None
    assert step.result is None
    assert step.timeliness(local(2026, 3, 5, 10, 0)) is Timeliness.IN_TIME
    assert step.timeliness(local(2026, 3, 5, 10, 1)) is Timeliness.OVERDUE


def test_handover_off_the_template_needs_an_explicit_allowance() -> None:
    dossier, _ = received(at=local(2026, 3, 2, 9, 0))
    with pytest.raises(StepTemplateMismatch, match="step 1 of the template goes to") as info:
        handle(dossier, HandOver("Phòng Kinh tế"), at=local(2026, 3, 2, 10), deadlines=WEEKDAYS)
    assert "Decree 61/2018" in (info.value.rule or "")
    dossier, _ = drive(
        dossier,
        (HandOver("Phòng Kinh tế", allowance=Duration.working_hours(4)), local(2026, 3, 2, 10)),
    )
    row = dossier.sheet.entries[0]
    assert row.step_index is None
    assert row.due_at == local(2026, 3, 2, 16, 0)  # 10:00-11:30 (1.5 h) + 13:30-16:00 (2.5 h)
    # The template resumes where it was: its first step is still next.
    dossier, _ = drive(dossier, (HandOver(OFFICER), local(2026, 3, 2, 11)))
    assert dossier.sheet.entries[-1].step_index == 0


def test_template_units_match_with_or_without_diacritics() -> None:
    dossier, _ = received(at=local(2026, 3, 2, 9, 0))
    dossier, events = drive(
        dossier, (HandOver("cong chuc tu phap - ho tich"), local(2026, 3, 2, 10))
    )
    assert dossier.sheet.entries[0].step_index == 0
    # The sheet (and the holder) name the unit as the template spells it, not as typed.
    assert dossier.sheet.entries[0].to_unit == STEP_UNITS[0] == "Công chức Tư pháp - Hộ tịch"
    assert dossier.holder_unit == STEP_UNITS[0]
    assert events[0].to_unit == STEP_UNITS[0]


def test_an_ad_hoc_unit_keeps_the_spelling_given() -> None:
    # The other side: a unit outside the template (explicit allowance) is recorded as typed.
    dossier, _ = received(at=local(2026, 3, 2, 9, 0))
    step = HandOver("phong kinh te", allowance=Duration.working_hours(4))
    dossier, _ = drive(dossier, (step, local(2026, 3, 2, 10)))
    assert dossier.sheet.entries[0].to_unit == "phong kinh te"


def test_a_finished_template_needs_explicit_allowances() -> None:
    dossier, _ = _five_steps()
    assert dossier.state is DossierState.RESOLVED
    dossier, _ = received(at=local(2026, 3, 2, 9, 0))
    dossier, _ = drive(
        dossier,
        (HandOver(OFFICER), local(2026, 3, 2, 10)),
        (HandOver(LEADER), local(2026, 3, 3, 10)),
        (HandOver(DESK), local(2026, 3, 3, 11)),
    )
    with pytest.raises(StepTemplateMismatch, match="all handed over"):
        handle(dossier, HandOver(OFFICER), at=local(2026, 3, 3, 12), deadlines=WEEKDAYS)


def test_inter_agency_handovers_are_rows_too() -> None:
    # Decree 61/2018 Art. 19(5)(b): consulted agencies record their part on the sheet.
    dossier, _ = received(at=local(2026, 3, 2, 9, 0))
    dossier, events = drive(
        dossier,
        (HandOver(OFFICER), local(2026, 3, 2, 10)),
        (SendToAgency("Chi cục Thuế", allowance=Duration.working_days(2)), local(2026, 3, 3, 9)),
        (ReturnFromAgency(OFFICER, allowance=Duration.working_days(1)), local(2026, 3, 4, 9)),
    )
    assert dossier.state is DossierState.IN_PROCESSING
    kinds = [r.kind for r in dossier.sheet.entries]
    assert kinds == [HandoverKind.INTERNAL, HandoverKind.TO_AGENCY, HandoverKind.FROM_AGENCY]
    assert isinstance(events[1], DossierHandedOver)
    assert dossier.sheet.entries[1].to_unit == "Chi cục Thuế"


def test_sheet_title_follows_the_regime() -> None:
    new, _ = received(at=local(2026, 3, 2, 9))
    old, _ = received(at=local(2024, 3, 4, 9))
    assert new.sheet.title(new.regime).startswith("Mẫu 06 – Phiếu kiểm soát")
    assert old.sheet.title(old.regime).startswith("Mẫu 05 – Phiếu kiểm soát")


def test_markdown_sheet_uses_the_forms_wording() -> None:
    dossier, _ = _five_steps()
    text = dossier.sheet.to_markdown(dossier.regime)
    assert "Giao: Bộ phận Một cửa<br>Nhận: Công chức Tư pháp - Hộ tịch" in text
    assert "10 giờ 00 phút, ngày 02 tháng 3 năm 2026" in text
    assert [w in text for w in ("Đúng hạn", "Quá hạn", "Trước hạn")] == [True, True, True]


def test_rebuild_sheet_from_events_equals_the_dossiers_sheet() -> None:
    dossier, events = _five_steps()
    assert rebuild_sheet(events) == dossier.sheet


@given(dossier_histories())
def test_replaying_events_rebuilds_the_dossier(history: DossierHistory) -> None:
    assert rebuild(history.events) == history.dossier
    assert rebuild_sheet(history.events) == history.dossier.sheet


@given(dossier_histories())
def test_replay_without_the_receipt_fails_or_gives_another_dossier(history: DossierHistory) -> None:
    events = list(history.events)
    if not any(isinstance(e, DossierReceived) for e in events):
        return
    # Without the receipt, later events either are not table edges from SUBMITTED
    # (InvalidEventStream) or leave a dossier that was never received.
    broken = [e for e in events if not isinstance(e, DossierReceived)]
    try:
        rebuilt = rebuild(broken)
    except InvalidEventStream:
        return
    assert rebuilt.received_at is None
    assert rebuilt != history.dossier


def test_replay_needs_a_submission_first() -> None:
    _, events = _five_steps()
    with pytest.raises(InvalidEventStream, match="starts with DossierSubmitted"):
        rebuild(events[1:])
