"""Same-day limits, the 15:00 cut-off, working hours across the night, and one day count.

Decree 23/2015/NĐ-CP Art. 7 (chứng thực) and the hộ tịch procedures: handled
the day of receipt, or the next working day when received after 15:00
(vn-one-stop-rules.md §"After 15:00"). Boundaries are tested at the instant,
one minute before and one after (issue #10, items 1, 10 and 12).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import (
    SAME_DAY_CUTOFF,
    VN_TZ,
    Counting,
    Deadlines,
    Duration,
    OfficeHours,
    TimeUnit,
)
from tthc_core.catalogue import Procedure
from tthc_core.codes import ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.serialization import converter
from tthc_core.testing.dossiers import received
from tthc_core.testing.strategies import deadlines as deadline_setups


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, *, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)


@pytest.fixture(scope="module")
def dl() -> Deadlines:
    return default_deadlines()


SAME_DAY = Duration.same_day()


@pytest.mark.parametrize(
    ("start", "due", "why"),
    [
        (at(2025, 3, 3, 14, 59), at(2025, 3, 3, 17), "a minute before the cut-off"),
        (at(2025, 3, 3, 15, 0), at(2025, 3, 3, 17), "at the cut-off: not 'after 15:00'"),
        (at(2025, 3, 3, 15, 0, ss=59), at(2025, 3, 3, 17), "15:00:59 prints as 15:00 on Mẫu 01"),
        (at(2025, 3, 3, 15, 1), at(2025, 3, 4, 17), "a minute after: next working day"),
        (at(2025, 3, 3, 6, 0), at(2025, 3, 3, 17), "before opening (online at dawn)"),
        (at(2025, 3, 3, 12, 0), at(2025, 3, 3, 17), "during the lunch break"),
        (at(2025, 3, 3, 17, 0), at(2025, 3, 4, 17), "at closing"),
        (at(2025, 3, 7, 15, 1), at(2025, 3, 10, 17), "Friday after the cut-off: Monday"),
        (at(2025, 3, 8, 9, 0), at(2025, 3, 10, 17), "received on a Saturday (online)"),
        (at(2025, 1, 24, 15, 0), at(2025, 1, 24, 17), "Tết eve, at the cut-off"),
        (at(2025, 1, 24, 15, 1), at(2025, 2, 3, 17), "Tết eve, after the cut-off"),
        (at(2025, 4, 25, 15, 1), at(2025, 4, 26, 17), "next working day is a swapped Saturday"),
    ],
)
def test_same_day_limit_and_the_15h_cutoff(
    dl: Deadlines, start: dt.datetime, due: dt.datetime, why: str
) -> None:
    assert dl.due(start, SAME_DAY) == due, why


@pytest.mark.parametrize(
    ("minute", "same_day"),
    [(dt.time(15, 59), True), (dt.time(16, 0), True), (dt.time(16, 1), False)],
)
def test_the_catalogue_may_set_its_own_cutoff(
    dl: Deadlines, minute: dt.time, same_day: bool
) -> None:
    start = dt.datetime.combine(dt.date(2025, 3, 3), minute, tzinfo=VN_TZ)
    due = dl.due(start, Duration.same_day(dt.time(16, 0)))
    assert due == (at(2025, 3, 3, 17) if same_day else at(2025, 3, 4, 17))


def test_a_cutoff_after_closing_still_ends_at_a_close(dl: Deadlines) -> None:
    late = Duration.same_day(dt.time(18, 0))
    assert dl.due(at(2025, 3, 3, 16, 59), late) == at(2025, 3, 3, 17)
    assert dl.due(at(2025, 3, 3, 17, 0), late) == at(2025, 3, 4, 17)


def test_same_day_limit_shape() -> None:
    assert SAME_DAY.cutoff is None
    assert SAME_DAY.effective_cutoff == SAME_DAY_CUTOFF == dt.time(15, 0)
    assert SAME_DAY.label_vi == "trong ngày"
    assert SAME_DAY + SAME_DAY == SAME_DAY
    with pytest.raises(InvalidInput, match="no amount"):
        Duration(1, TimeUnit.SAME_DAY)
    with pytest.raises(InvalidInput, match="same-day limit"):
        Duration(2, TimeUnit.WORKING_DAYS, dt.time(15, 0))
    with pytest.raises(InvalidInput, match="to the minute"):
        Duration.same_day(dt.time(15, 0, 30))
    with pytest.raises(InvalidInput, match="not an amount of working time"):
        default_deadlines().minutes_of(SAME_DAY)
    with pytest.raises(InvalidInput, match="not counted in days"):
        default_deadlines().due_by_days(dt.date(2025, 3, 3), SAME_DAY)


def test_same_day_limits_round_trip_and_keep_the_old_wire_shape() -> None:
    own = Duration.same_day(dt.time(16, 30))
    assert converter.structure(converter.unstructure(own), Duration) == own
    assert converter.unstructure(own) == {"amount": 0, "unit": "same_day", "cutoff": "16:30:00"}
    assert converter.unstructure(Duration.working_days(5)) == {
        "amount": 5,
        "unit": "working_days",
    }


def test_a_same_day_procedure_is_due_at_close_not_at_receipt() -> None:
    certify = Procedure(
        code=ProcedureCode.parse("2.000908"),
        name="Chứng thực bản sao từ bản chính",
        sector="Chứng thực",
        processing_time=SAME_DAY,
    )
    dossier, _ = received(at=at(2026, 3, 2, 15, 0), procedure=certify)
    assert dossier.due_at == at(2026, 3, 2, 17)
    dossier, _ = received(at=at(2026, 3, 2, 15, 1), procedure=certify)
    assert dossier.due_at == at(2026, 3, 3, 17)


# --- working hours across the end of the day (policy: they carry over) ----------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(2025, 3, 3, 15, 59), 1, at(2025, 3, 3, 16, 59)),
        (at(2025, 3, 3, 16, 0), 1, at(2025, 3, 3, 17, 0)),  # completes at closing: due then
        (at(2025, 3, 3, 16, 1), 1, at(2025, 3, 4, 7, 31)),  # carries into the next morning
        (at(2025, 3, 3, 16, 0), 4, at(2025, 3, 4, 10, 30)),  # the example of issue #10
        (at(2025, 1, 24, 16, 1), 1, at(2025, 2, 3, 7, 31)),  # Tết eve: over the holiday
    ],
)
def test_working_hours_carry_across_the_night(
    dl: Deadlines, start: dt.datetime, hours: int, due: dt.datetime
) -> None:
    assert dl.due(start, Duration.working_hours(hours)) == due


# --- one working-day count: office boundaries against the Civil Code count -----------------

HOURS_1300 = OfficeHours.parse("07:30-11:30, 13:00-17:00")


@pytest.mark.parametrize(
    ("hh", "mm", "due"),
    [
        (7, 29, at(2025, 3, 3, 17)),  # before opening: the day counts whole
        (7, 30, at(2025, 3, 3, 17)),  # at opening: the day counts whole
        (7, 31, at(2025, 3, 4, 7, 31)),
        (11, 29, at(2025, 3, 4, 11, 29)),
        (11, 30, at(2025, 3, 4, 11, 30)),
        (11, 31, at(2025, 3, 4, 11, 30)),  # lunch: the earliest instant of the same count
        (12, 59, at(2025, 3, 4, 11, 30)),
        (13, 0, at(2025, 3, 4, 11, 30)),
        (13, 1, at(2025, 3, 4, 13, 1)),
        (16, 59, at(2025, 3, 4, 16, 59)),
        (17, 0, at(2025, 3, 4, 17)),  # at closing: nothing of the day is left
        (17, 1, at(2025, 3, 4, 17)),
    ],
)
def test_one_working_day_from_each_office_boundary(hh: int, mm: int, due: dt.datetime) -> None:
    dl = Deadlines(default_deadlines().index, HOURS_1300)
    assert dl.due(at(2025, 3, 3, hh, mm), Duration.working_days(1)) == due


@given(
    deadline_setups(2026), st.dates(dt.date(2026, 1, 1), dt.date(2026, 11, 30)), st.integers(1, 20)
)
def test_office_minutes_and_civil_code_count_the_same_working_days(
    dl: Deadlines, day: dt.date, n: int
) -> None:
    """Counting.OFFICE_MINUTES vs Counting.CIVIL_CODE over one index (see Counting's docstring)."""
    limit = Duration.working_days(n)
    civil_last = dl.due_by_days(day, limit).date() - dt.timedelta(days=1)
    at_close = dt.datetime.combine(day, dl.hours.closes, tzinfo=VN_TZ)
    at_open = dt.datetime.combine(day, dl.hours.opens, tzinfo=VN_TZ)
    assert dl.due(at_close, limit).date() == civil_last
    if dl.index.is_working_day(day):
        assert dl.due(at_open, limit).date() == dl.index.nth_working_day(civil_last, -1)
    else:
        assert dl.due(at_open, limit).date() == civil_last


def test_countings_cite_their_rules() -> None:
    assert "147-148" in Counting.CIVIL_CODE.citation
    assert "Art. 19" in Counting.OFFICE_MINUTES.citation
    assert "23/2015" in Counting.SAME_DAY.citation


@given(
    deadline_setups(2026),
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 11, 30)),  # noqa: DTZ001
    st.integers(0, 3 * 24 * 60),
    st.times(dt.time(6), dt.time(20)).map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_same_day_due_is_a_close_never_before_receipt_and_monotone(
    dl: Deadlines, naive: dt.datetime, later: int, cutoff: dt.time
) -> None:
    start = naive.replace(tzinfo=VN_TZ)
    limit = Duration.same_day(cutoff)
    due = dl.due(start, limit)
    assert due.time() == dl.hours.closes
    assert dl.index.is_working_day(due.date())
    assert due >= start.replace(second=0, microsecond=0)
    # At most one working day after the receipt day's first working day on or after it.
    first = dl.index.nth_working_day(start.date(), 0)
    assert due.date() in (first, dl.index.nth_working_day(first, 1))
    assert dl.due(start + dt.timedelta(minutes=later), limit) >= due
