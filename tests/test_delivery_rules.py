"""Return of results: channel choice, addresses, the J+n standard and the shipment rules.

Decision 45/2016/QĐ-TTg, Circular 17/2017/TT-BTTTT, NQ 1660/NQ-UBTVQH15 (units).
"""

from __future__ import annotations

import datetime as dt
import json
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_adapters.units import HISTORICAL_UNITS, VietnamProvincesUnits
from tthc_core.calendar import VN_TZ, Deadlines, Duration
from tthc_core.catalogue import OnlineLevel, Procedure
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.delivery import (
    FINAL_STATES,
    INITIAL_STATE,
    SERVICE_STANDARD,
    TRANSITIONS,
    AddressError,
    ChoiceMoment,
    ConfirmDelivery,
    HandOver,
    RecordFailedAttempt,
    RecordReturnToAgency,
    Route,
    Shipment,
    ShipmentAction,
    ShipmentDelivered,
    ShipmentState,
    TrackingUpdate,
    UnitLevel,
    check_transition_table,
    choose_return,
    classify_route,
    expected_delivery,
    handle,
    request_shipment,
    resolve_address,
    shipment_reference,
)
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.party import PostalAddress, ReturnChannel
from tthc_core.serialization import converter
from tthc_core.testing.strategies import shipments, tracking_updates

UNITS = VietnamProvincesUnits()
DEADLINES = default_deadlines()
MONDAY = dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN_TZ)  # an ordinary working Monday
AFTER = MONDAY.date()
BEFORE = dt.date(2024, 3, 7)
CODE = DossierCode.parse("000.00.15.H12-250908-0005")


def procedure(**changes: Any) -> Procedure:
    base = Procedure(
        ProcedureCode.parse("1.001234"),
        "Cấp bản sao trích lục hộ tịch",
        "Hộ tịch",
        Duration.working_days(3),
    )
    return attrs.evolve(base, **changes)


def address(
    ward: str = "24346", province: str = "66", district: str | None = None
) -> PostalAddress:
    return PostalAddress("Nguyễn Văn An", "0912 345 678", "Thôn 3", ward, province, district)


def postal_choice(authorised: str | None = None):  # type: ignore[no-untyped-def]
    return choose_return(
        procedure(),
        ReturnChannel.POSTAL,
        at=MONDAY,
        moment=ChoiceMoment.RESULT_READY,
        address=address(),
        units=UNITS,
        authorised_person=authorised,
    )


def new_shipment(fee: int = 0, authorised: str | None = None) -> Shipment:
    shipment, _ = request_shipment(
        shipment_reference(CODE, 1),
        CODE,
        postal_choice(authorised),
        Route.WITHIN_PROVINCE,
        at=MONDAY,
        fee_to_collect_vnd=fee,
    )
    return shipment


# -- channel choice (Mẫu 01 item 6; QĐ 45/2016 Art. 1(2), 13; Decree 42/2022) ------------


def test_postal_return_is_refused_when_the_procedure_forbids_it() -> None:
    with pytest.raises(DomainRuleViolation) as info:
        choose_return(
            procedure(postal_return=False),
            ReturnChannel.POSTAL,
            at=MONDAY,
            moment=ChoiceMoment.INTAKE,
            address=address(),
            units=UNITS,
        )
    assert "Decision 45/2016" in (info.value.rule or "")


@pytest.mark.parametrize("level", [OnlineLevel.NONE, OnlineLevel.PARTIAL])
def test_electronic_result_only_for_full_online_procedures(level: OnlineLevel) -> None:
    with pytest.raises(DomainRuleViolation) as info:
        choose_return(
            procedure(online_level=level),
            ReturnChannel.ELECTRONIC,
            at=MONDAY,
            moment=ChoiceMoment.INTAKE,
        )
    assert info.value.rule == "Decree 42/2022/NĐ-CP"
    choice = choose_return(
        procedure(online_level=OnlineLevel.FULL),
        ReturnChannel.ELECTRONIC,
        at=MONDAY,
        moment=ChoiceMoment.INTAKE,
    )
    assert choice.address is None


def test_postal_needs_an_address_and_desk_takes_none() -> None:
    with pytest.raises(InvalidInput):
        choose_return(procedure(), ReturnChannel.POSTAL, at=MONDAY, moment=ChoiceMoment.INTAKE)
    with pytest.raises(InvalidInput):
        choose_return(
            procedure(),
            ReturnChannel.DESK,
            at=MONDAY,
            moment=ChoiceMoment.INTAKE,
            address=address(),
            units=UNITS,
        )


