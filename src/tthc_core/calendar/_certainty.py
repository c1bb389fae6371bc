"""Which years' calendars the Government has announced, and which are provisional.

Labour Code 2019 Art. 112(3): each year the Prime Minister fixes the Tết days
and the day next to 2/9, and the Government announces the year's swaps (a
Saturday worked for a bridge day off). Until then a year's working days are a
forecast: the lunar algorithm and no swaps. A due time whose period crosses a
provisional year is printed "dự kiến" (expected).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["CalendarCertainty", "YearStatus"]


class YearStatus(enum.Enum):
    """Whether a year's working days come from an announcement or a forecast."""

    ANNOUNCED = "announced"  # đã công bố: the Prime Minister's / the Ministry's notice
    PROVISIONAL = "provisional"  # dự kiến: computed, not yet announced

    @property
    def label_vi(self) -> str:
        """``"đã công bố"`` or ``"dự kiến"``."""
        return "đã công bố" if self is YearStatus.ANNOUNCED else "dự kiến"


def _sources(value: Mapping[int, str]) -> Mapping[int, str]:
    table = dict(value)
    for year, source in table.items():
        if isinstance(year, bool) or not isinstance(year, int):
            raise InvalidInput(f"announced year {year!r} must be a whole number")
        if not isinstance(source, str) or not source.strip():
            raise InvalidInput(f"announced year {year} needs its source (the notice that fixed it)")
    return table


@attrs.frozen
class CalendarCertainty:
    """The years whose working days were announced, each with its source.

    Args:
        announced: Year → the notice that fixed it (such as ``"Thông báo
            9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ"``). Every other year is
            provisional.

    Raises:
        InvalidInput: If a year is not a whole number or has no source.
    """

    announced: Mapping[int, str] = attrs.field(factory=dict, converter=_sources)

    def status(self, year: int) -> YearStatus:
        """The year's status."""
        return YearStatus.ANNOUNCED if year in self.announced else YearStatus.PROVISIONAL

    def source(self, year: int) -> str | None:
        """The notice that fixed the year, or None for a provisional year."""
        return self.announced.get(year)

    def provisional_years(self, first: int, last: int) -> tuple[int, ...]:
        """The provisional years in ``first..last`` (inclusive)."""
        return tuple(y for y in range(first, last + 1) if y not in self.announced)

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """Whether a period from ``start`` to ``end`` (either order) touches a provisional year."""
        low, high = sorted((start.year, end.year))
        return bool(self.provisional_years(low, high))
