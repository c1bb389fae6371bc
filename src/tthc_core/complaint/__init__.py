"""Feedback, petitions, complaints and denunciations: one lifecycle with statutory deadlines.

Citizens learn that their message was received, who has it and when they will
get an answer; staff get deadlines they cannot miss. The law differs by kind:

* service feedback and petitions on administrative regulations — Decree
  20/2008/NĐ-CP and the national PAKN indicators (Decision 766/QĐ-TTg);
* complaints (khiếu nại), first and second level — Law on Complaints
  02/2011/QH13, Decree 124/2020/NĐ-CP as amended by Decree 155/2026/NĐ-CP;
* denunciations (tố cáo) — Law on Denunciations 25/2018/QH14.

Each kind has a transition table (:data:`TABLES`) and rows in the law table
(:data:`LAW_TABLE`). Commands take a :class:`Case` and an instant and return
``(case, events)``. **Stale updates are ignored**: a command or event dated
before the case's last applied event returns the case unchanged and no events,
without error. Identity is confidential (:func:`redact`); the Open311 projection
(:func:`georeport_request`, :data:`GEO_SERVICES`) is public and identity-free.

Example::

    case, events = receive(case_id="PA-2026-0001", kind=CaseKind.PETITION, at=now,
                           channel=Channel.CHAT, agency=agency, deadlines=deadlines,
                           content="Thủ tục yêu cầu nộp bản sao không cần thiết")
    case, events = accept(case, at=later, deadlines=deadlines)
"""

from __future__ import annotations

from tthc_core.complaint._case import Case, Outcome, apply_event, replay
from tthc_core.complaint._choices import (
    MAX_EXTENSION_DAYS,
    CaseCommand,
    extension_options,
    open_commands,
)
from tthc_core.complaint._clock import Clock
from tthc_core.complaint._commands import (
    accept,
    assign,
    close,
    decline,
    extend,
    forward,
    hold_dialogue,
    publish,
    reopen,
    resolve,
    resume,
    start_verification,
    suspend,
    terminate,
    withdraw,
)
from tthc_core.complaint._escalation import escalate
from tthc_core.complaint._events import (
    CaseAccepted,
    CaseAssigned,
    CaseClosed,
    CaseEscalated,
    CaseEvent,
    CaseForwarded,
    CaseNotAccepted,
    CasePublished,
    CaseReceived,
    CaseReopened,
    CaseResolved,
    CaseResumed,
    CaseSuspended,
    CaseTerminated,
    CaseWithdrawn,
    DeadlineApproaching,
    DeadlineExtended,
    DeadlineMissed,
    DeadlineNotice,
    DialogueHeld,
    VerificationStarted,
)
from tthc_core.complaint._intake import MissingIdentity, receive
from tthc_core.complaint._kinds import (
    Attachment,
    CaseKind,
    CaseState,
    Channel,
    ComplaintLevel,
    ReceivingAgency,
    Step,
    Variant,
)
from tthc_core.complaint._law import LAW_TABLE, UNKNOWN_CITATION_VI, LawRule, rule_for
from tthc_core.complaint._location import PUBLIC_DECIMALS, GeoPoint
from tthc_core.complaint._notices import CaseNotice, notice_for
from tthc_core.complaint._open311 import (
    SERVICES,
    Area,
    georeport_definition,
    georeport_request,
    georeport_requests,
    georeport_services,
)
from tthc_core.complaint._open311_services import (
    ATTRIBUTE_ADDRESS,
    ATTRIBUTE_DOSSIER,
    ATTRIBUTE_PROPOSAL,
    ATTRIBUTE_REGULATION,
    GEO_SERVICES,
    AttributeType,
    GeoService,
    ServiceAttribute,
    geo_service,
)
from tthc_core.complaint._privacy import (
    CONFIDENTIAL,
    Viewer,
    may_read,
    readable_fields,
    redact,
    scrub,
)
from tthc_core.complaint._queue import (
    UNASSIGNED,
    CaseCounts,
    Timeliness,
    due_in_queue,
    overdue,
    reminders_due,
    statistics,
    timeliness,
)
from tthc_core.complaint._table import TABLES, TransitionTable, check_table

__all__ = [
    "ATTRIBUTE_ADDRESS",
    "ATTRIBUTE_DOSSIER",
    "ATTRIBUTE_PROPOSAL",
    "ATTRIBUTE_REGULATION",
    "CONFIDENTIAL",
    "GEO_SERVICES",
    "LAW_TABLE",
    "MAX_EXTENSION_DAYS",
    "PUBLIC_DECIMALS",
    "SERVICES",
    "TABLES",
    "UNASSIGNED",
    "UNKNOWN_CITATION_VI",
    "Area",
    "Attachment",
    "AttributeType",
    "Case",
    "CaseAccepted",
    "CaseAssigned",
    "CaseClosed",
    "CaseCommand",
    "CaseCounts",
    "CaseEscalated",
    "CaseEvent",
    "CaseForwarded",
    "CaseKind",
    "CaseNotAccepted",
    "CaseNotice",
    "CasePublished",
    "CaseReceived",
    "CaseReopened",
    "CaseResolved",
    "CaseResumed",
    "CaseState",
    "CaseSuspended",
    "CaseTerminated",
    "CaseWithdrawn",
    "Channel",
    "Clock",
    "ComplaintLevel",
    "DeadlineApproaching",
    "DeadlineExtended",
    "DeadlineMissed",
    "DeadlineNotice",
    "DialogueHeld",
    "GeoPoint",
    "GeoService",
    "LawRule",
    "MissingIdentity",
    "Outcome",
    "ReceivingAgency",
    "ServiceAttribute",
    "Step",
    "Timeliness",
    "TransitionTable",
    "Variant",
    "VerificationStarted",
    "Viewer",
    "accept",
    "apply_event",
    "assign",
    "check_table",
    "close",
    "decline",
    "due_in_queue",
    "escalate",
    "extend",
    "extension_options",
    "forward",
    "geo_service",
    "georeport_definition",
    "georeport_request",
    "georeport_requests",
    "georeport_services",
    "hold_dialogue",
    "may_read",
    "notice_for",
    "open_commands",
    "overdue",
    "publish",
    "readable_fields",
    "receive",
    "redact",
    "reminders_due",
    "reopen",
    "replay",
    "resolve",
    "resume",
    "rule_for",
    "scrub",
    "start_verification",
    "statistics",
    "suspend",
    "terminate",
    "timeliness",
    "withdraw",
]
