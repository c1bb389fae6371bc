"""The case aggregate and the fold that rebuilds it from its events.

:func:`apply_event` is the only code that changes a :class:`Case`; commands
(:mod:`tthc_core.complaint._commands`) validate, build an event and fold it.
The fold enforces the kind's transition table and ignores stale events: an
event older than the last applied one returns the case unchanged (no error), so
a late or duplicated update from a channel can never move a case backwards.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from tthc_core.calendar import to_local
from tthc_core.codes import DossierCode
from tthc_core.complaint import _events as ev
from tthc_core.complaint._clock import Clock
from tthc_core.complaint._kinds import (
    Attachment,
    CaseKind,
    CaseState,
    Channel,
    ComplaintLevel,
    ReceivingAgency,
)
from tthc_core.complaint._location import GeoPoint
from tthc_core.complaint._privacy import confidential
from tthc_core.complaint._table import TABLES
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import Applicant

__all__ = ["Case", "Outcome", "apply_event", "replay"]


class Outcome(enum.Enum):
    """How handling ended (None on the case while it is open)."""

    RESOLVED = "resolved"
    NOT_ACCEPTED = "not_accepted"
    FORWARDED = "forwarded"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"

    @property
    def handled(self) -> bool:
        """Whether the agency handled it (everything except a withdrawal)."""
        return self is not Outcome.WITHDRAWN


@attrs.frozen(kw_only=True)
class Case:
    """A feedback, petition, complaint or denunciation and where it stands.

    Fields marked confidential (``sender``, ``content``, ``attachments``) carry the
    sender's identity and words; see :func:`tthc_core.complaint.redact`.

    Args:
        case_id: The case's id (given by the caller's id port).
        kind: What it is.
        level: The complaint level (complaints only).
        state: Where it is in its kind's transition table.
        channel: How it arrived.
        agency: Who must answer (after escalation, the second-level authority).
        received_at: When it was received (at the current level).
        updated_at: When the last applied event occurred.
        sender: Who sent it (confidential).
        content: What they wrote (confidential).
        attachments: References to their files (confidential).
        public_summary: A summary safe to publish.
        dossier_code: The dossier it is about, if any.
        desk: The desk it is about, if any.
        unit: The unit handling it.
        handler: The staff id of the handler.
        clock: The statutory period running (or paused) for the current step.
        dialogue_held: Whether a dialogue was held at the current level.
        suspended_from: The state to resume to while suspended.
        outcome: How handling ended (None while open).
        outcome_at: When it ended.
        outcome_on_time: Whether it ended within its period (None: no period).
        result_summary: The published outcome, once resolved.
        document_ref: The answer or decision document, once resolved.
        reason: The reason given for the last refusal, forwarding, suspension or end.
        forwarded_to: The competent agency it was forwarded to.
        location: Where it is about, if the sender gave a point.
        version: The stored version it was loaded at (set by storage; optimistic concurrency).
    """

    case_id: str
    kind: CaseKind
    level: ComplaintLevel | None
    state: CaseState
    channel: Channel
    agency: ReceivingAgency
    received_at: dt.datetime
    updated_at: dt.datetime
    sender: Applicant | None = confidential(None, default=None)  # noqa: RUF009 - an attrs field
    content: str = confidential("", default="")
    attachments: tuple[Attachment, ...] = confidential((), default=())
    public_summary: str = ""
    dossier_code: DossierCode | None = None
    desk: str | None = None
    unit: str | None = None
    handler: str | None = None
    clock: Clock | None = None
    dialogue_held: bool = False
    suspended_from: CaseState | None = None
    outcome: Outcome | None = None
    outcome_at: dt.datetime | None = None
    outcome_on_time: bool | None = None
    result_summary: str | None = None
    document_ref: str | None = None
    reason: str | None = None
    forwarded_to: str | None = None
    location: GeoPoint | None = None
    version: int = 0

    @property
    def is_open(self) -> bool:
        """Whether handling has not ended."""
        return self.outcome is None

    @property
    def due_at(self) -> dt.datetime | None:
        """When the current step's period ends (None: no period, or paused)."""
        return None if self.clock is None else self.clock.due_at

    @property
    def label_vi(self) -> str:
        """The kind (and level) in Vietnamese, e.g. ``"Khiếu nại lần hai"``."""
        return self.level.label_vi if self.level is not None else self.kind.label_vi

    @property
    def status_vi(self) -> str:
        """The state in Vietnamese, for citizen-facing messages."""
        return self.state.label_vi(self.kind)


_Handler = Callable[[Case, Any], dict[str, Any]]


def _ended(outcome: Outcome, event: ev.CaseEvent, **more: Any) -> dict[str, Any]:
    return {"outcome": outcome, "outcome_at": to_local(event.occurred_at), "clock": None, **more}


_REOPEN_TARGET = {
    CaseKind.SERVICE_FEEDBACK: CaseState.ASSIGNED,
    CaseKind.PETITION: CaseState.ASSIGNED,
    CaseKind.DENUNCIATION: CaseState.ACCEPTED,  # giải quyết lại, Law on Denunciations Art. 37
    CaseKind.COMPLAINT: CaseState.ACCEPTED,  # never allowed by the table; escalate instead
}

