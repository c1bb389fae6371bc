"""Calendar files (TOML): the announced tables tthc ships and a province's own overrides.

A calendar file says which years were announced, with the notice that fixed
each (Labour Code 2019 Art. 112(3): the Prime Minister fixes the Tết days and
the day next to 2/9 every year; the yearly notices swap working days), and
lists the days that differ from the Monday-Friday week, each with its source::

    [years.2027]
    source = "Thông báo .../TB-BNV ngày ... của Bộ Nội vụ"

    [[days]]
    date = 2027-02-05
    state = "off"          # or "working" (a Saturday worked, ngày làm bù)
    name = "Tết Nguyên Đán"
    source = "Thông báo .../TB-BNV"

tthc ships ``data/announced_calendar.toml`` (:func:`shipped_calendar`); a
province publishes its own file, loaded at start (:func:`load_calendar_file`)
and validated: every mistake is a :class:`CalendarFileError` naming the entry
and the reason.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from tthc_core.calendar import CalendarCertainty
from tthc_core.errors import InvalidInput

__all__ = [
    "CalendarFile",
    "CalendarFileError",
    "DayEntry",
    "load_calendar_file",
    "parse_calendar_file",
    "shipped_calendar",
]

_STATES = {"off": False, "working": True}
_DAY_KEYS = {"date", "state", "name", "source"}
_YEARS = (1995, 2100)


class CalendarFileError(InvalidInput):
    """A calendar file that cannot be used, with where and why.

    Attributes:
        where: The entry (``"days[3]"``, ``"years.2027"``, or the file).
        why: What is wrong and how to fix it.
    """

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"calendar file, {where}: {why}")
        self.where = where
        self.why = why


@attrs.frozen
class DayEntry:
    """One day that differs from the Monday-Friday week.

    Args:
        day: The date.
        working: True for a weekend day worked (ngày làm bù), False for a day off.
        name: What it is (``"Tết Nguyên Đán"``).
        source: The text or notice that decided it.
    """

    day: dt.date
    working: bool
    name: str
    source: str


@attrs.frozen
class CalendarFile:
    """A parsed calendar file.

    Args:
        announced: Year → the notice that fixed it.
        days: The days listed, in file order.
        origin: Where it came from (a path, or ``"tthc"`` for the shipped table).
    """

    announced: dict[int, str]
    days: tuple[DayEntry, ...]
    origin: str = ""

    @property
    def certainty(self) -> CalendarCertainty:
        """The announced years as the core's :class:`CalendarCertainty`."""
        return CalendarCertainty(self.announced)

    def by_date(self) -> dict[dt.date, DayEntry]:
        """The days by date."""
        return {d.day: d for d in self.days}

    def merged(self, local: CalendarFile) -> CalendarFile:
        """This table with ``local`` on top: its days win, its years are added."""
        days = {**self.by_date(), **local.by_date()}
        return CalendarFile(
            {**self.announced, **local.announced},
            tuple(sorted(days.values(), key=lambda d: d.day)),
            f"{self.origin} + {local.origin}",
        )


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise CalendarFileError(where, f"{key} must be text, got {value!r}")
    if required and not value.strip():
        raise CalendarFileError(where, f"{key} is required: name the notice or article")
    return value.strip()


def _year(key: str) -> int:
    where = f"years.{key}"
    if not key.isdigit() or not _YEARS[0] <= int(key) <= _YEARS[1]:
        raise CalendarFileError(where, f"{key!r} is not a year in {_YEARS[0]}-{_YEARS[1]}")
    return int(key)


def _years(table: object) -> dict[int, str]:
    if not isinstance(table, dict):
        raise CalendarFileError("years", "must be a table of [years.YYYY] entries")
    announced: dict[int, str] = {}
    for key, entry in table.items():
        year, where = _year(str(key)), f"years.{key}"
        if not isinstance(entry, dict):
            raise CalendarFileError(where, "must be a table with a source")
        unknown = set(entry) - {"source"}
        if unknown:
            raise CalendarFileError(where, f"unknown key(s) {sorted(unknown)}; only source")
        announced[year] = _text(entry, "source", where, required=True)
    return announced


def _day(entry: object, where: str) -> DayEntry:
    if not isinstance(entry, dict):
        raise CalendarFileError(where, "must be a table with date, state and source")
    unknown = set(entry) - _DAY_KEYS
    if unknown:
        raise CalendarFileError(
            where, f"unknown key(s) {sorted(unknown)}; expected {sorted(_DAY_KEYS)}"
        )
    day = entry.get("date")
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise CalendarFileError(where, f"date must be a TOML date like 2027-02-05, got {day!r}")
    if not _YEARS[0] <= day.year <= _YEARS[1]:
        raise CalendarFileError(where, f"{day.isoformat()} is outside {_YEARS[0]}-{_YEARS[1]}")
    state = entry.get("state")
    if state not in _STATES:
        raise CalendarFileError(where, f"state must be 'off' or 'working', got {state!r}")
    working = _STATES[str(state)]
    if working and day.weekday() < 5:
        raise CalendarFileError(
            where, f"{day.isoformat()} is a weekday: only a Saturday or Sunday can be worked"
        )
    if not working and day.weekday() >= 5:
        raise CalendarFileError(
            where, f"{day.isoformat()} is a weekend day: it is off already; list weekdays off"
        )
    return DayEntry(
        day,
        working,
        _text(entry, "name", where, required=False),
        _text(entry, "source", where, required=True),
    )


def parse_calendar_file(text: str, *, origin: str = "") -> CalendarFile:
    """Parse and validate a calendar file.

    Args:
        text: The TOML text.
        origin: Where it came from, for messages.

    Raises:
        CalendarFileError: For invalid TOML, an unknown key, a date that is not
            a date, a state other than off/working, a weekday "worked" or a
            weekend day "off", a missing source, or the same date twice.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarFileError(origin or "the file", f"not valid TOML: {exc}") from None
    unknown = set(data) - {"years", "days"}
    if unknown:
        raise CalendarFileError(origin or "the file", f"unknown section(s) {sorted(unknown)}")
    announced = _years(data.get("years", {}))
    raw_days = data.get("days", [])
    if not isinstance(raw_days, list):
        raise CalendarFileError("days", "must be an array of [[days]] tables")
    days: dict[dt.date, DayEntry] = {}
    for number, entry in enumerate(raw_days):
        day = _day(entry, f"days[{number}]")
        if day.day in days:
            raise CalendarFileError(
                f"days[{number}]", f"{day.day.isoformat()} is listed twice; keep one line"
            )
        days[day.day] = day
    return CalendarFile(announced, tuple(days.values()), origin)


def load_calendar_file(path: Path) -> CalendarFile:
    """Read and validate a province's calendar file.

    Raises:
        CalendarFileError: If it cannot be read or is invalid.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarFileError(str(path), f"cannot be read: {exc.strerror}") from None
    return parse_calendar_file(text, origin=str(path))


@cache
def shipped_calendar() -> CalendarFile:
    """The announced tables tthc ships (``tthc_adapters/data/announced_calendar.toml``)."""
    source = resources.files("tthc_adapters") / "data" / "announced_calendar.toml"
    return parse_calendar_file(source.read_text(encoding="utf-8"), origin="tthc")
