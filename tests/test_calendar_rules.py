"""Vietnam's working calendar and the Civil Code day count, example by example.

Sources: Labour Code 2019 (45/2019/QH14) Art. 111(3) and 112; Decision
188/1999/QĐ-TTg (Monday-Friday week); the Government's yearly swaps as encoded
by ``holidays`` (0.109); Civil Code 2015 Art. 147-148.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.calendar import HolidaysCalendar, default_deadlines
from tthc_core.calendar import VN_TZ, Deadlines, Duration
from tthc_core.errors import InvalidInput

D = dt.date
CAL = HolidaysCalendar()


@pytest.fixture(scope="module")
def deadlines() -> Deadlines:
    return default_deadlines()


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (D(2025, 1, 1), "Art. 112(1)(a) Tết Dương lịch"),
        (D(2025, 4, 7), "Art. 112(1)(đ) Giỗ Tổ Hùng Vương, 10/3 lunar"),
        (D(2025, 4, 30), "Art. 112(1)(c) Ngày Chiến thắng"),
        (D(2025, 5, 1), "Art. 112(1)(d) Quốc tế lao động"),
        (D(2025, 9, 1), "Art. 112(1)(đ) the day next to Quốc khánh"),
        (D(2025, 9, 2), "Art. 112(1)(đ) Quốc khánh"),
        (D(2026, 11, 24), "Ngày Văn hóa Việt Nam, a paid holiday from 2026"),
    ],
)
def test_labour_code_art_112_holidays_are_days_off(day: dt.date, why: str) -> None:
    assert not CAL.is_working_day(day), why
    assert CAL.holiday_name(day)


def test_tet_2025_civil_service_schedule() -> None:
    """Tết Ất Tỵ 2025 (Art. 112(1)(b), 5 days): offices closed Mon 27/1 - Fri 31/1, open Mon 3/2."""
    assert [d for d in _days(D(2025, 1, 24), D(2025, 2, 3)) if CAL.is_working_day(d)] == [
        D(2025, 1, 24),
        D(2025, 2, 3),
    ]


def test_tet_2026_civil_service_schedule() -> None:
    """Tết Bính Ngọ 2026: offices closed Mon 16/2 - Fri 20/2, open Fri 13/2 and Mon 23/2."""
    assert [d for d in _days(D(2026, 2, 13), D(2026, 2, 23)) if CAL.is_working_day(d)] == [
        D(2026, 2, 13),
        D(2026, 2, 23),
    ]
    assert CAL.holiday_name(D(2026, 2, 17)) == "Tết Nguyên Đán"


def test_2025_swap_saturday_26_4_worked_friday_2_5_off() -> None:
    """The 2025 swap: Saturday 26/4 is worked so that Friday 2/5 bridges 30/4-1/5 to the weekend."""
    assert CAL.is_working_day(D(2025, 4, 26))
    assert not CAL.is_working_day(D(2025, 5, 2))
    assert CAL.holiday_name(D(2025, 5, 2)) == "Ngày nghỉ (thay cho ngày 26/04/2025)"


def test_2026_swap_saturday_22_8_worked_monday_31_8_off() -> None:
    assert CAL.is_working_day(D(2026, 8, 22))
    assert not CAL.is_working_day(D(2026, 8, 31))


def test_cultural_day_24_11_is_a_holiday_only_from_2026() -> None:
    """24/11 (Ngày Văn hóa Việt Nam) is a paid day off from 2026; Monday 24/11/2025 was worked."""
    assert CAL.is_working_day(D(2025, 11, 24))
    assert not CAL.is_working_day(D(2026, 11, 24))
    assert CAL.holiday_name(D(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"


@pytest.mark.parametrize(
    ("holiday", "compensatory"),
    [
        (D(2026, 4, 26), D(2026, 4, 27)),  # Giỗ Tổ on Sunday -> Monday off
        (D(2027, 5, 1), D(2027, 5, 3)),  # 1/5 on Saturday -> Monday off
    ],
)
def test_art_111_3_holiday_on_a_rest_day_gives_the_next_working_day_off(
    holiday: dt.date, compensatory: dt.date
) -> None:
    assert holiday.weekday() >= 5
    assert not CAL.is_working_day(compensatory)
    assert "nghỉ bù" in (CAL.holiday_name(compensatory) or "")


def test_weekends_are_rest_days_under_decision_188_1999() -> None:
    ordinary = _days(D(2025, 3, 1), D(2025, 3, 31))  # no holiday in March 2025
    assert [d for d in ordinary if not CAL.is_working_day(d)] == [
        d for d in ordinary if d.weekday() >= 5
    ]


def test_nth_working_day_crosses_the_2025_bridge(deadlines: Deadlines) -> None:
    """5 working days after Fri 25/4/2025: Sat 26/4, 28/4, 29/4, (30/4-4/5 off) 5/5, 6/5."""
    assert deadlines.index.nth_working_day(D(2025, 4, 25), 5) == D(2025, 5, 6)


# Civil Code 2015 Art. 147(2): the period starts the day after the event.
# Art. 148(1), (6): it ends at 24:00 of its last day.
# Art. 148(5): if the last day is a weekly rest day or a holiday, at the end of the
# next working day. The result is the exclusive end instant (00:00 of the next day).
@pytest.mark.parametrize(
    ("event", "days", "last_day", "why"),
    [
        (D(2025, 3, 3), 10, D(2025, 3, 13), "an ordinary Thursday: no shift"),
        (D(2025, 3, 7), 1, D(2025, 3, 10), "last day Saturday 8/3 -> Monday 10/3"),
        (D(2025, 1, 1), 30, D(2025, 2, 3), "last day 31/1/2025 is Tết -> Monday 3/2"),
        (D(2026, 2, 10), 7, D(2026, 2, 23), "last day 17/2/2026 is Tết -> Monday 23/2"),
        (D(2026, 11, 17), 7, D(2026, 11, 25), "last day 24/11/2026, Ngày Văn hóa -> 25/11"),
        (D(2025, 4, 20), 6, D(2025, 4, 26), "last day Saturday 26/4/2025 is worked: no shift"),
        (D(2025, 4, 26), 6, D(2025, 5, 5), "last day Friday 2/5/2025 is a swapped day off"),
    ],
)
def test_civil_code_art_147_148_calendar_days(
    deadlines: Deadlines, event: dt.date, days: int, last_day: dt.date, why: str
) -> None:
    assert deadlines.due_by_days(event, Duration.calendar_days(days)) == _midnight(
        last_day + dt.timedelta(days=1)
    ), why


def test_working_day_periods_end_with_the_nth_working_day(deadlines: Deadlines) -> None:
    """10 working days from Wed 22/1/2025: 23-24/1, (Tết 27/1-2/2 off), 3-7/2, 10-12/2."""
    assert deadlines.due_by_days(D(2025, 1, 22), Duration.working_days(10)) == _midnight(
        D(2025, 2, 13)
    )


def test_due_in_calendar_days_counts_from_the_local_date(deadlines: Deadlines) -> None:
    """A complaint received 23:30 on 2/3/2025 in Hà Nội is 16:30 UTC: the local date counts."""
    received = dt.datetime(2025, 3, 2, 16, 30, tzinfo=dt.UTC)
    assert deadlines.due(received, Duration.calendar_days(10)) == _midnight(D(2025, 3, 13))


def test_day_counts_reject_working_hours_and_datetimes(deadlines: Deadlines) -> None:
    with pytest.raises(InvalidInput, match="working hours"):
        deadlines.due_by_days(D(2025, 3, 3), Duration.working_hours(8))
    with pytest.raises(InvalidInput, match="takes the event's date"):
        deadlines.due_by_days(dt.datetime(2025, 3, 2, 17, tzinfo=dt.UTC), Duration.calendar_days(1))