_S = CaseState
_OPEN: dict[str, Any] = {"outcome": None, "outcome_at": None, "outcome_on_time": None}

_HANDLERS: dict[type, _Handler] = {
    ev.CaseAccepted: lambda c, e: {"state": _S.ACCEPTED, "clock": e.clock},
    ev.CaseNotAccepted: lambda c, e: {
        "state": _S.NOT_ACCEPTED,
        "reason": e.reason,
        **_ended(Outcome.NOT_ACCEPTED, e, outcome_on_time=e.on_time),
    },
    ev.CaseForwarded: lambda c, e: {
        "state": _S.FORWARDED,
        "reason": e.reason,
        "forwarded_to": e.to,
        **_ended(Outcome.FORWARDED, e, outcome_on_time=e.on_time),
    },
    ev.CaseAssigned: lambda c, e: {"state": _S.ASSIGNED, "unit": e.unit, "handler": e.handler},
    ev.VerificationStarted: lambda c, e: {"state": _S.VERIFYING},
    ev.DialogueHeld: lambda c, e: {"state": _S.DIALOGUE, "dialogue_held": True},
    ev.CaseResolved: lambda c, e: {
        "state": _S.RESOLVED,
        "result_summary": e.summary,
        "document_ref": e.document_ref,
        **_ended(Outcome.RESOLVED, e, outcome_on_time=e.on_time),
        "clock": e.clock,
    },
    ev.CasePublished: lambda c, e: {"state": _S.PUBLISHED, "clock": None},
    ev.CaseClosed: lambda c, e: {"state": _S.CLOSED, "clock": None},
    ev.CaseReopened: lambda c, e: {
        "state": _REOPEN_TARGET[c.kind],
        "reason": e.reason,
        "clock": e.clock,
        **_OPEN,
    },
    ev.CaseEscalated: lambda c, e: {
        "state": _S.RECEIVED,
        "level": ComplaintLevel.SECOND,
        "agency": e.agency,
        "received_at": to_local(e.occurred_at),
        "unit": None,
        "handler": None,
        "dialogue_held": False,
        "clock": e.clock,
        **_OPEN,
    },
    ev.CaseWithdrawn: lambda c, e: {
        "state": _S.WITHDRAWN,
        "reason": e.reason or None,
        "suspended_from": None,
        **_ended(Outcome.WITHDRAWN, e),
    },
    ev.CaseSuspended: lambda c, e: {
        "state": _S.SUSPENDED,
        "suspended_from": c.state,
        "reason": e.reason,
        "clock": e.clock,
    },
    ev.CaseResumed: lambda c, e: {
        "state": c.suspended_from,
        "suspended_from": None,
        "clock": e.clock,
    },
    ev.CaseTerminated: lambda c, e: {
        "state": _S.TERMINATED,
        "reason": e.reason,
        "suspended_from": None,
        **_ended(Outcome.TERMINATED, e),
    },
    ev.DeadlineExtended: lambda c, e: {"clock": e.clock},
}


def _start(event: ev.CaseReceived) -> Case:
    at = to_local(event.occurred_at)
    return Case(
        case_id=event.case_id,
        kind=event.kind,
        level=event.level,
        state=TABLES[event.kind].initial,
        channel=event.channel,
        agency=event.agency,
        received_at=at,
        updated_at=at,
        sender=event.sender,
        content=event.content,
        attachments=event.attachments,
        public_summary=event.public_summary,
        dossier_code=event.dossier_code,
        desk=event.desk,
        clock=event.clock,
        location=event.location,
    )


def apply_event(case: Case | None, event: ev.CaseEvent) -> Case:
    """Fold one event into ``case`` (None before the first event).

    Stale events (``occurred_at`` earlier than ``case.updated_at``) are ignored:
    the case comes back unchanged, without error.

    Args:
        case: The case so far, or None for a :class:`CaseReceived`.
        event: The event to apply.

    Raises:
        InvalidInput: For an event of another case or a first event that is not
            a receipt.
        DomainRuleViolation: For a state change outside the kind's table.
    """
    if case is None:
        if not isinstance(event, ev.CaseReceived):
            raise InvalidInput(f"case {event.case_id} must start with CaseReceived")
        return _start(event)
    if event.case_id != case.case_id:
        raise InvalidInput(f"event of case {event.case_id} applied to case {case.case_id}")
    at = to_local(event.occurred_at)
    if at < case.updated_at:
        return case
    handler = _HANDLERS.get(type(event))
    if handler is None:
        raise InvalidInput(f"{type(event).__name__} does not change a case")
    changes = handler(case, event)
    target = changes.get("state", case.state)
    if target is not case.state and not TABLES[case.kind].allows(case.state, target):
        raise DomainRuleViolation(
            f"a {case.kind.value} case cannot go from {case.state.value} to {target.value}",
            rule=f"transition table of {case.kind.value}",
        )
    return attrs.evolve(case, **changes, updated_at=at)


def replay(events: Iterable[ev.CaseEvent]) -> Case:
    """Rebuild a case from its events, oldest first.

    Raises:
        InvalidInput: If there are no events.
    """
    case: Case | None = None
    for event in events:
        case = apply_event(case, event)
    if case is None:
        raise InvalidInput("a case needs at least its CaseReceived event")
    return case
