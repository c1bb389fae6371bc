"""Fault tests against the fake partner server: no lost or duplicated shipment, a right dossier.

Every failure switch of :class:`FakePostalServer` is exercised: 5xx before work,
5xx after work (ambiguous), timeouts after work, expired tokens, an operator
that does not de-duplicate order codes, duplicated callbacks and callbacks out
of order, with polling as the second path. After each run there is exactly one
booking per reference, each shipment event happened once, and the dossier is
"in postal delivery" while the parcel travels, "result returned" only on a
confirmed delivery, and "result ready" again when the parcel came back
(Decision 45/2016/QĐ-TTg Art. 9-10).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence

import attrs
import pytest
import stamina
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_adapters.postal import (
    FakePostalServer,
    FakePostOffice,
    PartnerConfig,
    PartnerPostalService,
    ShipmentTracker,
)
from tthc_adapters.units import VietnamProvincesUnits
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.catalogue import Procedure
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.delivery import (
    ChoiceMoment,
    PostalUnavailable,
    ProviderStatus,
    Shipment,
    ShipmentDelivered,
    ShipmentEvent,
    ShipmentHandedOver,
    ShipmentState,
    TrackingOutcome,
    choose_return,
    classify_route,
    dossier_commands,
    order_for,
    request_shipment,
    resolve_address,
    shipment_reference,
)
from tthc_core.dossier import Channel, Dossier, DossierState, Resolve, ReturnAtDesk, receive
from tthc_core.dossier import handle as handle_dossier
from tthc_core.party import Applicant, PostalAddress, ReturnChannel

DEADLINES = default_deadlines()
UNITS = VietnamProvincesUnits()
SECRET = "callback-secret-0001"  # noqa: S105 - a test fixture value
T0 = dt.datetime(2025, 9, 8, 8, 0, tzinfo=VN_TZ)
PROCEDURE = Procedure(
    ProcedureCode.parse("1.001234"),
    "Cấp bản sao trích lục hộ tịch",
    "Hộ tịch",
    Duration.working_days(3),
)
HOME = PostalAddress("Nguyễn Văn An", "0912345678", "Thôn 3", "24346", "66")
AGENCY = resolve_address(
    PostalAddress("Trung tâm Phục vụ HCC xã Krông Năng", "0262300000", "Thôn 1", "24343", "66"),
    UNITS,
    on=T0.date(),
)


@pytest.fixture(autouse=True)
def no_backoff() -> Iterator[None]:
    """Retries without waiting (stamina's testing mode), 4 attempts per call."""
    with stamina.set_testing(True, attempts=4):
        yield


@attrs.define
class Desk:
    """The agency side: the tracker, and the dossier it drives."""

    server: FakePostalServer
    tracker: ShipmentTracker
    dossier: Dossier
    events: list[ShipmentEvent] = attrs.field(factory=list)
    sequence: int = 0

    def on_events(self, _: Shipment, events: Sequence[ShipmentEvent]) -> None:
        for event in events:
            self.events.append(event)
            for command in dossier_commands(event):
                self.dossier, _ = handle_dossier(
                    self.dossier, command, at=event.occurred_at, deadlines=DEADLINES
                )

    def request(self, at: dt.datetime, *, later_retries: int = 0) -> Shipment:
        """Request and book a postal return; ``later_retries`` re-runs a failed booking
        (as an outbox would, later) instead of giving up."""
        self.sequence += 1
        choice = choose_return(
            PROCEDURE,
            ReturnChannel.POSTAL,
            at=at,
            moment=ChoiceMoment.RESULT_READY,
            address=HOME,
            units=UNITS,
        )
        code = self.dossier.code
        shipment, events = request_shipment(
            shipment_reference(code, self.sequence),
            code,
            choice,
            classify_route(AGENCY, choice.address),  # type: ignore[arg-type]
            at=at,
        )
        self.tracker.add(shipment, events)
        for attempt in range(later_retries + 1):
            try:
                self.tracker.book(order_for(shipment, AGENCY))
                break
            except PostalUnavailable:
                if attempt == later_retries:
                    raise
        return shipment

    def report(
        self, reference: str, status: ProviderStatus, hours: float, **details: object
    ) -> None:
        self.server.office.report(reference, status, T0 + dt.timedelta(hours=hours), **details)  # type: ignore[arg-type]


def _resolved_dossier() -> Dossier:
    code = DossierCode.parse("000.00.15.H12-250901-0005")
    dossier, _ = receive(
        code=code,
        procedure=PROCEDURE,
        applicant=Applicant("Nguyễn Văn An", phone="0912345678"),
        channel=Channel.IN_PERSON,
        unit="Bộ phận Một cửa",
        at=dt.datetime(2025, 9, 1, 9, 0, tzinfo=VN_TZ),
        deadlines=DEADLINES,
        return_channel=ReturnChannel.POSTAL,
        postal_address=HOME,
    )
    dossier, _ = handle_dossier(
        dossier, Resolve(), at=T0 - dt.timedelta(hours=1), deadlines=DEADLINES
    )
    assert dossier.state is DossierState.RESOLVED
    return dossier


def _desk(server: FakePostalServer, *, subscribe: bool = True) -> Desk:
    config = PartnerConfig(
        server.base_url, "tthc", "secret", "C0001", timeout_seconds=0.15, retry_timeout_seconds=5
    )
    desk = Desk(server, None, _resolved_dossier())  # type: ignore[arg-type]
    desk.tracker = ShipmentTracker(
        PartnerPostalService(config), DEADLINES, on_events=desk.on_events, callback_secret=SECRET
    )
    server.office.callback_headers = {"token": SECRET}
    if subscribe:
        server.office.subscribe(desk.tracker.on_callback)
    return desk


@pytest.fixture
def server() -> Iterator[FakePostalServer]:
    with FakePostalServer() as server:
        server.faults.stall_seconds = 0.4
        yield server


def _event_counts(desk: Desk) -> Counter[str]:
    return Counter(type(e).__name__ for e in desk.events)


# -- booking under faults -----------------------------------------------------------------


@pytest.mark.parametrize("dedupe", [True, False], ids=["operator-dedupes", "operator-does-not"])
@pytest.mark.parametrize(
    ("switch", "count"),
    [("fail_next", 2), ("fail_after_commit", 1), ("stall_next", 1), ("fail_after_commit", 3)],
)
def test_a_retried_booking_never_books_twice(
    server: FakePostalServer, switch: str, count: int, dedupe: bool
) -> None:
    server.office.dedupe_creates = dedupe
    desk = _desk(server)
    setattr(server.faults, switch, count)
    shipment = desk.request(T0)
    assert len(server.office.bookings_of(shipment.reference)) == 1
    assert len(server.office.bookings) == 1
    # The citizen's agency calls again (a retry of the whole step): still one booking.
    desk.tracker.book(order_for(shipment, AGENCY))
    assert len(server.office.bookings) == 1


def test_a_long_outage_fails_loudly_and_a_later_retry_books_once(server: FakePostalServer) -> None:
    desk = _desk(server)
    server.faults.fail_next = 100
    with pytest.raises(PostalUnavailable, match="safe"):
        desk.request(T0)
    assert server.office.bookings == []
    shipment = desk.tracker[shipment_reference(desk.dossier.code, 1)]
    assert shipment.state is ShipmentState.REQUESTED  # kept, nothing lost
    server.faults.fail_next = 0
    desk.tracker.book(order_for(shipment, AGENCY))
    assert len(server.office.bookings) == 1


def test_an_expired_token_is_renewed_once(server: FakePostalServer) -> None:
    desk = _desk(server)
    shipment = desk.request(T0)
    server.expire_tokens()
    desk.report(shipment.reference, ProviderStatus.ACCEPTED, 1)
    results = desk.tracker.poll(shipment.reference)
    assert [r.outcome for r in results] == [TrackingOutcome.DUPLICATE]
    assert sum(1 for _, path in server.requests if path.endswith("GetAccessToken")) == 2


# -- status reports under faults ------------------------------------------------------------


def _deliver_after_one_failure(desk: Desk, reference: str) -> None:
    desk.report(reference, ProviderStatus.ACCEPTED, 1)
    desk.report(reference, ProviderStatus.IN_TRANSIT, 3)
    desk.report(reference, ProviderStatus.DELIVERY_FAILED, 26, attempt=1, note="vắng nhà")
    desk.report(reference, ProviderStatus.DELIVERED, 74, received_by="Nguyen Van An")


@pytest.mark.parametrize("duplicate", [False, True], ids=["single", "duplicated"])
@pytest.mark.parametrize("reorder", [False, True], ids=["in-order", "out-of-order"])
def test_callbacks_duplicated_or_out_of_order_deliver_once(
    server: FakePostalServer, duplicate: bool, reorder: bool
) -> None:
    desk = _desk(server)
    shipment = desk.request(T0)
    server.office.duplicate_callbacks = duplicate
    server.office.hold_callbacks = reorder
    _deliver_after_one_failure(desk, shipment.reference)
    server.office.release_held_callbacks(newest_first=True)
    final = desk.tracker[shipment.reference]
    assert final.state is ShipmentState.DELIVERED
    counts = _event_counts(desk)
    assert counts["ShipmentHandedOver"] == 1
    assert counts["ShipmentDelivered"] == 1
    assert final.postage_vnd == server.office.bookings[0].postage_vnd  # recorded once
    assert desk.dossier.state is DossierState.RESULT_RETURNED
    # Polling afterwards changes nothing.
    assert all(
        r.outcome is not TrackingOutcome.APPLIED for r in desk.tracker.poll(shipment.reference)
    )
    assert desk.tracker[shipment.reference] is final


def test_the_dossier_is_in_postal_delivery_until_delivery_is_confirmed(
    server: FakePostalServer,
) -> None:
    desk = _desk(server)
    shipment = desk.request(T0)
    assert desk.dossier.state is DossierState.RESOLVED  # booked, not yet handed over
    desk.report(shipment.reference, ProviderStatus.ACCEPTED, 1)
    assert desk.dossier.state is DossierState.IN_POSTAL_DELIVERY
    desk.report(shipment.reference, ProviderStatus.DELIVERY_FAILED, 26, attempt=1)
    assert desk.dossier.state is DossierState.IN_POSTAL_DELIVERY
    desk.report(shipment.reference, ProviderStatus.DELIVERED, 74, received_by="Hàng xóm")
    rejected = desk.tracker.outcomes[-1]
    assert rejected.outcome is TrackingOutcome.REJECTED  # not the addressee: not returned
    assert desk.dossier.state is DossierState.IN_POSTAL_DELIVERY


@pytest.mark.parametrize("reorder", [False, True], ids=["in-order", "out-of-order"])
def test_a_returned_parcel_puts_the_dossier_back_and_the_citizen_chooses_again(
    server: FakePostalServer, reorder: bool
) -> None:
    desk = _desk(server)
    first = desk.request(T0)
    server.office.duplicate_callbacks = True
    server.office.hold_callbacks = reorder
    desk.report(first.reference, ProviderStatus.ACCEPTED, 1)
    desk.report(first.reference, ProviderStatus.DELIVERY_FAILED, 26, attempt=1, note="vắng nhà")
    desk.report(first.reference, ProviderStatus.DELIVERY_FAILED, 74, attempt=2, note="vắng nhà")
    desk.report(first.reference, ProviderStatus.RETURNED, 100)
    server.office.release_held_callbacks()
    assert desk.tracker[first.reference].state is ShipmentState.RETURNED
    assert desk.dossier.state is DossierState.RESOLVED
    assert _event_counts(desk)["ParcelReturnedToAgency"] == 1
    # Polling reconciles anything the callbacks missed; nothing moves backwards.
    desk.tracker.poll(first.reference)
    assert desk.tracker[first.reference].state is ShipmentState.RETURNED
    # The citizen chooses post again: a new reference, a second booking, delivered.
    server.office.hold_callbacks = False
    second = desk.request(T0 + dt.timedelta(hours=120))
    assert second.reference != first.reference
    desk.report(second.reference, ProviderStatus.ACCEPTED, 121)
    desk.report(second.reference, ProviderStatus.DELIVERED, 140, received_by="Nguyễn Văn An")
    assert desk.dossier.state is DossierState.RESULT_RETURNED
    assert len(server.office.bookings) == 2


@pytest.mark.parametrize("poll", [False, True], ids=["callback", "polling"])
def test_a_delivered_report_after_the_second_failed_attempt_is_a_conflict(
    server: FakePostalServer, poll: bool
) -> None:
    """Circular 17/2017/TT-BTTTT Art. 5(2)(h): the result goes back to the agency after the
    second failed attempt; the operator's later "delivered" is kept for an officer and does
    not return the result to the citizen, whether it comes by callback or by polling."""
    desk = _desk(server, subscribe=not poll)
    shipment = desk.request(T0)
    desk.report(shipment.reference, ProviderStatus.ACCEPTED, 1)
    desk.report(shipment.reference, ProviderStatus.DELIVERY_FAILED, 26, attempt=1)
    desk.report(shipment.reference, ProviderStatus.DELIVERY_FAILED, 74, attempt=2)
    desk.report(shipment.reference, ProviderStatus.DELIVERED, 80, received_by="Nguyễn Văn An")
    if poll:
        desk.tracker.poll(shipment.reference)
    assert desk.tracker.outcomes[-1].outcome is TrackingOutcome.CONFLICT
    kept = desk.tracker[shipment.reference]
    assert kept.state is ShipmentState.DELIVERY_FAILED
    assert [c.status for c in kept.conflicts] == ["delivered"]
    assert desk.dossier.state is DossierState.IN_POSTAL_DELIVERY
    assert _event_counts(desk)["ShipmentDelivered"] == 0


def test_after_a_returned_parcel_the_citizen_may_collect_at_the_desk(
    server: FakePostalServer,
) -> None:
    desk = _desk(server)
    shipment = desk.request(T0)
    desk.report(shipment.reference, ProviderStatus.ACCEPTED, 1)
    desk.report(shipment.reference, ProviderStatus.RETURNED, 30, note="từ chối nhận")
    returned = [e for e in desk.events if type(e).__name__ == "ParcelReturnedToAgency"]
    assert returned[0].premature  # type: ignore[attr-defined]  # before two attempts: flagged
    desk.dossier, _ = handle_dossier(desk.dossier, ReturnAtDesk(), at=T0 + dt.timedelta(hours=48))
    assert desk.dossier.state is DossierState.RESULT_RETURNED


def test_lost_callbacks_are_recovered_by_polling_through_5xx(server: FakePostalServer) -> None:
    desk = _desk(server, subscribe=False)  # every callback is lost
    shipment = desk.request(T0)
    _deliver_after_one_failure(desk, shipment.reference)
    assert desk.dossier.state is DossierState.RESOLVED
    server.faults.fail_next = 2
    server.faults.stall_next = 1
    results = desk.tracker.poll(shipment.reference)
    assert [r.outcome for r in results].count(TrackingOutcome.APPLIED) >= 2
    assert desk.tracker[shipment.reference].state is ShipmentState.DELIVERED
    assert desk.dossier.state is DossierState.RESULT_RETURNED
    assert _event_counts(desk)["ShipmentDelivered"] == 1


def test_the_choice_is_changeable_until_dispatch(server: FakePostalServer) -> None:
    """Before handover the booking is cancelled; after it, the operator refuses."""
    from tthc_core.delivery import PostalRejected

    desk = _desk(server)
    first = desk.request(T0)
    cancelled = desk.tracker.cancel(first.reference, "chọn nhận tại Bộ phận Một cửa", at=T0)
    assert cancelled.state is ShipmentState.CANCELLED
    assert server.office.bookings[0].status == "CANCELLED"
    assert desk.dossier.state is DossierState.RESOLVED
    second = desk.request(T0 + dt.timedelta(hours=1))
    desk.report(second.reference, ProviderStatus.ACCEPTED, 2)
    with pytest.raises(PostalRejected):
        desk.tracker.cancel(second.reference, "đổi ý", at=T0 + dt.timedelta(hours=3))
    assert desk.tracker[second.reference].state is ShipmentState.HANDED_OVER
    assert desk.dossier.state is DossierState.IN_POSTAL_DELIVERY


def test_callbacks_without_the_secret_are_refused(server: FakePostalServer) -> None:
    from tthc_adapters.postal import CallbackRejected

    desk = _desk(server, subscribe=False)
    shipment = desk.request(T0)
    body = {
        "saleOrderCode": shipment.reference,
        "itemCode": "X",
        "status": "DELIVERED",
        "time": T0.isoformat(),
    }
    with pytest.raises(CallbackRejected):
        desk.tracker.on_callback(body, {"token": "guess"})
    assert desk.tracker[shipment.reference].state is ShipmentState.REQUESTED


# -- random fault schedules -----------------------------------------------------------------

_STORY = [
    (ProviderStatus.ACCEPTED, {}),
    (ProviderStatus.IN_TRANSIT, {}),
    (ProviderStatus.DELIVERY_FAILED, {"attempt": 1}),
    (ProviderStatus.DELIVERY_FAILED, {"attempt": 2}),
]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fail_next=st.integers(0, 3),
    fail_after_commit=st.integers(0, 2),
    stall=st.booleans(),
    dedupe=st.booleans(),
    duplicate=st.booleans(),
    reorder=st.booleans(),
    steps=st.integers(0, 4),
    ending=st.sampled_from([ProviderStatus.DELIVERED, ProviderStatus.RETURNED, None]),
)
def test_any_fault_schedule_ends_with_one_booking_and_the_right_dossier_state(  # noqa: PLR0917
    server: FakePostalServer,
    fail_next: int,
    fail_after_commit: int,
    stall: bool,
    dedupe: bool,
    duplicate: bool,
    reorder: bool,
    steps: int,
    ending: ProviderStatus | None,
) -> None:
    server.office = FakePostOffice(dedupe_creates=dedupe)
    desk = _desk(server)
    server.faults.fail_next = fail_next
    server.faults.fail_after_commit = fail_after_commit
    server.faults.stall_next = int(stall)
    shipment = desk.request(T0, later_retries=3)  # the outage may outlast one call's retries
    server.office.duplicate_callbacks = duplicate
    server.office.hold_callbacks = reorder
    story = _STORY[: max(steps, 1 if ending else 0)]
    if ending is ProviderStatus.RETURNED and steps < 4:
        story = _STORY[: max(steps, 1)]
    hours = 1.0
    for status, details in story:
        desk.report(shipment.reference, status, hours, **details)
        hours += 50
    if ending is ProviderStatus.DELIVERED:
        desk.report(shipment.reference, ending, hours, received_by="Nguyễn Văn An")
    elif ending is ProviderStatus.RETURNED:
        desk.report(shipment.reference, ending, hours)
    server.office.release_held_callbacks()
    desk.tracker.poll(shipment.reference)

    assert len(server.office.bookings) == 1
    counts = _event_counts(desk)
    assert all(n <= 1 for kind, n in counts.items() if kind != "DeliveryAttemptFailed")
    final = desk.tracker[shipment.reference].state
    expected_dossier = {
        ShipmentState.REQUESTED: DossierState.RESOLVED,
        ShipmentState.HANDED_OVER: DossierState.IN_POSTAL_DELIVERY,
        ShipmentState.IN_TRANSIT: DossierState.IN_POSTAL_DELIVERY,
        ShipmentState.DELIVERY_FAILED: DossierState.IN_POSTAL_DELIVERY,
        ShipmentState.DELIVERED: DossierState.RESULT_RETURNED,
        ShipmentState.RETURNED: DossierState.RESOLVED,
    }
    assert desk.dossier.state is expected_dossier[final]
    second_failure = len(story) == len(_STORY)
    if ending is ProviderStatus.DELIVERED and second_failure and reorder:
        # Held callbacks may bring "delivered" before the second failure: tracking never
        # goes backwards, so the result counts as delivered; in order, it is a conflict.
        # (Known limit: the conflict is judged in arrival order, not by report times.)
        assert final in (ShipmentState.DELIVERED, ShipmentState.DELIVERY_FAILED)
        delivered = [type(e) for e in desk.events].count(ShipmentDelivered)
        assert delivered == (final is ShipmentState.DELIVERED)
    elif ending is ProviderStatus.DELIVERED and second_failure:
        # Circular 17/2017 Art. 5(2)(h): after the second failed attempt the result goes
        # back to the agency; a later "delivered" is a conflict for an officer.
        assert final is ShipmentState.DELIVERY_FAILED
        assert [type(e) for e in desk.events].count(ShipmentDelivered) == 0
    elif ending is ProviderStatus.DELIVERED:
        assert final is ShipmentState.DELIVERED
        assert [type(e) for e in desk.events].count(ShipmentDelivered) == 1
    elif ending is ProviderStatus.RETURNED:
        assert final is ShipmentState.RETURNED
    elif story:
        assert [type(e) for e in desk.events].count(ShipmentHandedOver) == 1
