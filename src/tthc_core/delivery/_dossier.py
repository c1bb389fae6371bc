"""What a shipment event means for its dossier.

* Dispatch (the Phiếu gửi is signed) moves the dossier to "in postal delivery"
  (OpenCPS ``posting``; no DVCQG code of its own).
* Only a confirmed delivery moves it to "result returned" (DVCQG status 10,
  Đã trả kết quả).
* A parcel back at the agency moves it back to "result ready" (DVCQG 9), and
  the citizen chooses again (Decision 45/2016/QĐ-TTg Art. 10).

Other shipment events leave the dossier where it is.
"""

from __future__ import annotations

from typing import TypeAlias

from tthc_core.delivery._events import (
    ParcelReturnedToAgency,
    ShipmentDelivered,
    ShipmentEvent,
    ShipmentHandedOver,
)
from tthc_core.dossier import (
    ConfirmPostalDelivery,
    DispatchByPost,
    PostalParcelReturned,
)

__all__ = ["DossierPostalCommand", "dossier_commands"]

DossierPostalCommand: TypeAlias = DispatchByPost | ConfirmPostalDelivery | PostalParcelReturned


def dossier_commands(event: ShipmentEvent) -> tuple[DossierPostalCommand, ...]:
    """The dossier commands a shipment event implies (apply them at ``event.occurred_at``).

    Args:
        event: A shipment event.
    """
    match event:
        case ShipmentHandedOver():
            return (DispatchByPost(shipment_reference=event.reference),)
        case ShipmentDelivered():
            return (ConfirmPostalDelivery(),)
        case ParcelReturnedToAgency():
            return (PostalParcelReturned(),)
        case _:
            return ()
