"""Port: the public-postal operator (VNPost, Circular 17/2017/TT-BTTTT Art. 2).

The operator books a parcel, prices it, cancels it before pick-up and reports
its progress (Circular 17/2017 Art. 12; the agency and the operator connect
their systems, Decision 45/2016/QĐ-TTg Art. 13(8)). Adapters live in
:mod:`tthc_adapters.postal`; every adapter passes
:mod:`tthc_core.testing.contracts` (``PostalServiceContract``).

Idempotency: our shipment reference (:func:`~tthc_core.delivery.shipment_reference`)
is the operator's customer order code. Creating twice with the same reference
returns the same booking, so a retry after a timeout never books two parcels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs

from tthc_core.delivery._shipment import Shipment
from tthc_core.delivery._tracking import TrackingUpdate
from tthc_core.delivery._units import ResolvedAddress
from tthc_core.errors import InvalidInput, TthcError
from tthc_core.validators import non_negative as _non_negative
from tthc_core.validators import positive as _positive

__all__ = [
    "BookedShipment",
    "PostalOrder",
    "PostalRejected",
    "PostalService",
    "PostalServiceError",
    "PostalUnavailable",
    "Quote",
    "ShipmentNotFound",
    "order_for",
]


class PostalServiceError(TthcError):
    """The operator could not do what was asked."""


class PostalUnavailable(PostalServiceError):  # noqa: N818 - reads best at call sites
    """The operator did not answer in time or failed, even after retries.

    The request may or may not have taken effect; retrying with the same
    reference is safe.
    """


class PostalRejected(PostalServiceError):  # noqa: N818 - reads best at call sites
    """The operator refused the request (bad data, too late to cancel)."""


class ShipmentNotFound(PostalServiceError):  # noqa: N818 - reads best at call sites
    """The operator has no shipment with this reference."""


@attrs.frozen
class PostalOrder:
    """What the operator needs to book a result parcel (Circular 17/2017 Art. 9).

    Args:
        reference: Our reference, the idempotency key.
        sender: The agency's resolved address (its name as ``recipient``).
        recipient: The applicant's resolved address.
        contents: What the parcel holds, without personal data.
        weight_grams: Its weight.
        fee_to_collect_vnd: The TTHC fee to collect on delivery.
    """

    reference: str
    sender: ResolvedAddress
    recipient: ResolvedAddress
    contents: str
    weight_grams: int = attrs.field(default=200, validator=_positive)
    fee_to_collect_vnd: int = attrs.field(default=0, validator=_non_negative)


@attrs.frozen
class Quote:
    """The operator's price for an order.

    Args:
        postage_vnd: The postage the applicant pays (Decision 45/2016 Art. 12(3)).
        service_code: The operator's service used.
    """

    postage_vnd: int = attrs.field(validator=_non_negative)
    service_code: str


@attrs.frozen
class BookedShipment:
    """The operator's booking of an order.

    Args:
        reference: Our reference.
        item_code: The operator's item number (số hiệu bưu gửi).
        postage_vnd: The postage charged.
    """

    reference: str
    item_code: str
    postage_vnd: int = attrs.field(validator=_non_negative)


class PostalService(Protocol):
    """Port: book, price, cancel and track result parcels."""

    def quote(self, order: PostalOrder) -> Quote:
        """Price ``order`` without booking it."""
        ...

    def create_shipment(self, order: PostalOrder) -> BookedShipment:
        """Book ``order``; idempotent on ``order.reference``.

        Raises:
            PostalRejected: If the operator refuses the order.
            PostalUnavailable: If the operator cannot be reached (safe to retry).
        """
        ...

    def cancel(self, reference: str) -> None:
        """Cancel a booking not yet picked up; cancelling twice is not an error.

        Raises:
            ShipmentNotFound: If there is no such booking.
            PostalRejected: If the parcel was already picked up.
        """
        ...

    def track(self, reference: str) -> Sequence[TrackingUpdate]:
        """Every status report of a booking so far, in any order.

        Raises:
            ShipmentNotFound: If there is no such booking.
        """
        ...


def order_for(
    shipment: Shipment, sender: ResolvedAddress, *, weight_grams: int = 200
) -> PostalOrder:
    """The operator order for a requested shipment.

    Args:
        shipment: The shipment.
        sender: The agency's resolved address.
        weight_grams: The parcel's weight.
    """
    recipient = shipment.choice.address
    if recipient is None:  # pragma: no cover - Shipment validates its choice
        raise InvalidInput("the shipment has no delivery address")
    return PostalOrder(
        shipment.reference,
        sender,
        recipient,
        f"Kết quả giải quyết TTHC, hồ sơ {shipment.dossier_code}",
        weight_grams,
        shipment.fee_to_collect_vnd,
    )
