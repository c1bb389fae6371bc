"""Operator status updates, applied idempotently and never backwards.

The operator reports a parcel's progress by callback (push) or on request
(poll, Circular 17/2017 Art. 12: free online item tracking). Both paths call
:func:`apply_tracking_update`, which is pure and idempotent:

* an update already applied (same key) changes nothing (``DUPLICATE``);
* an update that is not ahead of the shipment's progress changes nothing
  (``STALE``), so late or reordered callbacks never move a parcel backwards;
* an update about a different outcome than a final one already recorded, or a
  "delivered" report after the second failed attempt (the result is going back
  to the agency, Circular 17/2017/TT-BTTTT Art. 5(2)(h)), is not applied: it is
  recorded on the shipment as a conflict for an officer (``CONFLICT``, one
  :class:`TrackingConflictRecorded` event) and the dossier does not move;
* an update the rules forbid (a wrong recipient, a third attempt) changes
  nothing and is reported (``REJECTED``) for staff: a result is never counted
  as returned on a doubtful report;
* an update that skips the handover (the "accepted" report was lost) records
  the handover first, from the same report.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.calendar import Deadlines, to_local
from tthc_core.delivery._events import ShipmentEvent, TrackingConflictRecorded
from tthc_core.delivery._lifecycle import ShipmentState
from tthc_core.delivery._shipment import (
    CancelShipment,
    ConfirmDelivery,
    HandOver,
    MarkInTransit,
    RecordFailedAttempt,
    RecordReturnToAgency,
    ResultGoingBack,
    Shipment,
    ShipmentCommand,
    TrackingConflict,
    handle,
)
from tthc_core.errors import DomainRuleViolation, InvalidInput

__all__ = [
    "ProviderStatus",
    "TrackingOutcome",
    "TrackingResult",
    "TrackingUpdate",
    "apply_tracking_update",
    "progress",
]


class ProviderStatus(enum.Enum):
    """The parcel statuses an operator reports."""

    ACCEPTED = "accepted"  # chấp nhận bưu gửi (the Phiếu gửi was signed)
    IN_TRANSIT = "in_transit"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERED = "delivered"
    RETURNED = "returned"  # đã chuyển hoàn về người gửi
    CANCELLED = "cancelled"


_FINAL_RANK = 10
_RANKS = {
    ProviderStatus.ACCEPTED: 1,
    ProviderStatus.IN_TRANSIT: 2,
    ProviderStatus.DELIVERY_FAILED: 2,  # + attempt number
    ProviderStatus.DELIVERED: _FINAL_RANK,
    ProviderStatus.RETURNED: _FINAL_RANK,
    ProviderStatus.CANCELLED: _FINAL_RANK,
}
_STATE_RANKS = {
    ShipmentState.REQUESTED: 0,
    ShipmentState.HANDED_OVER: 1,
    ShipmentState.IN_TRANSIT: 2,
    ShipmentState.DELIVERY_FAILED: 2,  # + attempts so far
    ShipmentState.DELIVERED: _FINAL_RANK,
    ShipmentState.RETURNED: _FINAL_RANK,
    ShipmentState.CANCELLED: _FINAL_RANK,
}
_FINAL_STATUS = {
    ProviderStatus.DELIVERED: ShipmentState.DELIVERED,
    ProviderStatus.RETURNED: ShipmentState.RETURNED,
    ProviderStatus.CANCELLED: ShipmentState.CANCELLED,
}


def _attempt(_: object, __: object, value: int | None) -> None:
    if value is not None and value < 1:
        raise InvalidInput(f"attempt numbers start at 1, got {value}")


@attrs.frozen(kw_only=True)
class TrackingUpdate:
    """One status report from the operator.

    Args:
        reference: Our shipment reference.
        status: The reported status.
        occurred_at: When it happened, by the operator's clock (aware).
        item_code: The operator's item number (số hiệu bưu gửi).
        attempt: The attempt number of a failed delivery (1, 2).
        reason: The operator's reason for a failure or a return.
        received_by: Who signed for a delivery.
        fee_collected_vnd: Fees the worker collected on delivery.
        postage_vnd: The postage, when the report carries it.
    """

    reference: str
    status: ProviderStatus
    occurred_at: dt.datetime = attrs.field(converter=to_local)
    item_code: str
    attempt: int | None = attrs.field(default=None, validator=_attempt)
    reason: str = ""
    received_by: str | None = None
    fee_collected_vnd: int = 0
    postage_vnd: int | None = None

    @property
    def key(self) -> str:
        """The idempotency key of the update: its status and attempt.

        A failed attempt the operator did not number is keyed by its instant,
        so a second unnumbered failure is not taken for a repeat of the first.
        """
        if self.status is ProviderStatus.DELIVERY_FAILED and self.attempt is None:
            return f"{self.status.value}@{self.occurred_at.isoformat()}"
        return f"{self.status.value}#{self.attempt or 0}"

    @property
    def rank(self) -> int:
        """Progress the update stands for; updates never lower it."""
        extra = (self.attempt or 1) if self.status is ProviderStatus.DELIVERY_FAILED else 0
        return _RANKS[self.status] + extra


class TrackingOutcome(enum.Enum):
    """What an update did."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    STALE = "stale"
    CONFLICT = "conflict"
    REJECTED = "rejected"


