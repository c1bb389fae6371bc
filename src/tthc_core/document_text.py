"""Places, dates and times as Vietnamese administrative documents write them.

Decree 30/2020/NĐ-CP Phụ lục I (thể thức văn bản hành chính): the
place-and-date line reads ``"<địa danh>, ngày … tháng … năm …"`` — the name of
the administrative unit where the agency sits, then the date in words form,
with a leading zero for days below 10 and for months 1 and 2. A time, where
one is meant (Mẫu 01 items 4-5), reads ``"09 giờ 15 phút, ngày …"``. Dates are
the Vietnam-time (Asia/Ho_Chi_Minh) date of the instant.

A period counted in days ends at 24:00 of its last day (Civil Code 2015
Art. 148), held as the exclusive 00:00 of the next day; it reads ``"hết
ngày …"`` of the last day, never ``"00 giờ 00 phút"`` of the next one.

Every printed form (the receipt, the control sheet, the staff desk's notices)
words its dates here, so the forms cannot drift apart. Short texts (chat
replies, the status page, Open311) keep the date in figures but write a time
the same way: ``"16 giờ 30 phút, ngày 04/12/2026"``, ``"hết ngày 08/12/2026"``
(:func:`format_due_short_vi`).
"""

from __future__ import annotations

import datetime as dt
import re

from tthc_core.calendar import to_local

__all__ = [
    "format_date_vi",
    "format_deadline_vi",
    "format_due_short_vi",
    "format_instant_vi",
    "place_date_vi",
    "place_name_of",
]

_UNITS = "xã|phường|thị trấn|đặc khu|thị xã|huyện|quận|thành phố|tỉnh"
#: The agency's own unit: the name after its first administrative-unit word, up to a
#: comma or the next unit word ("UBND phường Tân Lập, thành phố Buôn Ma Thuột").
_UNIT_WORD = re.compile(rf"(?:^|\s)(?:{_UNITS})\s+(.+?)(?=,|\s(?:{_UNITS})\s|$)", re.IGNORECASE)


def format_date_vi(day: dt.date) -> str:
    """``"ngày 07 tháng 3 năm 2024"``.

    Days below 10 and months 1-2 take a leading zero (Decree 30/2020/NĐ-CP,
    Phụ lục I, on the place-and-date line of administrative documents).
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_instant_vi(instant: dt.datetime) -> str:
    """``"09 giờ 15 phút, ngày 07 tháng 3 năm 2024"`` in Vietnam time (Mẫu 01 items 4-5)."""
    local = to_local(instant)
    return f"{local:%H} giờ {local:%M} phút, {format_date_vi(local.date())}"


def format_deadline_vi(due_at: dt.datetime) -> str:
    """A due instant: ``"hết ngày 07 tháng 3 năm 2024"`` at 24:00, else :func:`format_instant_vi`.

    Args:
        due_at: The exclusive end of a period (00:00 Vietnam time after its last
            day when the period is counted in days).
    """
    local = to_local(due_at)
    if local.time() == dt.time(0, 0):
        return f"hết {format_date_vi(local.date() - dt.timedelta(days=1))}"
    return format_instant_vi(due_at)


def format_due_short_vi(instant: dt.datetime) -> str:
    """``"16 giờ 30 phút, ngày 04/12/2026"``, or ``"hết ngày 08/12/2026"`` at 24:00, Vietnam time.

    The short form of :func:`format_deadline_vi` for chat replies, the status
    page and Open311: the date in figures, the time in words, never ``"16:30"``.
    """
    local = to_local(instant)
    if local.time() == dt.time(0, 0):
        return f"hết ngày {_figures(local - dt.timedelta(days=1))}"
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {_figures(local)}"


def _figures(moment: dt.datetime) -> str:
    """``dd/mm/yyyy`` (by hand: ``strftime`` is slow enough to show in every chat answer)."""
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year}"


def place_name_of(agency_name: str) -> str:
    """The place name that opens the place-and-date line: ``"Krông Năng"``.

    Decree 30/2020/NĐ-CP Phụ lục I: the line starts with the name of the
    administrative unit where the agency sits, not the agency's name: the words
    after its first administrative-unit word (``"UBND xã Krông Năng"`` →
    ``"Krông Năng"``; ``"Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk"`` →
    ``"Đắk Lắk"``), or the whole name when it has none.
    """
    found = _UNIT_WORD.search(agency_name)
    return found.group(1).strip() if found else agency_name.strip()


def place_date_vi(place: str, instant: dt.datetime) -> str:
    """``"Krông Năng, ngày 27 tháng 11 năm 2026"``: the place, then the Vietnam-time date."""
    return f"{place}, {format_date_vi(to_local(instant).date())}"