def test_applicant_or_authorised_person_may_receive_names_fold() -> None:
    choice = postal_choice(authorised="Trần Thị Bích")
    assert choice.may_receive("nguyen van  an")
    assert choice.may_receive("TRẦN THỊ BÍCH")
    assert not choice.may_receive("Lê Văn C")
    assert choice.is_addressee("Nguyễn Văn An")
    assert not choice.is_addressee("Trần Thị Bích")


# -- addresses and units (NQ 1660; codes keyed by validity period) ------------------------


def test_code_24343_means_different_units_before_and_after_the_reform() -> None:
    old = UNITS.unit(UnitLevel.COMMUNE, "24343", BEFORE)
    new = UNITS.unit(UnitLevel.COMMUNE, "24343", AFTER)
    assert old is not None
    assert new is not None
    assert old.name == "Thị trấn Krông Năng"
    assert old.district_code == "650"
    assert new.name == "Xã Krông Năng"
    assert new.district_code is None


def test_the_historical_table_holds_krong_nang_and_its_12_communes() -> None:
    communes = [u for u in HISTORICAL_UNITS if u.district_code == "650"]
    assert len(communes) == 12
    assert {u.code for u in communes} >= {"24343", "24349", "24370"}
    assert all(u.valid_until == dt.date(2025, 6, 30) for u in HISTORICAL_UNITS)


def test_current_two_level_address_resolves_with_names() -> None:
    resolved = resolve_address(address(), UNITS, on=AFTER)
    assert resolved.label_vi == "Thôn 3, Xã Dliê Ya, Đắk Lắk"
    assert resolved.district is None


def test_old_three_level_address_is_accepted_for_an_old_dossier() -> None:
    resolved = resolve_address(address("24349", "66", "650"), UNITS, on=BEFORE)
    assert resolved.district is not None
    assert resolved.label_vi == "Thôn 3, Xã Ea Tóh, Huyện Krông Năng, Tỉnh Đắk Lắk"


@pytest.mark.parametrize(
    ("given", "on", "fragment"),
    [
        (address("24349", "66", "650"), AFTER, "districts ceased"),
        (address("24349", "66"), AFTER, "no commune/ward has code 24349"),  # merged away
        (address("24343", "01"), AFTER, "is in province 66"),
        (address("24349", "66"), BEFORE, "needs its district"),
        (address("99999", "66"), AFTER, "no commune/ward"),
        (address("24346", "99"), AFTER, "no province"),
    ],
)
def test_invalid_addresses_say_what_is_wrong(
    given: PostalAddress, on: dt.date, fragment: str
) -> None:
    with pytest.raises(AddressError, match=fragment):
        resolve_address(given, UNITS, on=on)


# -- the J+n standard (Circular 17/2017 Art. 6-8) -----------------------------------------


def test_route_classes() -> None:
    agency = resolve_address(address("24343"), UNITS, on=AFTER)
    same = resolve_address(address("24343"), UNITS, on=AFTER)
    other = resolve_address(address("24346"), UNITS, on=AFTER)
    hanoi = UNITS.unit(UnitLevel.PROVINCE, "01", AFTER)
    hcm = UNITS.unit(UnitLevel.PROVINCE, "79", AFTER)
    assert hanoi is not None
    assert hcm is not None
    assert classify_route(agency, same) is Route.SAME_DISTRICT
    assert classify_route(agency, other) is Route.WITHIN_PROVINCE
    city_a = attrs.evolve(agency, province=hanoi)
    city_b = attrs.evolve(agency, province=hcm)
    assert classify_route(city_a, city_b) is Route.BETWEEN_MAJOR_CITIES
    assert classify_route(agency, city_b) is Route.INTER_PROVINCIAL


def test_service_standard_table_is_circular_17_2017() -> None:
    assert dict(SERVICE_STANDARD) == {
        Route.SAME_DISTRICT: (1, 2),
        Route.WITHIN_PROVINCE: (2, 4),
        Route.BETWEEN_MAJOR_CITIES: (3, 6),
        Route.INTER_PROVINCIAL: (4, 8),
    }


def test_expected_delivery_skips_weekends() -> None:
    friday = dt.datetime(2025, 9, 12, 15, 0, tzinfo=VN_TZ)
    due = expected_delivery(friday, Route.INTER_PROVINCIAL, DEADLINES)
    # J = Friday; 4 working days: Mon 15, Tue 16, Wed 17, Thu 18 -> late from Fri 19 00:00.
    assert due == dt.datetime(2025, 9, 19, 0, 0, tzinfo=VN_TZ)
    slip = expected_delivery(friday, Route.SAME_DISTRICT, DEADLINES, with_appointment_slip=True)
    assert slip == dt.datetime(2025, 9, 17, 0, 0, tzinfo=VN_TZ)


