"""Strategies for the return of results: units, addresses, choices, shipments, reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.codes import DossierCode
from tthc_core.delivery import (
    MAX_ATTEMPTS,
    TRANSITIONS,
    TWO_LEVEL_REFORM,
    AdministrativeUnit,
    BookedShipment,
    CancelShipment,
    ChoiceMoment,
    ConfirmDelivery,
    HandOver,
    MarkInTransit,
    PostagePayer,
    PostalOrder,
    ProviderStatus,
    Quote,
    RecordFailedAttempt,
    RecordReturnToAgency,
    ResolvedAddress,
    ReturnChoice,
    Route,
    Shipment,
    ShipmentAction,
    ShipmentEvent,
    ShipmentState,
    TrackingUpdate,
    UnitLevel,
    apply_tracking_update,
    handle,
    request_shipment,
    shipment_reference,
)
from tthc_core.party import PostalAddress, ReturnChannel
from tthc_core.testing.strategies._codes import dossier_codes
from tthc_core.testing.strategies._complaint import weekday_deadlines
from tthc_core.testing.strategies._time import aware_datetimes
from tthc_core.testing.strategies._walks import walk

__all__ = [
    "administrative_units",
    "postal_choices",
    "resolved_addresses",
    "shipment_events",
    "shipment_walks",
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


def _recipients(shipment: Shipment) -> list[str]:
    choice = shipment.choice
    names = [choice.address.address.recipient] if choice.address is not None else []
    if choice.authorised_person is not None:
        names.append(choice.authorised_person)
    return [*names, "Người lạ"]  # a stranger: the worker must not hand it over


def _command(draw: st.DrawFn, shipment: Shipment, action: ShipmentAction) -> Any:
    """An operator report for ``action``, sometimes one the rules refuse."""
    fee = shipment.fee_to_collect_vnd
    if action is ShipmentAction.HAND_OVER:
        code = f"EH{draw(st.integers(0, 10**9 - 1)):09d}VN"
        return HandOver(code, postage_vnd=draw(st.none() | st.integers(0, 60_000)))
    if action is ShipmentAction.FAIL_ATTEMPT:
        return RecordFailedAttempt(
            draw(st.sampled_from(["vắng nhà", "sai địa chỉ"])),
            number=draw(st.none() | st.integers(1, MAX_ATTEMPTS + 1)),
        )
    if action is ShipmentAction.DELIVER:
        return ConfirmDelivery(
            draw(st.sampled_from(_recipients(shipment))),
            identity_checked=draw(st.booleans()) or draw(st.booleans()),
            fee_collected_vnd=draw(st.sampled_from([fee, fee, 0, 8_000])),
        )
    if action is ShipmentAction.CANCEL:
        return CancelShipment("Người dân đổi sang nhận tại quầy")
    return MarkInTransit() if action is ShipmentAction.DEPART else RecordReturnToAgency()


def _moves(shipment: Shipment) -> list[Any]:
    """The actions ``shipment``'s state allows, as walk moves (delay and arguments drawn)."""

    def move(action: ShipmentAction, target: ShipmentState) -> Any:
        def make(draw: st.DrawFn) -> tuple[Shipment, list[Any]]:
            last = shipment.failed_attempts[-1].at if shipment.failed_attempts else None
            at = max(t for t in (shipment.requested_at, shipment.handed_over_at, last) if t)
            at += dt.timedelta(hours=draw(st.integers(1, 24 * 6)))
            command = _command(draw, shipment, action)
            return handle(shipment, command, at=at, deadlines=weekday_deadlines())

        return (target, make)

    return [move(action, target) for action, target in TRANSITIONS[shipment.state].items()]


@st.composite
def shipment_walks(
    draw: st.DrawFn,
    dossier_code: DossierCode | None = None,
    state: ShipmentState | None = None,
    max_steps: int = 6,
) -> tuple[Shipment, list[ShipmentEvent]]:
    """A shipment requested, then walked through its lifecycle to ``state``, with its events.

    Without a ``state`` the target is drawn uniformly among the lifecycle's
    states (see :mod:`._walks`); operator reports that break a rule (a third
    attempt, a stranger signing, a wrong fee) are refused and skipped.

    Args:
        dossier_code: The dossier the result belongs to (default: drawn).
        state: The state the shipment ends in (default: any).
        max_steps: The most exploring actions before heading to the target.
    """
    code = dossier_code or draw(dossier_codes())
    choice = draw(postal_choices())
    shipment, events = request_shipment(
        shipment_reference(code, draw(st.integers(1, 99))),
        code,
        choice,
        draw(st.sampled_from(Route)),
        at=choice.chosen_at,
        fee_to_collect_vnd=draw(st.sampled_from([0, 0, 8_000, 15_000])),
        postage_payer=draw(st.sampled_from(PostagePayer)),
        with_appointment_slip=draw(st.booleans()),
    )
    shipment, more = walk(
        draw,
        shipment,
        state_of=lambda s: s.state,
        moves=_moves,
        graph={s: set(actions.values()) for s, actions in TRANSITIONS.items()},
        goal=state,
        max_steps=max_steps,
    )
    shipment, late = _late_report(draw, shipment)
    return shipment, [*events, *more, *late]


