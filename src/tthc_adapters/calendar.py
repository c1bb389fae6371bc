"""The working-calendar adapter over the ``holidays`` package (country VN).

It honours what ``holidays`` encodes for Vietnam: the paid holidays of Labour
Code 2019 Art. 112 (with 24/11, Ngày Văn hóa Việt Nam, from 2026), the
compensatory (observed) days of Art. 111(3), and the Government's yearly swaps
(``weekend_workdays``: a Saturday worked for a bridge day off, such as Saturday
26/4/2025 worked and Friday 2/5/2025 off). On top, a local override table holds
decisions made after the installed ``holidays`` release: the Prime Minister
fixes the Tết days and the day next to 2/9 each year (Art. 112(3)), and a
province may decide its own swaps.

Between the two sits the announced table (:mod:`tthc_adapters.calendar_file`):
the years the Government has announced, each day with its source. Its days
win over ``holidays``; its years are *announced* and every other year is
*provisional* (``Deadlines.certainty``), so a due time over a provisional year
is printed "dự kiến".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache

import attrs
import holidays

from tthc_adapters.calendar_file import CalendarFile, shipped_calendar
from tthc_core.calendar import Deadlines, OfficeHours, WorkingDayIndex
from tthc_core.errors import InvalidInput

__all__ = [
    "DEFAULT_LIMITS",
    "DayOverride",
    "HolidaysCalendar",
    "default_deadlines",
    "default_index",
    "parse_override_table",
]

#: Years the default index may grow to: ``holidays`` applies Vietnam's
#: compensatory-day rule from 1995 and has lunar tables up to 2100.
DEFAULT_LIMITS = (1995, 2100)


@attrs.frozen
class DayOverride:
    """A local decision about one date.

    Args:
        day: The date.
        working: True if offices open (a worked Saturday), False if closed.
        basis: The decision it comes from, such as ``"Thông báo 6150/TB-BNV"``.
    """

    day: dt.date
    working: bool
    basis: str = ""


def parse_override_table(text: str) -> list[DayOverride]:
    """Read an override table: one ``date,working|off[,basis]`` line per decision.

    Blank lines and lines starting with ``#`` are skipped. Dates are ISO 8601;
    the second column accepts ``working``/``làm việc``/``1`` or ``off``/``nghỉ``/``0``.

    Args:
        text: The table, for example from a province's configuration file.

    Raises:
        InvalidInput: Naming the line that cannot be read.
    """
    rows: list[DayOverride] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split(",", 2)]
        state = cells[1].casefold() if len(cells) > 1 else ""
        try:
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            raise InvalidInput(
                f"override table line {number}: {cells[0]!r} is not a date (YYYY-MM-DD)"
            ) from None
        if state in {"working", "làm việc", "1", "true"}:
            working = True
        elif state in {"off", "nghỉ", "0", "false"}:
            working = False
        else:
            raise InvalidInput(
                f"override table line {number}: expected 'working' or 'off', got {state!r}"
            )
        rows.append(DayOverride(day, working, cells[2] if len(cells) > 2 else ""))
    return rows


def _override_table(
    overrides: Mapping[dt.date, bool] | Iterable[DayOverride] | None,
) -> dict[dt.date, DayOverride]:
    if overrides is None:
        return {}
    if isinstance(overrides, Mapping):
        return {day: DayOverride(day, bool(working)) for day, working in overrides.items()}
    table: dict[dt.date, DayOverride] = {}
    for row in overrides:
        previous = table.get(row.day)
        if previous is not None and previous.working != row.working:
            raise InvalidInput(
                f"the override table says both working and off for {row.day.isoformat()}"
            )
        table[row.day] = row
    return table


class HolidaysCalendar:
    """:class:`tthc_core.calendar.WorkingCalendar` over ``holidays.country_holidays("VN")``.

    A date is a working day if an override says so; else as the announced
    table lists it; otherwise by ``holidays``: Monday-Friday unless a holiday,
    observed day or swapped day off, and a weekend day only if it is a swapped
    working day (``weekend_workdays``).

    Args:
        overrides: Local decisions, which win over everything: a mapping of
            date to True (working) / False (off), or :class:`DayOverride` rows
            (see :func:`parse_override_table`).
        table: The announced table with any province file on top (default:
            the table tthc ships, :func:`shipped_calendar`).

    Raises:
        InvalidInput: If the rows contradict each other.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | Iterable[DayOverride] | None = None,
        *,
        table: CalendarFile | None = None,
    ) -> None:
        self._holidays = holidays.country_holidays("VN", language="vi")
        self._overrides = _override_table(overrides)
        self._table = shipped_calendar() if table is None else table
        self._days = self._table.by_date()

    @property
    def table(self) -> CalendarFile:
        """The announced table in use."""
        return self._table

    @property
    def overrides(self) -> Mapping[dt.date, DayOverride]:
        """The override table, by date."""
        return dict(self._overrides)

    def is_working_day(self, day: dt.date) -> bool:
        """Return True if public offices open on ``day``."""
        override = self._overrides.get(day)
        if override is not None:
            return override.working
        listed = self._days.get(day)
        if listed is not None:
            return listed.working
        return bool(self._holidays.is_working_day(day))

    def holiday_name(self, day: dt.date) -> str | None:
        """Why offices close on ``day``, in Vietnamese; None on a working day or plain weekend.

        An override day off is named by its basis (or ``"Ngày nghỉ theo quyết
        định của cơ quan có thẩm quyền"`` without one); a day off of the
        announced table by ``holidays``' name, else the table's.
        """
        override = self._overrides.get(day)
        if override is not None:
            if override.working:
                return None
            return override.basis or "Ngày nghỉ theo quyết định của cơ quan có thẩm quyền"
        name = self._holidays.get(day)
        listed = self._days.get(day)
        if listed is not None:  # the table decides; ``holidays`` names it when it knows the day
            return None if listed.working else str(name or listed.name or listed.source)
        return None if name is None else str(name)


@cache
def default_index() -> WorkingDayIndex:
    """The shared index over Vietnam's holidays without overrides.

    Built for 2015-2040 at once and grown on demand within
    :data:`DEFAULT_LIMITS`.
    """
    return WorkingDayIndex(HolidaysCalendar(), 2015, 2040, limits=DEFAULT_LIMITS)


def default_deadlines(
    hours: OfficeHours | None = None,
    overrides: Mapping[dt.date, bool] | Iterable[DayOverride] | None = None,
    *,
    local: CalendarFile | None = None,
) -> Deadlines:
    """Deadline arithmetic over Vietnam's public holidays with the given office hours.

    Without overrides or a local file the working-day index is shared (built
    once per process); with either a new index is built (a few milliseconds).
    The result knows which years are announced (the shipped table and the
    local file's years) and which are provisional.

    Args:
        hours: The agency's office hours (default 07:30-11:30, 13:30-17:00).
        overrides: The agency's local override table.
        local: The province's calendar file (:func:`load_calendar_file`).
    """
    table = shipped_calendar() if local is None else shipped_calendar().merged(local)
    if overrides is None and local is None:
        index = default_index()
    else:
        calendar = HolidaysCalendar(overrides, table=table)
        index = WorkingDayIndex(calendar, 2015, 2040, limits=DEFAULT_LIMITS)
    return Deadlines(index, hours or OfficeHours(), certainty=table.certainty)
