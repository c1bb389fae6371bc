"""``tthc calendar``: the working calendar the desk uses, and how sure it is.

Prints the years (announced, with the notice that fixed them, or provisional),
the province's local file if one is given, and with ``--year`` every day of
that year that differs from the Monday-Friday week (Labour Code 2019
Art. 111-112; Decision 188/1999/QĐ-TTg).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from tthc_adapters.calendar import HolidaysCalendar
from tthc_adapters.calendar_file import CalendarFile, load_calendar_file, shipped_calendar

__all__ = ["calendar_report", "register"]

_WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``calendar``."""
    parser = subparsers.add_parser(
        "calendar", help="show the working calendar: announced and provisional years, overrides"
    )
    parser.add_argument(
        "--file",
        type=Path,
        help="the province's calendar file (TOML); default: env TTHC_CALENDAR_FILE",
    )
    parser.add_argument("--year", type=int, help="list the days off and worked of this year")
    parser.add_argument(
        "--until", type=int, help="last year of the status table (default: two years ahead)"
    )
    parser.set_defaults(handler=run)


def _day_line(day: dt.date, working: bool, name: str, source: str) -> str:
    state = "làm việc" if working else "nghỉ"
    text = f"  {day:%d/%m/%Y} {_WEEKDAYS_VI[day.weekday()]:<9} {state:<9} {name}"
    return f"{text} [{source}]" if source else text


def calendar_report(
    local: CalendarFile | None, *, today: dt.date, year: int | None = None, until: int | None = None
) -> str:
    """The report ``tthc calendar`` prints (Vietnamese labels, NFC).

    Args:
        local: The province's file, if any.
        today: The current date (the table runs to two years after it by default).
        year: A year whose days to list.
        until: The last year of the status table.
    """
    shipped = shipped_calendar()
    table = shipped if local is None else shipped.merged(local)
    certainty = table.certainty
    first = min(table.announced, default=today.year)
    last = until or max(today.year + 2, *table.announced)
    lines = ["Lịch làm việc (Bộ luật Lao động 2019 Điều 111-112; Điều 112(3): năm công bố)", ""]
    for y in range(first, last + 1):
        status = certainty.status(y)
        source = certainty.source(y) or "chưa công bố: ngày nghỉ tính theo luật, chưa có hoán đổi"
        lines.append(f"{y}  {status.label_vi:<11} {source}")
    provisional = certainty.provisional_years(first, last)
    lines += ["", f"Năm dự kiến: {', '.join(map(str, provisional)) or 'không có'}"]
    lines += ["", f"Ngày riêng của địa phương ({local.origin if local else 'không có tệp'}):"]
    lines += [_day_line(d.day, d.working, d.name, d.source) for d in (local.days if local else ())]
    if year is not None:
        calendar = HolidaysCalendar(table=table)
        status = certainty.status(year)
        lines += ["", f"Năm {year} ({status.label_vi}): ngày khác tuần làm việc Thứ Hai - Thứ Sáu"]
        listed = table.by_date()
        day = dt.date(year, 1, 1)
        while day.year == year:
            working = calendar.is_working_day(day)
            if working != (day.weekday() < 5):
                entry = listed.get(day)
                name = entry.name if entry else (calendar.holiday_name(day) or "làm bù")
                source = entry.source if entry else f"holidays, {status.label_vi}"
                lines.append(_day_line(day, working, name, source))
            day += dt.timedelta(days=1)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the calendar report; 0 on success."""
    path = args.file
    if path is None and os.environ.get("TTHC_CALENDAR_FILE"):
        path = Path(os.environ["TTHC_CALENDAR_FILE"])
    local = None if path is None else load_calendar_file(path)
    from tthc_adapters.bootstrap import system_clock

    today = system_clock().date()
    print(calendar_report(local, today=today, year=args.year, until=args.until))
    return 0
