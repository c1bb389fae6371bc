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


#: The largest amount of money a report may carry, in đồng (far above any postage or fee).
_MAX_VND = 10**12
#: The years a report's time may fall in (the ends would overflow a zone change).
_YEARS = (2000, 2100)


def _text(body: Mapping[str, Any], name: str, *, optional: bool = False) -> str | None:
    value = body.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not (optional or value.strip()):
        kind = "a string or null" if optional else "a non-empty string"
        raise InvalidInput(f"malformed status report from the operator: {name!r} must be {kind}")
    return value


def _whole(body: Mapping[str, Any], name: str, highest: int) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= highest:
        raise InvalidInput(
            f"malformed status report from the operator: {name!r} must be a whole number "
            f"from 0 to {highest} or null"
        )
    return value


def update_from_wire(body: Mapping[str, Any]) -> TrackingUpdate:
    """Decode a status report (a callback body or a ``getOrder`` history entry).

    Every field is checked for its type and range (a JSON body may hold
    anything: an object where a name belongs, ``1e400`` for a fee).

    Raises:
        InvalidInput: Naming the field that is missing or has the wrong shape.
    """
    wire_status = body.get("status")
    status = _WIRE_TO_STATUS.get(wire_status) if isinstance(wire_status, str) else None
    if status is None:
        raise InvalidInput(
            "malformed status report from the operator: 'status' must be one of "
            + ", ".join(sorted(_WIRE_TO_STATUS))
        )
    try:
        occurred_at = dt.datetime.fromisoformat(_text(body, "time") or "")
    except ValueError as exc:
        raise InvalidInput(f"malformed status report from the operator: 'time': {exc}") from None
    if occurred_at.utcoffset() is None or not _YEARS[0] <= occurred_at.year < _YEARS[1]:
        raise InvalidInput(
            "malformed status report from the operator: 'time' must be an ISO 8601 time "
            f"with a UTC offset, from {_YEARS[0]} to {_YEARS[1] - 1}"
        )
    return TrackingUpdate(
        reference=_text(body, "saleOrderCode") or "",
        status=status,
        occurred_at=occurred_at,
        item_code=_text(body, "itemCode") or "",
        attempt=_whole(body, "attempt", 1000),
        reason=_text(body, "note", optional=True) or "",
        received_by=_text(body, "receiverSigned", optional=True),
        fee_collected_vnd=_whole(body, "codCollected", _MAX_VND) or 0,
        postage_vnd=_whole(body, "totalFee", _MAX_VND),
    )
