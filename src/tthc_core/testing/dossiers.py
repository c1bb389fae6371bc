"""Ready-made dossiers for tests: a weekday calendar, a procedure, and a driver.

Deterministic fixtures for tthc's own tests and for adapters built on the
dossier workflow (delivery, storage, chat), where a received dossier is a
precondition rather than the subject::

    from tthc_core.testing.dossiers import local, received, drive

    dossier, events = received(at=local(2026, 3, 2, 9, 0))
    dossier, more = drive(dossier, (HandOver("Phòng Tư pháp"), local(2026, 3, 2, 10, 0)))
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc_core.calendar import VN_TZ, Deadlines, Duration, OfficeHours, WorkingDayIndex
from tthc_core.catalogue import OnlineLevel, Procedure, StepTemplate
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.dossier import Channel, Command, Dossier, handle, receive, submit
from tthc_core.events import DomainEvent
from tthc_core.party import Applicant, PostalAddress
from tthc_core.testing.strategies._time import SetCalendar

__all__ = [
    "BIRTH_REGISTRATION",
    "DESK",
    "STEP_UNITS",
    "WEEKDAYS",
    "applicant",
    "drive",
    "local",
    "postal_address",
    "received",
    "submitted",
]

#: Monday-Friday, no holidays, 07:30-11:30 and 13:30-17:00 (450 office minutes a day).
WEEKDAYS = Deadlines(WorkingDayIndex(SetCalendar(), 2018, 2030), OfficeHours())

DESK = "Bộ phận Một cửa"
STEP_UNITS = ("Công chức Tư pháp - Hộ tịch", "Lãnh đạo UBND xã", DESK)

#: Đăng ký khai sinh with a 3 + 1 + 1 working-day step template (5 working days).
BIRTH_REGISTRATION = Procedure(
    code=ProcedureCode.parse("1.001193"),
    name="Đăng ký khai sinh",
    sector="Hộ tịch",
    processing_time=Duration.working_days(5),
    online_level=OnlineLevel.FULL,
    steps=tuple(
        StepTemplate(unit, Duration.working_days(days))
        for unit, days in zip(STEP_UNITS, (3, 1, 1), strict=True)
    ),
)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An instant in Vietnam time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def applicant() -> Applicant:
    """Nguyễn Văn An, 0912 345 678, of thôn 3, xã Krông Năng."""
    return Applicant(
        "Nguyễn Văn An", address="Thôn 3, xã Krông Năng, tỉnh Đắk Lắk", phone="0912345678"
    )


def postal_address() -> PostalAddress:
    """The applicant's address for postal return (xã Krông Năng, code 24343)."""
    return PostalAddress("Nguyễn Văn An", "0912345678", "Thôn 3", "24343", "66")


def _common(at: dt.datetime, overrides: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": DossierCode(AgencyCode("000.24.32.H15"), at.astimezone(VN_TZ).date(), 1),
        "procedure": BIRTH_REGISTRATION,
        "applicant": applicant(),
        "channel": Channel.IN_PERSON,
        "at": at,
    }
    values.update(overrides)
    return values


def received(
    *, at: dt.datetime, deadlines: Deadlines = WEEKDAYS, **overrides: Any
) -> tuple[Dossier, list[DomainEvent]]:
    """A dossier received at the desk at ``at`` (:func:`tthc_core.dossier.receive`).

    Args:
        at: The receipt instant.
        deadlines: The deadline arithmetic (default :data:`WEEKDAYS`).
        overrides: Any other keyword of :func:`~tthc_core.dossier.receive`.
    """
    values = _common(at, overrides)
    values.setdefault("unit", DESK)
    return receive(deadlines=deadlines, **values)


def submitted(*, at: dt.datetime, **overrides: Any) -> tuple[Dossier, list[DomainEvent]]:
    """A dossier submitted online at ``at`` (:func:`tthc_core.dossier.submit`)."""
    values = _common(at, {"channel": Channel.ONLINE, **overrides})
    return submit(**values)


def drive(
    dossier: Dossier,
    *steps: tuple[Command, dt.datetime],
    deadlines: Deadlines = WEEKDAYS,
) -> tuple[Dossier, list[DomainEvent]]:
    """Apply ``(command, at)`` pairs in order; the final dossier and all their events."""
    events: list[DomainEvent] = []
    for command, at in steps:
        dossier, more = handle(dossier, command, at=at, deadlines=deadlines)
        events += more
    return dossier, events
