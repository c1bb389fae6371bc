"""tthc_core: the pure domain of a Vietnamese one-stop administration desk.

No I/O, no clock, no randomness: time, ids, keys and calendars come in through
ports (:mod:`typing.Protocol`). Depends on attrs and cattrs only.
"""

from __future__ import annotations

from tthc_core.calendar import (
    VN_TZ,
    CalendarRangeError,
    Deadlines,
    Duration,
    OfficeHours,
    TimeUnit,
    WorkingCalendar,
    WorkingDayIndex,
)
from tthc_core.catalogue import (
    CopyType,
    Fee,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    StepTemplate,
)
from tthc_core.codes import (
    AgencyCode,
    AgencyLevel,
    DossierCode,
    InvalidAgencyCode,
    InvalidDossierCode,
    InvalidProcedureCode,
    ProcedureCode,
    SequenceAllocator,
    extract_dossier_codes,
)
from tthc_core.dossier import (
    Channel,
    ControlSheet,
    ControlSheetEntry,
    Dossier,
    DossierEvent,
    DossierState,
    StatusView,
    Timeliness,
    TransitionNotAllowed,
)
from tthc_core.errors import DomainRuleViolation, InvalidInput, TthcError
from tthc_core.events import DomainEvent
from tthc_core.regime import REGIME_2018, REGIME_2025, Form, Regime, SupplementClock, regime_for

__all__ = [
    "REGIME_2018",
    "REGIME_2025",
    "VN_TZ",
    "AgencyCode",
    "AgencyLevel",
    "CalendarRangeError",
    "Channel",
    "ControlSheet",
    "ControlSheetEntry",
    "CopyType",
    "Deadlines",
    "DomainEvent",
    "DomainRuleViolation",
    "Dossier",
    "DossierCode",
    "DossierEvent",
    "DossierState",
    "Duration",
    "Fee",
    "Form",
    "InvalidAgencyCode",
    "InvalidDossierCode",
    "InvalidInput",
    "InvalidProcedureCode",
    "OfficeHours",
    "OnlineLevel",
    "Procedure",
    "ProcedureCode",
    "Regime",
    "RequiredDocument",
    "SequenceAllocator",
    "StatusView",
    "StepTemplate",
    "SupplementClock",
    "TimeUnit",
    "Timeliness",
    "TransitionNotAllowed",
    "TthcError",
    "WorkingCalendar",
    "WorkingDayIndex",
    "extract_dossier_codes",
    "regime_for",
]
