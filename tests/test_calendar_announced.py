"""An honest calendar: announced years with their sources, provisional years, local files.

Labour Code 2019 Art. 112(3): the Prime Minister fixes each year's Tết days and the day
next to 2/9; the yearly notices swap working days. Years not announced are a forecast
(issue #10, item 2).
"""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from tthc_adapters.calendar import HolidaysCalendar, default_deadlines
from tthc_adapters.calendar_file import CalendarFileError, parse_calendar_file, shipped_calendar
from tthc_core.calendar import VN_TZ, CalendarCertainty, Duration, YearStatus
from tthc_core.testing.dossiers import WEEKDAYS

SHIPPED = shipped_calendar()


def _deviations(year: int) -> dict[dt.date, bool]:
    """Days of ``year`` where ``holidays`` departs from the Monday-Friday week."""
    vn = holidays.country_holidays("VN")
    day, found = dt.date(year, 1, 1), {}
    while day.year == year:
        working = bool(vn.is_working_day(day))
        if working != (day.weekday() < 5):
            found[day] = working
        day += dt.timedelta(days=1)
    return found


@pytest.mark.parametrize("year", sorted(SHIPPED.announced))
def test_each_shipped_year_agrees_with_holidays(year: int) -> None:
    listed = {d.day: d.working for d in SHIPPED.days if d.day.year == year}
    assert listed == _deviations(year)


def test_every_shipped_year_and_day_names_its_source() -> None:
    assert set(SHIPPED.announced) >= {2024, 2025, 2026}
    assert all(source.strip() for source in SHIPPED.announced.values())
    assert all(d.source.strip() and d.name.strip() for d in SHIPPED.days)
    assert {d.day.year for d in SHIPPED.days} <= set(SHIPPED.announced)
    assert "9441/TB-BNV" in SHIPPED.announced[2026]


def test_years_are_announced_or_provisional() -> None:
    certainty = default_deadlines().certainty
    assert certainty is not None
    assert certainty.status(2026) is YearStatus.ANNOUNCED
    assert certainty.status(2027) is YearStatus.PROVISIONAL
    assert certainty.status(2027).label_vi == "dự kiến"
    assert certainty.provisional_years(2025, 2028) == (2027, 2028)


@pytest.mark.parametrize(
    ("end", "provisional"),
    [
        (dt.datetime(2026, 12, 31, 23, 59, tzinfo=VN_TZ), False),  # last minute of 2026
        (dt.datetime(2027, 1, 1, 0, 0, tzinfo=VN_TZ), True),  # first minute of 2027
        (dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC), True),  # 00:00 on 1/1/2027 in Vietnam
    ],
)
def test_a_due_time_over_a_provisional_year_is_provisional(
    end: dt.datetime, provisional: bool
) -> None:
    start = dt.datetime(2026, 12, 21, 9, 0, tzinfo=VN_TZ)
    assert default_deadlines().is_provisional(start, end) is provisional


def test_a_due_time_computed_into_next_year_says_so() -> None:
    dl = default_deadlines()
    received = dt.datetime(2026, 12, 24, 9, 0, tzinfo=VN_TZ)
    due = dl.due(received, Duration.working_days(10))
    assert due.year == 2027
    assert dl.is_provisional(received, due)
    assert not dl.is_provisional(received, dl.due(received, Duration.working_days(2)))


def test_a_calendar_without_certainty_is_exact() -> None:

    assert WEEKDAYS.certainty is None
    assert not WEEKDAYS.is_provisional(
        dt.datetime(2029, 1, 1, tzinfo=VN_TZ), dt.datetime(2030, 1, 1, tzinfo=VN_TZ)
    )
    with pytest.raises(ValueError, match="needs its source"):
        CalendarCertainty({2027: " "})


PROVINCE_2027 = """
[years.2027]
source = "Thông báo .../TB-BNV về lịch nghỉ Tết Âm lịch 2027 (ví dụ)"

[[days]]
date = 2027-02-08
state = "off"
name = "Tết Nguyên Đán"
source = "Thông báo .../TB-BNV"

[[days]]
date = 2027-02-12
state = "off"
name = "Nghỉ theo quyết định của tỉnh (ví dụ)"
source = "Quyết định của UBND tỉnh Đắk Lắk (ví dụ)"

[[days]]
date = 2027-02-20
state = "working"
name = "Làm bù"
source = "Quyết định của UBND tỉnh Đắk Lắk (ví dụ)"
"""


def test_a_province_file_announces_a_year_and_its_days_apply() -> None:
    local = parse_calendar_file(PROVINCE_2027, origin="dak-lak.toml")
    dl = default_deadlines(local=local)
    assert dl.certainty is not None
    assert dl.certainty.status(2027) is YearStatus.ANNOUNCED
    assert not dl.index.is_working_day(dt.date(2027, 2, 8))
    assert dl.index.is_working_day(dt.date(2027, 2, 20))  # a Saturday worked
    assert dl.index.is_working_day(dt.date(2027, 2, 19))  # unlisted: as holidays says
    calendar = HolidaysCalendar(table=SHIPPED.merged(local))
    assert not dl.index.is_working_day(dt.date(2027, 2, 12))
    assert calendar.holiday_name(dt.date(2027, 2, 12)) == "Nghỉ theo quyết định của tỉnh (ví dụ)"
    assert calendar.holiday_name(dt.date(2026, 8, 31)) == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert calendar.holiday_name(dt.date(2027, 2, 20)) is None


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        ("[years.2027\n", "the file", "not valid TOML"),
        ("[holidays]\n", "the file", "unknown section"),
        ('[years.27]\nsource = "x"\n', "years.27", "is not a year"),
        ("[years.2027]\n", "years.2027", "source is required"),
        ('[years.2027]\nsource = "x"\nnote = 1\n', "years.2027", "unknown key"),
        ('[[days]]\ndate = "2027-02-08"\nstate = "off"\nsource = "x"\n', "days[0]", "TOML date"),
        (
            '[[days]]\ndate = 2027-02-08T08:00:00\nstate = "off"\nsource = "x"\n',
            "days[0]",
            "TOML date",
        ),
        (
            '[[days]]\ndate = 2027-02-08\nstate = "nghỉ"\nsource = "x"\n',
            "days[0]",
            "'off' or 'working'",
        ),
        ('[[days]]\ndate = 2027-02-08\nstate = "off"\n', "days[0]", "source is required"),
        (
            '[[days]]\ndate = 2027-02-08\nstate = "working"\nsource = "x"\n',
            "days[0]",
            "is a weekday",
        ),
        ('[[days]]\ndate = 2027-02-06\nstate = "off"\nsource = "x"\n', "days[0]", "weekend day"),
        ('[[days]]\ndate = 2200-02-06\nstate = "off"\nsource = "x"\n', "days[0]", "outside"),
        (
            '[[days]]\ndate = 2027-02-08\nstate = "off"\nsource = "x"\n'
            '[[days]]\ndate = 2027-02-08\nstate = "off"\nsource = "y"\n',
            "days[1]",
            "listed twice",
        ),
        (
            '[[days]]\ndate = 2027-02-08\nstate = "off"\nsource = "x"\nwhy = 1\n',
            "days[0]",
            "unknown key",
        ),
    ],
)
def test_a_bad_calendar_file_is_refused_with_a_reason(text: str, where: str, why: str) -> None:
    with pytest.raises(CalendarFileError) as info:
        parse_calendar_file(text)
    assert info.value.where == where
    assert why in info.value.why
