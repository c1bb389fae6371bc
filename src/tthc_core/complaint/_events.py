"""Events of the case lifecycle: the audit trail every case is rebuilt from.

Each event has its own ``occurred_at``; :func:`tthc_core.complaint.apply_event`
folds them into a :class:`~tthc_core.complaint.Case` and ignores an event older
than the last one applied (a stale update), as FixMyStreet does with Open311
updates. Events that start or move a statutory period carry the resulting
:class:`~tthc_core.complaint.Clock`, so a replay needs no calendar and the trail
shows exactly which deadline was promised, under which article.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.codes import DossierCode
from tthc_core.complaint._clock import Clock
from tthc_core.complaint._kinds import (
    Attachment,
    CaseKind,
    Channel,
    ComplaintLevel,
    ReceivingAgency,
    Step,
    Variant,
)
from tthc_core.complaint._location import GeoPoint
from tthc_core.complaint._privacy import confidential
from tthc_core.events import DomainEvent
from tthc_core.party import Applicant

__all__ = [
    "CaseAccepted",
    "CaseAssigned",
    "CaseClosed",
    "CaseEscalated",
    "CaseEvent",
    "CaseForwarded",
    "CaseNotAccepted",
    "CasePublished",
    "CaseReceived",
    "CaseReopened",
    "CaseResolved",
    "CaseResumed",
    "CaseSuspended",
    "CaseTerminated",
    "CaseWithdrawn",
    "DeadlineApproaching",
    "DeadlineExtended",
    "DeadlineMissed",
    "DeadlineNotice",
    "DialogueHeld",
    "VerificationStarted",
]


@attrs.frozen(kw_only=True)
class CaseEvent(DomainEvent):
    """Something that happened to one case.

    Args:
        case_id: The case.
    """

    case_id: str


@attrs.frozen(kw_only=True)
class CaseReceived(CaseEvent):
    """A case arrived through a channel (tiếp nhận, vào sổ).

    Args:
        kind: What it is.
        level: The complaint level (complaints only).
        channel: How it arrived.
        agency: Who must answer.
        sender: The person who sent it (confidential).
        content: Their words (confidential).
        attachments: References to their files (confidential).
        public_summary: A summary safe to publish.
        dossier_code: The dossier it is about, if any.
        desk: The desk or counter it is about, if any.
        clock: The acceptance period that starts now, if a text sets one.
        location: Where it is about, if the sender gave a point.
    """

    kind: CaseKind
    level: ComplaintLevel | None
    channel: Channel
    agency: ReceivingAgency
    sender: Applicant | None = confidential(None, default=None)  # noqa: RUF009 - an attrs field
    content: str = confidential("", default="")
    attachments: tuple[Attachment, ...] = confidential((), default=())
    public_summary: str = ""
    dossier_code: DossierCode | None = None
    desk: str | None = None
    clock: Clock | None = None
    location: GeoPoint | None = None


@attrs.frozen(kw_only=True)
class CaseAccepted(CaseEvent):
    """Accepted for handling (thụ lý); the resolution period starts.

    Args:
        on_time: Whether it was accepted within the acceptance period (None: no period).
        clock: The resolution period, if a text sets one.
    """

    on_time: bool | None
    clock: Clock | None


@attrs.frozen(kw_only=True)
class CaseNotAccepted(CaseEvent):
    """Not accepted, with the reason the law requires (Law on Complaints Art. 27).

    Args:
        reason: Why, in words the sender can act on.
        on_time: Whether the decision came within the acceptance period.
    """

    reason: str
    on_time: bool | None


@attrs.frozen(kw_only=True)
class CaseForwarded(CaseEvent):
    """Forwarded to the competent agency (chuyển đơn).

    Args:
        to: The competent agency's name.
        reason: Why it is not this agency's to handle.
        on_time: Whether it left within the forwarding (or acceptance) period.
    """

    to: str
    reason: str
    on_time: bool | None


@attrs.frozen(kw_only=True)
class CaseAssigned(CaseEvent):
    """Assigned (or reassigned) to a unit and a handler.

    Args:
        unit: The unit (phòng, ban) that handles it.
        handler: The staff id of the handler; only they read denouncer identity.
    """

    unit: str
    handler: str


@attrs.frozen(kw_only=True)
class VerificationStarted(CaseEvent):
    """Verification started (xác minh nội dung)."""


@attrs.frozen(kw_only=True)
class DialogueHeld(CaseEvent):
    """A dialogue was held (đối thoại; minutes per Decree 124/2020 Mẫu 14).

    Args:
        record_ref: A reference to the minutes (biên bản), if filed.
    """

    record_ref: str | None = None


@attrs.frozen(kw_only=True)
class CaseResolved(CaseEvent):
    """Answered, decided (quyết định giải quyết) or concluded (kết luận).

    Args:
        summary: The outcome in words fit to publish.
        document_ref: A reference to the answer or decision document.
        on_time: Whether it came within the resolution period.
        clock: The period to send or publish the result, if a text sets one.
    """

    summary: str
    document_ref: str | None
    on_time: bool | None
    clock: Clock | None


@attrs.frozen(kw_only=True)
class CasePublished(CaseEvent):
    """The result was sent or published (Law on Complaints Art. 32, 41; Denunciations Art. 40)."""


@attrs.frozen(kw_only=True)
class CaseClosed(CaseEvent):
    """The case is closed."""


@attrs.frozen(kw_only=True)
class CaseReopened(CaseEvent):
    """The answer was not enough: handling starts again.

    Args:
        reason: Why it is reopened.
        clock: The new resolution period.
    """

    reason: str
    clock: Clock | None


@attrs.frozen(kw_only=True)
class CaseEscalated(CaseEvent):
    """A second-level complaint (khiếu nại lần hai, Law on Complaints Art. 33).

    Args:
        agency: The second-level authority, which now has the case.
        clock: Its acceptance period.
        window_opened_on: The day the second-level window opened (the day the
            complainant received the first-level decision, or the last day of
            the first-level period); None when the receipt day is unknown.
    """

    agency: ReceivingAgency
    clock: Clock | None
    window_opened_on: dt.date | None = None


@attrs.frozen(kw_only=True)
class CaseWithdrawn(CaseEvent):
    """The sender withdrew it (rút đơn; Law on Complaints Art. 10, Denunciations Art. 33).

    Args:
        reason: The sender's stated reason, if any.
    """

    reason: str = ""


@attrs.frozen(kw_only=True)
class CaseSuspended(CaseEvent):
    """Handling suspended (tạm đình chỉ); the period stops counting.

    Args:
        reason: The ground (force majeure, objective obstacle...).
        clock: The paused period.
    """

    reason: str
    clock: Clock | None


@attrs.frozen(kw_only=True)
class CaseResumed(CaseEvent):
    """Handling continues (quyết định tiếp tục); the period counts again from today.

    Args:
        clock: The running period.
    """

    clock: Clock | None


@attrs.frozen(kw_only=True)
class CaseTerminated(CaseEvent):
    """Handling terminated (đình chỉ giải quyết).

    Args:
        reason: The ground.
    """

    reason: str


@attrs.frozen(kw_only=True)
class DeadlineExtended(CaseEvent):
    """A longer period applies (complex case, verification at several places).

    Args:
        variant: The variant now applying.
        reason: Why (the written determination the law requires).
        clock: The extended period.
    """

    variant: Variant
    reason: str
    clock: Clock


@attrs.frozen(kw_only=True)
class DeadlineNotice(CaseEvent):
    """A reminder for the notifier about the current period; changes nothing.

    Args:
        step: The step being timed.
        due_at: When the period ends (or ended).
        unit: The unit handling it, if assigned.
        handler: The handler, if assigned.
    """

    step: Step
    due_at: dt.datetime
    unit: str | None = None
    handler: str | None = None


@attrs.frozen(kw_only=True)
class DeadlineApproaching(DeadlineNotice):
    """The current period ends soon."""


@attrs.frozen(kw_only=True)
class DeadlineMissed(DeadlineNotice):
    """The current period has ended without the step done."""