@given(st.sampled_from(Route), st.integers(0, 200), st.booleans())
def test_expected_delivery_is_n_working_days_after_j(route: Route, offset: int, slip: bool) -> None:
    j = MONDAY + dt.timedelta(days=offset)
    due = expected_delivery(j, route, DEADLINES, with_appointment_slip=slip)
    n = SERVICE_STANDARD[route][1 if slip else 0]
    last = due.date() - dt.timedelta(days=1)
    assert DEADLINES.index.is_working_day(last)
    assert DEADLINES.index.working_days_count(j.date() + dt.timedelta(days=1), last) == n


# -- the transition table (checked at import) --------------------------------------------


def test_transition_table_shape() -> None:
    assert INITIAL_STATE is ShipmentState.REQUESTED
    assert {
        ShipmentState.DELIVERED,
        ShipmentState.RETURNED,
        ShipmentState.CANCELLED,
    } == FINAL_STATES
    # Changeable until dispatch: only a request not yet handed over may be cancelled.
    cancellable = {s for s, row in TRANSITIONS.items() if ShipmentAction.CANCEL in row}
    assert cancellable == {ShipmentState.REQUESTED}


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            {
                ShipmentState.DELIVERED: MappingProxyType(
                    {ShipmentAction.CANCEL: ShipmentState.CANCELLED}
                )
            },
            "has an exit",
        ),
        (
            {
                ShipmentState.REQUESTED: MappingProxyType(
                    {ShipmentAction.HAND_OVER: ShipmentState.HANDED_OVER}
                )
            },
            "unreachable",
        ),
        (
            {
                ShipmentState.DELIVERY_FAILED: MappingProxyType(
                    {ShipmentAction.FAIL_ATTEMPT: ShipmentState.DELIVERY_FAILED}
                )
            },
            "trap",
        ),
        (
            {
                ShipmentState.HANDED_OVER: MappingProxyType(
                    {ShipmentAction.CANCEL: ShipmentState.REQUESTED}
                )
            },
            "re-entered",
        ),
    ],
)
def test_table_checker_catches_defects(broken: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message):
        check_transition_table({**TRANSITIONS, **broken}, INITIAL_STATE, FINAL_STATES)


# -- shipment rules (QĐ 45/2016 Art. 9-12) -----------------------------------------------


def _handed_over(shipment: Shipment, at: dt.datetime = MONDAY) -> Shipment:
    return handle(
        shipment, HandOver("EH000000001VN", 16_000, "Bưu tá A"), at=at, deadlines=DEADLINES
    )[0]


def test_delivery_needs_an_identity_check_and_an_entitled_recipient() -> None:
    shipment = _handed_over(new_shipment())
    with pytest.raises(DomainRuleViolation, match="identity") as info:
        handle(
            shipment,
            ConfirmDelivery("Nguyễn Văn An", identity_checked=False),
            at=MONDAY,
            deadlines=DEADLINES,
        )
    assert info.value.rule == "Decision 45/2016/QĐ-TTg Art. 10"
    with pytest.raises(DomainRuleViolation, match="neither the addressee"):
        handle(
            shipment,
            ConfirmDelivery("Hàng xóm", identity_checked=True),
            at=MONDAY,
            deadlines=DEADLINES,
        )


def test_a_proxy_delivery_is_marked_and_the_fee_recorded_once() -> None:
    shipment = _handed_over(new_shipment(fee=8_000, authorised="Trần Thị Bích"))
    with pytest.raises(DomainRuleViolation, match="8000 VND is due"):
        handle(
            shipment, ConfirmDelivery("Trần Thị Bích", True, 16_000), at=MONDAY, deadlines=DEADLINES
        )
    delivered, events = handle(
        shipment, ConfirmDelivery("Tran Thi Bich", True, 8_000), at=MONDAY, deadlines=DEADLINES
    )
    (event,) = events
    assert isinstance(event, ShipmentDelivered)
    assert event.as_authorised_person
    assert delivered.fee_collected_vnd == 8_000
    assert not event.late


def test_late_delivery_is_flagged() -> None:
    shipment = _handed_over(new_shipment())  # within province: J+2 -> late from Thu 00:00
    assert shipment.expected_by == dt.datetime(2025, 9, 11, 0, 0, tzinfo=VN_TZ)
    thursday = dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN_TZ)
    delivered, _ = handle(
        shipment, ConfirmDelivery("Nguyễn Văn An", True), at=thursday, deadlines=DEADLINES
    )
    assert delivered.late is True


