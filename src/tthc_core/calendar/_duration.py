"""Legal time limits: an amount and the unit the legal text writes it in."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["SAME_DAY_CUTOFF", "Duration", "TimeUnit"]

#: Policy ``SAME_DAY_CUTOFF``: a same-day procedure received after this local
#: time is handled by the end of the next working day. Decree 23/2015/NĐ-CP
#: Art. 7 (chứng thực) and the hộ tịch procedures write "trong ngày ...; trường
#: hợp nhận sau 15 giờ thì ... trong ngày làm việc tiếp theo"; a catalogue entry
#: may set its own cut-off (:meth:`Duration.same_day`).
SAME_DAY_CUTOFF = dt.time(15, 0)


class TimeUnit(enum.Enum):
    """The unit a legal time limit is written in.

    Most procedures count working days (ngày làm việc) from the receipt of a
    complete dossier; complaints and denunciations count days (ngày), which the
    Civil Code 2015 Art. 147-148 rule turns into an end instant. Same-day
    procedures ("trong ngày": chứng thực, Decree 23/2015/NĐ-CP Art. 7; most hộ
    tịch registrations) are due at the close of the receipt day, or of the next
    working day when received after a cut-off (:data:`SAME_DAY_CUTOFF`).
    """

    WORKING_DAYS = "working_days"  # ngày làm việc
    WORKING_HOURS = "working_hours"  # giờ làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày (Civil Code Art. 147-148)
    SAME_DAY = "same_day"  # trong ngày

    @property
    def label_vi(self) -> str:
        """The Vietnamese unit as printed on forms (``"ngày làm việc"``...)."""
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
    TimeUnit.SAME_DAY: "trong ngày",
}


def _check_amount(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{attribute.name} must be a whole number, got {value!r}")
    if value < 0:
        raise InvalidInput(f"{attribute.name} must not be negative, got {value}")


def _check_cutoff(duration: Duration, _: object, value: dt.time | None) -> None:
    if value is None:
        return
    if duration.unit is not TimeUnit.SAME_DAY:
        raise InvalidInput(
            f"a cut-off time belongs to a same-day limit, not to {duration.unit.value}"
        )
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise InvalidInput(f"cut-off {value!r} must be a local time of day without a time zone")
    if value.second or value.microsecond:
        raise InvalidInput(f"cut-off {value} must be set to the minute")


@attrs.frozen(order=False)
class Duration:
    """A legal time limit: an amount and the unit the text writes it in.

    Durations of the same unit add up and compare; durations of different
    units do neither (a working day is not a fixed number of hours until an
    agency's office hours say so, see :meth:`Deadlines.minutes_of`).

    A same-day limit ("trong ngày") has amount 0 and an optional ``cutoff``
    (``None`` is the policy default :data:`SAME_DAY_CUTOFF`, 15:00).

    Args:
        amount: How many units (a non-negative whole number; 0 for same-day).
        unit: Working days, working hours, calendar days or same-day.
        cutoff: Same-day limits only: received after this local time, the
            dossier is due at the close of the next working day.

    Raises:
        InvalidInput: If ``amount`` is negative or not a whole number, a
            same-day limit has an amount, or a cut-off is set on another unit.
    """

    amount: int = attrs.field(validator=_check_amount)
    unit: TimeUnit = attrs.field(default=TimeUnit.WORKING_DAYS)
    cutoff: dt.time | None = attrs.field(default=None, validator=_check_cutoff)

    def __attrs_post_init__(self) -> None:
        if self.unit is TimeUnit.SAME_DAY and self.amount:
            raise InvalidInput(
                f"a same-day limit has no amount (got {self.amount}); use Duration.same_day()"
            )

    @classmethod
    def same_day(cls, cutoff: dt.time | None = None) -> Duration:
        """ "Trong ngày": due at today's close, or the next working day's after ``cutoff``.

        Decree 23/2015/NĐ-CP Art. 7 (chứng thực); hộ tịch registrations under
        the Law on Civil Status 2014. ``cutoff`` defaults to the policy
        :data:`SAME_DAY_CUTOFF` (15:00).
        """
        return cls(0, TimeUnit.SAME_DAY, cutoff)

    @property
    def effective_cutoff(self) -> dt.time:
        """The cut-off of a same-day limit: its own, else :data:`SAME_DAY_CUTOFF`."""
        return self.cutoff or SAME_DAY_CUTOFF

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
        """The limit as printed on a receipt: ``"05 ngày làm việc"``, ``"trong ngày"``."""
        if self.unit is TimeUnit.SAME_DAY:
            return self.unit.label_vi
        return f"{self.amount:02d} {self.unit.label_vi}"

    def __add__(self, other: object) -> Duration:
        if not isinstance(other, Duration) or other.unit is not self.unit:
            return NotImplemented
        return Duration(self.amount + other.amount, self.unit, self.cutoff)

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
