"""Contract suites for the outbox (and its worker queue) and the inbox."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest

from tthc_core.storage import (
    OutboundMessage,
    OutboxCounts,
    RetryPolicy,
    Store,
    drain_outbox,
)
from tthc_core.testing.contracts._storage_base import StorageFixtures
from tthc_core.testing.contracts._storage_sample import DOCKETS, Docket, ManualClock, docket_code

__all__ = ["InboxContract", "OutboxContract"]

MINUTE = dt.timedelta(minutes=1)


def _message(n: int) -> OutboundMessage:
    return OutboundMessage(
        f"msg-{n}", "zalo", {"text": f"Hồ sơ số {n} đã có kết quả.", "n": n, "tags": ["a", None]}
    )


def _put(store: Store, *messages: OutboundMessage) -> list[bool]:
    with store.unit_of_work() as uow:
        added = [uow.outbox.put(m) for m in messages]
        uow.commit()
    return added


class _Flaky:
    """A sender that fails the first ``failures`` calls."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[OutboundMessage] = []

    def __call__(self, message: OutboundMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("provider unavailable")
        self.sent.append(message)


class OutboxContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.Outbox` and its queue must do."""

    def test_put_is_deduplicated_by_key(self, store: Store) -> None:
        assert _put(store, _message(1), _message(1)) == [True, False]
        assert _put(store, _message(1)) == [False]
        assert store.outbox_queue.counts() == OutboxCounts(pending=1, delivered=0, parked=0)

    def test_messages_are_written_with_the_state_change_or_not_at_all(
        self, store: Store, clock: ManualClock
    ) -> None:
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(Docket(docket_code(1)))
            uow.outbox.put(_message(1))
        assert store.outbox_queue.claim(owner="w", now=clock(), lease=MINUTE, limit=10) == []
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(Docket(docket_code(1)))
            uow.outbox.put(_message(1))
            uow.commit()
        claimed = store.outbox_queue.claim(owner="w", now=clock(), lease=MINUTE, limit=10)
        assert [p.message for p in claimed] == [_message(1)]

    def test_drain_delivers_everything_once_in_order(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, *(_message(n) for n in range(7)))
        sender = _Flaky(0)
        report = drain_outbox(store.outbox_queue, sender, owner="w", clock=clock, batch=3)
        assert report.delivered == 7
        assert sender.sent == [_message(n) for n in range(7)]
        assert drain_outbox(store.outbox_queue, sender, owner="w", clock=clock).delivered == 0
        assert store.outbox_queue.counts() == OutboxCounts(pending=0, delivered=7, parked=0)

    def test_a_failed_send_is_retried_after_the_back_off(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, _message(1))
        sender, retry = _Flaky(1), RetryPolicy(first_delay=MINUTE)
        report = drain_outbox(store.outbox_queue, sender, owner="w", clock=clock, retry=retry)
        assert (report.retried, sender.sent) == (1, [])
        clock.advance(MINUTE - dt.timedelta(seconds=1))
        assert drain_outbox(store.outbox_queue, sender, owner="w", clock=clock).delivered == 0
        clock.advance(dt.timedelta(seconds=1))
        assert drain_outbox(store.outbox_queue, sender, owner="w", clock=clock).delivered == 1
        assert sender.sent == [_message(1)]

    def test_a_message_is_parked_after_the_last_attempt(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, _message(1))
        sender, retry = _Flaky(10), RetryPolicy(max_attempts=3, first_delay=MINUTE)
        reports = []
        for _ in range(5):
            reports.append(
                drain_outbox(store.outbox_queue, sender, owner="w", clock=clock, retry=retry)
            )
            clock.advance(dt.timedelta(hours=1))
        assert [(r.retried, r.parked) for r in reports] == [(1, 0), (1, 0), (0, 1), (0, 0), (0, 0)]
        assert store.outbox_queue.counts() == OutboxCounts(pending=0, delivered=0, parked=1)

    def test_parked_messages_are_listed_and_retried_once(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, _message(1), _message(2))
        queue, retry = store.outbox_queue, RetryPolicy(max_attempts=1, first_delay=MINUTE)
        assert queue.parked() == []
        drain_outbox(queue, _Flaky(1), owner="w", clock=clock, retry=retry)  # 1 parks, 2 goes
        (parked,) = queue.parked()
        assert (parked.message, parked.attempts) == (_message(1), 1)
        assert parked.last_error is not None
        assert "provider unavailable" in parked.last_error
        assert queue.retry_parked(parked.id, now=clock())
        assert not queue.retry_parked(parked.id, now=clock())  # no longer parked
        assert queue.parked() == []
        claimed = queue.claim(owner="w", now=clock(), lease=MINUTE, limit=9)
        assert [(p.message, p.attempts) for p in claimed] == [(_message(1), 1)]
        assert not queue.retry_parked(claimed[0].id + 1000, now=clock())

    def test_a_lease_reserves_until_it_expires(self, store: Store, clock: ManualClock) -> None:
        _put(store, _message(1), _message(2))
        queue = store.outbox_queue
        first = queue.claim(owner="a", now=clock(), lease=MINUTE, limit=1)
        second = queue.claim(owner="b", now=clock(), lease=MINUTE, limit=5)
        assert [p.message.key for p in first + second] == ["msg-1", "msg-2"]
        assert queue.claim(owner="c", now=clock() + MINUTE / 2, lease=MINUTE, limit=5) == []
        assert queue.delivered(second[0].id, owner="b", now=clock() + MINUTE / 2)
        # Worker "a" died: once its lease expires, "c" takes the message over.
        taken = queue.claim(owner="c", now=clock() + MINUTE, lease=MINUTE, limit=5)
        assert [(p.message.key, p.attempts) for p in taken] == [("msg-1", 2)]
        assert not queue.delivered(first[0].id, owner="a", now=clock() + MINUTE)
        assert queue.delivered(taken[0].id, owner="c", now=clock() + MINUTE)
        assert queue.counts() == OutboxCounts(pending=0, delivered=2, parked=0)

    def test_drain_does_not_send_after_its_lease_ran_out(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, _message(1), _message(2))
        sent: list[OutboundMessage] = []

        def slow(message: OutboundMessage) -> None:
            sent.append(message)
            clock.advance(2 * MINUTE)  # the first send outlives the lease

        report = drain_outbox(store.outbox_queue, slow, owner="w", clock=clock, lease=MINUTE)
        # msg-2's lease ran out while msg-1 was sent: it is not sent on a dead
        # lease, but claimed again and sent under a new one.
        assert (report.delivered, report.lost_leases) == (2, 1)
        assert sent == [_message(1), _message(2)]
        assert store.outbox_queue.counts().delivered == 2

    def test_a_limited_claim_takes_the_earliest_next_attempt_first(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, _message(1), _message(2), _message(3))
        queue, now = store.outbox_queue, clock()
        claimed = queue.claim(owner="w", now=now, lease=MINUTE, limit=3)
        # msg-1 retries last, msg-2 and msg-3 at the same instant (then by id).
        for pending, wait in zip(claimed, (3, 2, 2), strict=True):
            assert queue.failed(pending.id, owner="w", error="x", retry_at=now + wait * MINUTE)
        later = now + 3 * MINUTE
        order = [queue.claim(owner="w", now=later, lease=MINUTE, limit=1) for _ in range(3)]
        assert [p.message.key for batch in order for p in batch] == ["msg-2", "msg-3", "msg-1"]

    def test_a_retry_is_due_at_its_instant_not_before(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, _message(1))
        queue, now = store.outbox_queue, clock()
        (pending,) = queue.claim(owner="w", now=now, lease=MINUTE, limit=1)
        assert queue.failed(pending.id, owner="w", error="x", retry_at=now + MINUTE)
        early = now + MINUTE - dt.timedelta(microseconds=1)
        assert queue.claim(owner="w", now=early, lease=MINUTE, limit=1) == []
        assert len(queue.claim(owner="w", now=now + MINUTE, lease=MINUTE, limit=1)) == 1

    def test_nothing_is_sent_at_exactly_the_lease_expiry(
        self, store: Store, clock: ManualClock
    ) -> None:
        _put(store, _message(1), _message(2))
        sent: list[OutboundMessage] = []

        def exactly_a_lease(message: OutboundMessage) -> None:
            sent.append(message)
            if len(sent) == 1:
                clock.advance(MINUTE)  # msg-2's lease ends at this very instant

        report = drain_outbox(
            store.outbox_queue, exactly_a_lease, owner="w", clock=clock, lease=MINUTE
        )
        assert (report.delivered, report.lost_leases) == (2, 1)
        assert sent == [_message(1), _message(2)]

    def test_the_last_allowed_attempt_is_still_made_then_the_message_parks(
        self, store: Store, clock: ManualClock
    ) -> None:
        # A worker that dies mid-send leaves the attempt without an outcome.
        retry = RetryPolicy(max_attempts=3, first_delay=MINUTE)
        _put(store, _message(1), _message(2))
        queue = store.outbox_queue
        for _ in range(2):  # two claims of both, both leases lost
            queue.claim(owner="dead", now=clock(), lease=MINUTE, limit=2)
            clock.advance(MINUTE)
        queue.claim(owner="dead", now=clock(), lease=MINUTE, limit=1)  # msg-1's third
        clock.advance(MINUTE)
        sender = _Flaky(0)
        report = drain_outbox(queue, sender, owner="w", clock=clock, retry=retry)
        # msg-2 is on its third (last allowed) attempt: sent. msg-1 would be on its fourth.
        assert (report.delivered, report.parked) == (1, 1)
        assert sender.sent == [_message(2)]


class InboxContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.Inbox` must do."""

    port: ClassVar[str | None] = "inbox"

    def test_record_once(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            assert uow.inbox.record_once("zalo", "evt-1")
            assert not uow.inbox.record_once("zalo", "evt-1")
            assert uow.inbox.record_once("postal", "evt-1")
            uow.commit()
        with store.unit_of_work() as uow:
            assert not uow.inbox.record_once("zalo", "evt-1")

    def test_a_rolled_back_handling_is_handled_again(self, store: Store) -> None:
        def handler() -> None:
            with store.unit_of_work() as uow:
                assert uow.inbox.record_once("zalo", "evt-1")
                raise RuntimeError("the handler failed")

        with pytest.raises(RuntimeError):
            handler()
        with store.unit_of_work() as uow:
            assert uow.inbox.record_once("zalo", "evt-1")
