"""Return of results: the citizen's channel choice, public postal delivery and tracking.

Decision 45/2016/QĐ-TTg (public postal service for TTHC) and Circular
17/2017/TT-BTTTT (its service standard):

* :func:`choose_return` validates the applicant's choice of desk pick-up,
  postal delivery or an electronic result against the procedure;
* :func:`resolve_address` checks a postal address against the
  :class:`AdministrativeUnits` port (two-level units since 01/7/2025, three-level
  units for older dossiers, keyed by code and validity period);
* :class:`Shipment` is the aggregate of one result parcel, changed by
  :func:`handle`; its lifecycle is the data in :data:`TRANSITIONS`;
* :func:`expected_delivery` gives the J+n due instant (Circular 17/2017 Art. 6-8);
* :func:`apply_tracking_update` applies operator reports idempotently and never
  backwards;
* :class:`PostalService` is the operator port;
* :func:`dossier_commands` maps shipment events to the dossier's commands.
"""

from __future__ import annotations

from tthc_core.delivery._channel import ChoiceMoment, ReturnChoice, choose_return
from tthc_core.delivery._dossier import DossierPostalCommand, dossier_commands
from tthc_core.delivery._events import (
    DeliveryAttemptFailed,
    ParcelReturnedToAgency,
    PostagePayer,
    ShipmentCancelled,
    ShipmentDelivered,
    ShipmentEvent,
    ShipmentHandedOver,
    ShipmentInTransit,
    ShipmentRequested,
    TrackingConflictRecorded,
)
from tthc_core.delivery._lifecycle import (
    FINAL_STATES,
    INITIAL_STATE,
    TRANSITIONS,
    ShipmentAction,
    ShipmentState,
    check_transition_table,
)
from tthc_core.delivery._ports import (
    BookedShipment,
    PostalOrder,
    PostalRejected,
    PostalService,
    PostalServiceError,
    PostalUnavailable,
    Quote,
    ShipmentNotFound,
    order_for,
)
from tthc_core.delivery._shipment import (
    ATTEMPT_GAP_WORKING_DAYS,
    MAX_ATTEMPTS,
    CancelShipment,
    ConfirmDelivery,
    FailedAttempt,
    HandOver,
    MarkInTransit,
    RecordFailedAttempt,
    RecordReturnToAgency,
    ResultGoingBack,
    Shipment,
    ShipmentCommand,
    TrackingConflict,
    handle,
    request_shipment,
    shipment_reference,
)
from tthc_core.delivery._standard import (
    SERVICE_STANDARD,
    Route,
    classify_route,
    expected_delivery,
)
from tthc_core.delivery._tracking import (
    ProviderStatus,
    TrackingOutcome,
    TrackingResult,
    TrackingUpdate,
    apply_tracking_update,
    progress,
)
from tthc_core.delivery._units import (
    TWO_LEVEL_REFORM,
    AddressError,
    AdministrativeUnit,
    AdministrativeUnits,
    ResolvedAddress,
    UnitLevel,
    resolve_address,
)

__all__ = [
    "ATTEMPT_GAP_WORKING_DAYS",
    "FINAL_STATES",
    "INITIAL_STATE",
    "MAX_ATTEMPTS",
    "SERVICE_STANDARD",
    "TRANSITIONS",
    "TWO_LEVEL_REFORM",
    "AddressError",
    "AdministrativeUnit",
    "AdministrativeUnits",
    "BookedShipment",
    "CancelShipment",
    "ChoiceMoment",
    "ConfirmDelivery",
    "DeliveryAttemptFailed",
    "DossierPostalCommand",
    "FailedAttempt",
    "HandOver",
    "MarkInTransit",
    "ParcelReturnedToAgency",
    "PostagePayer",
    "PostalOrder",
    "PostalRejected",
    "PostalService",
    "PostalServiceError",
    "PostalUnavailable",
    "ProviderStatus",
    "Quote",
    "RecordFailedAttempt",
    "RecordReturnToAgency",
    "ResolvedAddress",
    "ResultGoingBack",
    "ReturnChoice",
    "Route",
    "Shipment",
    "ShipmentAction",
    "ShipmentCancelled",
    "ShipmentCommand",
    "ShipmentDelivered",
    "ShipmentEvent",
    "ShipmentHandedOver",
    "ShipmentInTransit",
    "ShipmentNotFound",
    "ShipmentRequested",
    "ShipmentState",
    "TrackingConflict",
    "TrackingConflictRecorded",
    "TrackingOutcome",
    "TrackingResult",
    "TrackingUpdate",
    "UnitLevel",
    "apply_tracking_update",
    "check_transition_table",
    "choose_return",
    "classify_route",
    "dossier_commands",
    "expected_delivery",
    "handle",
    "order_for",
    "progress",
    "request_shipment",
    "resolve_address",
    "shipment_reference",
]