@attrs.frozen
class TrackingResult:
    """The shipment after an update, the events it caused and what happened.

    Args:
        shipment: The shipment (unchanged unless ``APPLIED``).
        events: The events (empty unless ``APPLIED``).
        outcome: Applied, duplicate, stale, conflict or rejected.
        reason: Why an update was rejected or conflicting.
    """

    shipment: Shipment
    events: tuple[ShipmentEvent, ...]
    outcome: TrackingOutcome
    reason: str = ""


def progress(shipment: Shipment) -> int:
    """The shipment's progress rank, comparable with :attr:`TrackingUpdate.rank`."""
    failed = shipment.failed_attempts
    extra = failed[-1].number if failed and shipment.state is ShipmentState.DELIVERY_FAILED else 0
    return _STATE_RANKS[shipment.state] + extra


def _command(update: TrackingUpdate) -> ShipmentCommand:
    match update.status:
        case ProviderStatus.IN_TRANSIT:
            return MarkInTransit()
        case ProviderStatus.DELIVERY_FAILED:
            return RecordFailedAttempt(update.reason or "không phát được", update.attempt)
        case ProviderStatus.DELIVERED:
            if update.received_by is None:
                raise DomainRuleViolation("the delivery report does not say who received it")
            return ConfirmDelivery(
                update.received_by,
                identity_checked=True,  # the operator reports delivery only after the check
                fee_collected_vnd=update.fee_collected_vnd,
            )
        case ProviderStatus.RETURNED:
            return RecordReturnToAgency()
        case ProviderStatus.CANCELLED:
            return CancelShipment(update.reason or "hủy theo yêu cầu")
        case ProviderStatus.ACCEPTED:  # pragma: no cover - handled by the caller
            raise AssertionError


def _handover(update: TrackingUpdate) -> HandOver:
    return HandOver(update.item_code, update.postage_vnd)


def _numbered(shipment: Shipment, update: TrackingUpdate) -> TrackingUpdate | None:
    """``update`` with an unnumbered failure numbered as the next attempt.

    None if that failure predates the last attempt recorded (a reordered report).
    """
    if update.status is not ProviderStatus.DELIVERY_FAILED or update.attempt is not None:
        return update
    failed = shipment.failed_attempts
    if failed and update.occurred_at <= failed[-1].at:
        return None
    return attrs.evolve(update, attempt=(failed[-1].number if failed else 0) + 1)


def apply_tracking_update(
    shipment: Shipment, update: TrackingUpdate, *, deadlines: Deadlines
) -> TrackingResult:
    """Apply an operator update to a shipment, idempotently and monotonically.

    Args:
        shipment: The shipment the update is about.
        update: The report.
        deadlines: The agency's working-day calendar.

    Raises:
        InvalidInput: If the update is about another shipment.
    """
    if update.reference != shipment.reference:
        raise InvalidInput(
            f"update for {update.reference} applied to shipment {shipment.reference}"
        )
    key = update.key
    if key in shipment.applied_updates:
        return TrackingResult(shipment, (), TrackingOutcome.DUPLICATE)
    numbered = _numbered(shipment, update)
    if shipment.is_final:
        if _FINAL_STATUS.get(update.status, shipment.state) is not shipment.state:
            reason = f"operator reports {update.status.value} after {shipment.state.value}"
            return _conflict(shipment, update, key, reason)
        return TrackingResult(shipment, (), TrackingOutcome.STALE)
    if numbered is None or numbered.rank <= progress(shipment):
        return TrackingResult(shipment, (), TrackingOutcome.STALE)
    return _advance(shipment, numbered, key, deadlines)


def _advance(
    shipment: Shipment, update: TrackingUpdate, key: str, deadlines: Deadlines
) -> TrackingResult:
    """Apply an update that is ahead of the shipment (a skipped handover first)."""
    current, events = shipment, []
    try:
        if (
            current.state is ShipmentState.REQUESTED
            and update.status is not ProviderStatus.CANCELLED
        ):
            current, new = handle(
                current, _handover(update), at=update.occurred_at, deadlines=deadlines
            )
            events += new
        if update.status is not ProviderStatus.ACCEPTED:
            current, new = handle(
                current, _command(update), at=update.occurred_at, deadlines=deadlines
            )
            events += new
    except ResultGoingBack as exc:
        return _conflict(shipment, update, key, exc.reason)
    except DomainRuleViolation as exc:
        return TrackingResult(shipment, (), TrackingOutcome.REJECTED, exc.reason)
    current = attrs.evolve(current, applied_updates=tuple(sorted({*current.applied_updates, key})))
    return TrackingResult(current, tuple(events), TrackingOutcome.APPLIED)


def _conflict(shipment: Shipment, update: TrackingUpdate, key: str, reason: str) -> TrackingResult:
    """Record ``update`` on the shipment as a conflict for an officer, without applying it."""
    event = TrackingConflictRecorded(
        occurred_at=update.occurred_at,
        reference=shipment.reference,
        dossier_code=shipment.dossier_code,
        status=update.status.value,
        reported_at=update.occurred_at,
        reason=reason,
        received_by=update.received_by,
    )
    conflict = TrackingConflict(
        status=event.status,
        reported_at=event.reported_at,
        reason=reason,
        received_by=event.received_by,
    )
    recorded = attrs.evolve(
        shipment,
        conflicts=(*shipment.conflicts, conflict),
        applied_updates=tuple(sorted({*shipment.applied_updates, key})),
    )
    return TrackingResult(recorded, (event,), TrackingOutcome.CONFLICT, reason)
