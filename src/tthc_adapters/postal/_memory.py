"""The in-process fake :class:`~tthc_core.delivery.PostalService` (no HTTP)."""

from __future__ import annotations

from collections.abc import Sequence

from tthc_adapters.postal._fake_office import FakePostOffice
from tthc_adapters.postal._wire import order_payload, update_from_wire
from tthc_core.delivery import (
    BookedShipment,
    PostalOrder,
    PostalRejected,
    Quote,
    ShipmentNotFound,
    TrackingUpdate,
)

__all__ = ["InMemoryPostalService"]


class InMemoryPostalService:
    """:class:`tthc_core.delivery.PostalService` straight on a :class:`FakePostOffice`.

    Args:
        office: The fake operator (a fresh one by default).
        service_code: The service to book.
    """

    def __init__(self, office: FakePostOffice | None = None, *, service_code: str = "BCCI"):
        self.office = office or FakePostOffice()
        self._service_code = service_code

    def quote(self, order: PostalOrder) -> Quote:
        """Price ``order``."""
        offer = self.office.quote(self._payload(order))
        return Quote(int(offer["totalFee"]), str(offer["serviceCode"]))

    def create_shipment(self, order: PostalOrder) -> BookedShipment:
        """Book ``order``; idempotent on its reference."""
        existing = self.office.find(order.reference)
        data = existing.as_wire() if existing else self.office.create(self._payload(order))
        return BookedShipment(str(data["saleOrderCode"]), str(data["itemCode"]), data["totalFee"])

    def cancel(self, reference: str) -> None:
        """Cancel a booking not yet picked up."""
        done = self.office.cancel(reference)
        if done is None:
            raise ShipmentNotFound(f"the operator has no shipment {reference}")
        if not done:
            raise PostalRejected(f"shipment {reference} was already picked up")

    def track(self, reference: str) -> Sequence[TrackingUpdate]:
        """Every status report of the booking."""
        booking = self.office.find(reference)
        if booking is None:
            raise ShipmentNotFound(f"the operator has no shipment {reference}")
        return tuple(update_from_wire(entry) for entry in booking.history)

    def _payload(self, order: PostalOrder) -> dict[str, object]:
        return order_payload(order, customer_code="C0001", service_code=self._service_code)
