"""Stateful properties of the shipment lifecycle (Decision 45/2016/QĐ-TTg Art. 9-12).

Desk commands and operator reports (duplicated, reordered, conflicting) are
interleaved at random; the machine checks that the lifecycle follows the
transition table, that reports never move a parcel backwards, that a repeated
report changes nothing, and that fees and postage are recorded once.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tthc_adapters.calendar import default_deadlines
from tthc_core.delivery import (
    MAX_ATTEMPTS,
    TRANSITIONS,
    CancelShipment,
    ConfirmDelivery,
    HandOver,
    MarkInTransit,
    ProviderStatus,
    RecordFailedAttempt,
    RecordReturnToAgency,
    Shipment,
    ShipmentCommand,
    ShipmentDelivered,
    ShipmentHandedOver,
    ShipmentState,
    TrackingConflictRecorded,
    TrackingOutcome,
    TrackingUpdate,
    apply_tracking_update,
    handle,
    progress,
)
from tthc_core.delivery._shipment import _ACTIONS
from tthc_core.errors import DomainRuleViolation
from tthc_core.testing.strategies import shipments

DEADLINES = default_deadlines()

_NAMES = st.sampled_from(["Nguyễn Văn An", "Trần Thị Bích", "Người lạ"])
_COMMANDS = st.one_of(
    st.builds(HandOver, st.just("EH000000001VN"), st.integers(0, 50_000)),
    st.just(MarkInTransit()),
    st.builds(RecordFailedAttempt, st.sampled_from(["vắng nhà", "sai địa chỉ"])),
    st.builds(ConfirmDelivery, _NAMES, st.booleans(), st.sampled_from([0, 8_000, 15_000])),
    st.just(RecordReturnToAgency()),
    st.builds(CancelShipment, st.just("đổi hình thức nhận")),
)


class ShipmentLifecycle(RuleBasedStateMachine):
    """One shipment under random desk commands and operator reports."""

    def __init__(self) -> None:
        super().__init__()
        self.now = dt.datetime(2025, 9, 8, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        self.seen: list[TrackingUpdate] = []
        self.max_progress = 0

    @initialize(shipment=shipments(state=ShipmentState.REQUESTED))
    def start(self, shipment: Shipment) -> None:
        self.shipment = shipment
        self.now = max(self.now, shipment.requested_at)

    def _tick(self, hours: int) -> dt.datetime:
        self.now += dt.timedelta(hours=hours)
        return self.now

    @rule(command=_COMMANDS, hours=st.integers(0, 60))
    def desk_command(self, command: ShipmentCommand, hours: int) -> None:
        before = self.shipment
        target = TRANSITIONS[before.state].get(_ACTIONS[type(command)])
        try:
            after, events = handle(before, command, at=self._tick(hours), deadlines=DEADLINES)
        except DomainRuleViolation:
            return
        assert target is not None, "the table forbids this command, yet it was applied"
        assert after.state is target
        assert after.version == before.version  # storage owns the version
        assert len(events) == 1
        self.shipment = after

    @rule(
        status=st.sampled_from(ProviderStatus),
        attempt=st.integers(1, 3),
        received_by=_NAMES,
        hours=st.integers(0, 60),
    )
    def operator_report(
        self, status: ProviderStatus, attempt: int, received_by: str, hours: int
    ) -> None:
        update = TrackingUpdate(
            reference=self.shipment.reference,
            status=status,
            occurred_at=self._tick(hours),
            item_code="EH000000001VN",
            attempt=attempt if status is ProviderStatus.DELIVERY_FAILED else None,
            received_by=received_by if status is ProviderStatus.DELIVERED else None,
            fee_collected_vnd=self.shipment.fee_to_collect_vnd,
            postage_vnd=16_000,
        )
        self._apply(update)
        self.seen.append(update)

    @precondition(lambda self: bool(self.seen))
    @rule(data=st.data())
    def replay_an_old_report(self, data: st.DataObject) -> None:
        """A duplicated or late callback: an old report arrives again."""
        update = data.draw(st.sampled_from(self.seen))
        before = self.shipment
        result = apply_tracking_update(before, update, deadlines=DEADLINES)
        assert (
            result.outcome is not TrackingOutcome.APPLIED
            or update.key not in before.applied_updates
        )
        if update.key in before.applied_updates:
            assert result.outcome is TrackingOutcome.DUPLICATE
            assert result.shipment is before
        self._apply(update)

    def _apply(self, update: TrackingUpdate) -> None:
        before = self.shipment
        result = apply_tracking_update(before, update, deadlines=DEADLINES)
        if result.outcome is TrackingOutcome.APPLIED:
            assert progress(result.shipment) > progress(before)
            assert update.key in result.shipment.applied_updates
            assert result.events
            kinds = [type(e) for e in result.events]
            if (
                before.state is ShipmentState.REQUESTED
                and update.status is not ProviderStatus.CANCELLED
            ):
                assert kinds[0] is ShipmentHandedOver  # a skipped handover is recorded first
        elif result.outcome is TrackingOutcome.CONFLICT:  # recorded for an officer, not applied
            assert [type(e) for e in result.events] == [TrackingConflictRecorded]
            assert len(result.shipment.conflicts) == len(before.conflicts) + 1
            assert (
                attrs.evolve(
                    result.shipment,
                    conflicts=before.conflicts,
                    applied_updates=before.applied_updates,
                )
                == before
            )
        else:
            assert result.shipment is before
            assert result.events == ()
        again = apply_tracking_update(result.shipment, update, deadlines=DEADLINES)
        assert again.shipment is result.shipment  # idempotent
        self.shipment = result.shipment

    @invariant()
    def never_backwards(self) -> None:
        assert progress(self.shipment) >= self.max_progress
        self.max_progress = progress(self.shipment)

    @invariant()
    def consistent_record(self) -> None:
        s = self.shipment
        assert len(s.failed_attempts) <= MAX_ATTEMPTS
        numbers = [a.number for a in s.failed_attempts]
        assert numbers == sorted(set(numbers))
        dispatched = s.state not in {ShipmentState.REQUESTED, ShipmentState.CANCELLED}
        assert (s.handed_over_at is not None) is dispatched
        assert (s.expected_by is not None) is dispatched
        assert (s.delivered_at is not None) is (s.state is ShipmentState.DELIVERED)
        if s.state is ShipmentState.DELIVERED:
            assert s.received_by is not None
            assert s.choice.may_receive(s.received_by)
            assert s.fee_collected_vnd == s.fee_to_collect_vnd
            assert s.late == (s.delivered_at >= s.expected_by)  # type: ignore[operator]
        assert (s.returned_at is not None) is (s.state is ShipmentState.RETURNED)
        if len(s.failed_attempts) == MAX_ATTEMPTS:  # going back: never delivered on the way
            assert s.state is not ShipmentState.DELIVERED


ShipmentLifecycle.TestCase.settings = settings(max_examples=40, stateful_step_count=25)
TestShipmentLifecycle = ShipmentLifecycle.TestCase


def test_delivered_event_is_emitted_once_per_shipment() -> None:
    """A duplicated delivery report never records a second delivery (no double charge)."""
    from hypothesis import given

    @given(shipments(state=ShipmentState.REQUESTED), st.integers(1, 4))
    def check(shipment: Shipment, copies: int) -> None:
        update = TrackingUpdate(
            reference=shipment.reference,
            status=ProviderStatus.DELIVERED,
            occurred_at=shipment.requested_at + dt.timedelta(days=1),
            item_code="EH1VN",
            received_by=shipment.choice.address.address.recipient,  # type: ignore[union-attr]
            fee_collected_vnd=shipment.fee_to_collect_vnd,
        )
        delivered = 0
        for _ in range(copies):
            result = apply_tracking_update(shipment, update, deadlines=DEADLINES)
            delivered += sum(isinstance(e, ShipmentDelivered) for e in result.events)
            shipment = result.shipment
        assert delivered == 1
        assert shipment.state is ShipmentState.DELIVERED

    check()