def test_two_attempts_two_working_days_apart_then_back_to_the_agency() -> None:
    shipment = _handed_over(new_shipment())
    tuesday = MONDAY + dt.timedelta(days=1)
    s1, e1 = handle(shipment, RecordFailedAttempt("vắng nhà"), at=tuesday, deadlines=DEADLINES)
    assert not e1[0].too_soon  # type: ignore[attr-defined]
    _, early = handle(
        s1, RecordFailedAttempt(), at=tuesday + dt.timedelta(days=1), deadlines=DEADLINES
    )
    assert early[0].too_soon  # type: ignore[attr-defined]  # Wednesday: only 1 working day later
    s2, ok = handle(
        s1, RecordFailedAttempt(), at=tuesday + dt.timedelta(days=2), deadlines=DEADLINES
    )
    assert not ok[0].too_soon  # type: ignore[attr-defined]
    with pytest.raises(DomainRuleViolation, match="attempted 2 times"):
        handle(s2, RecordFailedAttempt(), at=tuesday + dt.timedelta(days=6), deadlines=DEADLINES)
    back, events = handle(
        s2, RecordReturnToAgency(), at=tuesday + dt.timedelta(days=7), deadlines=DEADLINES
    )
    assert back.state is ShipmentState.RETURNED
    assert not events[0].premature  # type: ignore[attr-defined]
    premature = handle(s1, RecordReturnToAgency(), at=tuesday, deadlines=DEADLINES)[1][0]
    assert premature.premature  # type: ignore[attr-defined]


def test_a_dispatched_shipment_cannot_be_cancelled() -> None:
    from tthc_core.delivery import CancelShipment

    with pytest.raises(DomainRuleViolation, match="cannot cancel"):
        handle(
            _handed_over(new_shipment()), CancelShipment("đổi ý"), at=MONDAY, deadlines=DEADLINES
        )


def test_shipment_reference_carries_no_personal_data() -> None:
    shipment = new_shipment()
    assert shipment.reference == "000.00.15.H12-250908-0005-BC1"
    assert "Nguy" not in shipment.reference
    with pytest.raises(InvalidInput):
        shipment_reference(CODE, 0)


# -- serialization ----------------------------------------------------------------------


def _round_trip(value: object, cls: type) -> object:
    return converter.structure(json.loads(json.dumps(converter.unstructure(value, cls))), cls)


@given(shipments())
def test_shipment_round_trips_through_json(shipment: Shipment) -> None:
    assert _round_trip(shipment, Shipment) == shipment


@given(tracking_updates())
def test_tracking_update_round_trips_through_json(update: TrackingUpdate) -> None:
    assert _round_trip(update, TrackingUpdate) == update


def test_shipment_events_round_trip_as_a_tagged_union() -> None:
    shipment = new_shipment(fee=8_000)
    events: list[DomainEvent] = []
    shipment, new = handle(shipment, HandOver("EH1VN", 16_000), at=MONDAY, deadlines=DEADLINES)
    events += new
    shipment, new = handle(shipment, RecordFailedAttempt(), at=MONDAY, deadlines=DEADLINES)
    events += new
    shipment, new = handle(
        shipment, ConfirmDelivery("Nguyễn Văn An", True, 8_000), at=MONDAY, deadlines=DEADLINES
    )
    events += new
    for event in events:
        assert _round_trip(event, DomainEvent) == event


def test_strategies_are_registered_for_from_type() -> None:
    @given(st.from_type(Shipment))
    def check(shipment: Shipment) -> None:
        # Walked through the real lifecycle: any state, consistent with its history.
        assert shipment.state in ShipmentState
        assert (shipment.handed_over_at is None) is (shipment.item_code is None)

    check()


def test_deadlines_type() -> None:
    assert isinstance(DEADLINES, Deadlines)


# -- what shipment events mean for the dossier --------------------------------------------


def test_only_dispatch_delivery_and_return_move_the_dossier() -> None:
    from tthc_core.delivery import dossier_commands
    from tthc_core.dossier import ConfirmPostalDelivery, DispatchByPost, PostalParcelReturned

    shipment = new_shipment()
    shipment, handed = handle(shipment, HandOver("EH1VN", 16_000), at=MONDAY, deadlines=DEADLINES)
    failed_shipment, failed = handle(
        shipment, RecordFailedAttempt(), at=MONDAY, deadlines=DEADLINES
    )
    _, delivered = handle(
        shipment, ConfirmDelivery("Nguyễn Văn An", True), at=MONDAY, deadlines=DEADLINES
    )
    _, returned = handle(failed_shipment, RecordReturnToAgency(), at=MONDAY, deadlines=DEADLINES)
    assert dossier_commands(handed[0]) == (DispatchByPost(shipment_reference=shipment.reference),)
    assert dossier_commands(delivered[0]) == (ConfirmPostalDelivery(),)
    assert dossier_commands(returned[0]) == (PostalParcelReturned(),)
    assert dossier_commands(failed[0]) == ()
