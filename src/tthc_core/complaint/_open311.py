"""The public Open311 GeoReport v2 projection of cases and services.

Every case maps to a GeoReport service request (open311.org GeoReport v2, "GET
Service Requests"): ``status`` open/closed with ``status_notes`` in Vietnamese,
``service_code``/``service_name`` per kind, ``agency_responsible``,
``description`` of at most 4000 characters, and the ``requested``, ``updated``
and ``expected`` datetimes in ISO 8601 with the +07:00 offset. Its location is
the commune of the receiving agency (:class:`Area`: ``address`` is the unit's
name, ``address_id`` its code), and ``lat``/``long`` only if the sender gave a
point, rounded to about 110 m (:meth:`GeoPoint.public`).

The projection is public: it never includes the sender, their words, their
attachments or any address they gave, and every text it does publish is
scrubbed of the sender's name, address, phone, e-mail and identity number
(Law on Denunciations 2018 Art. 47(2); tthc's privacy rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from tthc_core.calendar import to_local
from tthc_core.complaint._case import Case
from tthc_core.complaint._kinds import CaseKind, CaseState, ComplaintLevel
from tthc_core.complaint._open311_services import GEO_SERVICES, GeoService
from tthc_core.complaint._privacy import scrub
from tthc_core.document_text import format_due_short_vi
from tthc_core.text import nfc
from tthc_core.validators import non_blank

__all__ = [
    "SERVICES",
    "Area",
    "georeport_definition",
    "georeport_request",
    "georeport_requests",
    "georeport_services",
]

#: Open311 ``service_code`` -> Vietnamese ``service_name`` for each kind (and level).
SERVICES: dict[tuple[CaseKind, ComplaintLevel | None], tuple[str, str]] = {
    (s.kind, s.level): (s.code, s.name) for s in GEO_SERVICES
}


@attrs.frozen
class Area:
    """The administrative unit every request of an agency is placed in (its commune).

    Args:
        code: The unit's code (GSO list, Decision 124/2004/QĐ-TTg), ``address_id``.
        name: Its name with the province (``"Xã Krông Năng, Tỉnh Đắk Lắk"``), ``address``.
    """

    code: str = attrs.field(validator=non_blank)
    name: str = attrs.field(converter=nfc, validator=non_blank)


_OPEN_STATES = frozenset(
    {
        CaseState.RECEIVED,
        CaseState.ACCEPTED,
        CaseState.ASSIGNED,
        CaseState.VERIFYING,
        CaseState.DIALOGUE,
        CaseState.SUSPENDED,
    }
)
_MAX_DESCRIPTION = 4000


def _stamp(instant: dt.datetime | None) -> str | None:
    return None if instant is None else to_local(instant).isoformat(timespec="seconds")


def _due_notice(due: dt.datetime | None) -> str | None:
    if due is None:
        return None
    return f"Hạn xử lý: {format_due_short_vi(due)}"  # 24:00: "hết ngày …" (Civil Code Art. 148)


def _secrets(case: Case) -> list[str]:
    sender = case.sender
    if sender is None:
        return []
    values = [sender.name, sender.address, sender.phone, sender.email, sender.identity_number]
    return [v for v in values if v]


def _notes(case: Case) -> str:
    parts = [case.status_vi]
    if case.state in (CaseState.RESOLVED, CaseState.PUBLISHED, CaseState.CLOSED):
        parts.append(case.result_summary or "")
    elif case.state is CaseState.FORWARDED:
        parts.append(f"Chuyển đến: {case.forwarded_to}")
    elif case.reason and case.state is not CaseState.WITHDRAWN:
        parts.append(f"Lý do: {case.reason}")
    return scrub(". ".join(p for p in parts if p), _secrets(case))


def _description(case: Case) -> str:
    text = scrub(case.public_summary or case.label_vi, _secrets(case))
    if len(text) > _MAX_DESCRIPTION:
        text = text[: _MAX_DESCRIPTION - 1] + "…"
    return text


def georeport_request(case: Case, *, area: Area | None = None) -> dict[str, Any]:
    """The GeoReport v2 request (JSON object) for ``case``; public, identity-free.

    Args:
        case: The case, as stored (the projection itself hides what is confidential).
        area: The commune the agency serves (``address``, ``address_id``).
    """
    code, name = SERVICES[(case.kind, case.level)]
    point = None if case.location is None else case.location.public()
    is_open = case.state in _OPEN_STATES
    expected = case.due_at if is_open else None
    return {
        "service_request_id": case.case_id,
        "status": "open" if is_open else "closed",
        "status_notes": _notes(case),
        "service_code": code,
        "service_name": name,
        "description": _description(case),
        "agency_responsible": scrub(case.forwarded_to or case.agency.name, _secrets(case)),
        "service_notice": _due_notice(expected),
        "requested_datetime": _stamp(case.received_at),
        "updated_datetime": _stamp(case.updated_at),
        "expected_datetime": _stamp(expected),
        "address": None if area is None else area.name,
        "address_id": None if area is None else area.code,
        "zipcode": None,
        "lat": None if point is None else point.lat,
        "long": None if point is None else point.long,
        "media_url": None,
    }


def georeport_requests(cases: Iterable[Case], *, area: Area | None = None) -> list[dict[str, Any]]:
    """GeoReport v2 ``GET /requests`` body: one request per case, in order."""
    return [georeport_request(c, area=area) for c in cases]


def _service(service: GeoService) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(service.attributes),
        "type": "realtime",
        "keywords": service.keywords,
        "group": service.group,
    }


def georeport_services() -> list[dict[str, Any]]:
    """GeoReport v2 ``GET services`` body: every service, in order."""
    return [_service(s) for s in GEO_SERVICES]


def georeport_definition(service: GeoService) -> dict[str, Any]:
    """GeoReport v2 ``GET services/{code}`` body: the service's attributes, numbered from 1."""
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype.value,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": order,
                "description": a.description,
                "values": [{"key": key, "name": name} for key, name in a.values],
            }
            for order, a in enumerate(service.attributes, start=1)
        ],
    }
