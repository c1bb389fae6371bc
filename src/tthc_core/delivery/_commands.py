"""Commands on a shipment: what the desk or the operator's reports ask of it.

Each is a frozen value that validates its own shape; whether it is allowed is
decided by the lifecycle table (:mod:`tthc_core.delivery._lifecycle`).
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.validators import non_blank as _non_blank
from tthc_core.validators import non_negative as _non_negative

__all__ = [
    "CancelShipment",
    "ConfirmDelivery",
    "HandOver",
    "MarkInTransit",
    "RecordFailedAttempt",
    "RecordReturnToAgency",
    "ShipmentCommand",
]


@attrs.frozen
class HandOver:
    """Record the signed Phiếu gửi (Decision 45/2016 Art. 9).

    Args:
        item_code: The operator's item number (số hiệu bưu gửi).
        postage_vnd: The postage, charged once; None if the report lacks it.
        postal_worker: Who signed for the operator, if known.
    """

    item_code: str = attrs.field(validator=_non_blank)
    postage_vnd: int | None = attrs.field(default=None)
    postal_worker: str | None = None

    @postage_vnd.validator
    def _check_postage(self, _: object, value: int | None) -> None:
        if value is not None and value < 0:
            raise InvalidInput(f"postage must not be negative, got {value}")


@attrs.frozen
class MarkInTransit:
    """The parcel left the post office."""


@attrs.frozen
class RecordFailedAttempt:
    """A delivery attempt failed.

    Args:
        reason: The operator's reason.
        number: The operator's attempt number; default: the next one.
    """

    reason: str = "không phát được"
    number: int | None = None


@attrs.frozen
class ConfirmDelivery:
    """The parcel was delivered (Decision 45/2016 Art. 10).

    Args:
        received_by: Who signed for it.
        identity_checked: The worker checked their identity or authorisation.
        fee_collected_vnd: The fee collected on delivery.
    """

    received_by: str = attrs.field(validator=_non_blank)
    identity_checked: bool
    fee_collected_vnd: int = attrs.field(default=0, validator=_non_negative)


@attrs.frozen
class RecordReturnToAgency:
    """The parcel came back to the agency."""


@attrs.frozen
class CancelShipment:
    """Withdraw a request before handover (the choice changed).

    Args:
        reason: Why.
    """

    reason: str = attrs.field(validator=_non_blank)


ShipmentCommand: TypeAlias = (
    HandOver
    | MarkInTransit
    | RecordFailedAttempt
    | ConfirmDelivery
    | RecordReturnToAgency
    | CancelShipment
)
