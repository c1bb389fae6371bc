"""Shipments at the desk: booking at the operator and one idempotent status handler.

Status reports arrive by callback (the operator pushes) or by polling
(:meth:`ShipmentTracker.poll`); both end in :meth:`ShipmentTracker.receive`,
which serialises reports per tracker and applies them with the pure
:func:`tthc_core.delivery.apply_tracking_update` (duplicates and stale reports
change nothing). Events go to ``on_events`` in order, under the same lock, so a
listener that drives the dossier sees dispatch before delivery.

Shipments are kept in memory here; a service persists them through the storage
port and uses the shipment's ``version`` for optimistic concurrency.
"""

from __future__ import annotations

import datetime as dt
import hmac
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tthc_adapters.postal._wire import TOKEN_HEADER, update_from_wire
from tthc_core.calendar import Deadlines
from tthc_core.delivery import (
    BookedShipment,
    CancelShipment,
    PostalOrder,
    PostalService,
    Shipment,
    ShipmentEvent,
    ShipmentState,
    TrackingResult,
    TrackingUpdate,
    apply_tracking_update,
    handle,
)
from tthc_core.errors import InvalidInput

__all__ = ["CallbackRejected", "EventListener", "ShipmentTracker"]

#: Receives the events of one applied command or report, in order.
EventListener = Callable[[Shipment, Sequence[ShipmentEvent]], None]


class CallbackRejected(InvalidInput):
    """A callback without the shared secret, or about an unknown shipment."""


class ShipmentTracker:
    """Keeps shipments and applies operator reports to them.

    Args:
        postal: The operator port.
        deadlines: The agency's working-day calendar.
        on_events: Called with each change's events (drive the dossier here).
        callback_secret: The shared secret callbacks must carry in the
            ``token`` header (None: callbacks are refused).
    """

    def __init__(
        self,
        postal: PostalService,
        deadlines: Deadlines,
        *,
        on_events: EventListener | None = None,
        callback_secret: str | None = None,
    ) -> None:
        self._postal = postal
        self._deadlines = deadlines
        self._on_events = on_events
        self._secret = callback_secret
        self._shipments: dict[str, Shipment] = {}
        self._lock = threading.RLock()
        self.outcomes: list[TrackingResult] = []

    def __getitem__(self, reference: str) -> Shipment:
        with self._lock:
            return self._shipments[reference]

    def add(self, shipment: Shipment, events: Sequence[ShipmentEvent] = ()) -> None:
        """Keep a newly requested shipment.

        Raises:
            InvalidInput: If the reference is already kept.
        """
        with self._lock:
            if shipment.reference in self._shipments:
                raise InvalidInput(f"shipment {shipment.reference} already exists")
            self._store(shipment, events)

    def book(self, order: PostalOrder) -> BookedShipment:
        """Book the shipment at the operator (safe to call again after a failure)."""
        return self._postal.create_shipment(order)

    def command(
        self, reference: str, command: Any, *, at: dt.datetime
    ) -> tuple[Shipment, Sequence[ShipmentEvent]]:
        """Apply a desk command (handover record, cancellation...) to a kept shipment."""
        with self._lock:
            new, events = handle(self[reference], command, at=at, deadlines=self._deadlines)
            self._store(new, events)
            return new, events

    def cancel(self, reference: str, reason: str, *, at: dt.datetime) -> Shipment:
        """Cancel at the operator, then record it (the citizen changed their choice).

        Raises:
            PostalRejected: If the operator already picked the parcel up.
            DomainRuleViolation: If the shipment was already dispatched.
        """
        self._postal.cancel(reference)
        with self._lock:
            current = self[reference]
            if current.state is ShipmentState.CANCELLED:  # the operator's callback came first
                return current
            return self.command(reference, CancelShipment(reason), at=at)[0]

    def receive(self, update: TrackingUpdate) -> TrackingResult:
        """Apply one operator report; duplicates and stale reports change nothing."""
        with self._lock:
            current = self._shipments.get(update.reference)
            if current is None:
                raise CallbackRejected(f"no shipment {update.reference} is kept here")
            result = apply_tracking_update(current, update, deadlines=self._deadlines)
            self.outcomes.append(result)
            if result.shipment is not current:
                self._store(result.shipment, result.events)
            return result

    def poll(self, reference: str) -> list[TrackingResult]:
        """Fetch the booking's reports and apply them, oldest progress first."""
        updates = sorted(self._postal.track(reference), key=lambda u: (u.rank, u.occurred_at))
        return [self.receive(update) for update in updates]

    def on_callback(self, body: Mapping[str, Any], headers: Mapping[str, str]) -> TrackingResult:
        """Handle one callback body from the operator.

        Raises:
            CallbackRejected: If the shared secret is missing or wrong.
            InvalidInput: If the body is malformed.
        """
        given = headers.get(TOKEN_HEADER, "")
        if self._secret is None or not hmac.compare_digest(given, self._secret):
            raise CallbackRejected("the callback does not carry our shared secret")
        return self.receive(update_from_wire(body))

    def _store(self, shipment: Shipment, events: Sequence[ShipmentEvent]) -> None:
        self._shipments[shipment.reference] = shipment
        if events and self._on_events is not None:
            self._on_events(shipment, events)
