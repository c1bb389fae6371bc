"""Events of the shipment aggregate (the audit trail of a postal return)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.codes import DossierCode
from tthc_core.delivery._channel import ReturnChoice
from tthc_core.delivery._standard import Route
from tthc_core.events import DomainEvent

__all__ = [
    "DeliveryAttemptFailed",
    "ParcelReturnedToAgency",
    "PostagePayer",
    "ShipmentCancelled",
    "ShipmentDelivered",
    "ShipmentEvent",
    "ShipmentHandedOver",
    "ShipmentInTransit",
    "ShipmentRequested",
    "TrackingConflictRecorded",
]


class PostagePayer(enum.Enum):
    """Who pays the postage of a shipment.

    The applicant pays the postage (Decision 45/2016/QĐ-TTg Art. 12(3)); a
    repeated shipment is paid by whoever caused it (Art. 12(4)), which may be
    the agency.
    """

    APPLICANT = "applicant"
    AGENCY = "agency"


@attrs.frozen(kw_only=True)
class ShipmentEvent(DomainEvent):
    """Base of shipment events.

    Args:
        reference: Our shipment reference (the idempotency key at the operator).
        dossier_code: The dossier whose result travels.
    """

    reference: str
    dossier_code: DossierCode


@attrs.frozen(kw_only=True)
class ShipmentRequested(ShipmentEvent):
    """A postal return was requested (the parcel is not yet handed over)."""

    choice: ReturnChoice
    route: Route
    fee_to_collect_vnd: int
    postage_payer: PostagePayer


@attrs.frozen(kw_only=True)
class ShipmentHandedOver(ShipmentEvent):
    """The Phiếu gửi was signed: the result left the agency (Decision 45/2016 Art. 9).

    Args:
        item_code: The operator's item number (số hiệu bưu gửi).
        postal_worker: Who signed for the operator, when known.
        postage_vnd: The postage charged, once, to ``postage_payer``.
        expected_by: The J+n due instant (Circular 17/2017 Art. 6-8).
    """

    item_code: str
    postal_worker: str | None
    postage_vnd: int | None
    expected_by: dt.datetime


@attrs.frozen(kw_only=True)
class ShipmentInTransit(ShipmentEvent):
    """The parcel is on its way."""


@attrs.frozen(kw_only=True)
class DeliveryAttemptFailed(ShipmentEvent):
    """A delivery attempt failed.

    Args:
        attempt: 1 or 2.
        reason: The operator's reason (absent, refused, wrong address...).
        too_soon: The second attempt came less than 2 working days after the
            first (Decision 45/2016 Art. 10): a service breach to complain about.
    """

    attempt: int
    reason: str
    too_soon: bool


@attrs.frozen(kw_only=True)
class ShipmentDelivered(ShipmentEvent):
    """The result reached the addressee or the authorised person.

    Args:
        received_by: Who signed for it, after an identity check.
        as_authorised_person: They received it under the applicant's authorisation.
        fee_collected_vnd: The TTHC fee collected on delivery (Art. 11), recorded once.
        late: Delivered after the J+n due instant.
    """

    received_by: str
    as_authorised_person: bool
    fee_collected_vnd: int
    late: bool


@attrs.frozen(kw_only=True)
class ParcelReturnedToAgency(ShipmentEvent):
    """The parcel came back to the agency; the citizen chooses again.

    Args:
        failed_attempts: The number of the last failed attempt recorded.
        premature: Returned before two failed attempts (Decision 45/2016 Art. 10).
    """

    failed_attempts: int
    premature: bool


@attrs.frozen(kw_only=True)
class ShipmentCancelled(ShipmentEvent):
    """The request was withdrawn before handover."""

    reason: str


@attrs.frozen(kw_only=True)
class TrackingConflictRecorded(ShipmentEvent):
    """An operator report contradicts the shipment's record; an officer must look.

    Recorded, not applied: a "delivered" report after the second failed attempt
    (the result is on its way back to the agency, Circular 17/2017/TT-BTTTT
    Art. 5(2)(h)) or after the parcel was returned or cancelled. The dossier
    does not move: the result is not counted as returned to the citizen.

    Args:
        status: The status the operator reported.
        reported_at: When the operator says it happened.
        reason: Why it was not applied.
        received_by: Who the report says signed for it, if anyone.
    """

    status: str
    reported_at: dt.datetime
    reason: str
    received_by: str | None = None
