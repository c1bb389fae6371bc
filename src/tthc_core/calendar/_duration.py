"""Legal time limits: an amount and the unit the legal text writes it in."""

from __future__ import annotations

import enum

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["Duration", "TimeUnit"]


class TimeUnit(enum.Enum):
    """The unit a legal time limit is written in.

    Most procedures count working days (ngày làm việc) from the receipt of a
    complete dossier; complaints and denunciations count days (ngày), which the
    Civil Code 2015 Art. 147-148 rule turns into an end instant.
    """

    WORKING_DAYS = "working_days"  # ngày làm việc
    WORKING_HOURS = "working_hours"  # giờ làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày (Civil Code Art. 147-148)

    @property
    def label_vi(self) -> str:
        """The Vietnamese unit as printed on forms (``"ngày làm việc"``...)."""
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
}


def _check_amount(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{attribute.name} must be a whole number, got {value!r}")
    if value < 0:
        raise InvalidInput(f"{attribute.name} must not be negative, got {value}")


@attrs.frozen(order=False)
class Duration:
    """A legal time limit: an amount and the unit the text writes it in.

    Durations of the same unit add up and compare; durations of different
    units do neither (a working day is not a fixed number of hours until an
    agency's office hours say so, see :meth:`Deadlines.minutes_of`).

    Args:
        amount: How many units (a non-negative whole number).
        unit: Working days, working hours or calendar days.

    Raises:
        InvalidInput: If ``amount`` is negative or not a whole number.
    """

    amount: int = attrs.field(validator=_check_amount)
    unit: TimeUnit = attrs.field(default=TimeUnit.WORKING_DAYS)

    @classmethod
    def working_days(cls, amount: int) -> Duration:
        """``amount`` working days (ngày làm việc)."""
        return cls(amount, TimeUnit.WORKING_DAYS)

    @classmethod
    def working_hours(cls, amount: int) -> Duration:
        """``amount`` working hours (giờ làm việc)."""
        return cls(amount, TimeUnit.WORKING_HOURS)

    @classmethod
    def calendar_days(cls, amount: int) -> Duration:
        """``amount`` calendar days (ngày), counted by Civil Code 2015 Art. 147-148."""
        return cls(amount, TimeUnit.CALENDAR_DAYS)

    @property
    def label_vi(self) -> str:
        """The limit as printed on a receipt, such as ``"05 ngày làm việc"``."""
        return f"{self.amount:02d} {self.unit.label_vi}"

    def __add__(self, other: object) -> Duration:
        if not isinstance(other, Duration) or other.unit is not self.unit:
            return NotImplemented
        return Duration(self.amount + other.amount, self.unit)

    def _same_unit(self, other: object) -> Duration | None:
        if isinstance(other, Duration) and other.unit is self.unit:
            return other
        return None

    def __lt__(self, other: object) -> bool:
        same = self._same_unit(other)
        return NotImplemented if same is None else self.amount < same.amount

    def __le__(self, other: object) -> bool:
        same = self._same_unit(other)
        return NotImplemented if same is None else self.amount <= same.amount

    def __gt__(self, other: object) -> bool:
        same = self._same_unit(other)
        return NotImplemented if same is None else self.amount > same.amount

    def __ge__(self, other: object) -> bool:
        same = self._same_unit(other)
        return NotImplemented if same is None else self.amount >= same.amount
