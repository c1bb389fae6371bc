"""Strategies for the return of results: units, addresses, choices, shipments, reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.codes import DossierCode
from tthc_core.delivery import (
    TWO_LEVEL_REFORM,
    AdministrativeUnit,
    ChoiceMoment,
    PostagePayer,
    ProviderStatus,
    ResolvedAddress,
    ReturnChoice,
    Route,
    Shipment,
    TrackingUpdate,
    UnitLevel,
    request_shipment,
    shipment_reference,
)
from tthc_core.party import PostalAddress, ReturnChannel
from tthc_core.testing.strategies._codes import dossier_codes
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = [
    "administrative_units",
    "postal_choices",
    "resolved_addresses",
    "shipments",
    "tracking_updates",
]

_NAMES = st.sampled_from(
    ["Nguyễn Văn An", "Trần Thị Bích", "H'Nhi Niê", "Y Khu Êban", "Lê Minh Đức", "Phạm Thu Hà"]
)
_PHONES = st.from_regex(r"0[35789][0-9]{8}", fullmatch=True)
_STREETS = st.sampled_from(["Thôn 3", "Buôn Ea Kmar", "12 Lê Lợi", "Tổ dân phố 5", "Km 45 QL29"])


@st.composite
def administrative_units(
    draw: st.DrawFn, level: UnitLevel = UnitLevel.COMMUNE
) -> AdministrativeUnit:
    """Current (post-2025) units of ``level`` with plausible GSO-shaped codes."""
    province = f"{draw(st.integers(1, 96)):02d}"
    width = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}[level]
    code = (
        province
        if level is UnitLevel.PROVINCE
        else f"{draw(st.integers(1, 10**width - 1)):0{width}d}"
    )
    kind = {UnitLevel.PROVINCE: "Tỉnh", UnitLevel.DISTRICT: "Huyện", UnitLevel.COMMUNE: "Xã"}[level]
    return AdministrativeUnit(
        code,
        f"{kind} {draw(_NAMES)}",
        level,
        province,
        central_city=level is UnitLevel.PROVINCE and draw(st.booleans()),
        valid_from=TWO_LEVEL_REFORM,
    )


@st.composite
def resolved_addresses(draw: st.DrawFn) -> ResolvedAddress:
    """Two-level addresses whose commune lies in its province."""
    province = draw(administrative_units(UnitLevel.PROVINCE))
    commune = draw(administrative_units(UnitLevel.COMMUNE))
    commune = AdministrativeUnit(
        commune.code, commune.name, UnitLevel.COMMUNE, province.code, valid_from=TWO_LEVEL_REFORM
    )
    address = PostalAddress(
        draw(_NAMES), draw(_PHONES), draw(_STREETS), commune.code, province.code
    )
    on = draw(st.dates(TWO_LEVEL_REFORM, dt.date(2035, 12, 31)))
    return ResolvedAddress(address, commune, province, None, on)


def postal_choices() -> st.SearchStrategy[ReturnChoice]:
    """Postal return choices, with or without an authorised person."""
    return st.builds(
        ReturnChoice,
        st.just(ReturnChannel.POSTAL),
        aware_datetimes(dt.datetime(2025, 7, 1), dt.datetime(2035, 12, 31)),  # noqa: DTZ001
        st.sampled_from(ChoiceMoment),
        resolved_addresses(),
        st.none() | _NAMES,
    )


@st.composite
def shipments(draw: st.DrawFn, dossier_code: DossierCode | None = None) -> Shipment:
    """Freshly requested shipments (state ``REQUESTED``)."""
    code = dossier_code or draw(dossier_codes())
    choice = draw(postal_choices())
    shipment, _ = request_shipment(
        shipment_reference(code, draw(st.integers(1, 99))),
        code,
        choice,
        draw(st.sampled_from(Route)),
        at=choice.chosen_at,
        fee_to_collect_vnd=draw(st.sampled_from([0, 0, 8_000, 15_000])),
        postage_payer=draw(st.sampled_from(PostagePayer)),
        with_appointment_slip=draw(st.booleans()),
    )
    return shipment


@st.composite
def tracking_updates(draw: st.DrawFn, reference: str | None = None) -> TrackingUpdate:
    """Operator reports of any status, for ``reference`` if given."""
    status = draw(st.sampled_from(ProviderStatus))
    return TrackingUpdate(
        reference=reference or draw(st.from_regex(r"[0-9A-Z.]{5,12}-BC[1-9]", fullmatch=True)),
        status=status,
        occurred_at=draw(aware_datetimes(dt.datetime(2025, 7, 1), dt.datetime(2030, 12, 31))),  # noqa: DTZ001
        item_code=f"EH{draw(st.integers(0, 10**9 - 1)):09d}VN",
        attempt=draw(st.integers(1, 2)) if status is ProviderStatus.DELIVERY_FAILED else None,
        reason=draw(st.sampled_from(["", "vắng nhà", "sai địa chỉ"])),
        received_by=draw(_NAMES) if status is ProviderStatus.DELIVERED else None,
        fee_collected_vnd=draw(st.sampled_from([0, 8_000])),
        postage_vnd=draw(st.none() | st.integers(0, 60_000)),
    )


REGISTRY: dict[type, Any] = {
    AdministrativeUnit: administrative_units(),
    ResolvedAddress: resolved_addresses(),
    ReturnChoice: postal_choices(),
    Shipment: shipments(),
    TrackingUpdate: tracking_updates(),
}
