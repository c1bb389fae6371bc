"""The partner wire format, shaped like VNPost's MyVNPost customer-partner REST API.

VNPost publishes no open API for public-postal TTHC return; its partner API
(contract and credentials required) has ``GetAccessToken``, ``ServicesCharge``,
``CreateOrder``, ``getOrder`` and ``orderCancel`` under ``/customer-partner/``,
with an ``informationOrder`` of ``sender*``/``receiver*`` fields and the
customer's own order code ``saleOrderCode``. Field names follow that shape;
the status vocabulary (:data:`STATUS_TO_WIRE`) is this library's and must be
mapped to the operator's codes when a contract is signed.

Both the HTTP adapter and the fake server use these functions, so the two
cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tthc_core.delivery import PostalOrder, ProviderStatus, ResolvedAddress, TrackingUpdate
from tthc_core.errors import InvalidInput

__all__ = [
    "CANCEL",
    "CREATE",
    "GET_ORDER",
    "QUOTE",
    "STATUS_TO_WIRE",
    "TOKEN",
    "TOKEN_HEADER",
    "order_payload",
    "update_from_wire",
    "update_to_wire",
]

TOKEN = "/customer-partner/GetAccessToken"  # noqa: S105 - a path, not a secret
QUOTE = "/customer-partner/ServicesCharge"
CREATE = "/customer-partner/CreateOrder"
GET_ORDER = "/customer-partner/getOrder"
CANCEL = "/customer-partner/orderCancel"
#: The header carrying the access token (and the callback secret).
TOKEN_HEADER = "token"  # noqa: S105 - a header name, not a secret

STATUS_TO_WIRE: Mapping[ProviderStatus, str] = {
    ProviderStatus.ACCEPTED: "ACCEPTED",
    ProviderStatus.IN_TRANSIT: "IN_TRANSIT",
    ProviderStatus.DELIVERY_FAILED: "DELIVERY_FAILED",
    ProviderStatus.DELIVERED: "DELIVERED",
    ProviderStatus.RETURNED: "RETURNED",
    ProviderStatus.CANCELLED: "CANCELLED",
}
_WIRE_TO_STATUS = {v: k for k, v in STATUS_TO_WIRE.items()}


def _party(prefix: str, place: ResolvedAddress) -> dict[str, Any]:
    address = place.address
    fields: dict[str, Any] = {
        f"{prefix}Name": address.recipient,
        f"{prefix}Phone": address.phone,
        f"{prefix}Address": place.label_vi,
        f"{prefix}ProvinceCode": place.province.code,
        f"{prefix}ProvinceName": place.province.name,
        f"{prefix}CommuneCode": place.commune.code,
        f"{prefix}CommuneName": place.commune.name,
    }
    if place.district is not None:
        fields[f"{prefix}DistrictCode"] = place.district.code
        fields[f"{prefix}DistrictName"] = place.district.name
    return fields


def order_payload(order: PostalOrder, *, customer_code: str, service_code: str) -> dict[str, Any]:
    """The ``CreateOrder``/``ServicesCharge`` body for ``order``.

    Args:
        order: The order.
        customer_code: Our customer code at the operator.
        service_code: The operator's service.
    """
    information = {
        **_party("sender", order.sender),
        **_party("receiver", order.recipient),
        "serviceCode": service_code,
        "saleOrderCode": order.reference,
        "contentNote": order.contents,
        "weight": order.weight_grams,
        "codAmount": order.fee_to_collect_vnd,
    }
    return {"customerCode": customer_code, "informationOrder": information}


def update_to_wire(update: TrackingUpdate) -> dict[str, Any]:
    """One status report as the operator sends it (history entry or callback body)."""
    return {
        "saleOrderCode": update.reference,
        "itemCode": update.item_code,
        "status": STATUS_TO_WIRE[update.status],
        "time": update.occurred_at.isoformat(),
        "attempt": update.attempt,
        "note": update.reason,
        "receiverSigned": update.received_by,
        "codCollected": update.fee_collected_vnd,
        "totalFee": update.postage_vnd,
    }


def update_from_wire(body: Mapping[str, Any]) -> TrackingUpdate:
    """Decode a status report (a callback body or a ``getOrder`` history entry).

    Raises:
        InvalidInput: If a field is missing or has the wrong shape.
    """
    try:
        status = _WIRE_TO_STATUS[body["status"]]
        return TrackingUpdate(
            reference=str(body["saleOrderCode"]),
            status=status,
            occurred_at=dt.datetime.fromisoformat(body["time"]),
            item_code=str(body["itemCode"]),
            attempt=body.get("attempt"),
            reason=body.get("note") or "",
            received_by=body.get("receiverSigned"),
            fee_collected_vnd=int(body.get("codCollected") or 0),
            postage_vnd=body.get("totalFee"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"malformed status report from the operator: {exc!r}") from exc
