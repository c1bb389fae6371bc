"""The working-calendar adapter over the ``holidays`` package (country VN).

It honours observed (compensatory) days and the Government's
``weekend_workdays`` swaps as ``holidays`` encodes them, plus a local override
table for days the Prime Minister or a province adds, removes or swaps after
the installed ``holidays`` release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache

import holidays

from tthc_core.calendar import Deadlines, OfficeHours, WorkingDayIndex

__all__ = ["HolidaysCalendar", "default_deadlines"]


class HolidaysCalendar:
    """:class:`tthc_core.calendar.WorkingCalendar` backed by ``holidays.country_holidays("VN")``.

    Args:
        overrides: Local decisions: a date mapped to True (a working day, such
            as a swapped Saturday) or False (a day off, such as an extra Tết day).
            They win over ``holidays``.
    """

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None) -> None:
        self._holidays = holidays.country_holidays("VN")
        self._overrides = dict(overrides or {})

    def is_working_day(self, day: dt.date) -> bool:
        """Return True if public offices open on ``day``."""
        override = self._overrides.get(day)
        if override is not None:
            return override
        return bool(self._holidays.is_working_day(day))

    def holiday_name(self, day: dt.date) -> str | None:
        """The Vietnamese name of the holiday on ``day``, if any."""
        name = self._holidays.get(day)
        return None if name is None else str(name)


@cache
def _default_index(first_year: int, last_year: int) -> WorkingDayIndex:
    return WorkingDayIndex(HolidaysCalendar(), first_year, last_year)


def default_deadlines(
    hours: OfficeHours | None = None, first_year: int = 2015, last_year: int = 2040
) -> Deadlines:
    """Deadline arithmetic over Vietnam's public holidays with the given office hours.

    The working-day index is built once per year span and shared.
    """
    return Deadlines(_default_index(first_year, last_year), hours or OfficeHours())