def _late_report(draw: st.DrawFn, shipment: Shipment) -> tuple[Shipment, list[ShipmentEvent]]:
    """Sometimes a contradicting operator report arrives last, recorded as a conflict.

    After a final outcome, a report of another outcome; after the second failed
    attempt (the parcel goes back, Circular 17/2017/TT-BTTTT Art. 5(2)(h)), a
    "delivered" report. Neither moves the shipment (see ``apply_tracking_update``).
    """
    if not (shipment.is_final or shipment.going_back) or not draw(st.booleans(), label="late"):
        return shipment, []
    # After the second failure only "delivered" contradicts; after an outcome, the other one.
    status = draw(
        st.sampled_from(
            [
                s
                for s in (ProviderStatus.DELIVERED, ProviderStatus.RETURNED)
                if s.value != shipment.state.value
                and not (shipment.going_back and s is ProviderStatus.RETURNED)
            ]
        )
    )
    times = [shipment.requested_at, shipment.handed_over_at, shipment.delivered_at]
    times += [shipment.returned_at, *(f.at for f in shipment.failed_attempts)]
    last = max(t for t in times if t is not None)
    update = TrackingUpdate(
        reference=shipment.reference,
        status=status,
        occurred_at=last + dt.timedelta(hours=draw(st.integers(1, 48))),
        item_code=shipment.item_code or "EH000000000VN",
        received_by=shipment.choice.address.address.recipient
        if status is ProviderStatus.DELIVERED and shipment.choice.address is not None
        else None,
    )
    result = apply_tracking_update(shipment, update, deadlines=weekday_deadlines())
    return result.shipment, list(result.events)


def shipments(
    dossier_code: DossierCode | None = None, state: ShipmentState | None = None
) -> st.SearchStrategy[Shipment]:
    """Shipments in ``state`` (any lifecycle state, evenly, by default) with real histories."""
    return shipment_walks(dossier_code, state).map(lambda walk: walk[0])


def shipment_events() -> st.SearchStrategy[ShipmentEvent]:
    """Events of shipments walked through their lifecycle."""
    return shipment_walks().flatmap(lambda walk: st.sampled_from(walk[1]))


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


_ITEM_CODES = st.integers(0, 10**9 - 1).map(lambda n: f"EH{n:09d}VN")
_REFERENCES = st.from_regex(r"[0-9A-Z.]{5,12}-BC[1-9]", fullmatch=True)
_VND = st.integers(0, 200_000)

REGISTRY: dict[type, Any] = {
    HandOver: st.builds(HandOver, _ITEM_CODES, st.none() | _VND, st.none() | _NAMES),
    ConfirmDelivery: st.builds(ConfirmDelivery, _NAMES, st.booleans(), _VND),
    CancelShipment: st.builds(
        CancelShipment, st.sampled_from(["Người dân đổi sang nhận tại quầy", "Sai địa chỉ"])
    ),
    MarkInTransit: st.just(MarkInTransit()),
    RecordReturnToAgency: st.just(RecordReturnToAgency()),
    BookedShipment: st.builds(BookedShipment, _REFERENCES, _ITEM_CODES, _VND),
    Quote: st.builds(Quote, _VND, st.sampled_from(["BK", "EMS", "HCC"])),
    PostalOrder: st.builds(
        PostalOrder,
        _REFERENCES,
        resolved_addresses(),
        resolved_addresses(),
        st.sampled_from(["Kết quả giải quyết TTHC", "Giấy chứng nhận"]),
        st.integers(1, 5_000),
        _VND,
    ),
    AdministrativeUnit: administrative_units(),
    ResolvedAddress: resolved_addresses(),
    ReturnChoice: postal_choices(),
    Shipment: shipments(),
    ShipmentState: st.sampled_from(ShipmentState),
    TrackingUpdate: tracking_updates(),
}
